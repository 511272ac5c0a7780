#!/bin/bash
# The MSI and MSI-X vectors of the PCI devices of a boot's log, as the
# initramfs printed them, but the edu devices', which only the series
# has a driver for.
# usage: vectors.sh LOG
grep -a 'msi-tables: vectors' "$1" | tr -d '\r' | grep -v ' 0x1234:0x11e8 '
