#!/bin/bash
# Stage callers: msi_get_virq() takes a table; no caller passes a device.
. "$top/scripts/check/lib.sh"
needs apply

if git -C "$tree" grep -n -E 'msi_get_virq\((&|dev\b|[a-z_>.-]*dev[,)])' -- '*.c' '*.h'; then
	say "msi_get_virq() takes a table"
	exit 1
fi
say "all msi_get_virq() callers pass a table"
