#!/bin/sh
# Make sure Debian's poppler-utils (pdftotext, pdfinfo) are there for the PDF's tests. Installs them as root with
# apt-get; otherwise prints what to do and lets the tests report that they could not run.
set -u
command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's poppler-utils (pdftotext, pdfinfo) for the PDF's tests..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null && exit 0
    echo "!! apt-get could not install poppler-utils" >&2
fi
echo "!! pdftotext/pdfinfo are not installed: the PDF's tests will not run here (and fail under CI)." >&2
echo "!! Install them with: sudo apt-get install -y poppler-utils" >&2
exit 0
