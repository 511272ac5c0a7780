#!/bin/bash
# The test command: apply series/ to a fresh base as one mailbox, check
# every patch (builds on its own with W=1 and sparse without new
# warnings, x86_64 and the arm64 objects it touches; checkpatch --strict;
# kernel-doc; get_maintainer.pl), check that the exported copies are
# fresh, build the core-api documentation and its example drivers, then
# build, boot and run the KUnit suites with KASAN, lockdep and kmemleak.
#
# Ends with "N passed, M failed": KUnit's counts, where each failed stage
# counts as one more failure; exits non-zero if any stage failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/check
tree=$work/linux
obj=$work/x86_64
arm=$work/arm64
kcsan=$work/kcsan
jobs=$(nproc)
failed_stages=()

stage() { echo; echo "=== check: $*"; }
fail() { echo "check: FAILED: $*"; failed_stages+=("$1"); }

finish() {
	local passed=0 failed=0 p f c
	for c in "$obj/kunit.counts" "$kcsan/kunit.counts"; do
		[ -f "$c" ] || continue
		read -r p f < "$c"
		passed=$((passed + p)) failed=$((failed + f))
	done
	echo
	if [ ${#failed_stages[@]} -ne 0 ]; then
		echo "check: failed stages: ${failed_stages[*]}"
		failed=$((failed + ${#failed_stages[@]}))
	else
		echo "check: all stages passed"
	fi
	echo "$passed passed, $failed failed"
	[ ${#failed_stages[@]} -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit
}

stage "apply series/ to a fresh base: git am of one mailbox"
# Everything from scratch: the warnings of the base build are the
# baseline of the per-patch builds only if the base build is complete.
rm -rf "$work"
mkdir -p "$work"
if ! "$top/scripts/mktree.sh" "$tree"; then
	fail apply "the series does not apply"
	finish
fi
mapfile -t commits < <(git -C "$tree" rev-list --reverse base..HEAD)
tip=$(git -C "$tree" rev-parse HEAD)
# The options of the tip's suites configure every build (where a patch
# does not have them yet, olddefconfig drops them), so that the builds
# of the patches differ by the patches only.
cp "$tree/kernel/irq/.kunitconfig" "$work/tip.kunitconfig"

stage "exported copies are fresh"
"$top/scripts/export.sh" "$tree" "$work/export" > /dev/null
stale=0
diff -r "$top/series" "$work/export/series" > "$work/stale.diff" || stale=1
for f in $(git -C "$tree" diff --name-only --diff-filter=A base HEAD) MAINTAINERS.patch; do
	a=$top/$f b=$work/export/$f
	[ -e "$a" ] || [ -e "$b" ] || continue
	cmp -s "$a" "$b" || { echo "stale: $f"; stale=1; }
done
for r in kernel include drivers lib Documentation samples; do
	[ -d "$top/$r" ] || continue
	(cd "$top" && find "$r" -type f) | while read -r f; do
		[ -e "$work/export/$f" ] || { echo "stale: $f is no longer created by the series"; exit 1; }
	done || stale=1
done
if grep -q -F -e '*** SUBJECT HERE ***' -e '*** BLURB HERE ***' "$top/series/0000-cover-letter.patch"; then
	echo "stale: the cover letter has git's placeholders, not its text"
	stale=1
fi
if [ $stale -ne 0 ]; then
	head -n 40 "$work/stale.diff"
	fail stale "run 'make export' and commit series/ and the copies"
else
	echo "check: series/ and the copies match the series"
fi

stage "no caller passes a device to msi_get_virq()"
if git -C "$tree" grep -n -E 'msi_get_virq\((&|dev\b|[a-z_>.-]*dev[,)])' -- '*.c' '*.h'; then
	fail callers "msi_get_virq() takes a table"
else
	echo "check: all msi_get_virq() callers pass a table"
fi

stage "checkpatch.pl --strict"
ignore=$(grep -v '^#' "$top/checkpatch.exceptions" | cut -f1 | paste -sd, -)
cp_bad=0
for p in "$top"/series/0*.patch; do
	case $(basename "$p") in 0000-*) continue ;; esac
	# Debian's python3, which has the modules of the SPDX check
	out=$(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse --no-summary \
		--ignore "$ignore" "$p")
	if [ -n "$out" ]; then
		echo "$(basename "$p"):"; echo "$out"; cp_bad=1
	fi
done
[ $cp_bad -eq 0 ] && echo "check: checkpatch clean" || fail checkpatch "see above"

stage "kernel-doc on new and changed files"
kd_bad=0
for f in $(git -C "$tree" diff --name-only --diff-filter=AM base HEAD -- '*.c' '*.h'); do
	new=$(cd "$tree" && ./scripts/kernel-doc -none "$f" 2>&1 | sed -E 's/:[0-9]+:/:/')
	old=
	if git -C "$tree" cat-file -e "base:$f" 2>/dev/null; then
		git -C "$tree" show "base:$f" > "$work/kdoc.old"
		old=$(cd "$tree" && ./scripts/kernel-doc -none "$work/kdoc.old" 2>&1 |
			sed -E "s|$work/kdoc.old|$f|; s/:[0-9]+:/:/")
	fi
	added=$(comm -23 <(sort -u <<<"$new") <(sort -u <<<"$old") | sed '/^$/d')
	[ -n "$added" ] && { echo "$added"; kd_bad=1; }
done
[ $kd_bad -eq 0 ] && echo "check: kernel-doc clean" || fail kernel-doc "see above"

stage "documentation: make SPHINXDIRS=core-api htmldocs"
# The base's documentation build is the baseline: any warning the tip's
# build adds fails, whichever file it comes from.
docs_at() {
	git -C "$tree" checkout -q "$1"
	make -C "$tree" O="$work/docs-$2" SPHINXDIRS=core-api htmldocs \
		> "$work/docs.$2.log" 2>&1
}
doc_warnings() {
	grep -a -i -E 'warning|error' "$1" | sed -E "s|$tree/||g; s/:[0-9]+:/:/" | sort -u
}
if ! docs_at base base; then
	tail -n 20 "$work/docs.base.log"
	fail docs "the base's documentation does not build"
elif ! docs_at "$tip" tip; then
	tail -n 20 "$work/docs.tip.log"
	fail docs "the documentation does not build"
else
	comm -13 <(doc_warnings "$work/docs.base.log") <(doc_warnings "$work/docs.tip.log") \
		> "$work/docs.new"
	if [ -s "$work/docs.new" ]; then
		cat "$work/docs.new"
		fail docs "new warnings in the documentation build"
	elif [ ! -f "$work/docs-tip/Documentation/output/core-api/msi-tables.html" ]; then
		fail docs "core-api/msi-tables.html was not built"
	else
		echo "check: core-api builds without new warnings ($(doc_warnings "$work/docs.base.log" | wc -l) at the base)"
	fi
fi
git -C "$tree" checkout -q "$tip"

stage "get_maintainer.pl on every patch"
# Who must be asked, by subject prefix
maintainer_expect=(
	"genirq/proc:|Thomas Gleixner"
	"genirq/msi:|Thomas Gleixner"
	"kunit:|Brendan Higgins"
	"PCI/MSI:|Bjorn Helgaas"
	"x86/apic/msi:|x86@kernel.org"
	"samples:|Thomas Gleixner"
	"dmaengine: idxd:|Vinod Koul"
	"NTB/msi:|Jon Mason"
	"Documentation:|Jonathan Corbet"
	"MAINTAINERS:|linux-kernel@vger.kernel.org"
)
gm_bad=0
for p in "$top"/series/0*.patch; do
	case $(basename "$p") in 0000-*) continue ;; esac
	subject=$(sed -n 's/^Subject: \[PATCH [0-9/]*\] //p' "$p")
	list=$(cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
		--no-rolestats "$p" 2>/dev/null | sed 's/ <.*//' | paste -sd, -)
	echo "  ${subject%%:*}: $list"
	want=
	for e in "${maintainer_expect[@]}"; do
		[[ $subject == "${e%%|*}"* ]] && want=${e#*|}
	done
	if [ -z "$want" ]; then
		fail get_maintainer "$(basename "$p"): no expectation for its prefix"
		gm_bad=1
	elif [[ ",$list," != *",$want,"* ]]; then
		fail get_maintainer "$(basename "$p"): $want is not on the list"
		gm_bad=1
	fi
done
[ $gm_bad -eq 0 ] && echo "check: every patch reaches its subsystem's maintainers"

# The test kernel's configuration, as kunit.py makes it: the tip's
# .kunitconfig, Kconfig.fragment and the QEMU x86_64 options.
write_config() {
	{
		cat "$work/tip.kunitconfig" "$top/Kconfig.fragment"
		echo CONFIG_SERIAL_8250=y
		echo CONFIG_SERIAL_8250_CONSOLE=y
	} | awk '!seen[$0]++' > "$obj/.config"
	make -s -C "$tree" ARCH=x86_64 O="$obj" olddefconfig
}

# arm64: the objects of every .c file the series touches (which are
# objects of their own: some .c files are #included by others)
arm_objs=()
for f in $(git -C "$tree" diff --name-only base HEAD -- '*.c'); do
	o=$(basename "${f%.c}.o")
	case $f in
	*_test.c) continue ;;	# built in the test kernel only
	arch/arm64/*) ;;
	arch/*) continue ;;	# another architecture's code
	drivers/dma/idxd/*) continue ;;	# INTEL_IDXD depends on X86_64
	esac
	grep -q -w -F "$o" "$tree/$(dirname "$f")/Makefile" && arm_objs+=("${f%.c}.o")
done
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)

build_at() {
	local rev=$1 name=$2 status=0
	git -C "$tree" checkout -q "$rev"
	write_config
	make -C "$tree" O="$obj" ARCH=x86_64 W=1 C=1 -j"$jobs" > "$work/$name.x86_64.log" 2>&1 ||
		status=1
	local objs=() o
	for o in "${arm_objs[@]}"; do
		[ -e "$tree/${o%.o}.c" ] && objs+=("$o")
	done
	make -C "$tree" O="$arm" "${cross[@]}" W=1 C=1 -j"$jobs" "${objs[@]}" \
		> "$work/$name.arm64.log" 2>&1 || status=1
	return $status
}

stage "base build (x86_64 vmlinux, arm64 objects), W=1 C=1"
mkdir -p "$obj" "$arm"
make -s -C "$tree" O="$arm" "${cross[@]}" defconfig
# NTB/msi (converted by the series) is not in arm64's defconfig
printf '%s\n' CONFIG_NTB=y CONFIG_NTB_MSI=y >> "$arm/.config"
make -s -C "$tree" O="$arm" "${cross[@]}" olddefconfig
if ! build_at base base; then
	tail -n 30 "$work/base.x86_64.log" "$work/base.arm64.log"
	fail base-build "the base does not build"
	finish
fi
for a in x86_64 arm64; do
	"$top/scripts/buildwarn.py" keys "$tree" "$work/base.$a.log" > "$work/base.$a.keys"
done
echo "check: base builds ($(wc -l < "$work/base.x86_64.keys") x86_64 and $(wc -l < "$work/base.arm64.keys") arm64 warnings to compare against)"

# The MSI and MSI-X vectors of the devices of a boot, but the edu devices,
# which only the series has a driver for
vectors() {
	grep -a 'msi-tables: vectors' "$1" | tr -d '\r' | grep -v ' 0x1234:0x11e8 '
}

# interrupts LOG DRIVER: the interrupts the devices of DRIVER took
interrupts() {
	grep -a "msi-tables: interrupts $2 " "$1" | tr -d '\r' |
		awk '{ s += $4 } END { print s + 0 }'
}

stage "base kernel: vectors of the PCI devices"
"$top/scripts/initramfs.sh" "$work/initramfs.cpio"
if "$top/scripts/boot.sh" "$obj/arch/x86/boot/bzImage" "$work/initramfs.cpio" \
	"$work/base-boot.log"; then
	vectors "$work/base-boot.log" > "$work/base.vectors"
	sed 's/^msi-tables: /  /' "$work/base.vectors"
else
	fail base-boot "the base kernel did not boot, see $work/base-boot.log"
fi

stage "every patch builds on its own without new warnings"
n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	if ! build_at "$c" "patch$n"; then
		grep -a -E 'error|Error' "$work/patch$n.x86_64.log" "$work/patch$n.arm64.log" | head -n 20
		fail "build-$n" "patch $n ($subject) does not build"
		continue
	fi
	newwarn=0
	for a in x86_64 arm64; do
		"$top/scripts/buildwarn.py" new "$tree" "$work/patch$n.$a.log" \
			"$work/base.$a.keys" || newwarn=1
	done
	if [ $newwarn -ne 0 ]; then
		fail "warnings-$n" "patch $n ($subject) adds warnings"
	else
		echo "check: patch $n builds clean: $subject"
	fi
done
git -C "$tree" checkout -q "$tip"

# The converted drivers as modules: x86_64 defconfig with IDXD and NTB
# as modules (and their KUnit tests in them). The directories are built
# at the base and at the tip; the tip may add no warning, and every
# msi_/pci_/irq_ symbol the modules use must be exported.
mod=$work/modules
mod_dirs=(drivers/dma/idxd/ drivers/ntb/)
mod_objs=(drivers/dma/idxd/idxd.o drivers/ntb/ntb.o)
build_modules_at() {
	git -C "$tree" checkout -q "$1"
	make -s -C "$tree" ARCH=x86_64 O="$mod" defconfig
	cat >> "$mod/.config" <<-CONFIG
	CONFIG_MODULES=y
	CONFIG_PCI_PASID=y
	CONFIG_DMADEVICES=y
	CONFIG_INTEL_IDXD=m
	CONFIG_KUNIT=m
	CONFIG_INTEL_IDXD_KUNIT_TEST=y
	CONFIG_NTB=m
	CONFIG_NTB_MSI=y
	CONFIG_NTB_MSI_KUNIT_TEST=y
	CONFIG
	make -s -C "$tree" ARCH=x86_64 O="$mod" olddefconfig
	make -C "$tree" ARCH=x86_64 O="$mod" W=1 C=1 -j"$jobs" "${mod_dirs[@]}" \
		> "$work/modules.$2.log" 2>&1
}

# unexported OBJ: list the msi_/pci_/irq_ symbols OBJ uses which the
# tree does not export; false if there are any
unexported() {
	local sym bad=0
	for sym in $(nm -u "$1" | awk '$2 ~ /^(msi|pci|irq)_/ { print $2 }'); do
		git -C "$tree" grep -q -E "^EXPORT_SYMBOL(_GPL)?\($sym\);" -- '*.c' ||
			{ echo "$1 uses $sym, which is not exported"; bad=1; }
	done
	return $bad
}

stage "IDXD and NTB build as modules, W=1 C=1"
mkdir -p "$mod"
mod_bad=0
if ! build_modules_at base base; then
	tail -n 20 "$work/modules.base.log"
	fail modules "IDXD and NTB do not build as modules at the base"
	mod_bad=1
elif ! build_modules_at "$tip" tip; then
	grep -a -E 'error|Error' "$work/modules.tip.log" | head -n 20
	fail modules "IDXD and NTB do not build as modules"
	mod_bad=1
else
	"$top/scripts/buildwarn.py" keys "$tree" "$work/modules.base.log" > "$work/modules.base.keys"
	"$top/scripts/buildwarn.py" new "$tree" "$work/modules.tip.log" \
		"$work/modules.base.keys" || { fail modules "new warnings in the module build"; mod_bad=1; }
	for c in INTEL_IDXD NTB; do
		grep -q "^CONFIG_$c=m" "$mod/.config" ||
			{ fail modules "CONFIG_$c is not a module"; mod_bad=1; }
	done
	for o in "${mod_objs[@]}"; do
		unexported "$mod/$o" || { fail modules "$o uses symbols which are not exported"; mod_bad=1; }
	done
fi
git -C "$tree" checkout -q "$tip"
[ $mod_bad -eq 0 ] && echo "check: IDXD and NTB build as modules without new warnings, their symbols exported"

stage "the example drivers of msi-tables.rst build as modules, W=1 C=1"
ex=$work/examples
ex_bad=0
rm -rf "$ex"
if [ $mod_bad -ne 0 ]; then
	fail examples "no module build to build them against"
	ex_bad=1
elif ! names=$("$top/scripts/docexamples.py" "$tree/Documentation/core-api/msi-tables.rst" "$ex"); then
	fail examples "no examples found"
	ex_bad=1
else
	ex_objs=()
	for n in $names; do ex_objs+=("$n.o"); done
	make -C "$tree" ARCH=x86_64 O="$mod" M="$ex" W=1 C=1 "${ex_objs[@]}" \
		> "$work/examples.log" 2>&1 || ex_bad=1
	grep -a -E 'warning|error' "$work/examples.log" && ex_bad=1
	for o in "${ex_objs[@]}"; do
		[ -f "$ex/$o" ] || { echo "$o was not built"; ex_bad=1; continue; }
		unexported "$ex/$o" || ex_bad=1
	done
	[ $ex_bad -ne 0 ] && fail examples "see $work/examples.log"
fi
[ $ex_bad -eq 0 ] && echo "check: the examples build clean: $names"

# make bench's module is not part of the series and runs only there; it
# is built here so that a change of the series' API cannot break it.
stage "make bench's module builds against the tip, W=1 C=1"
bm=$work/bench-module
rm -rf "$bm"
mkdir -p "$bm"
cp "$top"/bench/{Kbuild,*.c,*.h} "$bm/"
if [ $mod_bad -ne 0 ]; then
	fail bench "no module build to build it against"
elif ! make -C "$tree" ARCH=x86_64 O="$mod" M="$bm" W=1 C=1 msi_table_bench.o \
	> "$work/bench-module.log" 2>&1 || grep -a -E 'warning|error' "$work/bench-module.log"; then
	fail bench "see $work/bench-module.log"
elif ! unexported "$bm/msi_table_bench.o"; then
	fail bench "the benchmark uses symbols which are not exported"
else
	echo "check: bench/msi_table_bench.c builds clean"
fi

stage "KUnit on x86_64 QEMU with KASAN, lockdep and kmemleak"
write_config
"$top/scripts/kunit.sh" "$tree" "$obj" W=1 || fail kunit "see above"

stage "KCSAN: KUnit on x86_64 QEMU with the data race detector"
"$top/scripts/kcsan.sh" "$tree" "$kcsan" W=1 || fail kcsan "see above"

stage "regression: the same vectors as on the base kernel, and interrupts"
vectors "$obj/leaks.log" > "$work/series.vectors"
printf '  %-22s %-11s %-5s %8s %8s %11s %11s\n' device driver mode vectors "" interrupts ""
printf '  %-22s %-11s %-5s %8s %8s %11s %11s\n' "" "" "" base series base series
while read -r _ _ id drv mode n; do
	sn=$(awk -v id="$id" -v d="$drv" '$3 == id && $4 == d { print $6 }' "$work/series.vectors")
	printf '  %-22s %-11s %-5s %8s %8s %11s %11s\n' "$id" "$drv" "$mode" "$n" "${sn:--}" \
		"$(interrupts "$work/base-boot.log" "$drv")" "$(interrupts "$obj/leaks.log" "$drv")"
done < "$work/base.vectors"
reg_bad=0
if ! diff -u "$work/base.vectors" "$work/series.vectors"; then
	fail vectors "the vectors differ from the base kernel's"
	reg_bad=1
fi
for d in "nvme msix" "ahci msi" "virtio-pci msix" "e1000e msix"; do
	if ! grep -q " $d " "$work/series.vectors"; then
		fail vectors "no ${d% *} device with ${d#* } vectors"
		reg_bad=1
	fi
done
for d in nvme virtio-pci e1000e; do
	for log in "$work/base-boot.log" "$obj/leaks.log"; do
		if [ "$(interrupts "$log" "$d")" -eq 0 ]; then
			fail interrupts "$d took no interrupts in $log"
			reg_bad=1
		fi
	done
done
[ $reg_bad -eq 0 ] && echo "check: same vectors as on the base kernel, and all took interrupts"

finish
