# shellcheck shell=bash
# The QEMU machines of the test boots, one copy of each device line.
# Sourced by the scripts that boot a kernel; the values are word lists
# for kunit.py's --qemu_args or for an unquoted qemu-system command.

# QEMU's edu device (PCI 1234:11e8), whose DMA engine can reach the
# 32-bit MSI address: the sample driver's IMS store fires through it.
# Placed with ",addr=..." or ",bus=...".
qemu_edu="edu,dma_mask=0xffffffff"
# The test machines' two edu devices: the second one is in the sample
# driver's IMS only mode (its kernel argument is qemu_ims_only).
qemu_edus="-device $qemu_edu,addr=0x10 -device $qemu_edu,addr=0x11"
qemu_ims_only="edu_ims.ims_only=0000:00:11.0"
# An NVMe controller (MSI-X) on a null block device
qemu_nvme="-blockdev driver=null-co,node-name=nvm0,size=67108864 \
-device nvme,serial=msitables,drive=nvm0,addr=0x12"
# The suites' own devices: three vmxnet3 (15ad:07b0, MSI-X), which the
# test kernel has no driver for, so that the suites bind their own: the
# PCI suites' driver takes the first, the NTB/msi and IDXD suites' each
# take the first one free, so that neither depends on the other's order
qemu_vmxnet3="-device vmxnet3,addr=0x13 -device vmxnet3,addr=0x14 -device vmxnet3,addr=0x15"
# The KUnit machine: 2 CPUs, the edu devices, the NVMe controller and
# the suites' vmxnet3s
qemu_kunit="-smp 2 $qemu_edus $qemu_nvme $qemu_vmxnet3"
# q35 with an Intel IOMMU which remaps interrupts
qemu_intremap="-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on"
# The same IOMMU in caching mode, as a hypervisor's emulated IOMMU is
qemu_intremap_virt="-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on,caching-mode=on"
# q35 with an AMD IOMMU which remaps interrupts. QEMU's model reports
# NpCache, as a hypervisor's emulated IOMMU does: IMS is refused there.
qemu_intremap_amd="-machine q35,kernel-irqchip=split -device amd-iommu,intremap=on"
# The PCI suites on each machine: the IMS policy branch which its MSI
# parent takes (pci_msi_test.expect=), and the cases which need IMS and
# skip where it is refused: pci_ims, pci_edu_ims's but edu_refusal, and
# idxd_ims's on IMS (all but msix_default and probe_choice)
pci_expect_no_remap="pci_msi_test.expect=no-remap"
pci_expect_allowed="pci_msi_test.expect=allowed"
pci_expect_virt="pci_msi_test.expect=virt-remap"
pci_ims_refused_skips="pci_ims.*,pci_edu_ims.edu_fire_counts,pci_edu_ims.edu_interleaved,\
pci_edu_ims.edu_mask,pci_edu_ims.edu_affinity,pci_edu_ims.edu_ims_only,\
pci_edu_ims.edu_visible,pci_edu_ims.edu_stress,pci_edu_ims.edu_fault_walk,\
idxd_ims.ims_*"
# The devices of the regression boots, which in-tree drivers take: NVMe
# (MSI-X), AHCI (MSI), virtio-net and e1000e (MSI-X)
qemu_regression="$qemu_nvme -device ahci \
-netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
-netdev user,id=net1 -device e1000e,netdev=net1"
# The kernel arguments of boot.sh's boots (the base kernel's and the
# series' plain boot): qboot's ACPI tables route PCI INTx through link
# devices, whose AML, interpreted under TCG with KASAN and lockdep, took
# about 30 s for each device a driver enabled (two minutes of a boot
# with the edu devices). With acpi=noirq the IO-APIC comes from qboot's
# MP table, which lists no PCI interrupts: INTx is not routed at all.
# Every device of these boots uses MSI or MSI-X; one which fell back to
# INTx would show in the regression table. Not for the IOMMU machines,
# whose remapping scope names the IO-APIC of ACPI's table.
pc_kernel_args="acpi=noirq"
# What every boot of our own (not kunit.py's) starts with: TCG, which is
# QEMU's default here, no default devices, the serial console on stdout
qemu_cmd="qemu-system-x86_64 -nodefaults -no-reboot -nographic -serial stdio"
