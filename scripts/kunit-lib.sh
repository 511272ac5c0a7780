# Shared by kunit.sh and kcsan.sh, which set top, tree, obj and
# kunitconfig and source it: the machine of the KUnit boots, and how a
# boot's results and kernel reports are counted.
# shellcheck shell=bash

kunit=("$tree/tools/testing/kunit/kunit.py")
common=(--arch=x86_64 --build_dir="$obj" --kunitconfig="$kunitconfig")
for o in "${make_opts[@]}"; do
	common+=(--make_options "$o")
done

# The machine of the KUnit boots: 2 CPUs, two edu devices (the second in
# the sample driver's IMS only mode) and an NVMe controller (MSI-X), whose
# MSI domain and MSI-X table the IDXD and NTB/msi tests borrow. The
# plain machine needs ims_unremapped to allow IMS in a virtual machine;
# q35 with an Intel IOMMU remaps interrupts and needs nothing.
devices="-smp 2 -device edu,dma_mask=0xffffffff,addr=0x10 \
	-device edu,dma_mask=0xffffffff,addr=0x11 \
	-blockdev driver=null-co,node-name=nvm0,size=67108864 \
	-device nvme,serial=msitables,drive=nvm0,addr=0x12"
intremap="-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on"
ims_only="edu_ims.ims_only=0000:00:11.0"

# run LOG CMD [ARG...]: a kunit.py command, whose results count
passed=0 failed=0 bad=0
run() {
	local log=$1 status summary p f c k e
	shift
	(cd "$tree" && "${kunit[@]}" "$@" "${common[@]}" --timeout=900 \
		--raw_output=all) > "$log" 2>&1
	status=$?
	(cd "$tree" && "${kunit[@]}" parse "$log") > "${log%.log}.parsed" 2>&1
	grep -a -E '^\[[0-9:]+\] (\[(PASSED|FAILED|SKIPPED|CRASHED)\]|=+ .* =+$|Testing complete|# )' \
		"${log%.log}.parsed" | sed 's/^\[[0-9:]*\] //'
	summary=$(grep -a -o 'Ran [0-9]* tests:.*' "${log%.log}.parsed" | tail -n 1)
	p=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<<"$summary")
	f=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<<"$summary")
	c=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<<"$summary")
	k=$(sed -n 's/.*skipped: \([0-9]*\).*/\1/p' <<<"$summary")
	e=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' <<<"$summary")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0}))
	# Every case has what it needs in these machines: a skip is a failure
	if [ "${k:-0}" -ne 0 ]; then
		echo "kunit: $k tests skipped, see $log"
		bad=1
	fi
	# A parse error (a missing result line, no tests run) is a failure
	if [ "${e:-0}" -ne 0 ]; then
		echo "kunit: $e errors parsing the results, see ${log%.log}.parsed"
		failed=$((failed + e))
		bad=1
	fi
	if [ -z "$summary" ] || [ "$status" -ne 0 ]; then
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

# scan_reports LOG...: any kernel report in the logs fails the run
scan_reports() {
	local reports log
	reports='BUG:|WARNING:|INFO: (possible|task|trying)|Kernel panic|Oops|general protection|kmemleak: [0-9]+ new suspected|UBSAN:|KCSAN:|No irq handler|nobody cared|detected stall'
	for log in "$@"; do
		if grep -a -q -E "$reports" "$log"; then
			echo "kunit: kernel reports in $log:"
			grep -a -E -A 12 "$reports" "$log" | head -n 60
			bad=1
		fi
	done
}
