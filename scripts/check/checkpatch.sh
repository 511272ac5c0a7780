#!/bin/bash
# Stage checkpatch: checkpatch.pl --strict reports nothing on any patch
# but the message types of checkpatch.exceptions.
. "$top/scripts/check/lib.sh"
needs apply

ignore=$(grep -v '^#' "$top/checkpatch.exceptions" | cut -f1 | paste -sd, -)
bad=0
for p in "$top"/series/0*.patch; do
	case $(basename "$p") in 0000-*) continue ;; esac
	# Debian's python3, which has the modules of the SPDX check
	out=$(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse \
		--no-summary --ignore "$ignore" "$p")
	if [ -n "$out" ]; then
		echo "$(basename "$p"):"
		echo "$out"
		bad=1
	fi
done
[ $bad -eq 0 ] && say "checkpatch clean"
exit $bad
