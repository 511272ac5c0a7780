#!/bin/bash
# Configure, build and boot the test kernel of a tree, run its KUnit
# suites under kunit.py on QEMU (x86_64, TCG, 2 CPUs), boot it a second
# time to scan for memory leaks, and fail on any failed test and on any
# KASAN, lockdep, kmemleak or other kernel report in either boot.
#
# usage: kunit.sh TREE OBJ [MAKE_OPTION...]
# Writes OBJ/kunit.log, OBJ/leaks.log and OBJ/kunit.counts ("P F").
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "$1" && pwd)
mkdir -p "$2"
obj=$(cd "$2" && pwd)
shift 2
make_opts=("$@")

kunitconfig=$obj/msi-tables.kunitconfig
{
	cat "$tree/kernel/irq/.kunitconfig"
	cat "$top/Kconfig.fragment"
} | awk '!seen[$0]++' > "$kunitconfig"

kunit=("$tree/tools/testing/kunit/kunit.py")
common=(--arch=x86_64 --build_dir="$obj" --kunitconfig="$kunitconfig")
for o in "${make_opts[@]}"; do
	common+=(--make_options "$o")
done

echo "kunit: building and booting $tree"
(cd "$tree" && "${kunit[@]}" run "${common[@]}" --jobs="$(nproc)" \
	--timeout=900 --qemu_args="-smp 2" --raw_output=all) > "$obj/kunit.log" 2>&1
run_status=$?

(cd "$tree" && "${kunit[@]}" parse "$obj/kunit.log") > "$obj/kunit.parsed" 2>&1
grep -a -E '^\[[0-9:]+\] (\[(PASSED|FAILED|SKIPPED|CRASHED)\]|=+ .* =+$|Testing complete|# )' \
	"$obj/kunit.parsed" | sed 's/^\[[0-9:]*\] //'

summary=$(grep -a -o 'Ran [0-9]* tests:.*' "$obj/kunit.parsed" | tail -n 1)
passed=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$summary")
failed=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<<"$summary")
crashed=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<<"$summary")
passed=${passed:-0}
failed=$(( ${failed:-0} + ${crashed:-0} ))
bad=0
if [ -z "$summary" ] || [ "$run_status" -ne 0 ]; then
	echo "kunit: the KUnit run did not complete (status $run_status), see $obj/kunit.log"
	tail -n 30 "$obj/kunit.log"
	failed=$((failed + 1))
	bad=1
fi

# Second boot of the same kernel, with PCI devices: the suites run again,
# then the initramfs prints the devices' vectors and scans for leaks.
# kunit.py reboots right after the tests, so this boot is ours.
"$top/scripts/initramfs.sh" "$obj/initramfs.cpio"
if ! "$top/scripts/boot.sh" "$obj/arch/x86/boot/bzImage" "$obj/initramfs.cpio" \
	"$obj/leaks.log" kunit.enable=1; then
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
(cd "$tree" && "${kunit[@]}" parse "$obj/leaks.log") > "$obj/leaks.parsed" 2>&1 ||
	{ echo "kunit: the suites failed in the leak scan boot, see $obj/leaks.parsed"; bad=1; }

reports='BUG:|WARNING:|INFO: (possible|task|trying)|Kernel panic|Oops|general protection|kmemleak: [0-9]+ new suspected|UBSAN:|KCSAN:'
for log in "$obj/kunit.log" "$obj/leaks.log"; do
	if grep -a -q -E "$reports" "$log"; then
		echo "kunit: kernel reports in $log:"
		grep -a -E -A 12 "$reports" "$log" | head -n 60
		bad=1
	fi
done

echo "$passed $failed" > "$obj/kunit.counts"
echo "kunit: $passed passed, $failed failed"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
