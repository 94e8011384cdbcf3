#!/usr/bin/env bash
# Install the benchmark's peer recommenders into the current Python (default: the project venv).
# lightfm 1.17 ships only an sdist whose setup.py fails with current setuptools
# ('dict' object has no attribute '__LIGHTFM_SETUP__', lyst/lightfm#687): we unpack it,
# set the flag on the builtins module instead, and build from the patched tree.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${PYTHON:-$HERE/../.venv/bin/python}"
"$PY" -m pip install -r "$HERE/requirements-peers.txt"
if "$PY" -c "import lightfm" 2>/dev/null; then
  echo "lightfm already installed"; exit 0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# pip cannot even download the sdist (it runs setup.py for metadata), so fetch it by its PyPI URL.
URL="$("$PY" - <<'PYEOF'
import re, urllib.request
page = urllib.request.urlopen("https://pypi.org/simple/lightfm/").read().decode()
print(re.search(r'href="([^"]*/lightfm-1\.17\.tar\.gz)[^"]*"', page).group(1))
PYEOF
)"
"$PY" -c 'import sys,urllib.request;urllib.request.urlretrieve(sys.argv[1],sys.argv[2])' "$URL" "$WORK/lightfm-1.17.tar.gz"
tar -xzf "$WORK"/lightfm-1.17.tar.gz -C "$WORK"
sed -i 's/__builtins__.__LIGHTFM_SETUP__ = True/import builtins; builtins.__LIGHTFM_SETUP__ = True/' \
  "$WORK/lightfm-1.17/setup.py"
"$PY" -m pip install "$WORK/lightfm-1.17"
