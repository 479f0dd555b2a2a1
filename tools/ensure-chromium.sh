#!/bin/sh
# Make sure Debian's Chromium is there for the browser tests (never a
# Playwright-downloaded browser). Installs it as root with apt-get; otherwise
# prints what to do and lets the tests report that they could not run.
set -u
CHROMIUM="${DOWNHILL_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
    echo "!! apt-get could not install chromium" >&2
fi
echo "!! Chromium is not at $CHROMIUM: the browser tests will not run here (and fail under CI)." >&2
echo "!! Install it with: sudo apt-get install -y chromium   (or set DOWNHILL_CHROMIUM)" >&2
exit 0
