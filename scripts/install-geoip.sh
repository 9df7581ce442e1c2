#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Installs the country-level geolocation database of the npm package
# @ip-location-db/geo-whois-asn-country-mmdb (an MMDB file, IPv4 and IPv6) for `make run`
# and the tests, and caches it outside the repo. The package is marked CC0-1.0; the data
# it merges includes the RIRs' statistics, CC BY 4.0 by the NRO, whose notice
# (NRO_LICENSE) is installed next to the file. See docs/geolocation.md for GeoLite2 City
# instead.
#
# Usage: RUM_GEOIP_DATABASE=$(scripts/install-geoip.sh | tail -1)
# stdout carries only the database path (last line); every log goes to stderr.
# Env: GEOIP_CACHE_DIR overrides the cache root (default $XDG_CACHE_HOME/otelcol-rum).
set -euo pipefail

package=@ip-location-db/geo-whois-asn-country-mmdb
version=2.3.2026061719
# The registry's integrity of that version's tarball: a republished or altered tarball
# is refused.
integrity=sha512-xemBDNQl4mCYDuVbqe3jKGKsVDykZGkfvebhtOh/3VGLadq8vsp7t7ontpMUt3hH7sAGT0eLDyJ99SV+0waxZg==
file=geo-whois-asn-country.mmdb

cache_root=${GEOIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/otelcol-rum}
dest_dir=$cache_root/geoip/geo-whois-asn-country-mmdb-$version
db=$dest_dir/$file

log() { echo "install-geoip: $*" >&2; }

# Already installed: nothing to do. The directory only ever appears whole (below).
if [[ -s $db ]]; then
  echo "$db"
  exit 0
fi

command -v npm >/dev/null || { log "npm not found on PATH"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm pack fetches the published tarball without installing anything or running its
# scripts, and without a package.json of ours.
log "downloading $package@$version"
(cd "$work" && npm pack --silent --ignore-scripts --pack-destination "$work" "$package@$version") >/dev/null
tarball=$(find "$work" -maxdepth 1 -name '*.tgz' -print -quit)
[[ -n $tarball ]] || { log "npm pack left no tarball"; exit 1; }

got=sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
if [[ $got != "$integrity" ]]; then
  log "integrity mismatch for $package@$version: got $got, want $integrity"
  exit 1
fi

tar -xzf "$tarball" -C "$work" package/"$file" package/NRO_LICENSE package/README.md
mkdir -p "$work/out"
mv "$work/package/$file" "$work/package/NRO_LICENSE" "$work/package/README.md" "$work/out/"

# Move into place atomically: a sibling directory renamed over the target, so that a
# concurrent caller sees either no database or the whole of it.
mkdir -p "$(dirname "$dest_dir")"
staging=$(mktemp -d "$(dirname "$dest_dir")/.staging.XXXXXX")
cp -r "$work/out/." "$staging/"
chmod 0755 "$staging"
if ! mv -T "$staging" "$dest_dir" 2>/dev/null; then
  # Another caller got there first.
  rm -rf "$staging"
fi
[[ -s $db ]] || { log "no database at $db"; exit 1; }
log "installed $db ($(du -h "$db" | cut -f1))"
echo "$db"
