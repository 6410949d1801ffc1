#!/usr/bin/env bash
# Installs the system tools the twin needs on Debian or Ubuntu, as root: iproute2, nftables, MariaDB's server and
# client (the twin's stand-in for Aurora MySQL; the -core packages start no service) and dig (bind9-dnsutils).
set -euo pipefail
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server-core)
command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client-core)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "the twin needs: ${need[*]}; install them as root, e.g.: apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
echo "installing ${need[*]}" >&2
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
