#!/bin/bash
# Stage apply: the kernel tree of make check, the base plus series/ as
# one mailbox (scripts/mktree.sh), as a maintainer applies it. Keeps
# the tip's commit ($work/tip) and the test kernel's kunitconfig at the
# tip ($work/tip.kunitconfig), which configures every build.
. "$top/scripts/check/lib.sh"

"$top/scripts/mktree.sh" "$tree" || { say "the series does not apply"; exit 1; }
git -C "$tree" rev-parse HEAD > "$work/tip"
"$top/scripts/kunitconfig.sh" "$tree" "$work/tip.kunitconfig"
