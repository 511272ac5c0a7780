# shellcheck shell=bash
# Sourced by the stages base-build and patch-builds: how one revision of
# the tree is built, W=1, for x86_64 (the test kernel) and arm64 (the
# objects of the series' .c files), with sparse on the .c files the
# series changes (sparse-series.sh).

# The test kernel's configuration, as kunit.py makes it: the tip's
# kunitconfig (apply saved it) and the QEMU x86_64 console options, made
# whole by olddefconfig. Every revision is built with the tip's options
# (olddefconfig drops those it does not have yet), so that the builds
# differ by the patches only.
# A configuration which comes out the same keeps its time: a newer
# .config makes the build sync include/config/ again. olddefconfig takes
# seconds. Within one make check its input and the tools are the same for
# every revision, so its result changes only with what the tree gives it:
# the Kconfig files, the scripts their macros run, and the Makefiles which
# set the tools. A revision which changes none of these since the last
# one configured, whose .config nothing else rewrote since, keeps that
# configuration without running it.
write_config() {
	local prev=$obj/.config.prev stamp=$obj/.config.stamp rev
	rev=$(git -C "$tree" rev-parse HEAD) || return 1
	if [ -f "$obj/.config" ] && [ -f "$stamp" ] &&
		[ "$(sed -n 2p "$stamp")" = "$(sha1sum < "$obj/.config")" ] &&
		git -C "$tree" diff --quiet "$(sed -n 1p "$stamp")" "$rev" -- \
			':(glob)**/Kconfig*' scripts/ Makefile 'arch/x86/Makefile*'; then
		return 0
	fi
	rm -f "$stamp" "$prev"
	[ -f "$obj/.config" ] && cp -p "$obj/.config" "$prev"
	{
		cat "$work/tip.kunitconfig"
		echo CONFIG_SERIAL_8250=y
		echo CONFIG_SERIAL_8250_CONSOLE=y
	} > "$obj/.config"
	make -s -C "$tree" ARCH=x86_64 O="$obj" olddefconfig || return 1
	if [ -f "$prev" ] && cmp -s "$prev" "$obj/.config"; then
		touch -r "$prev" "$obj/.config"
	fi
	printf '%s\n%s\n' "$rev" "$(sha1sum < "$obj/.config")" > "$stamp"
}

# arm64: the objects of every .c file the series touches (which are
# objects of their own: some .c files are #included by others), as the
# tip's Makefiles have them, whichever revision is checked out
tip=$(cat "$work/tip")
git -C "$tree" diff --name-only base "$tip" -- '*.c' > "$work/series.c"
arm_objs=()
for f in $(git -C "$tree" diff --name-only base "$tip" -- '*.c'); do
	o=$(basename "${f%.c}.o")
	case $f in
	*_test.c) continue ;;	# built in the test kernel only
	arch/arm64/*) ;;
	arch/*) continue ;;	# another architecture's code
	drivers/dma/idxd/*) continue ;;	# INTEL_IDXD depends on X86_64
	drivers/iommu/intel/*) continue ;;	# INTEL_IOMMU depends on X86
	drivers/iommu/amd/*) continue ;;	# AMD_IOMMU depends on X86_64
	# PCI_MSI_ARCH_FALLBACKS: architectures without MSI domains only
	drivers/pci/msi/legacy.c) continue ;;
	esac
	mk=$(git -C "$tree" show "$tip:$(dirname "$f")/Makefile")
	grep -q -w -F "$o" <<< "$mk" && arm_objs+=("${f%.c}.o")
done
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
sparse=(C=1 CHECK="$top/scripts/check/sparse-series.sh")

# undefined_at NAME: the symbols vmlinux.o leaves to the final link, in
# $work/NAME.undefined. A symbol which is in no object of the kernel is
# one the linker script does not provide either: the link would fail.
undefined_at() {
	nm -u "$obj/vmlinux.o" | awk '{ print $NF }' | sort -u > "$work/$1.undefined"
}

# build_at REV NAME [TARGET]: build REV (x86_64: TARGET, default all),
# logs in $work/NAME.{x86_64,arm64}.log. The two builds run side by
# side: each spends much of a small patch's build walking the tree and
# linking, on one CPU.
build_at() {
	local rev=$1 name=$2 target=${3:-all} status=0 objs=() o x86
	at "$rev" || return 1
	write_config || return 1
	make -C "$tree" O="$obj" ARCH=x86_64 W=1 "${sparse[@]}" -j"$jobs" "$target" \
		> "$work/$name.x86_64.log" 2>&1 &
	x86=$!
	for o in "${arm_objs[@]}"; do
		[ -e "$tree/${o%.o}.c" ] && objs+=("$o")
	done
	make -C "$tree" O="$arm" "${cross[@]}" W=1 "${sparse[@]}" -j"$jobs" "${objs[@]}" \
		> "$work/$name.arm64.log" 2>&1 || status=1
	wait "$x86" || status=1
	return $status
}
