#!/bin/bash
# Stage examples: the example drivers of msi-tables.rst are files under
# samples/msi/ which the document pulls in with literalinclude. The
# stage modules built them (CONFIG_SAMPLE_MSI_EXAMPLES=m) with W=1,
# modpost and its check for new warnings, and patch-builds with sparse;
# here every file the document includes must have been built. make
# bench's module, which is not part of the series, builds as an
# external module against the same configuration, W=1 C=1, without a
# warning, so that a change of the series' API cannot break it
# unnoticed.
. "$top/scripts/check/lib.sh"
needs modules
at_tip

bad=0
rst=$tree/Documentation/core-api/msi-tables.rst
if [ ! -e "$rst" ]; then
	say "the series has no msi-tables.rst (yet): no example drivers to check"
else
	files=$(sed -n 's|^\.\. literalinclude:: \.\./\.\./\(samples/.*\.c\)$|\1|p' "$rst" | sort -u)
	if [ -z "$files" ]; then
		say "msi-tables.rst includes no sample file"
		bad=1
	fi
	for f in $files; do
		if [ ! -e "$tree/$f" ]; then
			say "msi-tables.rst includes $f, which the series does not have"
			bad=1
		elif [ ! -e "$mod/${f%.c}.o" ]; then
			say "$f, which msi-tables.rst includes, was not built in the modules configuration"
			bad=1
		fi
	done
	[ $bad -eq 0 ] && say "the files msi-tables.rst includes were built: ${files//$'\n'/ }"
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
