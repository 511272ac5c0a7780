#!/bin/bash
# Stage htmldocs: make htmldocs of the books the series' documentation
# and kernel-doc are in (core-api, PCI, fault-injection) at the tip
# warns of nothing in a file the series changes, and builds
# core-api/msi-tables.html where the series has it. The base's own
# warnings are left alone: a warning names the file it comes from, the
# .rst or the source file whose kernel-doc it reads, so the series'
# files are where a warning of the series shows.
. "$top/scripts/check/lib.sh"
needs apply
at_tip

tip=$(cat "$work/tip")
if ! make -C "$tree" O="$work/docs-tip" SPHINXDIRS="core-api PCI fault-injection" htmldocs \
	> "$work/docs.tip.log" 2>&1; then
	tail -n 20 "$work/docs.tip.log"
	say "the documentation does not build"
	exit 1
fi
if ! git -C "$tree" diff --name-only base "$tip" > "$work/docs.series-files" ||
	[ ! -s "$work/docs.series-files" ]; then
	say "cannot list the series' files"
	exit 1
fi
# A toctree entry which names a document of another book (a path with a
# slash: 'RCU/index' in core-api's index) is missing from a build of
# some books only; the series' index entries name documents of the book
grep -a -i -E 'warning|error' "$work/docs.tip.log" | sed "s|$tree/||g" |
	grep -v -E "toctree contains reference to nonexisting document '[^']*/[^']*'" |
	grep -F -f "$work/docs.series-files" > "$work/docs.new"
if [ -s "$work/docs.new" ]; then
	cat "$work/docs.new"
	say "warnings in the series' files in the documentation build"
	exit 1
fi
if [ ! -e "$tree/Documentation/core-api/msi-tables.rst" ]; then
	echo "htmldocs: the series has no core-api/msi-tables.rst (yet)"
elif [ ! -f "$work/docs-tip/Documentation/output/core-api/msi-tables.html" ]; then
	say "core-api/msi-tables.html was not built"
	exit 1
fi
say "the books build without warnings in the series' files ($(grep -a -c -i -E 'warning|error' "$work/docs.tip.log") in others)"
