#!/usr/bin/env bash
# Installs the system tools the twin needs on Debian or Ubuntu, as root: iproute2, nftables, MariaDB's server and
# client (the twin's stand-in for Aurora MySQL; the -core packages start no service) and dig (bind9-dnsutils).
# With --browser (CI and the page tests), also Debian's chromium, which the browser tests of check's page drive with
# playwright-core, the Liberation fonts (metric-compatible with the Helvetica the diagrams are laid out for) and a
# Japanese font (IPAex Gothic) for the Japanese page.
set -euo pipefail
browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *)
      echo "install-system-deps.sh: unknown option $arg (the only one is --browser)" >&2
      exit 2
      ;;
  esac
done
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server-core)
command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client-core)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
if [ "$browser" -eq 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need+=(fonts-liberation)
  [ -e /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || need+=(fonts-ipaexfont-gothic)
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "lattice-share needs: ${need[*]}; install them as root, e.g.: apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
echo "installing ${need[*]}" >&2
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
