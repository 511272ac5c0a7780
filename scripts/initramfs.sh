#!/bin/bash
# Build a test kernel's initramfs: busybox, an init script
# (scripts/initramfs/init unless another one is named), the kernel
# report patterns as /reports.sh, and any further files, which go to
# /extra.
# usage: initramfs.sh OUTPUT.cpio [INIT [FILE...]]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
init=${2:-$top/scripts/initramfs/init}
shift $(($# < 2 ? $# : 2))
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,extra}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$init" "$root/init"
cp "$top/scripts/lib/reports.sh" "$root/reports.sh"
[ $# -gt 0 ] && cp "$@" "$root/extra/"
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$out"
