// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/IMS: interrupt message stores which a PCI device defines itself,
 * next to its MSI or MSI-X table.
 *
 * An IMS table is an MSI table (see <linux/msi_table.h>) whose irq domain
 * is a child of the domain which the device's PCI/MSI domain sits on:
 * the interrupt remapping domain when the device is behind an interrupt
 * remapping unit, the vector domain otherwise. The allocation info for
 * that parent is prepared by the device's PCI/MSI domain, so interrupt
 * remapping sees the requester ID of the PCI device, exactly as for its
 * MSI-X entries.
 */
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>

/**
 * pci_msi_table - Get the MSI table of a PCI device
 * @pdev:	The PCI device
 *
 * The MSI table holds the descriptors of the device's MSI or MSI-X
 * interrupts. Use it with msi_get_virq() and the table iterators; with
 * MSI-X enabled, msi_table_can_alloc() tells whether single entries can
 * be allocated and freed with msi_table_alloc() and msi_table_free().
 *
 * Return: the table, or %NULL before MSI or MSI-X was first enabled.
 */
struct msi_table *pci_msi_table(struct pci_dev *pdev)
{
	return dev_msi_table(&pdev->dev);
}
EXPORT_SYMBOL_GPL(pci_msi_table);

/*
 * Let the device's PCI/MSI domain prepare the allocation: that is the
 * architecture's view of a PCI device's message, which carries its
 * requester ID to interrupt remapping.
 */
static int pci_ims_prepare(struct msi_table *table, struct msi_desc *desc,
			   msi_alloc_info_t *arg)
{
	struct irq_domain *domain = dev_get_msi_domain(table->dev);
	struct msi_domain_info *info = domain->host_data;

	if (!info->ops->msi_prepare)
		return 0;
	return info->ops->msi_prepare(domain, table->dev, 1, arg);
}

static const struct msi_table_bus_ops pci_ims_bus_ops = {
	.prepare	= pci_ims_prepare,
	.handler	= handle_edge_irq,
	.handler_name	= "edge",
};

static bool pci_ims_msi_disabled(struct pci_dev *pdev)
{
	struct pci_bus *bus;

	if (!pci_msi_enabled() || pdev->no_msi)
		return true;
	for (bus = pdev->bus; bus; bus = bus->parent) {
		if (bus->bus_flags & PCI_BUS_FLAGS_NO_MSI)
			return true;
	}
	return false;
}

/*
 * The IMS policy: IMS interrupts go where the device's MSI-X interrupts
 * go, so the parent is the parent of the device's PCI/MSI domain, and
 * only where that domain declares with MSI_FLAG_PCI_IMS that its parent
 * can serve messages from a store it does not know.
 */
static struct irq_domain *pci_ims_parent(struct pci_dev *pdev)
{
	struct irq_domain *domain = dev_get_msi_domain(&pdev->dev);
	struct msi_domain_info *info;

	if (pci_ims_msi_disabled(pdev)) {
		pci_info(pdev, "IMS not available: MSI is disabled for the device\n");
		return NULL;
	}
	if (!domain || !irq_domain_is_hierarchy(domain) || !domain->parent) {
		pci_info(pdev, "IMS not available: no MSI irq domain hierarchy\n");
		return NULL;
	}
	info = domain->host_data;
	if (!(info->flags & MSI_FLAG_PCI_IMS)) {
		pci_info(pdev, "IMS not available: MSI domain %s does not allow it\n",
			 domain->name);
		return NULL;
	}
	return domain->parent;
}

static struct msi_table *__pci_create_msi_table(struct pci_dev *pdev,
						const struct msi_table_info *info,
						bool managed)
{
	struct msi_table_info ims;
	struct irq_domain *parent;

	if (!pdev || !info || info->bus_ops)
		return ERR_PTR(-EINVAL);

	parent = pci_ims_parent(pdev);
	if (!parent)
		return ERR_PTR(-EOPNOTSUPP);

	ims = *info;
	ims.bus_ops = &pci_ims_bus_ops;
	if (managed)
		return devm_msi_create_table(&pdev->dev, parent, &ims);
	return msi_create_table(&pdev->dev, parent, &ims);
}

/**
 * pci_create_msi_table - Create an IMS table for a PCI device
 * @pdev:	The PCI device
 * @info:	Description of the table and its message store.
 *		@info->bus_ops must be %NULL.
 *
 * Creates an MSI table for an interrupt message store which the device
 * defines itself (IMS), e.g. an array of message slots in device memory
 * or message fields in queue contexts in system memory. It can be
 * called in probe or later, any number of times, and works next to
 * MSI or MSI-X of the same device, before and after they are enabled.
 *
 * Policy: an IMS interrupt goes where the device's MSI-X interrupts go.
 * Its parent domain is the parent of the device's PCI/MSI domain: the
 * interrupt remapping domain if the device is behind an interrupt
 * remapping unit, otherwise the vector domain. Interrupt remapping
 * sees the requester ID of @pdev. IMS is refused, with one line in the
 * log saying why, when MSI is disabled for the device, when its MSI is
 * not handled by an irq domain hierarchy, or when the architecture does
 * not declare IMS support on the PCI/MSI domain (MSI_FLAG_PCI_IMS). The
 * architecture withholds it where the parent cannot serve a message
 * store it does not know, e.g. in a virtual machine without interrupt
 * remapping, where the hypervisor translates the messages of MSI-X
 * tables it emulates but cannot see a device specific store.
 *
 * The table must be destroyed with msi_destroy_table(), at the latest
 * when the driver is unbound, when it is destroyed by the core.
 *
 * Context: process context, may sleep.
 * Return: the new table, or an ERR_PTR(): -EINVAL for invalid arguments,
 * -EOPNOTSUPP where the policy refuses IMS, otherwise the errors of
 * msi_create_table().
 */
struct msi_table *pci_create_msi_table(struct pci_dev *pdev,
				       const struct msi_table_info *info)
{
	return __pci_create_msi_table(pdev, info, false);
}
EXPORT_SYMBOL_GPL(pci_create_msi_table);

/**
 * devm_pci_create_msi_table - Create a device managed IMS table
 * @pdev:	The PCI device
 * @info:	Description of the table and its message store
 *
 * Same as pci_create_msi_table(), but the table is destroyed when the
 * driver is unbound from @pdev. It must not be passed to
 * msi_destroy_table().
 *
 * Context: process context, may sleep.
 * Return: the new table, or an ERR_PTR() as for pci_create_msi_table().
 */
struct msi_table *devm_pci_create_msi_table(struct pci_dev *pdev,
					    const struct msi_table_info *info)
{
	return __pci_create_msi_table(pdev, info, true);
}
EXPORT_SYMBOL_GPL(devm_pci_create_msi_table);

/*
 * The IMS array store: one 16 byte slot per entry in device memory,
 * at the table's index, holding the message address (low and high
 * dword), the message data and a vector control word whose bit 0 masks
 * the entry, as in an MSI-X table.
 */
#define PCI_IMS_ADDR_LO		0x0
#define PCI_IMS_ADDR_HI		0x4
#define PCI_IMS_DATA		0x8
#define PCI_IMS_CTRL		0xc

static void __iomem *pci_ims_array_slot(struct msi_table *table,
					struct msi_desc *desc)
{
	void __iomem *base = (void __force __iomem *)table->data;

	return base + desc->msi_index * PCI_IMS_ARRAY_ENTRY_SIZE;
}

static void pci_ims_array_write_msg(struct msi_table *table,
				    struct msi_desc *desc,
				    const struct msi_msg *msg)
{
	void __iomem *slot = pci_ims_array_slot(table, desc);

	writel(msg->address_lo, slot + PCI_IMS_ADDR_LO);
	writel(msg->address_hi, slot + PCI_IMS_ADDR_HI);
	writel(msg->data, slot + PCI_IMS_DATA);
	/* Flush the message to the device before it can be unmasked */
	readl(slot + PCI_IMS_DATA);
}

static void pci_ims_array_update_ctrl(struct msi_table *table,
				      struct msi_desc *desc, u32 clear, u32 set)
{
	void __iomem *ctrl = pci_ims_array_slot(table, desc) + PCI_IMS_CTRL;

	writel((readl(ctrl) & ~clear) | set, ctrl);
	/* Flush the write to the device */
	readl(ctrl);
}

static void pci_ims_array_mask(struct msi_table *table, struct msi_desc *desc)
{
	pci_ims_array_update_ctrl(table, desc, 0, PCI_IMS_ARRAY_CTRL_MASKBIT);
}

static void pci_ims_array_unmask(struct msi_table *table, struct msi_desc *desc)
{
	pci_ims_array_update_ctrl(table, desc, PCI_IMS_ARRAY_CTRL_MASKBIT, 0);
}

#define PCI_IMS_ARRAY_CTRL_PASID	(PCI_IMS_ARRAY_CTRL_PASID_EN | \
					 PCI_IMS_ARRAY_CTRL_PASID_MASK)

/*
 * An entry stays masked from its allocation until it is requested. The
 * cookie is 0 for an entry any work may use or
 * PCI_IMS_ARRAY_PASID_COOKIE(pasid) for an entry restricted to @pasid:
 * anything else is refused rather than written into the control word.
 */
static int pci_ims_array_prepare_desc(struct msi_table *table,
				      struct msi_desc *desc)
{
	u64 cookie = desc->cookie.value;
	u32 pasid = 0;

	if (cookie & PCI_IMS_ARRAY_COOKIE_PASID) {
		cookie &= ~PCI_IMS_ARRAY_COOKIE_PASID;
		if (cookie > PCI_IMS_ARRAY_PASID_MAX)
			return -EINVAL;
		pasid = PCI_IMS_ARRAY_CTRL_PASID_EN |
			FIELD_PREP(PCI_IMS_ARRAY_CTRL_PASID_MASK, cookie);
	} else if (cookie) {
		return -EINVAL;
	}

	pci_ims_array_update_ctrl(table, desc, PCI_IMS_ARRAY_CTRL_PASID,
				  PCI_IMS_ARRAY_CTRL_MASKBIT | pasid);
	return 0;
}

/* A free slot is masked and keeps no PASID for its next user */
static void pci_ims_array_release_desc(struct msi_table *table,
				       struct msi_desc *desc)
{
	pci_ims_array_update_ctrl(table, desc, PCI_IMS_ARRAY_CTRL_PASID,
				  PCI_IMS_ARRAY_CTRL_MASKBIT);
}

static const struct msi_table_ops pci_ims_array_ops = {
	.write_msg	= pci_ims_array_write_msg,
	.mask		= pci_ims_array_mask,
	.unmask		= pci_ims_array_unmask,
	.prepare_desc	= pci_ims_array_prepare_desc,
	.release_desc	= pci_ims_array_release_desc,
};

/**
 * pci_ims_array_init_info - Describe an IMS array in device memory
 * @info:	The table description to fill in
 * @name:	Name of the table, see &msi_table_info.name
 * @base:	The mapped device memory of slot 0
 * @nr_slots:	The number of slots of the array
 *
 * Fills @info for pci_create_msi_table() with the callbacks of the
 * common IMS array layout: one slot of %PCI_IMS_ARRAY_ENTRY_SIZE bytes
 * per entry at @base + index * %PCI_IMS_ARRAY_ENTRY_SIZE, with the
 * message address low and high dwords at 0x0 and 0x4, the message data
 * at 0x8 and a control dword at 0xc whose bit 0
 * (%PCI_IMS_ARRAY_CTRL_MASKBIT) masks the entry.
 *
 * An entry allocated with the cookie PCI_IMS_ARRAY_PASID_COOKIE(pasid)
 * carries a PASID permission: bit 3 of its control dword
 * (%PCI_IMS_ARRAY_CTRL_PASID_EN) is set and the 20-bit PASID is placed
 * at bit 12, for devices which let only work submitted with that PASID
 * signal the entry, as Intel's DSA does. Entries allocated without a
 * cookie carry none; any other cookie fails the allocation with -EINVAL.
 *
 * The control dword is changed read-modify-write, so bits 1, 2 and 4-11
 * stay as the driver sets them. @base is the table's &msi_table.data.
 * The caller may set @info->flags afterwards.
 */
void pci_ims_array_init_info(struct msi_table_info *info, const char *name,
			     void __iomem *base, unsigned int nr_slots)
{
	*info = (struct msi_table_info) {
		.name	= name,
		.hwsize	= nr_slots,
		.ops	= &pci_ims_array_ops,
		.data	= (void __force *)base,
	};
}
EXPORT_SYMBOL_GPL(pci_ims_array_init_info);
