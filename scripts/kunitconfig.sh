#!/bin/bash
# The test kernel's kunitconfig: the tree's kernel/irq/.kunitconfig and
# Kconfig.fragment, each option once.
# usage: kunitconfig.sh TREE OUTPUT
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cat "$1/kernel/irq/.kunitconfig" "$top/Kconfig.fragment" | awk '!seen[$0]++' > "$2"
