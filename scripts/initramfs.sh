#!/bin/bash
# Build the test kernel's initramfs: busybox and an init script,
# scripts/initramfs/init unless another one is named.
# usage: initramfs.sh OUTPUT.cpio [INIT]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
init=${2:-$top/scripts/initramfs/init}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$init" "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$out"
