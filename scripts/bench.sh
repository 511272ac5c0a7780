#!/bin/bash
# make bench: what MSI tables cost, against their floors.
#
# Builds the benchmark kernel (bench/kernel.config, no debugging options)
# at the base tag and at the checked out tip of TREE, the benchmark
# module of bench/ against each (W=1, sparse), boots each kernel once in
# QEMU (x86_64, TCG, 2 CPUs, a virtio-rng-pci device with an MSI-X table
# of 128 entries) and writes OUT/bench.md, which it prints, and
# OUT/alloc.png. Figures are reported, not asserted: the run fails only
# if a kernel, the module or a boot does. The builds run niced, as other
# builds may share the machine; the boots do not.
#
# usage: bench.sh TREE OUT
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/base.sh
. "$top/scripts/base.sh"
# shellcheck source=scripts/lib/qemu.sh
. "$top/scripts/lib/qemu.sh"
# shellcheck source=scripts/lib/reports.sh
. "$top/scripts/lib/reports.sh"
tree=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
jobs=$(nproc)

# The base's sources: a worktree of the tree at its base tag. --force
# takes the place of one whose directory was removed, without pruning
# the repository's other worktrees.
src_base=$out/src-base
if [ ! -e "$src_base/Makefile" ]; then
	rm -rf "$src_base"
	git -C "$tree" worktree add -f -q --detach "$src_base" base
fi

# build SRC OBJ: the kernel, then the module against it; incremental
build() {
	local src=$1 obj=$2
	mkdir -p "$obj"
	if ! cmp -s "$top/bench/kernel.config" "$obj/kernel.config"; then
		cp "$top/bench/kernel.config" "$obj/.config"
		nice make -s -C "$src" ARCH=x86_64 O="$obj" olddefconfig
		cp "$top/bench/kernel.config" "$obj/kernel.config"
	fi
	echo "bench: building $(git -C "$src" describe --always --tags) in $obj"
	nice make -s -C "$src" ARCH=x86_64 O="$obj" -j"$jobs" bzImage modules \
		> "$obj/build.log" 2>&1 || { tail -n 30 "$obj/build.log"; return 1; }
	rm -rf "$obj/bench-module"
	mkdir -p "$obj/bench-module"
	cp "$top"/bench/{Kbuild,*.c,*.h} "$obj/bench-module/"
	nice make -s -C "$src" ARCH=x86_64 O="$obj" M="$obj/bench-module" W=1 C=1 modules \
		> "$obj/module.log" 2>&1 || { cat "$obj/module.log"; return 1; }
	cat "$obj/module.log"
}

# boot OBJ LOG: the kernel with an initramfs which loads the module
boot() {
	local obj=$1 log=$2
	"$top/scripts/initramfs.sh" "$obj/initramfs.cpio" "$top/bench/init" \
		"$obj"/bench-module/*.ko
	echo "bench: booting $obj"
	# shellcheck disable=SC2086 # a word list
	timeout 1800 $qemu_cmd -accel tcg,thread=multi -m 2048 -smp 2 -bios qboot.rom \
		-kernel "$obj/arch/x86/boot/bzImage" -initrd "$obj/initramfs.cpio" \
		-append "console=ttyS0 rdinit=/init panic=-1" \
		-device virtio-rng-pci,vectors=128 < /dev/null > "$log" 2>&1 || true
	tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
	if ! grep -q 'msi-bench: done' "$log" || ! grep -q 'msi-bench: end' "$log"; then
		echo "bench: the boot of $obj did not complete, see $log"
		tail -n 30 "$log"
		return 1
	fi
	if grep -E "msi-bench: .*(failed|insmod|rmmod)|Call Trace:|$reports" "$log"; then
		echo "bench: the benchmark failed or the kernel reported, see $log"
		return 1
	fi
}

build "$src_base" "$out/base"
build "$tree" "$out/tip"
# TCG's figures move with the host's load: the report says what it was.
# The load average includes these builds; the runnable tasks do not.
# On a virtual machine the hypervisor takes CPU time as well (steal).
read -r l1 l5 _ running _ < /proc/loadavg
host="$(nproc) CPUs, ${running%/*} runnable tasks before the boots (load average $l1, $l5)"
cpu_times() {
	awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9 }' /proc/stat
}
read -r total0 steal0 < <(cpu_times)
boot "$out/base" "$out/base.log"
boot "$out/tip" "$out/tip.log"
read -r total1 steal1 < <(cpu_times)
host="$host, $(((steal1 - steal0) * 100 / (total1 - total0)))% of its CPU time stolen by the hypervisor during the boots"
status=0
"$top/scripts/benchreport.py" "$out/base.log" "$out/tip.log" "$out" "$host" || status=$?
cat "$out/bench.md"
echo "bench: wrote $out/bench.md and $out/alloc.png"
exit $status
