#!/bin/bash
# Stage copies: series/ and the top-level copies of the files the series
# creates are exactly what make export makes of the applied series, and
# the README and the cover letter name the base of scripts/base.sh.
. "$top/scripts/check/lib.sh"
needs apply

exp=$work/export
"$top/scripts/export.sh" "$tree" "$exp" > /dev/null || exit 1
stale=0
diff -r "$top/series" "$exp/series" > "$work/stale.diff" || stale=1
for f in $(git -C "$tree" diff --name-only --diff-filter=A base HEAD) MAINTAINERS.patch; do
	[ -e "$top/$f" ] || [ -e "$exp/$f" ] || continue
	cmp -s "$top/$f" "$exp/$f" || { echo "stale: $f"; stale=1; }
done
for r in kernel include drivers lib Documentation samples; do
	[ -d "$top/$r" ] || continue
	while read -r f; do
		[ -e "$exp/$f" ] || { echo "stale: $f is no longer created by the series"; stale=1; }
	done < <(cd "$top" && find "$r" -type f)
done
if grep -q -F -e '*** SUBJECT HERE ***' -e '*** BLURB HERE ***' "$top/series/0000-cover-letter.patch"; then
	echo "stale: the cover letter has git's placeholders, not its text"
	stale=1
fi
# The README names the base of scripts/base.sh, which the cover letter
# states as well
for f in README.md series/0000-cover-letter.patch; do
	if ! grep -q -F "$base_package" "$top/$f" || ! grep -q -F "$base_version" "$top/$f"; then
		echo "stale: $f does not name the base, $base_package $base_version"
		stale=1
	fi
done
if [ $stale -ne 0 ]; then
	head -n 40 "$work/stale.diff"
	say "run 'make export' and commit series/ and the copies"
	exit 1
fi
say "series/ and the copies match the series"
