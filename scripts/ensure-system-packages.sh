#!/usr/bin/env bash
# Installs what the tests need from Debian's packages when it is missing: Chromium and PostgreSQL.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)  # reading letters in tests
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-swe)  # OCR of paper applications
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing from Debian's packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
