#!/bin/bash
# Stage base-build: the base, built as every patch is built after it:
# the x86_64 test kernel and the arm64 objects, W=1, with sparse on the
# .c files the series changes (build-lib.sh). Its warnings are the
# baseline of patch-builds, and its kernel boots in base-boot.
# The tree stays at the base: patch-builds goes on from there, as a
# checkout of the tip in between would make every file the series
# changes newer than its object, and the first patch would rebuild them.
. "$top/scripts/check/lib.sh"
. "$top/scripts/check/build-lib.sh"
needs apply

mkdir -p "$obj" "$arm"
make -s -C "$tree" O="$arm" "${cross[@]}" defconfig
# Code the series changes which arm64's defconfig does not build: NTB/msi,
# the CDX bus, whose VFIO driver calls msi_get_virq(), and failslab
printf '%s\n' CONFIG_NTB=y CONFIG_NTB_MSI=y CONFIG_CDX_BUS=y CONFIG_VFIO_CDX=y \
	CONFIG_FAULT_INJECTION=y CONFIG_FAILSLAB=y >> "$arm/.config"
make -s -C "$tree" O="$arm" "${cross[@]}" olddefconfig
if ! build_at base base; then
	tail -n 30 "$work/base.x86_64.log" "$work/base.arm64.log"
	say "the base does not build"
	exit 1
fi
undefined_at base
for a in x86_64 arm64; do
	"$top/scripts/buildwarn.py" keys "$tree" "$work/base.$a.log" > "$work/base.$a.keys"
done
say "base builds ($(wc -l < "$work/base.x86_64.keys") x86_64 and $(wc -l < "$work/base.arm64.keys") arm64 warnings to compare against)"
