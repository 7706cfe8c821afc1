#!/usr/bin/env bash
# Debian packages the tests need: espeak-ng and sox (synthetic telephone audio), chromium
# and a CJK font (dashboard browser tests and screenshots in both languages).
# Installs only what is missing; needs root for apt-get.
set -euo pipefail
missing=()
for package in espeak-ng sox chromium fonts-wqy-zenhei; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
