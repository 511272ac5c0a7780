#!/bin/bash
# Stage htmldocs: make SPHINXDIRS=core-api htmldocs warns of nothing the
# base's build does not warn of, whichever file it comes from, and builds
# core-api/msi-tables.html where the series has it.
. "$top/scripts/check/lib.sh"
needs apply

tip=$(cat "$work/tip")
trap 'at "$tip"' EXIT
docs_at() {
	at "$1"
	make -C "$tree" O="$work/docs-$2" SPHINXDIRS=core-api htmldocs \
		> "$work/docs.$2.log" 2>&1
}
doc_warnings() {
	grep -a -i -E 'warning|error' "$1" | sed -E "s|$tree/||g; s/:[0-9]+:/:/" | sort -u
}
if ! docs_at base base; then
	tail -n 20 "$work/docs.base.log"
	say "the base's documentation does not build"
	exit 1
fi
if ! docs_at "$tip" tip; then
	tail -n 20 "$work/docs.tip.log"
	say "the documentation does not build"
	exit 1
fi
comm -13 <(doc_warnings "$work/docs.base.log") <(doc_warnings "$work/docs.tip.log") \
	> "$work/docs.new"
if [ -s "$work/docs.new" ]; then
	cat "$work/docs.new"
	say "new warnings in the documentation build"
	exit 1
fi
if [ ! -e "$tree/Documentation/core-api/msi-tables.rst" ]; then
	echo "htmldocs: the series has no core-api/msi-tables.rst (yet)"
elif [ ! -f "$work/docs-tip/Documentation/output/core-api/msi-tables.html" ]; then
	say "core-api/msi-tables.html was not built"
	exit 1
fi
say "core-api builds without new warnings ($(doc_warnings "$work/docs.base.log" | wc -l) at the base)"
