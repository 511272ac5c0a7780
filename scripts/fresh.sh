#!/bin/bash
# make fresh: the README's test command on a new machine. A minimal
# Debian 12 root made by debootstrap (git, make and ca-certificates
# added, as on a new machine), with this machine's apt sources, a clean
# clone of this repository's HEAD in it (and ../shared beside it, as in
# CI) and no git identity; .ci/run runs there as root, in a chroot.
# Prints its last line ("N passed, M failed") and exits with its status.
#
# usage: fresh.sh DIR (the root is made anew in DIR/root)
set -euo pipefail

# debootstrap, mount and chroot need root
[ "$(id -u)" -eq 0 ] || exec sudo -- "$0" "$@"

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/base.sh
. "$top/scripts/base.sh"
mkdir -p "$1"
dir=$(cd "$1" && pwd)
root=$dir/root
log=$dir/ci.log

unmount() {
	local m
	for m in dev/pts dev proc sys; do
		mountpoint -q "$root/$m" && umount -l "$root/$m"
	done
	return 0
}
trap unmount EXIT
unmount
# Never into a host file system which a failed unmount left bound
rm -rf --one-file-system "$root"

# The mirror this machine's apt uses for bookworm
# (either file may be missing: cat's status does not count)
mirror=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } |
	awk '/^deb .* bookworm / { sub(/^deb +(\[[^]]*\] +)?/, ""); print $1; exit }
	     /^URIs:/ { uri = $2 } /^Suites:.* bookworm( |$)/ && uri { print uri; exit }')
echo "fresh: debootstrap bookworm from ${mirror:?no bookworm mirror in the apt sources} into $root"
debootstrap --variant=minbase --include=git,make,ca-certificates bookworm "$root" "$mirror" \
	> "$dir/debootstrap.log" 2>&1 || { tail -n 20 "$dir/debootstrap.log"; exit 1; }

# This machine's apt sources and the settings apt needs to reach them
rm -f "$root/etc/apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && cp "$f" "$root$f"
done
for f in /etc/apt/apt.conf.d/*; do
	grep -q '^Acquire::' "$f" 2>/dev/null && cp "$f" "$root$f"
done
# and the keys those sources are signed with
for d in /etc/apt/keyrings /etc/apt/trusted.gpg.d; do
	[ -d "$d" ] && mkdir -p "$root$d" && cp -a "$d/." "$root$d/"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"

mkdir -p "$root/work"
# The clone runs as root, perhaps of another user's repository
git -c safe.directory="$top" clone -q "$top" "$root/work/main"
[ -d "$top/../shared" ] && cp -a "$top/../shared" "$root/work/shared"

mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
echo "fresh: bash .ci/run in $root/work/main (log: $log)"
status=0
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	bash -c 'cd /work/main && bash .ci/run' > "$log" 2>&1 || status=$?
grep -a -E '^check: (FAILED|failed stages)|^ci: ' "$log" || true
tail -n 1 "$log"
exit $status
