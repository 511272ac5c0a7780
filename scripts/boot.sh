#!/bin/bash
# Boot a test kernel in QEMU (x86_64, TCG, 2 CPUs) with the initramfs of
# scripts/initramfs/init and PCI devices which in-tree drivers take: an
# NVMe controller (MSI-X), an AHCI controller (MSI), virtio-net and
# e1000e (MSI-X), and two edu devices for the IMS sample driver. The
# init script brings the network links up, prints the devices' vectors
# and interrupts and the kmemleak report, then powers off.
#
# usage: boot.sh BZIMAGE INITRAMFS LOG [KERNEL_ARG...]
set -uo pipefail

kernel=$1 initrd=$2 log=$3
shift 3

timeout 900 qemu-system-x86_64 -nodefaults -m 1024 -smp 2 -bios qboot.rom \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 rdinit=/init panic=-1 $*" \
	-blockdev driver=null-co,node-name=nvm0,size=67108864 \
	-device nvme,serial=msitables,drive=nvm0,addr=0x12 \
	-device ahci \
	-netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
	-netdev user,id=net1 -device e1000e,netdev=net1 \
	-device edu,dma_mask=0xffffffff,addr=0x10 \
	-device edu,dma_mask=0xffffffff,addr=0x11 \
	-no-reboot -nographic -serial stdio < /dev/null > "$log" 2>&1
grep -q 'msi-tables: init done' "$log"
