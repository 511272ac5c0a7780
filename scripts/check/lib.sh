# shellcheck shell=bash
# Sourced by check.sh and by every stage of make check. A stage is a
# script of its own, run by check.sh with these in its environment:
#   top    this repository      work   build/check
#   tree   the kernel tree      jobs   make's -j
#   obj    the x86_64 test kernel's objects, arm the arm64 objects,
#   mod    the modules configuration's objects, kcsan the KCSAN kernel's
# A stage passes when it exits 0. Its result is kept in
# $work/stages/NAME, so that a later stage can say what it needs.
set -uo pipefail

# shellcheck source=scripts/base.sh
. "$top/scripts/base.sh"

say() { echo "check: $*"; }

# needs STAGE...: end this stage, failed, unless every STAGE passed
needs() {
	local s
	for s; do
		if [ "$(cat "$work/stages/$s" 2>/dev/null)" != passed ]; then
			say "FAILED: needs stage $s, which did not pass"
			exit 1
		fi
	done
}

# at REV: check out REV in the kernel tree
at() { git -C "$tree" checkout -q "$1"; }
# at_tip: check out the series' tip, for the stages which test it (the
# tree is at the base after base-build, whatever came after it)
at_tip() {
	at "$(cat "$work/tip")" || { say "FAILED: cannot check out the tip"; exit 1; }
}
