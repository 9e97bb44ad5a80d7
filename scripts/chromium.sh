#!/usr/bin/env bash
# Headless Chromium from Debian's packages, for the audit page's browser test.
# Idempotent: does nothing when /usr/bin/chromium exists. Run as root (as `make test` does here).
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "chromium.sh: /usr/bin/chromium is missing; run as root to install it" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium.sh: installed $(/usr/bin/chromium --version)"
