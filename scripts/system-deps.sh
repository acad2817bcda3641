#!/usr/bin/env bash
# Makes sure the Debian packages the tests need are present: php-cli and php-curl (to run the
# PHP code samples), python3-requests (the Python samples, unless pip already has requests) and
# chromium (to open the docs page). Installs them when missing if we are
# root on Debian; elsewhere names them and fails.
set -euo pipefail
missing=()
command -v php >/dev/null 2>&1 || missing+=(php-cli)
if ! command -v php >/dev/null 2>&1 || ! php -m 2>/dev/null | grep -qi '^curl$'; then missing+=(php-curl); fi
python3 -c 'import requests' >/dev/null 2>&1 || missing+=(python3-requests)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: the tests need these Debian packages: ${missing[*]}" >&2
  echo "system-deps: install them (sudo apt-get install -y ${missing[*]}) and run again." >&2
  exit 1
fi
