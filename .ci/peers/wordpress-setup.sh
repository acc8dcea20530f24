#!/usr/bin/env bash
# Installs WordPress for the end-to-end tests: Debian's wordpress package + PHP, copied into a
# directory of our own (nothing written to /etc). The test fixture creates a fresh database on
# the machine's MariaDB (127.0.0.1:3306, root) and serves the site with PHP's built-in server
# on 127.0.0.1. Idempotent. Prints the directory to export as VARDE_E2E_WORDPRESS_DIR.
#
#   VARDE_PEERS_DIR   where to install (default /tmp/varde-peers); never inside the repo.
set -euo pipefail
# Only the installed directory goes to stdout (for $(...)); everything else to stderr.
exec 3>&1 1>&2
here="$(cd "$(dirname "$0")" && pwd)"
peers="${VARDE_PEERS_DIR:-/tmp/varde-peers}"
dest="$peers/wordpress"

need_apt=()
[ -f /usr/share/wordpress/wp-settings.php ] || need_apt+=(wordpress)
command -v php >/dev/null 2>&1 || need_apt+=(php-cli)
php -m 2>/dev/null | grep -qx mysqli || need_apt+=(php-mysql)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  # Pulls apache2 as a dependency; policy-rc.d / no init keeps it stopped, and it is unused.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "${need_apt[@]}" >/dev/null
fi

# Debian's docroot has relative symlinks into /usr/share/php: copy with them resolved.
version="$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php)"
if [ "$(cat "$dest/.installed" 2>/dev/null)" != "$version" ]; then
  rm -rf "$dest/site"
  mkdir -p "$dest"
  cp -rL /usr/share/wordpress "$dest/site"
  rm -f "$dest/site/.htaccess"
  echo "$version" > "$dest/.installed"
fi
cp "$here/wordpress/wp-config.php" "$dest/site/wp-config.php"
cp "$here/wordpress/install.php" "$here/wordpress/router.php" "$dest/"
mkdir -p "$dest/site/wp-content/uploads" "$dest/site/wp-content/mu-plugins"
cp "$here/wordpress/varde-e2e.php" "$dest/site/wp-content/mu-plugins/"

# The tests' database server: the machine's MariaDB on 127.0.0.1:3306 (or VARDE_E2E_MYSQL_*).
# Started when installed but stopped, installed when missing; refused loudly if unreachable.
mysql_host="${VARDE_E2E_MYSQL_HOST:-127.0.0.1:3306}"
mysql_ok() {
  php -r 'mysqli_report(MYSQLI_REPORT_OFF); [$h, $p] = explode(":", $argv[1]);
    exit(@mysqli_connect($h, $argv[2], $argv[3], "", (int) $p) ? 0 : 1);' \
    "$mysql_host" "${VARDE_E2E_MYSQL_USER:-root}" "${VARDE_E2E_MYSQL_PASSWORD:-}"
}
if ! mysql_ok && [ "$mysql_host" = "127.0.0.1:3306" ]; then
  if ! command -v mariadbd >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=300 mariadb-server >/dev/null
  fi
  /etc/init.d/mariadb start >/dev/null || true
  for _ in $(seq 50); do mysql_ok && break; sleep 0.2; done
fi
if ! mysql_ok; then
  echo "WordPress set-up: cannot reach MariaDB at $mysql_host as ${VARDE_E2E_MYSQL_USER:-root}" >&2
  exit 1
fi
echo "$dest" >&3
