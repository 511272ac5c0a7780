#!/bin/bash
# Stage kunit: the test kernel at the tip, booted under kunit.py on the
# test machines with KASAN, lockdep and kmemleak (scripts/kunit.sh).
# Its counts go into make check's last line.
. "$top/scripts/check/lib.sh"
needs apply
at_tip

"$top/scripts/kunit.sh" "$tree" "$obj" W=1
