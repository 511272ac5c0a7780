# shellcheck shell=bash
# The kernel reports that fail a boot, one copy: the host's scans of the
# boot logs use it, and the initramfs of the removal boot has it as
# /reports.sh for its own scans.
reports='BUG:|WARNING:|INFO: (possible|task|trying)|Kernel panic|Oops|general protection|kmemleak: [0-9]+ new suspected|UBSAN:|KCSAN:|No irq handler|nobody cared|detected stall'

# scan_reports LOG...: print the reports of the logs; false if any
scan_reports() {
	local log found=0
	for log in "$@"; do
		if grep -a -q -E "$reports" "$log"; then
			echo "kernel reports in $log:"
			grep -a -E -A 12 "$reports" "$log" | head -n 60
			found=1
		fi
	done
	return $found
}
