#!/bin/bash
# Stage modules: the drivers the series converts (IDXD, NTB), the sample
# drivers and the KUnit tests inside them build at the tip as modules of
# a small x86_64 configuration (tinyconfig with modules.config merged
# on), W=1; modpost fails the build if a module uses a symbol that is
# not exported. Sparse has seen the same files in patch-builds. A
# warning in a file the series changes fails the stage unless the base's
# test kernel, which builds the same files in, has it too: patch-builds
# compares everything else, so the base is not built a second time
# here. The stage examples builds against it.
. "$top/scripts/check/lib.sh"
needs base-build
at_tip

mkdir -p "$mod"
if ! {
	make -s -C "$tree" ARCH=x86_64 O="$mod" tinyconfig &&
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$mod" "$mod/.config" \
		"$top/scripts/check/modules.config" &&
	make -s -C "$tree" ARCH=x86_64 O="$mod" olddefconfig
} > "$work/modules.config.log" 2>&1; then
	tail -n 20 "$work/modules.config.log"
	say "the modules configuration cannot be made"
	exit 1
fi
# vmlinux.o and not vmlinux: modpost reads the kernel's exports from
# vmlinux.o, and nothing boots this kernel
if ! make -C "$tree" ARCH=x86_64 O="$mod" W=1 -j"$jobs" vmlinux_o modules \
	> "$work/modules.log" 2>&1; then
	grep -a -E 'error|ERROR' "$work/modules.log" | head -n 20
	say "the modules do not build, or use symbols that are not exported"
	exit 1
fi
bad=0
# the series' files and their objects, and the modules built: a compiler
# or sparse warning names the file, one of modpost an object or a module
{
	git -C "$tree" diff --name-only base "$(cat "$work/tip")" |
		sed -e 'p' -e 's/\.c$/.o/'
	sed 's/\.ko$/.o/' "$mod/modules.order"
} | sort -u > "$work/series.files"
if ! "$top/scripts/buildwarn.py" keys "$tree" "$work/modules.log" > "$work/modules.keys"; then
	say "cannot read the warnings of the modules build"
	exit 1
fi
grep -F -f "$work/series.files" "$work/modules.keys" |
	grep -v -x -F -f "$work/base.x86_64.keys" > "$work/modules.new"
if [ -s "$work/modules.new" ]; then
	cat "$work/modules.new"
	say "new warnings in the series' files in the modules configuration"
	bad=1
fi
# Each module of modules.config whose option the tip has
built=()
for m in INTEL_IDXD:drivers/dma/idxd/idxd.ko NTB:drivers/ntb/ntb.ko \
	 SAMPLE_MSI_EDU:samples/msi/edu-ims.ko \
	 SAMPLE_MSI_EXAMPLES:samples/msi/ims_array_example.ko; do
	if ! grep -q -E "^(menu)?config ${m%%:*}\$" -r "$tree" --include='Kconfig*'; then
		echo "modules: the tip has no ${m%%:*}: ${m#*:} is not built"
		continue
	fi
	if [ -f "$mod/${m#*:}" ]; then
		built+=("${m#*:}")
	else
		say "${m#*:} was not built"
		bad=1
	fi
done
[ $bad -eq 0 ] && say "built as modules without new warnings, every symbol exported: ${built[*]}"
exit $bad
