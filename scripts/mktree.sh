#!/bin/bash
# Build the kernel work tree: Debian's linux-source-6.1 as one base commit,
# then the series applied with git am from one mailbox, one commit per
# patch.
#
# usage: mktree.sh DIR [SERIES_DIR]
#   DIR        the kernel tree to create (must not exist)
#   SERIES_DIR the patches to apply (default: series/ of this repository)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
series=${2:-$top/series}
tarball=/usr/src/linux-source-6.1.tar.xz

# A fixed identity and date make the base commit's id the same on every
# machine, so the series' base-commit trailer does not change.
export GIT_AUTHOR_NAME="Debian linux-source-6.1"
export GIT_AUTHOR_EMAIL="linux-source@packages.debian.org"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z"
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE

[ -e "$dir" ] && { echo "mktree: $dir exists" >&2; exit 1; }
[ -f "$tarball" ] || { echo "mktree: $tarball missing (make deps)" >&2; exit 1; }

tmp=$dir.unpack
rm -rf "$tmp"
mkdir -p "$tmp"
tar -C "$tmp" -xf "$tarball"
mv "$tmp/linux-source-6.1" "$dir"
rmdir "$tmp"

cd "$dir"
# Debian's .gitignore ends with a block ignoring every top-level path,
# which would make 'git add' silently add nothing.
sed -i '/^# Debian packaging: ignore everything/,$d' .gitignore
sed -i '${/^#$/d}' .gitignore
git init -q -b main
git config core.autocrlf false
git config gc.auto 0
git add -A
git commit -q -m "Linux $(make -s kernelversion) (Debian linux-source-6.1)"
git tag base

top_author=$(git -C "$top" config user.name || true)
top_email=$(git -C "$top" config user.email || true)
[ -n "$top_author" ] && git config user.name "$top_author"
[ -n "$top_email" ] && git config user.email "$top_email"

unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE
unset GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE

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
