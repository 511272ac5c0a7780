#!/bin/bash
# Configure, build and boot the test kernel of a tree under kunit.py on
# QEMU (x86_64, TCG, 2 CPUs, edu, NVMe and vmxnet3 devices): every suite
# on the plain pc machine, the PCI suites on q35 with an Intel IOMMU
# which remaps interrupts, on one in caching mode and on an AMD IOMMU
# (the IMS policy's branches); then boot it with an initramfs to scan
# for memory leaks.
# Fails on any failed or unexpectedly skipped test, on a missing policy
# log line and on any KASAN, lockdep, kmemleak or other kernel report.
#
# usage: kunit.sh TREE OBJ [MAKE_OPTION...]
# Writes OBJ/kunit*.log, OBJ/leaks.log and OBJ/kunit.counts ("P F").
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
mkdir -p "$2"
obj=$(cd "$2" && pwd)
shift 2
make_opts=("$@")

kunitconfig=$obj/msi-tables.kunitconfig
"$top/scripts/kunitconfig.sh" "$tree" "$kunitconfig"

# shellcheck source=scripts/kunit-lib.sh
. "$top/scripts/kunit-lib.sh"

# The plain machine has no interrupt remapping: the PCI suites see IMS
# refused there. The q35 machines with an IOMMU run the PCI suites
# again: IMS allowed with Intel's remapping, refused when the IOMMU is
# in caching mode, as an emulated one is, and refused with AMD's, whose
# model in QEMU reports NpCache, as an emulated one does.
echo "kunit: building $tree, booting the plain machine"
run "$obj/kunit.log" "$pci_ims_refused_skips" run --jobs="$(($(nproc) + 1))" \
	--qemu_args="$qemu_kunit" --kernel_args="$pci_expect_no_remap"
expect "$obj/kunit.log" "plain: IMS" 'pci_msi_test [0-9a-f:.]+: IMS refused: no interrupt remapping[a-zA-Z ,]*'

echo "kunit: booting q35 with intel-iommu,intremap=on"
run "$obj/kunit-intremap.log" "" exec --qemu_args="$qemu_intremap $qemu_kunit" \
	--kernel_args="$pci_expect_allowed" 'pci_*'
echo "kunit: booting q35 with intel-iommu,intremap=on,caching-mode=on"
run "$obj/kunit-virt.log" "$pci_ims_refused_skips" exec \
	--qemu_args="$qemu_intremap_virt $qemu_kunit" --kernel_args="$pci_expect_virt" 'pci_ims*'
expect "$obj/kunit-virt.log" "caching mode: IMS" 'pci_msi_test [0-9a-f:.]+: IMS refused: the IOMMU is virtualized \(caching mode\)'
echo "kunit: booting q35 with amd-iommu,intremap=on"
run "$obj/kunit-amd.log" "$pci_ims_refused_skips" exec \
	--qemu_args="$qemu_intremap_amd $qemu_kunit" --kernel_args="$pci_expect_virt" 'pci_ims*'
expect "$obj/kunit-amd.log" "AMD remapping" 'AMD-Vi: Interrupt remapping enabled'
expect "$obj/kunit-amd.log" "AMD NpCache: IMS" 'pci_msi_test [0-9a-f:.]+: IMS refused: the IOMMU is virtualized \(NpCache\) or not set up'

# Second boot of the same kernel, with PCI devices: the suites run again,
# then the initramfs prints the devices' vectors and scans for leaks.
# kunit.py reboots right after the tests, so this boot is ours.
"$top/scripts/initramfs.sh" "$obj/initramfs.cpio"
if ! "$top/scripts/boot.sh" "$obj/arch/x86/boot/bzImage" "$obj/initramfs.cpio" \
	"$obj/leaks.log" kunit.enable=1 "$pci_expect_no_remap"; then
	echo "kunit: the leak scan boot did not reach its end, see $obj/leaks.log"
	bad=1
fi
echo "kunit: PCI devices of the second boot (vendor:device driver mode vectors):"
grep -a -E 'msi-tables: (vectors|interrupts)' "$obj/leaks.log" | tr -d '\r' |
	sed 's/^msi-tables: /  /'

if ! grep -q -E 'msi-tables: lockdep: *debug_locks: *1[[:space:]]*$' "$obj/leaks.log"; then
	echo "kunit: lockdep is not active at the end of the boot"
	bad=1
fi
leaks=$(sed -n '/msi-tables: kmemleak: begin/,/msi-tables: kmemleak: end/p' "$obj/leaks.log" |
	grep -c 'unreferenced object')
if [ "$leaks" -ne 0 ] || grep -q 'msi-tables: kmemleak: missing' "$obj/leaks.log"; then
	echo "kunit: kmemleak: $leaks leaks or no kmemleak, see $obj/leaks.log"
	bad=1
fi
# The leak scan boot's results are the suites' second run: they must
# pass, but count once, in the first boot.
p0=$passed f0=$failed
count "$obj/leaks.log" "$pci_ims_refused_skips"
[ "$failed" -ne "$f0" ] && echo "kunit: the suites failed in the leak scan boot" && bad=1
passed=$p0 failed=$f0

scan "$obj"/kunit*.log "$obj/leaks.log"

echo "$passed $failed" > "$obj/kunit.counts"
echo "kunit: $passed passed, $failed failed"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
