#!/bin/bash
# Configure, build and boot the KCSAN test kernel of a tree under
# kunit.py on QEMU: the machine of kunit.sh's plain boot, every suite,
# with the data race detector in place of KASAN (Kconfig.kcsan). Fails
# on any failed test, on any data race or other kernel report, and when
# KCSAN's own selftest at boot does not show it working.
#
# usage: kcsan.sh TREE OBJ [MAKE_OPTION...]
# Writes OBJ/kunit-kcsan.log and OBJ/kunit.counts ("P F").
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
mkdir -p "$2"
obj=$(cd "$2" && pwd)
shift 2
make_opts=("$@")

kunitconfig=$obj/msi-tables-kcsan.kunitconfig
"$top/scripts/kunitconfig.sh" "$tree" "$kunitconfig" kcsan

# shellcheck source=scripts/kunit-lib.sh
. "$top/scripts/kunit-lib.sh"

log=$obj/kunit-kcsan.log
echo "kcsan: building $tree, booting the plain machine"
run "$log" "$pci_ims_refused_skips" run --jobs="$(($(nproc) + 1))" \
	--qemu_args="$qemu_kunit" --kernel_args="$pci_expect_no_remap $qemu_ims_only"
expect "$log" "KCSAN enabled" 'kcsan: enabled early'
expect "$log" "KCSAN selftest" 'kcsan: selftest: ([0-9]+)/\1 tests passed'
grep -a -o -E 'stress: [0-9]+ rounds, .*lookups' "$log" | sed 's/^/kcsan: /'
scan "$log"

echo "$passed $failed" > "$obj/kunit.counts"
echo "kcsan: $passed passed, $failed failed"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
