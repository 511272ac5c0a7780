#!/bin/bash
# Stage patch-builds: each patch builds on its own, x86_64 and arm64,
# W=1 and sparse on the series' .c files, with no warning the base
# build does not have. A patch that changes only files no build reads
# (Documentation/, MAINTAINERS) is not built again. Patches before the
# tip build every object and link them into vmlinux.o, which leaves no
# symbol undefined that the base's does not (as the link of vmlinux
# would fail); the tip is linked and makes the bzImage the kunit stage
# boots. Linking vmlinux three times for kallsyms took a third of each
# patch's build.
. "$top/scripts/check/lib.sh"
. "$top/scripts/check/build-lib.sh"
needs base-build
trap 'at "$(cat "$work/tip")"' EXIT

tip=$(cat "$work/tip")
bad=0 n=0
for c in $(git -C "$tree" rev-list --reverse base.."$tip"); do
	n=$((n + 1))
	subject=$(git -C "$tree" log -1 --format=%s "$c")
	read_by_build=$(git -C "$tree" diff --name-only "$c^" "$c" |
		grep -v -E '^(Documentation/|MAINTAINERS$)')
	if [ "$c" != "$tip" ] && [ -z "$read_by_build" ]; then
		say "patch $n changes no file the build reads: $subject"
		continue
	fi
	# vmlinux_o makes vmlinux.o (the target vmlinux.o is also a
	# single-object target, which make warns about)
	target=vmlinux_o
	[ "$c" = "$tip" ] && target=all
	if ! build_at "$c" "patch$n" "$target"; then
		grep -a -E 'error|Error' "$work/patch$n.x86_64.log" "$work/patch$n.arm64.log" | head -n 20
		say "patch $n ($subject) does not build"
		bad=1
		continue
	fi
	undefined_at "patch$n"
	if comm -23 "$work/patch$n.undefined" "$work/base.undefined" | grep .; then
		say "patch $n ($subject) leaves these symbols undefined: vmlinux does not link"
		bad=1
		continue
	fi
	new=0
	for a in x86_64 arm64; do
		"$top/scripts/buildwarn.py" new "$tree" "$work/patch$n.$a.log" \
			"$work/base.$a.keys" || new=1
	done
	if [ $new -ne 0 ]; then
		say "patch $n ($subject) adds warnings"
		bad=1
	else
		say "patch $n builds clean: $subject"
	fi
done
exit $bad
