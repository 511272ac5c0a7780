# shellcheck shell=bash
# Shared by kunit.sh and kcsan.sh, which set top, tree, obj, kunitconfig
# and make_opts and source it: how a KUnit boot is run and its results
# and kernel reports counted.

# shellcheck source=scripts/lib/qemu.sh
. "$top/scripts/lib/qemu.sh"
# shellcheck source=scripts/lib/reports.sh
. "$top/scripts/lib/reports.sh"

kunit=("$tree/tools/testing/kunit/kunit.py")
common=(--arch=x86_64 --build_dir="$obj" --kunitconfig="$kunitconfig")
for o in "${make_opts[@]}"; do
	common+=(--make_options "$o")
done

# count LOG [EXPECTED_SKIPS]: add the results of a boot's log to passed
# and failed, from kunit.py parse --json. Every case has what it needs
# in these machines, so a skip fails, except for the cases which match
# the globs EXPECTED_SKIPS (suite.case, comma separated), which this
# machine cannot serve; so does a log kunit.py cannot parse whole (a
# missing result line, no tests).
passed=0 failed=0 bad=0
count() {
	local log=$1 json=${1%.log}.json p=0 f=0 s=0 status
	(cd "$tree" && "${kunit[@]}" parse --json="$json" "$log") > "${log%.log}.parsed" 2>&1
	status=$?
	grep -a -E '^\[[0-9:]+\] (\[(PASSED|FAILED|SKIPPED|CRASHED)\]|=+ .* =+$|Testing complete|# )' \
		"${log%.log}.parsed" | sed 's/^\[[0-9:]*\] //'
	[ -s "$json" ] && read -r p f s < <("$top/scripts/kunit-json.py" "$json" ${2:+"$2"})
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$s" -ne 0 ]; then
		echo "kunit: $s tests skipped, see $log"
		bad=1
	fi
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		echo "kunit: kunit.py cannot parse the results, see ${log%.log}.parsed"
		failed=$((failed + 1))
		bad=1
	fi
	if [ "$p" -eq 0 ]; then
		echo "kunit: no test passed in $log"
		bad=1
	fi
}

# run LOG SKIPS CMD [ARG...]: a kunit.py command, whose results count;
# SKIPS as count's EXPECTED_SKIPS ("" for none)
run() {
	local log=$1 skips=$2 status
	shift 2
	(cd "$tree" && "${kunit[@]}" "$@" "${common[@]}" --timeout=900 \
		--raw_output=all) > "$log" 2>&1
	status=$?
	count "$log" "$skips"
	if [ "$status" -ne 0 ]; then
		echo "kunit: the KUnit run did not complete (status $status), see $log"
		tail -n 30 "$log"
		failed=$((failed + 1))
		bad=1
	fi
}

# expect LOG WHAT PATTERN: the boot's log must show PATTERN
expect() {
	if grep -a -q -E "$3" "$1"; then
		echo "kunit: $2: $(grep -a -o -E "$3" "$1" | head -n 1)"
	else
		echo "kunit: $2: missing in $1 (/$3/)"
		bad=1
	fi
}

# scan LOG...: any kernel report in the logs fails the run
scan() {
	scan_reports "$@" || bad=1
}
