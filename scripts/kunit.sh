#!/bin/bash
# Configure and build the test kernel of a tree with kunit.py, and boot
# it on QEMU (x86_64, TCG, 2 CPUs, edu, NVMe and vmxnet3 devices): every
# suite on the plain pc machine, the PCI suites (under kunit.py) on q35
# with an Intel IOMMU which remaps interrupts, on one in caching mode
# and on an AMD IOMMU (the IMS policy's branches). The plain machine's
# boot ends in an initramfs which scans for memory leaks.
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

# Every log is scanned for kernel reports: none of an earlier run
rm -f "$obj"/kunit*.log "$obj"/kunit*.json "$obj"/kunit*.parsed "$obj"/leaks.* \
	"$obj/kunit.counts"
echo "kunit: building $tree"
if ! (cd "$tree" && "${kunit[@]}" config "${common[@]}" &&
	"${kunit[@]}" build "${common[@]}" --jobs="$(($(nproc) + 1))") \
	> "$obj/build-kernel.log" 2>&1; then
	tail -n 30 "$obj/build-kernel.log"
	echo "kunit: the test kernel does not build, see $obj/build-kernel.log"
	echo "0 1" > "$obj/kunit.counts"
	exit 1
fi

# The plain machine, which has no interrupt remapping: every suite,
# with IMS refused. kunit.py reboots right after the tests, so this boot
# is ours: after the suites, the initramfs prints the PCI devices'
# vectors and scans for leaks.
echo "kunit: booting the plain machine, then the leak scan"
"$top/scripts/initramfs.sh" "$obj/initramfs.cpio"
if ! "$top/scripts/boot.sh" "$obj/arch/x86/boot/bzImage" "$obj/initramfs.cpio" \
	"$obj/leaks.log" kunit.enable=1 "$pci_expect_no_remap" "$qemu_ims_only"; then
	echo "kunit: the plain boot did not reach its end, see $obj/leaks.log"
	bad=1
fi
count "$obj/leaks.log" "$pci_ims_refused_skips"
expect "$obj/leaks.log" "plain: IMS" 'pci_msi_test [0-9a-f:.]+: IMS refused: no interrupt remapping[a-zA-Z ,]*'
expect "$obj/leaks.log" "MSI disabled: IMS" 'pci_msi_test [0-9a-f:.]+: IMS refused: MSI is disabled for the device'
expect "$obj/leaks.log" "plain: edu IMS" 'edu-ims 0000:00:10.0: IMS refused: no interrupt remapping[a-zA-Z ,]*'
expect "$obj/leaks.log" "plain: edu IMS only" 'edu-ims 0000:00:11.0: IMS only: no IMS table, not binding'

# The q35 machines with an IOMMU run the PCI suites again (with IDXD's,
# on the Intel machine: KUnit's filter is one glob): IMS allowed
# with Intel's remapping, refused when the IOMMU is in caching mode, as
# an emulated one is, and refused with AMD's, whose model in QEMU
# reports NpCache, as an emulated one does.
echo "kunit: booting q35 with intel-iommu,intremap=on"
run "$obj/kunit-intremap.log" "" exec --qemu_args="$qemu_intremap $qemu_kunit" \
	--kernel_args="$pci_expect_allowed $qemu_ims_only" '[pi]*'
expect "$obj/kunit-intremap.log" "intremap: edu IMS only" 'edu-ims 0000:00:11.0: IMS only: entry 0 irq [0-9]+: fired 1, handled 1'
echo "kunit: booting q35 with intel-iommu,intremap=on,caching-mode=on"
run "$obj/kunit-virt.log" "$pci_ims_refused_skips" exec \
	--qemu_args="$qemu_intremap_virt $qemu_kunit" --kernel_args="$pci_expect_virt" 'pci_ims*'
expect "$obj/kunit-virt.log" "caching mode: IMS" 'pci_msi_test [0-9a-f:.]+: IMS refused: the IOMMU is virtualized \(caching mode\)'
echo "kunit: booting q35 with amd-iommu,intremap=on"
run "$obj/kunit-amd.log" "$pci_ims_refused_skips" exec \
	--qemu_args="$qemu_intremap_amd $qemu_kunit" --kernel_args="$pci_expect_virt" 'pci_ims*'
expect "$obj/kunit-amd.log" "AMD remapping" 'AMD-Vi: Interrupt remapping enabled'
expect "$obj/kunit-amd.log" "AMD NpCache: IMS" 'pci_msi_test [0-9a-f:.]+: IMS refused: the IOMMU is virtualized \(NpCache\) or not set up'

echo "kunit: PCI devices of the plain boot (vendor:device driver mode vectors):"
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
scan "$obj"/kunit*.log "$obj/leaks.log"

echo "$passed $failed" > "$obj/kunit.counts"
echo "kunit: $passed passed, $failed failed"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
