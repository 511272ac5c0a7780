// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/IMS: the IMS array store, the common layout of a device defined
 * interrupt message store in device memory (see <linux/pci-ims.h>).
 *
 * The callbacks of one slot are serialized by the core: the interrupt
 * descriptor's lock while the entry's interrupt exists, the table's lock
 * before and after. Slots share no dword.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/sched.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "msi.h"

/*
 * Every write to an array goes through here, where KUnit tests see it
 * when they call the store's callbacks with interrupts enabled. KUnit's
 * lookup of the stub takes a spinlock_t, which must not nest in the
 * interrupt descriptor's raw spinlock, held with interrupts disabled.
 */
VISIBLE_IF_KUNIT void pci_ims_array_write(u32 val, void __iomem *addr)
{
	if (!irqs_disabled())
		KUNIT_STATIC_STUB_REDIRECT(pci_ims_array_write, val, addr);
	writel(val, addr);
}
EXPORT_SYMBOL_IF_KUNIT(pci_ims_array_write);

static void __iomem *pci_ims_array_slot_at(struct pci_ims_array *array,
					   unsigned int index)
{
	return array->base + (size_t)index * PCI_IMS_ARRAY_ENTRY_SIZE;
}

static void __iomem *pci_ims_array_slot(struct msi_table *table,
					struct msi_desc *desc)
{
	return pci_ims_array_slot_at(msi_table_drvdata(table), desc->msi_index);
}

/* @ctrl with the device specific control bits of @icookie in place */
static int pci_ims_array_ctrl(struct msi_table *table,
			      const union msi_instance_cookie *icookie,
			      u32 ctrl, u32 *out)
{
	struct pci_ims_array *array = msi_table_drvdata(table);
	u32 bits = 0;
	int ret;

	if (array->ctrl_bits) {
		ret = array->ctrl_bits(array, icookie, &bits);
		if (ret)
			return ret;
		if (WARN_ON_ONCE(bits & ~array->ctrl_mask))
			return -EINVAL;
	}
	*out = (ctrl & ~array->ctrl_mask) | bits;
	return 0;
}

/* Write the control dword and flush the writes to the slot */
static void pci_ims_array_write_ctrl(void __iomem *slot, u32 ctrl)
{
	pci_ims_array_write(ctrl, slot + PCI_IMS_ARRAY_CTRL);
	readl(slot + PCI_IMS_ARRAY_CTRL);
}

/*
 * The device must never see a half written message: a live slot is
 * masked while its three dwords change, as an MSI-X entry is. As for
 * MSI-X, a device which is not in D0 or is gone is not written: the
 * message is kept in the descriptor for msi_table_restore().
 */
static void pci_ims_array_write_msg(struct msi_table *table,
				    struct msi_desc *desc,
				    const struct msi_msg *msg)
{
	struct pci_dev *pdev = msi_desc_to_pci_dev(desc);
	void __iomem *slot = pci_ims_array_slot(table, desc);
	u32 ctrl, new;

	if (pdev->current_state != PCI_D0 || pci_dev_is_disconnected(pdev))
		return;

	ctrl = readl(slot + PCI_IMS_ARRAY_CTRL);
	if (!(ctrl & PCI_IMS_ARRAY_CTRL_MASKBIT))
		pci_ims_array_write(ctrl | PCI_IMS_ARRAY_CTRL_MASKBIT,
				    slot + PCI_IMS_ARRAY_CTRL);
	pci_ims_array_write(msg->address_lo, slot + PCI_IMS_ARRAY_ADDR_LO);
	pci_ims_array_write(msg->address_hi, slot + PCI_IMS_ARRAY_ADDR_HI);
	pci_ims_array_write(msg->data, slot + PCI_IMS_ARRAY_DATA);
	/* Accepted when it was set, the cookie must be again; else keep the bits */
	if (WARN_ON_ONCE(pci_ims_array_ctrl(table, &desc->data.icookie, ctrl, &new)))
		new = ctrl;
	pci_ims_array_write_ctrl(slot, new);
}

static void pci_ims_array_mask(struct msi_table *table, struct msi_desc *desc)
{
	void __iomem *slot = pci_ims_array_slot(table, desc);

	pci_ims_array_write_ctrl(slot, readl(slot + PCI_IMS_ARRAY_CTRL) |
				 PCI_IMS_ARRAY_CTRL_MASKBIT);
}

static void pci_ims_array_unmask(struct msi_table *table, struct msi_desc *desc)
{
	void __iomem *slot = pci_ims_array_slot(table, desc);

	pci_ims_array_write_ctrl(slot, readl(slot + PCI_IMS_ARRAY_CTRL) &
				 ~PCI_IMS_ARRAY_CTRL_MASKBIT);
}

/* A new entry is masked, with its device specific control bits */
static int pci_ims_array_prepare_desc(struct msi_table *table,
				      struct msi_desc *desc)
{
	void __iomem *slot = pci_ims_array_slot(table, desc);
	u32 ctrl;
	int ret;

	ret = pci_ims_array_ctrl(table, &desc->data.icookie,
				 readl(slot + PCI_IMS_ARRAY_CTRL), &ctrl);
	if (ret)
		return ret;
	pci_ims_array_write_ctrl(slot, ctrl | PCI_IMS_ARRAY_CTRL_MASKBIT);
	return 0;
}

/* A free slot is masked and keeps no device specific bits for its next user */
static void pci_ims_array_release_desc(struct msi_table *table,
				       struct msi_desc *desc)
{
	struct pci_ims_array *array = msi_table_drvdata(table);
	void __iomem *slot = pci_ims_array_slot(table, desc);
	u32 ctrl = readl(slot + PCI_IMS_ARRAY_CTRL);

	pci_ims_array_write_ctrl(slot, (ctrl & ~array->ctrl_mask) |
				 PCI_IMS_ARRAY_CTRL_MASKBIT);
}

/*
 * Free slots are masked as a freed one is, with one read-back for all;
 * only bits of the driver's need a read of each slot. As for a message,
 * a device which is not in D0 or is gone is not written:
 * msi_table_restore() masks the slots when it is back.
 */
static void pci_ims_array_mask_free(struct msi_table *table, unsigned int first,
				    unsigned int last)
{
	struct pci_dev *pdev = to_pci_dev(msi_table_dev(table));
	struct pci_ims_array *array = msi_table_drvdata(table);
	u32 keep = ~(array->ctrl_mask | PCI_IMS_ARRAY_CTRL_MASKBIT);
	void __iomem *ctrl;
	unsigned int i;
	u32 val = 0;

	if (pdev->current_state != PCI_D0 || pci_dev_is_disconnected(pdev))
		return;

	for (i = first; i <= last; i++) {
		ctrl = pci_ims_array_slot_at(array, i) + PCI_IMS_ARRAY_CTRL;
		if (keep)
			val = readl(ctrl) & keep;
		pci_ims_array_write(val | PCI_IMS_ARRAY_CTRL_MASKBIT, ctrl);
		/* A store may have millions of slots */
		if (!((i - first + 1) % 1024))
			cond_resched();
	}
	readl(pci_ims_array_slot_at(array, last) + PCI_IMS_ARRAY_CTRL);
}

/* A new cookie must give control bits before the entry takes it */
static int pci_ims_array_check_cookie(struct msi_table *table,
				      struct msi_desc *desc,
				      const union msi_instance_cookie *icookie)
{
	u32 ctrl;

	return pci_ims_array_ctrl(table, icookie, 0, &ctrl);
}

static const struct msi_table_ops pci_ims_array_ops = {
	.write_msg	= pci_ims_array_write_msg,
	.mask		= pci_ims_array_mask,
	.unmask		= pci_ims_array_unmask,
	.prepare_desc	= pci_ims_array_prepare_desc,
	.release_desc	= pci_ims_array_release_desc,
	.check_cookie	= pci_ims_array_check_cookie,
	.mask_free	= pci_ims_array_mask_free,
};

/**
 * pci_ims_array_init_info - Describe an IMS array in device memory
 * @info:	The table description to fill in
 * @name:	Name of the table, see &msi_table_info.name
 * @array:	The array: its mapped memory and device specific control bits
 * @nr_slots:	The number of slots of the array
 *
 * Fills @info for pci_create_msi_table() with the callbacks of the common
 * IMS array layout (<linux/pci-ims.h>): one slot of
 * %PCI_IMS_ARRAY_ENTRY_SIZE bytes per entry at @array->base plus index
 * times that size, with the message address low and high dwords, the
 * message data and a control dword whose bit 0
 * (%PCI_IMS_ARRAY_CTRL_MASKBIT) masks the entry.
 *
 * A live slot is masked while its message is rewritten, and every change
 * is flushed with a read-back. The control dword is changed
 * read-modify-write: the mask bit by the core, the bits of
 * @array->ctrl_mask by @array->ctrl_bits (set on allocation and on each
 * message write, cleared on free), the others as the driver leaves them.
 * The slots without an entry are masked, with the bits of
 * @array->ctrl_mask cleared, when the table is created and by
 * msi_table_restore(): whatever firmware, a former driver or a reset
 * left in them, only the slots of entries the driver allocated fire.
 * A cookie which @array->ctrl_bits refuses fails msi_table_alloc() and
 * msi_table_set_cookie(). @array must stay valid while the table exists.
 * The caller may set @info->flags afterwards.
 *
 * As for MSI-X, messages are not written while the device is not in D0
 * or is gone; they are kept in the descriptors. Nor are free slots
 * masked then. The driver calls
 * msi_table_restore() each time the device is back in D0 (and after a
 * reset), which writes every entry's message, control bits and mask
 * again.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL when @array has no memory, @nr_slots is 0,
 * @array->ctrl_mask includes the mask bit, or only one of
 * @array->ctrl_mask and @array->ctrl_bits is given.
 */
int pci_ims_array_init_info(struct msi_table_info *info, const char *name,
			    struct pci_ims_array *array, unsigned int nr_slots)
{
	if (!array || !array->base || !nr_slots ||
	    (array->ctrl_mask & PCI_IMS_ARRAY_CTRL_MASKBIT) ||
	    !array->ctrl_mask != !array->ctrl_bits)
		return -EINVAL;

	*info = (struct msi_table_info) {
		.name	= name,
		.hwsize	= nr_slots,
		.ops	= &pci_ims_array_ops,
		.data	= array,
	};
	return 0;
}
EXPORT_SYMBOL_GPL(pci_ims_array_init_info);
