#!/bin/bash
# Build the kernel work tree: the base tarball (scripts/base.sh) as one
# base commit, then the series applied with git am from one mailbox, one
# commit per patch.
#
# usage: mktree.sh DIR [SERIES_DIR]
#   DIR        the kernel tree to create (must not exist)
#   SERIES_DIR the patches to apply (default: series/ of this repository)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/base.sh
. "$top/scripts/base.sh"
dir=$1
series=${2:-$top/series}

[ -e "$dir" ] && { echo "mktree: $dir exists" >&2; exit 1; }
[ -f "$base_tarball" ] || { echo "mktree: $base_tarball missing (make deps)" >&2; exit 1; }

tmp=$dir.unpack
rm -rf "$tmp"
mkdir -p "$tmp"
tar -C "$tmp" -xf "$base_tarball"
mv "$tmp/$base_topdir" "$dir"
rmdir "$tmp"

cd "$dir"
# Debian's .gitignore ends with a block ignoring every top-level path,
# which would make 'git add' silently add nothing.
sed -i '/^# Debian packaging: ignore everything/,$d' .gitignore
sed -i '${/^#$/d}' .gitignore
git init -q -b main
git config core.autocrlf false
git config gc.auto 0
# The tree's own identity, for the fixup commits made in it by hand
git config user.name "$project_name"
git config user.email "$project_email"
git add -A
# A fixed identity and date make the base commit's id the same on every
# machine, so the series' base-commit trailer does not change.
GIT_AUTHOR_NAME="Debian $base_package" GIT_AUTHOR_EMAIL=linux-source@packages.debian.org \
GIT_COMMITTER_NAME="Debian $base_package" GIT_COMMITTER_EMAIL=linux-source@packages.debian.org \
GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z \
	git commit -q -m "Linux $(make -s kernelversion) (Debian $base_package)"
git tag base

shopt -s nullglob
patches=()
for p in "$series"/*.patch; do
	case $(basename "$p") in 0000-*) continue ;; esac
	patches+=("$p")
done
# One mailbox of the patches, as a maintainer's tools make it from the
# list (b4 am), applied with git am
if [ ${#patches[@]} -gt 0 ]; then
	cat "${patches[@]}" > .git/series.mbox
	git am -q --keep-cr .git/series.mbox
fi
# The cover letter's subject and text become the branch description, which
# export.sh feeds back to git format-patch --cover-from-description.
cover=$series/0000-cover-letter.patch
if [ -f "$cover" ]; then
	python3 "$top/scripts/cover.py" read "$cover" > .git/cover-description
	git config branch.main.description "$(cat .git/cover-description)"
fi
echo "mktree: $dir at $(git describe --always --tags) with ${#patches[@]} patches"
