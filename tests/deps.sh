#!/bin/sh
# deps.sh PKG... - install the Debian packages that are missing.
# As root it runs apt-get; as another user it names the missing packages
# and the one command that installs them, and fails; with every package
# present it does nothing, for any user.
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps.sh: no dpkg-query (not Debian?); cannot check for:" "$@" >&2
	exit 0
fi
missing=""
for p in "$@"; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$s" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "quire needs these Debian packages, which are missing:$missing" >&2
	echo "run:  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 ||
	{ apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends $missing; }
