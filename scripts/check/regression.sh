#!/bin/bash
# Stage regression: the series' kernel (its leak scan boot, stage kunit)
# gives the PCI devices the same MSI and MSI-X vectors as the base
# kernel (stage base-boot), and NVMe, virtio-net and e1000e take
# interrupts in both.
. "$top/scripts/check/lib.sh"
needs base-boot kunit

"$top/scripts/check/vectors.sh" "$obj/leaks.log" > "$work/series.vectors"
# interrupts LOG DRIVER: the interrupts the devices of DRIVER took
interrupts() {
	grep -a "msi-tables: interrupts $2 " "$1" | tr -d '\r' |
		awk '{ s += $4 } END { print s + 0 }'
}
row() { printf '  %-22s %-11s %-5s %8s %8s %11s %11s\n' "$@"; }
row device driver mode vectors "" interrupts ""
row "" "" "" base series base series
while read -r _ _ id drv mode n; do
	sn=$(awk -v id="$id" -v d="$drv" '$3 == id && $4 == d { print $6 }' "$work/series.vectors")
	row "$id" "$drv" "$mode" "$n" "${sn:--}" \
		"$(interrupts "$work/base-boot.log" "$drv")" "$(interrupts "$obj/leaks.log" "$drv")"
done < "$work/base.vectors"
bad=0
if ! diff -u "$work/base.vectors" "$work/series.vectors"; then
	say "the vectors differ from the base kernel's"
	bad=1
fi
for d in "nvme msix" "ahci msi" "virtio-pci msix" "e1000e msix"; do
	if ! grep -q " $d " "$work/series.vectors"; then
		say "no ${d% *} device with ${d#* } vectors"
		bad=1
	fi
done
for d in nvme virtio-pci e1000e; do
	for log in "$work/base-boot.log" "$obj/leaks.log"; do
		if [ "$(interrupts "$log" "$d")" -eq 0 ]; then
			say "$d took no interrupts in $log"
			bad=1
		fi
	done
done
[ $bad -eq 0 ] && say "same vectors as on the base kernel, and all took interrupts"
exit $bad
