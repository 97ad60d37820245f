#!/usr/bin/env bash
# A real WordPress for the plugin's test (crates/cli/tests/cli/wordpress.rs): Debian's wordpress,
# PHP and MariaDB, installed once per machine; a copy of WordPress under /opt/rostra-ci with our
# test configuration, and a database user whose databases are `rostra_wp…`. Each test run makes
# its own database and content folder (with the plugins from their zips) and serves WordPress
# with PHP's built-in server on loopback. Prints the WordPress folder to use as ROSTRA_WORDPRESS.
set -euo pipefail
cd "$(dirname "$0")/.."

WP_CI="${ROSTRA_WP_CI:-/opt/rostra-ci/wordpress}"
need=()
[ -f /usr/share/wordpress/wp-settings.php ] || need+=(wordpress)
[ -d /usr/share/wordpress/wp-content/themes/twentytwentyone ] || need+=(wordpress-theme-twentytwentyone)
command -v php >/dev/null && php -m | grep -qi '^mysqli$' || need+=(php-cli php-mysql)
php -m 2>/dev/null | grep -qi '^xml$' || need+=(php-xml)
php -m 2>/dev/null | grep -qi '^mbstring$' || need+=(php-mbstring)
php -m 2>/dev/null | grep -qi '^curl$' || need+=(php-curl)
command -v mariadb >/dev/null || need+=(mariadb-server)
command -v zip >/dev/null || need+=(zip)
command -v unzip >/dev/null || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# MariaDB on its socket (the machine may start it; this makes sure).
if ! mariadb -e 'SELECT 1' >/dev/null 2>&1; then
  (service mariadb start || /etc/init.d/mariadb start) >&2
fi
mariadb -e "CREATE USER IF NOT EXISTS 'rostra_wp'@'localhost' IDENTIFIED BY 'rostra_wp';
  GRANT ALL PRIVILEGES ON \`rostra\\_wp%\`.* TO 'rostra_wp'@'localhost';"

# WordPress as Debian ships it, with our configuration instead of Debian's.
version=/usr/share/wordpress/wp-includes/version.php
if [ ! -f "$WP_CI/core/wp-settings.php" ] || ! cmp -s "$version" "$WP_CI/core/wp-includes/version.php"; then
  rm -rf "$WP_CI/core"
  mkdir -p "$WP_CI"
  cp -aL /usr/share/wordpress "$WP_CI/core"
fi
cp integrations/wordpress/tests/wp-config.php "$WP_CI/core/wp-config.php"
echo "$WP_CI/core"
