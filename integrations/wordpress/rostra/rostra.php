<?php
/**
 * Plugin Name:       Rostra Comments
 * Description:       Shows a self-hosted Rostra thread instead of WordPress's (or wpDiscuz's) comments, signs logged-in users in, and moves the old comments to Rostra with one button.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      8.0
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       rostra
 *
 * Copyright (C) the Rostra authors.
 *
 * This program is free software; you can redistribute it and/or modify it under the terms of
 * the GNU General Public License as published by the Free Software Foundation; either version 2
 * of the License, or (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY;
 * without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See
 * the GNU General Public License for more details.
 */

defined('ABSPATH') || exit;

define('ROSTRA_PLUGIN_VERSION', '0.1.0');
define('ROSTRA_PLUGIN_DIR', __DIR__);

require_once __DIR__ . '/includes/client.php';
require_once __DIR__ . '/includes/sso.php';
require_once __DIR__ . '/includes/thread.php';
require_once __DIR__ . '/includes/counts.php';
require_once __DIR__ . '/includes/import.php';
require_once __DIR__ . '/includes/connection.php';
require_once __DIR__ . '/includes/settings.php';
