#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Installs Debian's Chromium for the end-to-end test (Playwright drives it through
# playwright-core; it never downloads a browser of its own). Needs root or sudo and the
# Debian package registry.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  /usr/bin/chromium --version
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
