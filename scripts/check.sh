#!/bin/bash
# make check, the test command: every stage of scripts/check/ in turn,
# on the series applied to a fresh base in build/check. A stage that
# fails counts as one failure; the KUnit stages add KUnit's counts.
#
# Ends with "N passed, M failed"; exits non-zero if anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/base.sh
. "$top/scripts/base.sh"
work=$top/build/check
export top work
export tree=$work/linux obj=$work/x86_64 arm=$work/arm64 \
	mod=$work/modules kcsan=$work/kcsan jobs=$(($(nproc) + 1))
# shellcheck source=scripts/check/lib.sh
. "$top/scripts/check/lib.sh"

# name: what it checks (in the order they run). A stage marked "&" runs
# beside the stage after it, and check.sh waits for both: checkpatch
# (one CPU) takes what sphinx's parallel build leaves idle, and neither
# changes what the other reads (the tree stays at the tip).
stages=(
	"apply: series/ applies to a fresh base with git am of one mailbox"
	"copies: series/ and the top-level copies are what make export makes"
	"callers: no caller passes a device to msi_get_virq()"
	"kernel-doc: kernel-doc on new and changed files"
	"&checkpatch: checkpatch.pl --strict on every patch"
	"htmldocs: make htmldocs of core-api, PCI and fault-injection"
	"get-maintainer: get_maintainer.pl on every patch"
	"base-build: the base's test kernel and arm64 objects, W=1, sparse on the series' files"
	"base-boot: the base kernel's vectors of the PCI devices"
	"patch-builds: every patch builds on its own without new warnings"
	"modules: IDXD, NTB and, where the series has it, the sample as modules, modpost"
	"examples: the documentation's example drivers and make bench's module"
	"kunit: KUnit on x86_64 QEMU with KASAN, lockdep and kmemleak"
	"kcsan: KUnit on x86_64 QEMU with the data race detector"
	"regression: the same vectors as the base kernel, and interrupts"
)

# Everything from scratch: the warnings of the base build are the
# baseline of the per-patch builds only if the base build is complete.
rm -rf "$work"
mkdir -p "$work/stages"
failed_stages=()
# stage_done NAME STATUS T0: record and report a stage's result
stage_done() {
	local result=passed
	if [ "$2" -ne 0 ]; then
		result=failed
		failed_stages+=("$1")
		say "FAILED: $1"
	fi
	echo "$result" > "$work/stages/$1"
	say "stage $1 $result in $(( $(date +%s) - $3 )) s"
}
beside=
# a stage left running beside another goes with an interrupted check
trap '[ -n "$beside" ] && kill -- -"$(echo "$beside" | cut -d" " -f2)" 2> /dev/null' EXIT
for s in "${stages[@]}"; do
	name=${s%%:*}
	if [ "${name:0:1}" = "&" ]; then
		name=${name:1}
		echo
		echo "=== check: ${s#*: } (beside the next stage)"
		# a session of its own, whose processes the trap below can end
		setsid bash "$top/scripts/check/$name.sh" > "$work/$name.out" 2>&1 &
		beside="$name $! $(date +%s)"
		continue
	fi
	echo
	echo "=== check: ${s#*: }"
	t0=$(date +%s)
	bash "$top/scripts/check/$name.sh"
	stage_done "$name" $? "$t0"
	if [ -n "$beside" ]; then
		read -r bname bpid bt0 <<< "$beside"
		beside=
		wait "$bpid"
		status=$?
		echo
		echo "=== check: $bname, which ran beside $name"
		cat "$work/$bname.out"
		stage_done "$bname" "$status" "$bt0"
	fi
done
if [ -n "$beside" ]; then
	say "FAILED: a stage marked & is the last one; nothing waits for it"
	failed_stages+=("${beside%% *}")
fi

passed=0 failed=0
for c in "$obj/kunit.counts" "$kcsan/kunit.counts"; do
	[ -f "$c" ] || continue
	read -r p f < "$c"
	passed=$((passed + p)) failed=$((failed + f))
done
echo
if [ ${#failed_stages[@]} -ne 0 ]; then
	say "failed stages: ${failed_stages[*]}"
	failed=$((failed + ${#failed_stages[@]}))
else
	say "all stages passed"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
