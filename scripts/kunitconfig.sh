#!/bin/bash
# The test kernel's kunitconfig: the tree's kernel/irq/.kunitconfig with
# Kconfig.fragment merged onto it by the kernel's merge_config.sh (a later
# value of an option wins). With "kcsan", the KCSAN kernel's:
# Kconfig.kcsan's options merged on top.
# usage: kunitconfig.sh TREE OUTPUT [kcsan]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$1 out=$2
files=("$tree/kernel/irq/.kunitconfig" "$top/Kconfig.fragment")
# merge_config.sh would create a missing first file
[ -f "${files[0]}" ] || { echo "kunitconfig: ${files[0]} missing" >&2; exit 1; }
[ "${3:-}" = kcsan ] && files+=("$top/Kconfig.kcsan")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tree/scripts/kconfig/merge_config.sh" -m -O "$tmp" "${files[@]}" > "$tmp/merge.log" ||
	{ cat "$tmp/merge.log"; exit 1; }
mv "$tmp/.config" "$out"
