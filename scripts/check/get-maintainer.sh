#!/bin/bash
# Stage get-maintainer: get_maintainer.pl on each patch names the
# maintainer of the subsystem its subject prefix says it changes.
. "$top/scripts/check/lib.sh"
needs apply

# Who must be asked, by subject prefix
expect=(
	"genirq/irqdesc:|Thomas Gleixner"
	"genirq/proc:|Thomas Gleixner"
	"genirq/msi:|Thomas Gleixner"
	"kunit:|Brendan Higgins"
	"mm/failslab:|Andrew Morton"
	"PCI/MSI:|Bjorn Helgaas"
	"x86/apic/msi:|x86@kernel.org"
	"iommu/vt-d:|Lu Baolu"
	"iommu/amd:|Joerg Roedel"
	"samples:|Thomas Gleixner"
	"dmaengine: idxd:|Vinod Koul"
	"NTB/msi:|Jon Mason"
	"Documentation:|Jonathan Corbet"
	"MAINTAINERS:|linux-kernel@vger.kernel.org"
)
bad=0
for p in "$top"/series/0*.patch; do
	case $(basename "$p") in 0000-*) continue ;; esac
	subject=$(sed -n 's/^Subject: \[PATCH [0-9/]*\] //p' "$p")
	list=$(cd "$tree" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
		--no-rolestats "$p" 2>/dev/null | sed 's/ <.*//' | paste -sd, -)
	echo "  ${subject%%:*}: $list"
	want=
	for e in "${expect[@]}"; do
		[[ $subject == "${e%%|*}"* ]] && want=${e#*|}
	done
	if [ -z "$want" ]; then
		say "$(basename "$p"): no expectation for its prefix"
		bad=1
	elif [[ ",$list," != *",$want,"* ]]; then
		say "$(basename "$p"): $want is not on the list"
		bad=1
	fi
done
[ $bad -eq 0 ] && say "every patch reaches its subsystem's maintainers"
exit $bad
