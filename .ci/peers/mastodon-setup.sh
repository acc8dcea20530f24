#!/usr/bin/env bash
# Installs mastodon-mock (PyPI) for the Mastodon end-to-end tests, in a virtual environment
# of its own so its FastAPI stack never mixes with Varde's dependencies. mastodon-mock is a
# stateful FAKE of Mastodon's client API, not a real server: no registry has one that runs
# locally (see docs/e2e-tests.md). Idempotent. Prints the directory to export as
# VARDE_E2E_MASTODON_DIR.
#
#   VARDE_PEERS_DIR   where to install (default /tmp/varde-peers); never inside the repo.
set -euo pipefail
# Only the installed directory goes to stdout (for $(...)); everything else to stderr.
exec 3>&1 1>&2
peers="${VARDE_PEERS_DIR:-/tmp/varde-peers}"
version=0.6.1
dest="$peers/mastodon"
python="${PYTHON:-python3}"
if [ "$("$dest/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("mastodon-mock"))' 2>/dev/null)" != "$version" ]; then
  rm -rf "$dest/venv"
  mkdir -p "$dest"
  "$python" -m venv "$dest/venv"
  "$dest/venv/bin/pip" install --quiet --disable-pip-version-check "mastodon-mock==$version"
fi
"$dest/venv/bin/mastodon_mock" --help >/dev/null
echo "$dest" >&3
