#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Installs Prometheus (server + promtool) from Debian's package for the end-to-end demo,
# which runs its own Prometheus on loopback with examples/demo/prometheus.yml. Only the
# Debian package registry is reachable here, so no upstream release tarball.
# Idempotent: when both binaries are already on PATH it only prints their versions.
set -euo pipefail

versions() {
  prometheus --version 2>&1 | head -1
  promtool --version 2>&1 | head -1
}

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  versions
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive

# --no-install-recommends: the package recommends prometheus-node-exporter, which would
# start a second service we don't want. Try without `apt-get update` first (fast, and the
# lists are often fresh); refresh the lists only when that fails.
apt_install() { $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }
if ! apt_install 2>/dev/null; then
  $sudo apt-get update -qq
  apt_install
fi

# The package enables and starts its own prometheus.service (listening on :9090) where
# systemd runs. The demo starts Prometheus itself, so stop and disable the packaged one
# to keep 9090 free. Without systemd (containers) there is nothing to stop.
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  $sudo systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi
# Some images start it through the SysV init script instead (policy-rc.d permitting).
if [[ -x /etc/init.d/prometheus ]]; then
  $sudo /etc/init.d/prometheus stop >/dev/null 2>&1 || true
fi

versions
