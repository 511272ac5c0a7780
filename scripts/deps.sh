#!/bin/bash
# Install what building, checking and booting the series needs, from
# Debian's archive. Does nothing when everything is there already.
set -euo pipefail

# python3-ply, python3-git: checkpatch's SPDX check; sparse: make C=1; gcc-aarch64-linux-gnu: the arm64-only callers;
# qemu-system-x86: boots the test kernel; busybox-static: its initramfs;
# python3-sphinx, python3-sphinx-rtd-theme: make htmldocs; gnuplot-nox: make bench's plot
pkgs=(
	linux-source-6.1
	build-essential bc bison flex libelf-dev libssl-dev dwarves
	python3 python3-ply python3-git git rsync cpio kmod xz-utils
	sparse
	gcc-aarch64-linux-gnu
	qemu-system-x86
	busybox-static
	python3-sphinx python3-sphinx-rtd-theme
	gnuplot-nox
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
