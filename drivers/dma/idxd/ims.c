// SPDX-License-Identifier: GPL-2.0
/*
 * Work queue completion interrupts from the device's Interrupt Message
 * Store (IMS).
 *
 * A DSA or IAA device may have an IMS array next to its MSI-X table: a
 * 16-byte slot per entry (message address, data and a control word with
 * a mask bit and a PASID tag) at BAR0 + the IMS offset of the table
 * offsets register, max_ims_mult * 256 slots. The MSI-X table then only
 * needs the misc interrupt (vector 0): work queue N completes through
 * IMS entry N, whose interrupt is allocated when the work queue asks for
 * it and freed when it is done with it. Without IMS, or where the
 * platform does not allow it, work queues use MSI-X vectors 1..N as the
 * 6.1 driver did.
 */
#include <linux/msi_table.h>
#include <linux/pci.h>

#include "idxd.h"

/* Entries of the IMS array per unit of gen_cap.max_ims_mult */
#define IDXD_IMS_MULT		256

/* The number of IMS array slots, 0 if the device has no IMS */
static unsigned int idxd_ims_size(struct idxd_device *idxd)
{
	if (!idxd->ims_offset)
		return 0;
	return idxd->hw.gen_cap.max_ims_mult * IDXD_IMS_MULT;
}

/*
 * A descriptor names its completion interrupt by an interrupt handle.
 * Only a handle from IDXD_CMD_REQUEST_INT_HANDLE with the IMS flag can
 * refer to an IMS entry (without the command the handle is the MSI-X
 * table index), so IMS needs that command and a slot per work queue.
 */
static bool idxd_ims_usable(struct idxd_device *idxd)
{
	unsigned int size = idxd_ims_size(idxd);

	return idxd->request_int_handles && size && size >= idxd->max_wqs;
}

/**
 * idxd_ims_setup - Create the IMS table of a device if it can use one
 * @idxd:	The device, with its capabilities and table offsets read
 *
 * Sets &idxd_device.ims_table when the work queues' completion
 * interrupts are to come from IMS. Where the platform does not allow
 * IMS for the device, or the table cannot be created, the work queues
 * stay on MSI-X as without IMS.
 */
void idxd_ims_setup(struct idxd_device *idxd)
{
	struct device *dev = &idxd->pdev->dev;
	struct msi_table_info info;
	struct msi_table *table;

	if (!idxd_ims_usable(idxd))
		return;

	pci_ims_array_init_info(&info, "idxd-ims",
				idxd->reg_base + idxd->ims_offset,
				idxd_ims_size(idxd));
	table = pci_create_msi_table(idxd->pdev, &info);
	if (IS_ERR(table)) {
		/* pci_create_msi_table() said why for -EOPNOTSUPP */
		if (PTR_ERR(table) == -EOPNOTSUPP)
			dev_info(dev, "Work queue interrupts use MSI-X\n");
		else
			dev_warn(dev, "No IMS table (%pe), work queue interrupts use MSI-X\n",
				 table);
		return;
	}

	idxd->ims_table = table;
	dev_dbg(dev, "Work queue interrupts use IMS (%u entries)\n",
		idxd_ims_size(idxd));
}

/**
 * idxd_ims_cleanup - Destroy the IMS table of a device
 * @idxd:	The device
 *
 * All work queue interrupts must have been freed.
 */
void idxd_ims_cleanup(struct idxd_device *idxd)
{
	if (!idxd->ims_table)
		return;
	WARN_ON_ONCE(msi_destroy_table(idxd->ims_table));
	idxd->ims_table = NULL;
}

/**
 * idxd_ims_alloc_entry - Allocate the IMS entry of a work queue interrupt
 * @idxd:	The device
 * @ie:		The interrupt entry of the work queue; @ie->id is the slot
 *
 * Unless @ie->pasid is %INVALID_IOASID, the entry is restricted to
 * work submitted with that PASID, which for an MSI-X vector is what its
 * entry of the MSI-X permission table does. On success @ie->vector is
 * the entry's interrupt, still masked until it is requested.
 *
 * Return: 0 on success, a negative error code of msi_table_alloc()
 * otherwise.
 */
int idxd_ims_alloc_entry(struct idxd_device *idxd, struct idxd_irq_entry *ie)
{
	union msi_entry_cookie cookie = { };
	struct msi_map map;

	if (ie->pasid != INVALID_IOASID)
		cookie.value = PCI_IMS_ARRAY_PASID_COOKIE(ie->pasid);

	map = msi_table_alloc(idxd->ims_table, ie->id, &cookie, NULL);
	if (map.index < 0)
		return map.index;

	ie->vector = map.virq;
	return 0;
}

/**
 * idxd_ims_free_entry - Free the IMS entry of a work queue interrupt
 * @idxd:	The device
 * @ie:		The interrupt entry, whose interrupt has been freed
 *
 * The slot is masked and loses its PASID.
 */
void idxd_ims_free_entry(struct idxd_device *idxd, struct idxd_irq_entry *ie)
{
	WARN_ON_ONCE(msi_table_free(idxd->ims_table, ie->id));
}
