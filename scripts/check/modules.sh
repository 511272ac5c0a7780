#!/bin/bash
# Stage modules: the drivers the series converts (IDXD, NTB), the sample
# driver and the KUnit tests inside them build as modules of a small
# x86_64 configuration (tinyconfig with modules.config merged on), W=1
# C=1, with no warning the base's build of that configuration does not
# have; modpost fails the build if a module uses a symbol that is not
# exported. The stage examples builds against it.
. "$top/scripts/check/lib.sh"
needs apply
trap 'at "$(cat "$work/tip")"' EXIT

# build_at REV NAME: the configuration and the build at REV
build_at() {
	at "$1"
	mkdir -p "$mod"
	{
		make -s -C "$tree" ARCH=x86_64 O="$mod" tinyconfig &&
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$mod" "$mod/.config" \
			"$top/scripts/check/modules.config" &&
		make -s -C "$tree" ARCH=x86_64 O="$mod" olddefconfig
	} > "$work/modules.$2.config.log" 2>&1 &&
	make -C "$tree" ARCH=x86_64 O="$mod" W=1 C=1 -j"$jobs" > "$work/modules.$2.log" 2>&1
}

if ! build_at base base; then
	tail -n 20 "$work/modules.base.log"
	say "the modules configuration does not build at the base"
	exit 1
fi
"$top/scripts/buildwarn.py" keys "$tree" "$work/modules.base.log" > "$work/modules.base.keys"
if ! build_at "$(cat "$work/tip")" tip; then
	grep -a -E 'error|ERROR' "$work/modules.tip.log" | head -n 20
	say "the modules do not build, or use symbols that are not exported"
	exit 1
fi
bad=0
"$top/scripts/buildwarn.py" new "$tree" "$work/modules.tip.log" "$work/modules.base.keys" ||
	{ say "new warnings in the modules configuration's build"; bad=1; }
for m in drivers/dma/idxd/idxd.ko drivers/ntb/ntb.ko samples/msi/edu-ims.ko; do
	[ -f "$mod/$m" ] || { say "$m was not built"; bad=1; }
done
[ $bad -eq 0 ] && say "IDXD, NTB and the sample build as modules without new warnings; modpost finds every symbol exported"
exit $bad
