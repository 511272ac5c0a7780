// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/IMS: interrupt message stores which a PCI device defines itself,
 * next to its MSI or MSI-X table.
 *
 * An IMS table is an MSI table (see <linux/msi_table.h>) of the PCI
 * device: a per device MSI domain on the device's MSI parent, created
 * from the PCI/IMS template. The parent sees the PCI device in each
 * descriptor, so interrupt remapping uses the device's requester ID as
 * it does for the MSI-X entries.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <kunit/visibility.h>

#include "msi.h"

/**
 * pci_msi_table - Get the MSI table of a PCI device
 * @pdev:	The PCI device
 *
 * The MSI table holds the descriptors of the device's MSI or MSI-X
 * interrupts; msi_get_virq() looks them up. Entries of it are allocated
 * and freed with pci_msix_alloc_irq_at() and pci_msix_free_irq(), not
 * with msi_table_alloc() and msi_table_free().
 *
 * Context: Any context.
 * Return: The table, or %NULL while the device has no MSI data, which
 * enabling MSI or MSI-X or creating an IMS table sets up for the bound
 * driver.
 */
struct msi_table *pci_msi_table(struct pci_dev *pdev)
{
	return dev_msi_table(&pdev->dev);
}
EXPORT_SYMBOL_GPL(pci_msi_table);

/**
 * pci_ims_refusal - Why IMS is not offered for a PCI device
 * @pdev:	The PCI device
 *
 * The IMS policy: a device defined store is served only by an MSI parent
 * which declares MSI_FLAG_PCI_IMS, i.e. by interrupt remapping which
 * translates every message the store can emit, of an IOMMU which does
 * not show the signs of a hypervisor's emulation (Intel: caching mode,
 * AMD: NpCache). Without remapping a store's messages reach the CPUs as
 * written; a hypervisor translates the messages of the MSI and MSI-X
 * tables it emulates, but not those of a store it does not know. An
 * emulated IOMMU without such signs cannot be told from a real one. A
 * parent which does not offer IMS says why in
 * &msi_parent_ops.no_ims_reason. Exported only to KUnit tests, which
 * check the reason a machine gives.
 *
 * Context: Any context.
 * Return: %NULL when IMS is offered, else the reason of the refusal.
 */
VISIBLE_IF_KUNIT const char *pci_ims_refusal(struct pci_dev *pdev)
{
	struct irq_domain *parent = dev_get_msi_domain(&pdev->dev);

	if (!pci_msi_supported(pdev, 1))
		return "MSI is disabled for the device";
	if (!parent || !irq_domain_is_msi_parent(parent))
		return "the device has no MSI parent domain";
	if (parent->msi_parent_ops->supported_flags & MSI_FLAG_PCI_IMS)
		return NULL;
	return parent->msi_parent_ops->no_ims_reason ? : "the MSI parent does not offer IMS";
}
EXPORT_SYMBOL_IF_KUNIT(pci_ims_refusal);

static struct msi_table *__pci_create_msi_table(struct pci_dev *pdev,
						const struct msi_table_info *info,
						bool managed)
{
	const char *refusal;

	if (WARN_ON_ONCE(!pdev))
		return ERR_PTR(-EINVAL);

	refusal = pci_ims_refusal(pdev);
	if (refusal) {
		pci_info(pdev, "IMS refused: %s\n", refusal);
		return ERR_PTR(-EOPNOTSUPP);
	}

	if (managed)
		return devm_msi_create_table(&pdev->dev, &pci_ims_template, info);
	return msi_create_table(&pdev->dev, &pci_ims_template, info);
}

/**
 * pci_create_msi_table - Create an IMS table for a PCI device
 * @pdev:	The PCI device
 * @info:	Description of the table and its message store
 *
 * Creates an MSI table for an interrupt message store which the device
 * defines itself (IMS), e.g. an array of message slots in device memory
 * or message fields in queue contexts in system memory. It may be called
 * in probe or later, any number of times, before or after MSI or MSI-X
 * of the same device is enabled. Entries are allocated with
 * msi_table_alloc() and looked up with msi_get_virq().
 *
 * IMS is offered only by an MSI parent which translates every message
 * the store can emit: interrupt remapping of an IOMMU which does not
 * run in the mode of a hypervisor's emulation (Intel: caching mode,
 * AMD: NpCache). Otherwise the call fails with -EOPNOTSUPP and logs one
 * line which names the reason; a driver then keeps to MSI or MSI-X.
 *
 * The MSI parent may bound the interrupts of a device in all its tables
 * together: AMD's interrupt remapping has 512 per requester ID, shared
 * with MSI-X, beyond which msi_table_alloc() fails with -ENOSPC.
 *
 * The table must be destroyed with msi_destroy_table() before the driver
 * is unbound from @pdev.
 *
 * Context: Process context; may sleep.
 * Return: The table, or an ERR_PTR(): -EOPNOTSUPP when the platform does
 * not offer IMS for @pdev, otherwise the errors of msi_create_table().
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
 * Context: Process context; may sleep.
 * Return: The table, or an ERR_PTR() as for pci_create_msi_table().
 */
struct msi_table *devm_pci_create_msi_table(struct pci_dev *pdev,
					    const struct msi_table_info *info)
{
	return __pci_create_msi_table(pdev, info, true);
}
EXPORT_SYMBOL_GPL(devm_pci_create_msi_table);
