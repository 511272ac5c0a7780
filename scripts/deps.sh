#!/bin/bash
# Install what building, checking and booting the series needs, from
# Debian's archive: the base at exactly the version scripts/base.sh pins,
# and the tools. Does nothing when everything is there already.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/base.sh
. "$top/scripts/base.sh"

# python3-ply, python3-git: checkpatch's SPDX check; sparse: make C=1;
# gcc-aarch64-linux-gnu: the arm64-only callers; qemu-system-x86: boots
# the test kernels; busybox-static: their initramfs; python3-sphinx,
# python3-sphinx-rtd-theme: make htmldocs, and python3-yaml for the
# netlink spec index which 6.12's htmldocs always generates;
# gnuplot-nox: make bench's plot; debootstrap: make fresh's new machine
pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves
	python3 python3-ply python3-git git rsync cpio kmod xz-utils
	sparse
	gcc-aarch64-linux-gnu
	qemu-system-x86
	busybox-static
	python3-sphinx python3-sphinx-rtd-theme python3-yaml
	gnuplot-nox
	debootstrap
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
# dpkg-query fails for a package it has never seen (a new machine)
installed=$(dpkg-query -W -f='${Status} ${Version}' "$base_package" 2>/dev/null |
	sed -n 's/^install ok installed //p' || true)
[ "$installed" = "$base_version" ] || missing+=("$base_package=$base_version")
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -q
served=$(apt-cache madison "$base_package" | awk '{ print $3 }' | paste -sd ' ' -)
# The exact version, not one which merely starts with it (6.1.192-2.1)
if ! grep -q -x -F -e "$base_version" < <(tr ' ' '\n' <<<"$served"); then
	echo "deps: $base_package $base_version is not served; served: ${served:-none}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
	--allow-downgrades "${missing[@]}"
