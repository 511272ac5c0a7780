#!/bin/bash
# Boot a test kernel on QEMU's plain pc machine (x86_64, TCG, 2 CPUs)
# with the initramfs of scripts/initramfs/init and the regression boots'
# PCI devices, which in-tree drivers take, plus the two edu devices of
# the IMS sample driver and the PCI suites' vmxnet3, which only the
# series' kernel binds. The init script brings the network links
# up, prints the devices' vectors and interrupts and the kmemleak
# report, then powers off.
#
# usage: boot.sh BZIMAGE INITRAMFS LOG [KERNEL_ARG...]
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/qemu.sh
. "$top/scripts/lib/qemu.sh"
kernel=$1 initrd=$2 log=$3
shift 3

# shellcheck disable=SC2086 # word lists
timeout 900 $qemu_cmd -m 1024 -smp 2 -bios qboot.rom \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 rdinit=/init panic=-1 $pc_kernel_args $*" \
	$qemu_regression $qemu_edus $qemu_vmxnet3 < /dev/null > "$log" 2>&1
grep -q 'msi-tables: init done' "$log"
