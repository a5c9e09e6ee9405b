#!/usr/bin/env bash
# The browser test of index.html drives the system's Chromium (tests/test_documents.py).
# Installs Debian's chromium when no Chromium, Chrome or Edge is found; does nothing otherwise.
set -euo pipefail
for b in chromium chromium-browser google-chrome google-chrome-stable microsoft-edge; do
    if command -v "$b" >/dev/null 2>&1; then exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get install -y -q chromium >/dev/null 2>&1 \
        || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q chromium >/dev/null; }
    exit 0
fi
echo "Ingen Chromium, Chrome eller Edge hittades: installera en av dem för testet av index.html." >&2
exit 1
