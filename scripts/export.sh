#!/bin/bash
# Export the kernel tree's series: git format-patch of base..HEAD with the
# cover letter into series/, and the files the series creates, plus the
# MAINTAINERS change, as top-level copies.
#
# usage: export.sh [TREE [DEST]]
#   TREE  the kernel tree (default: build/linux)
#   DEST  where series/ and the copies go (default: this repository)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/base.sh
. "$top/scripts/base.sh"
tree=$(cd "${1:-$top/build/linux}" && pwd)
dest=${2:-$top}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# The directories which hold nothing but exported copies
roots=(kernel include drivers lib Documentation samples)

cd "$tree"
if ! git config branch.main.description > /dev/null; then
	echo "export: no cover letter text; set it with 'git config branch.main.description'" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The text comes from branch main's description, also when HEAD is
# detached, as it is while the series is rebased
git format-patch -q --cover-letter --cover-from-description=subject \
	--zero-commit --no-signature --base=base -o "$tmp" base..HEAD
git config branch.main.description |
	python3 "$top/scripts/cover.py" fill "$tmp/0000-cover-letter.patch"
python3 "$top/scripts/cover.py" setdate "$tmp/0000-cover-letter.patch" \
	"$(git log -1 --format=%aD HEAD)"

mkdir -p "$dest/series"
rm -f "$dest"/series/*.patch
mv "$tmp"/*.patch "$dest/series/"

for r in "${roots[@]}"; do
	rm -rf "${dest:?}/$r"
done
git diff --name-only --diff-filter=A base HEAD | while read -r f; do
	case $f in
	kernel/*|include/*|drivers/*|lib/*|Documentation/*|samples/*) ;;
	*) echo "export: $f is outside the exported directories" >&2; exit 1 ;;
	esac
	mkdir -p "$dest/$(dirname "$f")"
	git show "HEAD:$f" > "$dest/$f"
done

rm -f "$dest/MAINTAINERS.patch"
if ! git diff --quiet base HEAD -- MAINTAINERS; then
	git diff base HEAD -- MAINTAINERS > "$dest/MAINTAINERS.patch"
fi
echo "export: $(ls "$dest"/series/*.patch | wc -l) files in $dest/series"
