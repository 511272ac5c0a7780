#!/bin/bash
# Stage kcsan: the KCSAN kernel at the tip, every suite on the plain
# machine, no data race report (scripts/kcsan.sh). Its counts go into
# make check's last line.
. "$top/scripts/check/lib.sh"
needs apply
at_tip

"$top/scripts/kcsan.sh" "$tree" "$kcsan" W=1
