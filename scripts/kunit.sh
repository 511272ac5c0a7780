#!/bin/bash
# Configure, build and boot the test kernel of a tree under kunit.py on
# QEMU (x86_64, TCG, 2 CPUs, edu and NVMe devices): on the plain pc
# machine, and where the series has the edu IMS sample on q35 with
# intel-iommu,intremap=on and once more on the plain machine without
# ims_unremapped for the IMS policy; then boot it with an initramfs to
# scan for memory leaks. Fails on any failed test,
# on a missing end-to-end result and on any KASAN, lockdep, kmemleak or
# other kernel report.
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

# The edu IMS sample driver and its suites, where the series has them,
# boot three machines and show IMS delivered and refused; the core
# suites need the plain machine only.
edu=0
ims_args=()
if [ -e "$tree/samples/msi/edu_ims.c" ]; then
	edu=1
	ims_args=(--kernel_args=ims_unremapped --kernel_args="$qemu_ims_only")
else
	echo "kunit: $tree has no samples/msi/edu_ims.c: no edu IMS boots or checks"
fi

edu_boots() {
	expect "$obj/kunit.log" "plain: IMS parent" 'parent of the IMS table: [A-Z0-9-]+ \(remapped: no\)'
	expect "$obj/kunit.log" "plain: IMS only" 'IMS only: entry 0 irq [0-9]+: fired 1, handled 1'

	echo "kunit: booting q35 with intel-iommu,intremap=on"
	run "$obj/kunit-intremap.log" exec --qemu_args="$qemu_intremap $qemu_kunit" \
		--kernel_args="$qemu_ims_only"
	expect "$obj/kunit-intremap.log" "intremap: IMS parent" 'parent of the IMS table: [A-Z0-9-]+ \(remapped: yes\)'
	expect "$obj/kunit-intremap.log" "intremap: IMS only" 'IMS only: entry 0 irq [0-9]+: fired 1, handled 1'

	# The IMS policy: in a virtual machine without interrupt remapping
	# IMS is refused with one line saying why, and the edu device keeps
	# its MSI.
	echo "kunit: booting the plain machine without ims_unremapped"
	run "$obj/kunit-policy.log" exec --qemu_args="$qemu_kunit" pci_msix_dyn.msix_test_alloc_dyn
	expect "$obj/kunit-policy.log" "policy: refused" 'edu-ims 0000:00:10.0: IMS not available: .*'
	expect "$obj/kunit-policy.log" "policy: fallback" 'IMS table: -EOPNOTSUPP, using MSI only'

	echo "kunit: the demo (plain machine):"
	grep -a 'edu-ims demo:' "$obj/kunit.log" | tr -d '\r' | sed 's/^.*edu-ims demo: /  /'
}

echo "kunit: building $tree, booting the plain machine"
run "$obj/kunit.log" run --jobs="$(($(nproc) + 1))" --qemu_args="$qemu_kunit" "${ims_args[@]}"
[ $edu -eq 1 ] && edu_boots

# Second boot of the same kernel, with PCI devices: the suites run again,
# then the initramfs prints the devices' vectors and scans for leaks.
# kunit.py reboots right after the tests, so this boot is ours.
"$top/scripts/initramfs.sh" "$obj/initramfs.cpio"
boot_args=()
[ $edu -eq 1 ] && boot_args=(ims_unremapped "$qemu_ims_only")
if ! "$top/scripts/boot.sh" "$obj/arch/x86/boot/bzImage" "$obj/initramfs.cpio" \
	"$obj/leaks.log" kunit.enable=1 "${boot_args[@]}"; then
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
count "$obj/leaks.log"
[ "$failed" -ne "$f0" ] && echo "kunit: the suites failed in the leak scan boot" && bad=1
passed=$p0 failed=$f0

scan "$obj"/kunit*.log "$obj/leaks.log"

echo "$passed $failed" > "$obj/kunit.counts"
echo "kunit: $passed passed, $failed failed"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
