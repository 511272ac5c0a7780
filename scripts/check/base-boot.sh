#!/bin/bash
# Stage base-boot: the base kernel of base-build boots with the
# regression devices; their MSI and MSI-X vectors and interrupts are
# what the series' kernel must match (stage regression).
. "$top/scripts/check/lib.sh"
needs base-build

"$top/scripts/initramfs.sh" "$work/initramfs.cpio"
if ! "$top/scripts/boot.sh" "$obj/arch/x86/boot/bzImage" "$work/initramfs.cpio" \
	"$work/base-boot.log"; then
	say "the base kernel did not boot, see $work/base-boot.log"
	exit 1
fi
"$top/scripts/check/vectors.sh" "$work/base-boot.log" > "$work/base.vectors"
sed 's/^msi-tables: /  /' "$work/base.vectors"
