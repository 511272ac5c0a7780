#!/bin/bash
# The test kernel's kunitconfig: the tree's kernel/irq/.kunitconfig and
# Kconfig.fragment, each option once. With "kcsan", the KCSAN kernel's:
# Kconfig.kcsan's options in place of those.
# usage: kunitconfig.sh TREE OUTPUT [kcsan]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
files=("$1/kernel/irq/.kunitconfig" "$top/Kconfig.fragment")
[ "${3:-}" = kcsan ] && files+=("$top/Kconfig.kcsan")
# The last line of an option wins, in the place of its first
cat "${files[@]}" | awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { name = $0; sub(/=.*/, "", name) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { name = $2 }
	!/^CONFIG_|^# CONFIG_[A-Za-z0-9_]+ is not set/ { next }
	!(name in line) { order[n++] = name }
	{ line[name] = $0 }
	END { for (i = 0; i < n; i++) print line[order[i]] }' > "$2"
