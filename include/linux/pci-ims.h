/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IMS array store: the common layout of a device defined interrupt
 * message store (IMS) in device memory, for pci_create_msi_table().
 */
#ifndef _LINUX_PCI_IMS_H
#define _LINUX_PCI_IMS_H

#include <linux/bits.h>
#include <linux/types.h>

struct msi_table_info;
union msi_instance_cookie;

/*
 * One slot per entry, at the entry's index: the message address (low
 * and high dword), the message data and a control dword whose bit 0
 * masks the entry, as in an MSI-X table
 */
#define PCI_IMS_ARRAY_ENTRY_SIZE	16
#define PCI_IMS_ARRAY_ADDR_LO		0x0
#define PCI_IMS_ARRAY_ADDR_HI		0x4
#define PCI_IMS_ARRAY_DATA		0x8
#define PCI_IMS_ARRAY_CTRL		0xc
#define PCI_IMS_ARRAY_CTRL_MASKBIT	BIT(0)

/**
 * struct pci_ims_array - An IMS array in device memory
 * @base:	The mapped device memory of slot 0
 * @ctrl_mask:	The bits of the control dword which @ctrl_bits sets; must
 *		not include %PCI_IMS_ARRAY_CTRL_MASKBIT
 * @ctrl_bits:	The device specific control bits, within @ctrl_mask, of an
 *		entry with the cookie @icookie (&msi_desc.data.icookie),
 *		e.g. a PASID. Mandatory with @ctrl_mask. Called when an
 *		entry is allocated and when its cookie is to change, where
 *		an error fails the call, and whenever the entry's message is
 *		written, under the interrupt descriptor's raw spinlock with
 *		interrupts disabled: it must not sleep or take a spinlock_t,
 *		and must give the bits it gave before for a cookie it
 *		accepted.
 *
 * Embedded in a driver's own structure, which @ctrl_bits may reach with
 * container_of(). The table's &msi_table_info.data points to it. The
 * bits of the control dword which neither the mask bit nor @ctrl_mask
 * covers are the driver's; it may change them only with msi_table_lock()
 * held and no entry at that index, as the core changes the others
 * read-modify-write.
 */
struct pci_ims_array {
	void __iomem	*base;
	u32		ctrl_mask;
	int		(*ctrl_bits)(struct pci_ims_array *array,
				     const union msi_instance_cookie *icookie,
				     u32 *bits);
};

/* Provided with CONFIG_PCI_MSI, which drivers of such stores depend on */
int pci_ims_array_init_info(struct msi_table_info *info, const char *name,
			    struct pci_ims_array *array, unsigned int nr_slots);

#endif /* _LINUX_PCI_IMS_H */
