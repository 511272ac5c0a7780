#!/bin/bash
# The checker (make's CHECK=) of the builds of base-build and
# patch-builds: sparse on the .c files the series changes, in the base
# as in every patch, and nothing on the others. Sparse took a third of
# each build and ran mostly on files a changed header made rebuild,
# which the series does not touch; the headers' inline functions and
# macros are checked in the series' own .c files, which include them.
# kbuild calls it as sparse, with the source file last.
# $tree and $work come from make check; $work/series.c is written by
# build-lib.sh.
set -u

# Without the list sparse would check nothing, and the build would not
# show it: fail the build instead
if [ ! -s "$work/series.c" ]; then
	echo "sparse-series: $work/series.c is missing or empty" >&2
	exit 1
fi
src=$(realpath -m "${!#}")
rel=${src#"$(realpath -m "$tree")"/}
if grep -q -x -F -e "$rel" "$work/series.c"; then
	exec sparse "$@"
fi
