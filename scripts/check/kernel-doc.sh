#!/bin/bash
# Stage kernel-doc: scripts/kernel-doc -none warns on no new or changed
# file where it did not warn at the base.
. "$top/scripts/check/lib.sh"
needs apply
at_tip

bad=0
for f in $(git -C "$tree" diff --name-only --diff-filter=AM base "$(cat "$work/tip")" -- '*.c' '*.h'); do
	new=$(cd "$tree" && ./scripts/kernel-doc -none "$f" 2>&1 | sed -E 's/:[0-9]+:/:/')
	old=
	if git -C "$tree" cat-file -e "base:$f" 2>/dev/null; then
		git -C "$tree" show "base:$f" > "$work/kdoc.old"
		old=$(cd "$tree" && ./scripts/kernel-doc -none "$work/kdoc.old" 2>&1 |
			sed -E "s|$work/kdoc.old|$f|; s/:[0-9]+:/:/")
	fi
	added=$(comm -23 <(sort -u <<<"$new") <(sort -u <<<"$old") | sed '/^$/d')
	[ -n "$added" ] && { echo "$added"; bad=1; }
done
[ $bad -eq 0 ] && say "kernel-doc clean"
exit $bad
