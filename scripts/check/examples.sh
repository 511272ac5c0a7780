#!/bin/bash
# Stage examples: the example drivers of msi-tables.rst (extracted by
# scripts/docexamples.py) and make bench's module build as external
# modules against the modules configuration, W=1 C=1, without a
# warning; modpost fails them if they use a symbol that is not
# exported. make bench's module is not part of the series: it is built
# here so that a change of the series' API cannot break it unnoticed.
. "$top/scripts/check/lib.sh"
needs modules
at_tip

bad=0
ex=$work/examples
rst=$tree/Documentation/core-api/msi-tables.rst
rm -rf "$ex"
if [ ! -e "$rst" ]; then
	say "the series has no msi-tables.rst (yet): no example drivers to build"
elif ! names=$("$top/scripts/docexamples.py" "$rst" "$ex"); then
	say "no examples found"
	bad=1
elif ! make -C "$tree" ARCH=x86_64 O="$mod" M="$ex" W=1 C=1 modules > "$work/examples.log" 2>&1 ||
	grep -a -E 'warning|error|WARNING|ERROR' "$work/examples.log"; then
	say "the examples do not build clean, see $work/examples.log"
	bad=1
else
	say "the examples build clean: $names"
fi

bm=$work/bench-module
rm -rf "$bm"
mkdir -p "$bm"
cp "$top"/bench/{Kbuild,*.c,*.h} "$bm/"
if ! make -C "$tree" ARCH=x86_64 O="$mod" M="$bm" W=1 C=1 modules > "$work/bench-module.log" 2>&1 ||
	grep -a -E 'warning|error|WARNING|ERROR' "$work/bench-module.log"; then
	say "make bench's module does not build clean, see $work/bench-module.log"
	bad=1
else
	say "bench/msi_table_bench.c builds clean"
fi
exit $bad
