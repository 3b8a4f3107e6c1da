#!/usr/bin/env bash
# Installs Debian's Chromium, which the Web UI check (test/ui, test/cluster) drives headless
# through playwright-core at /usr/bin/chromium. .ci/run calls this before `npm test`; locally
# run it once (as root, or with sudo). A no-op when Chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
command -v apt-get >/dev/null || { echo "install-chromium: FAILED: no apt-get (install Chromium at /usr/bin/chromium yourself)" >&2; exit 1; }
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-chromium: FAILED: needs root (or sudo) for apt-get" >&2; exit 1; }
  sudo="sudo"
fi

echo "install-chromium: installing Debian's chromium with apt-get (about 100 MB)"
started=$SECONDS
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
echo "install-chromium: done in $((SECONDS - started)) s"
