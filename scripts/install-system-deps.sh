#!/usr/bin/env bash
# Installs the system tools the twin needs (iproute2, nftables) on Debian or Ubuntu, as root.
set -euo pipefail
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "the twin needs: ${need[*]}; install them as root, e.g.: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "installing ${need[*]}" >&2
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
