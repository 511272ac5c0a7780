// SPDX-License-Identifier: GPL-2.0
/*
 * Work queue completion interrupts from the Interrupt Message Store (IMS)
 *
 * A DSA or IAA device may have an IMS next to its MSI-X table: an array
 * of GENCAP.max_ims_mult * 256 entries at the IMS offset of BAR0, each
 * laid out as an entry of the common IMS array store. When the ims
 * module parameter asks for it and the platform allows IMS, the work
 * queue interrupts come from it: work queue N completes through IMS
 * entry N, which is allocated while the work queue has its interrupt
 * requested, and MSI-X carries only the misc interrupt (vector 0).
 *
 * A descriptor names its completion interrupt by an interrupt handle,
 * and the portal it is written to selects the table which the handle
 * refers to: a kernel work queue whose interrupt is an IMS entry
 * submits through its IMS portal (idxd_wq_submit_portal_offset()). IMS
 * is only used on devices which issue interrupt handles, with
 * IDXD_CMD_REQUEST_INT_HANDLE and CMD_INT_HANDLE_IMS for an IMS entry; a
 * device without the command stays on MSI-X, where the driver uses the
 * table index as the handle.
 *
 * The PASID permission which MSI-X keeps in a separate table indexed
 * like the MSI-X table is part of the IMS entry itself: bit 3 of the
 * control dword enables it, bits 12-31 hold the PASID. It is the
 * entry's cookie, which the common store turns into those bits each
 * time it writes the entry; the store only owns the mask bit.
 */
#include <linux/bitfield.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>

#include "idxd.h"
#include "registers.h"

/*
 * The cookie of an IMS entry: 0 for an entry which any work may signal,
 * IDXD_IMS_COOKIE_PASID | pasid for one restricted to a PASID
 */
#define IDXD_IMS_COOKIE_PASID	BIT_ULL(63)

/* The number of IMS entries of the device, 0 without IMS */
static unsigned int idxd_ims_size(struct idxd_device *idxd)
{
	if (!idxd->ims_offset)
		return 0;
	return idxd->hw.gen_cap.max_ims_mult * IDXD_IMS_ENTRIES_MULT;
}

/*
 * The device specific control bits of an entry with @icookie. Called
 * under the interrupt descriptor's raw spinlock when the entry's message
 * is written, so it only computes.
 */
static int idxd_ims_ctrl_bits(struct pci_ims_array *array,
			      const union msi_instance_cookie *icookie, u32 *bits)
{
	u64 pasid = icookie->value & ~IDXD_IMS_COOKIE_PASID;

	if (!icookie->value) {
		*bits = 0;
		return 0;
	}
	if (!(icookie->value & IDXD_IMS_COOKIE_PASID) ||
	    pasid > FIELD_MAX(IDXD_IMS_CTRL_PASID))
		return -EINVAL;

	*bits = IDXD_IMS_CTRL_PASID_EN | FIELD_PREP(IDXD_IMS_CTRL_PASID, pasid);
	return 0;
}

/*
 * Why the device cannot take its work queue interrupts from IMS, or NULL.
 * An IMS has an entry per work queue: WQCAP.num_wqs has 8 bits, and IMS
 * comes in units of 256 entries.
 */
static const char *idxd_ims_unusable(struct idxd_device *idxd)
{
	if (!idxd_ims_size(idxd))
		return "the device has no IMS";
	if (!idxd->request_int_handles)
		return "the device cannot issue interrupt handles";
	return NULL;
}

/**
 * idxd_ims_setup - Create the IMS table of a device if it can use one
 * @idxd:	The device, with its capabilities and table offsets read
 *
 * Called in probe when the ims module parameter is set, before MSI-X is
 * enabled. Sets &idxd_device.ims_table when the work queue interrupts
 * are to come from IMS. Where the device has no usable IMS, the platform
 * does not allow IMS (pci_create_msi_table() logs why) or the table
 * cannot be created, the work queue interrupts stay on MSI-X.
 *
 * Context: Process context (probe).
 */
void idxd_ims_setup(struct idxd_device *idxd)
{
	struct device *dev = &idxd->pdev->dev;
	struct msi_table_info info;
	struct msi_table *table;
	const char *why;
	int rc;

	why = idxd_ims_unusable(idxd);
	if (why) {
		dev_info(dev, "No IMS for work queue interrupts: %s\n", why);
		return;
	}

	/*
	 * Every control bit but the mask is set from the entry's cookie,
	 * reserved ones to 0, so that nothing a former user of the entry
	 * or a reset left there survives an allocation or a restore. The
	 * core masks the free slots through the store as it creates the table.
	 */
	idxd->ims_array.base = idxd->reg_base + idxd->ims_offset;
	idxd->ims_array.ctrl_mask = IDXD_IMS_CTRL_DRIVER;
	idxd->ims_array.ctrl_bits = idxd_ims_ctrl_bits;
	rc = pci_ims_array_init_info(&info, "idxd-ims", &idxd->ims_array,
				     idxd_ims_size(idxd));
	if (rc) {
		dev_warn(dev, "No IMS for work queue interrupts: %d\n", rc);
		return;
	}

	table = pci_create_msi_table(idxd->pdev, &info);
	if (IS_ERR(table)) {
		/* A refusal of the platform is logged with its reason */
		if (PTR_ERR(table) != -EOPNOTSUPP)
			dev_warn(dev, "No IMS for work queue interrupts: %pe\n", table);
		return;
	}

	idxd->ims_table = table;
	dev_info(dev, "Work queue interrupts from IMS (%u entries)\n",
		 idxd_ims_size(idxd));
}

/**
 * idxd_ims_cleanup - Destroy the IMS table of a device
 * @idxd:	The device, whose work queue interrupts are all freed
 *
 * Context: Process context (remove, or probe's error path).
 */
void idxd_ims_cleanup(struct idxd_device *idxd)
{
	if (!idxd->ims_table)
		return;

	WARN_ON_ONCE(msi_destroy_table(idxd->ims_table));
	idxd->ims_table = NULL;
}

/**
 * idxd_ims_restore - Write the IMS entries in use to the device again
 * @idxd:	The device
 *
 * The IMS is device memory which a reset may clear, and unlike the MSI-X
 * table, which the PCI core saves and restores around a function reset,
 * it is the driver's to restore: the free slots are masked, and each
 * entry in use gets its message, its PASID permission and its mask
 * again, under the table's lock. Nothing to do without IMS.
 *
 * Context: Process context, not under &idxd_device.dev_lock; may sleep.
 */
void idxd_ims_restore(struct idxd_device *idxd)
{
	/* msi_table_restore() takes the table's mutex: not under dev_lock */
	might_sleep();
	if (!idxd->ims_table)
		return;

	WARN_ON_ONCE(msi_table_restore(idxd->ims_table));
}

/**
 * idxd_ims_alloc_entry - Allocate the IMS entry of a work queue interrupt
 * @idxd:	The device
 * @ie:		The work queue's interrupt entry; @ie->id is the IMS index
 *
 * Unless @ie->pasid is %IOMMU_PASID_INVALID, the entry only accepts work
 * submitted with that PASID, as the MSI-X permission table entry of an
 * MSI-X vector does. On success @ie->vector is the entry's interrupt,
 * masked until it is requested.
 *
 * Context: Process context, under the work queue's lock; may sleep.
 *
 * Return: 0, or the error of msi_table_alloc().
 */
int idxd_ims_alloc_entry(struct idxd_device *idxd, struct idxd_irq_entry *ie)
{
	union msi_instance_cookie icookie = { };
	struct msi_map map;

	if (ie->pasid != IOMMU_PASID_INVALID)
		icookie.value = IDXD_IMS_COOKIE_PASID | ie->pasid;

	map = msi_table_alloc(idxd->ims_table, ie->id, &icookie, NULL);
	if (map.index < 0)
		return map.index;

	ie->vector = map.virq;
	return 0;
}

/**
 * idxd_ims_free_entry - Free the IMS entry of a work queue interrupt
 * @idxd:	The device
 * @ie:		The work queue's interrupt entry, whose interrupt is freed
 *
 * The entry is left masked and without a PASID for its next user.
 *
 * Context: Process context, under the work queue's lock; may sleep.
 */
void idxd_ims_free_entry(struct idxd_device *idxd, struct idxd_irq_entry *ie)
{
	WARN_ON_ONCE(msi_table_free(idxd->ims_table, ie->id));
}
