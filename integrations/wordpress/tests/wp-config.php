<?php
/**
 * The test WordPress's configuration (copied into the WordPress that .ci/wordpress.sh
 * prepares): the database and the content folder come from the environment, so that every
 * test run has a WordPress of its own.
 *
 * @license GPL-2.0-or-later
 */

define('DB_NAME', getenv('ROSTRA_WP_DB') ?: 'rostra_wp');
define('DB_USER', 'rostra_wp');
define('DB_PASSWORD', 'rostra_wp');
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_CONTENT_DIR', getenv('ROSTRA_WP_CONTENT') ?: __DIR__ . '/wp-content');
define('WP_HOME', getenv('ROSTRA_WP_URL') ?: 'http://127.0.0.1:8080');
define('WP_SITEURL', WP_HOME);
define('WP_CONTENT_URL', WP_HOME . '/wp-content');
define('WP_DEBUG', true);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', getenv('ROSTRA_WP_CONTENT') ? getenv('ROSTRA_WP_CONTENT') . '/debug.log' : false);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost');
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $rostra_key) {
    define($rostra_key, 'rostra-test-only-' . $rostra_key);
}
$table_prefix = 'wp_';
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
