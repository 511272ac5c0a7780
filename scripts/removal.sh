#!/bin/bash
# make removal: device removal with live interrupts. Build the test
# kernel of a tree (the same one as make kunit, in the same directory)
# and boot it on q35 with Intel's interrupt remapping, which offers IMS,
# and an edu device behind a PCIe root port. The
# edu sample driver keeps two of the device's IMS entries firing while
# it is bound (edu_ims.keep_firing=1), next to its MSI, which signals
# the DMAs that send them. scripts/initramfs/removal unbinds and binds
# the device CYCLES times, removes it and rescans the bus CYCLES times,
# and then says it is ready for the hot-unplug: this script sends
# device_del from QEMU's monitor, and ACPI hot-plug takes the device
# away while it fires. After each removal the init script checks the messages
# sent against the handler runs, the irq descriptor count, kmemleak
# and the kernel log; at the end this one checks the whole log for
# kernel reports.
#
# usage: removal.sh TREE OBJ [MAKE_OPTION...]
# CYCLES (environment): cycles of each kind, 100 unless set
# Writes OBJ/removal.log.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/qemu.sh
. "$top/scripts/lib/qemu.sh"
# shellcheck source=scripts/lib/reports.sh
. "$top/scripts/lib/reports.sh"
tree=$(cd "$1" && pwd)
mkdir -p "$2"
obj=$(cd "$2" && pwd)
shift 2
cycles=${CYCLES:-100}
log=$obj/removal.log
mon=$obj/removal-monitor
SECONDS=0

if [ ! -e "$tree/samples/msi/edu_ims.c" ]; then
	echo "removal: needs the edu IMS sample driver (samples/msi/edu_ims.c), which $tree does not have"
	exit 1
fi
kunitconfig=$obj/msi-tables.kunitconfig
"$top/scripts/kunitconfig.sh" "$tree" "$kunitconfig" || exit 1
opts=()
for o in "$@"; do
	opts+=(--make_options "$o")
done
echo "removal: building $tree in $obj"
if ! (cd "$tree" && tools/testing/kunit/kunit.py build --arch=x86_64 \
	--build_dir="$obj" --kunitconfig="$kunitconfig" --jobs="$(nproc)" \
	"${opts[@]}") > "$obj/removal-build.log" 2>&1; then
	tail -n 30 "$obj/removal-build.log"
	echo "removal: the build failed, see $obj/removal-build.log"
	exit 1
fi
echo "removal: built in $SECONDS s"
"$top/scripts/initramfs.sh" "$obj/removal.cpio" "$top/scripts/initramfs/removal" || exit 1

# QEMU's monitor on a pair of pipes, for device_del. q35 hot-plugs the
# devices behind its PCIe root ports through ACPI: the kernel's acpiphp
# ejects the device. (6.1's pciehp, with that off, has a lockdep report
# of its own on every removal: reset_lock against pci_rescan_remove_lock.)
# The script holds both ends open, so that neither side blocks on the
# other. The run's time limit grows with the cycles (about 6 s each).
rm -f "$mon.in" "$mon.out"
mkfifo "$mon.in" "$mon.out" || exit 1
exec 3<> "$mon.in" 4<> "$mon.out"
cat <&4 > "$mon.log" &
reader=$!
# shellcheck disable=SC2086 # a word list
timeout $((600 + 15 * cycles)) $qemu_cmd $qemu_intremap -m 1024 -smp 2 \
	-kernel "$obj/arch/x86/boot/bzImage" -initrd "$obj/removal.cpio" \
	-append "console=ttyS0 rdinit=/init panic=-1 kunit.enable=0 edu_ims.keep_firing=1 msi_tables.cycles=$cycles" \
	-device pcie-root-port,id=rp0,chassis=1,slot=1 \
	-device "$qemu_edu,bus=rp0,id=edu0" \
	-chardev pipe,id=mon0,path="$mon" -mon chardev=mon0,mode=readline \
	< /dev/null > "$log" 2>&1 &
qemu=$!
unplugged=0
while kill -0 $qemu 2> /dev/null; do
	if [ $unplugged -eq 0 ] && grep -a -q 'msi-tables: removal: hot-unplug: ready' "$log"; then
		echo "device_del edu0" >&3
		unplugged=1
	fi
	sleep 1
done
wait $qemu
status=$?
kill $reader 2> /dev/null
exec 3>&- 4<&-
rm -f "$mon.in" "$mon.out"

grep -a 'msi-tables: removal:' "$log" | tr -d '\r' | sed 's/^msi-tables: /  /'
bad=0
if [ $status -ne 0 ] || ! grep -a -q 'msi-tables: removal: done' "$log"; then
	echo "removal: the boot did not reach its end (status $status), see $log"
	bad=1
fi
grep -a -q "msi-tables: removal: passed: unbind/bind $cycles, remove/rescan $cycles, hot-unplug 1" "$log" ||
	bad=1
scan_reports "$log" || bad=1
if [ $bad -eq 0 ]; then
	echo "removal: passed in $SECONDS s"
else
	echo "removal: FAILED after $SECONDS s"
fi
exit $bad
