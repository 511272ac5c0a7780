// SPDX-License-Identifier: GPL-2.0
/*
 * IMS sample driver for QEMU's edu device (PCI 1234:11e8).
 *
 * The edu device has PCI MSI and a DMA engine which copies between
 * system memory and a buffer of its own. This driver gives it an
 * interrupt message store (IMS) in system memory: an array of slots
 * with address, data and a control dword whose bit 0 masks the entry.
 * An entry fires by the device copying the entry's DATA from the store
 * into its buffer and from there to the entry's ADDRESS: a memory write
 * of DATA to ADDRESS on the bus, which is what a message signalled
 * interrupt is. The device's own MSI signals the end of each copy, so
 * MSI and IMS interrupts of one device are in use at the same time.
 *
 * The store is the common IMS array store of <linux/pci-ims.h>, whose
 * slot layout is the one this driver's store had anyway. It is meant
 * for device memory and writes with writel(); here it writes coherent
 * system memory, cast to __iomem once, in probe. That is sound on x86,
 * which the driver depends on, and where only interrupt remapping
 * offers IMS: x86's readl()/writel() are plain ordered accesses, valid
 * on memory. In exchange the sample runs the array store's code end to
 * end (masking, the message, its deactivation), from the core's
 * callbacks to a message on the bus, instead of a copy of it.
 *
 * The driver plays the message engine of an IMS device: it reads the
 * slot's mask bit and ADDRESS before the copies and sends nothing while
 * the entry is masked. It reads them without the interrupt descriptor's
 * lock, which the core holds while it writes a slot. Behind interrupt
 * remapping a slot is written when its interrupt is requested, freed,
 * disabled or enabled (an affinity change rewrites the remapping entry
 * instead), and none of these overlaps a fire of the same entry.
 *
 * IMS needs interrupt remapping (pci_create_msi_table()). Where the
 * platform refuses it, the core logs the reason and the device keeps
 * to its MSI. Devices named in the ims_only parameter use no MSI at
 * all: probe creates a table, allocates one entry, requests its
 * interrupt and fires it once, polling the DMA engine for completion.
 * That is the simplest IMS driver there is; without IMS such a device
 * is not bound.
 *
 * With keep_firing set, every device with an IMS table keeps two
 * entries firing in turn, one of them on the last CPU, from probe until
 * its removal. The removal stops the firing, as a driver must before it
 * frees its interrupts, waits for the handler runs of the messages sent
 * and reports the messages sent against the interrupts handled: for
 * driver unbind, PCI remove and hot-unplug tests of a device whose
 * entries fire until its removal begins. The KUnit tests leave such a
 * device alone.
 *
 * QEMU: -device edu,dma_mask=0xffffffff. The device's default DMA mask
 * is 28 bits, and QEMU silently clamps the addresses of its DMA to it:
 * a message to 0xfeeXXXXX would become a write to guest memory, and a
 * store above 256 MiB would be read from the wrong place. The guest
 * cannot see the mask, so the driver cannot check it.
 */
#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/string.h>

#include "edu_ims.h"

#define EDU_IDENT		0x00
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_ACK		0x64
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define  EDU_DMA_START		0x1
#define  EDU_DMA_TO_RAM		0x2
#define  EDU_DMA_IRQ		0x4
/* The device's own buffer, as seen by its DMA engine */
#define EDU_BUFFER		0x40000
/* The interrupt status bit of a finished DMA */
#define EDU_IRQ_DMA		0x100

/* A test machine needs no more edu devices than this in the IMS only mode */
#define EDU_IMS_ONLY_MAX	8
static char *ims_only[EDU_IMS_ONLY_MAX];
static unsigned int nr_ims_only;
module_param_array(ims_only, charp, &nr_ims_only, 0444);
MODULE_PARM_DESC(ims_only, "Comma separated PCI names of edu devices to drive with IMS only");

static bool keep_firing;
module_param(keep_firing, bool, 0444);
MODULE_PARM_DESC(keep_firing, "Keep two IMS entries of every device firing until it is removed");

static void __iomem *edu_ims_slot(struct edu_ims *edu, unsigned int index)
{
	return edu->array.base + edu_ims_slot_offset(index);
}

static irqreturn_t edu_msi_handler(int irq, void *data)
{
	struct edu_ims *edu = data;
	u32 status = readl(edu->mmio + EDU_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;
	writel(status, edu->mmio + EDU_IRQ_ACK);
	atomic_inc(&edu->msi_handled);
	if (status & EDU_IRQ_DMA)
		complete(&edu->dma_done);
	return IRQ_HANDLED;
}

static irqreturn_t edu_ims_handler(int irq, void *data)
{
	struct edu_ims_entry *entry = data;

	WRITE_ONCE(entry->last_cpu, smp_processor_id());
	atomic_inc(&entry->handled);
	/* Counts: one wait per message */
	complete(&entry->delivered);
	return IRQ_HANDLED;
}

/* Copy @len bytes with the device's DMA engine and wait until it is done */
static int edu_dma(struct edu_ims *edu, u32 src, u32 dst, u32 len, u32 dir)
{
	u32 cmd = EDU_DMA_START | dir;

	lockdep_assert_held(&edu->dma_lock);
	if (!edu->ims_only) {
		reinit_completion(&edu->dma_done);
		cmd |= EDU_DMA_IRQ;
	}
	writel(src, edu->mmio + EDU_DMA_SRC);
	writel(dst, edu->mmio + EDU_DMA_DST);
	writel(len, edu->mmio + EDU_DMA_COUNT);
	writel(cmd, edu->mmio + EDU_DMA_CMD);

	/* Without MSI the engine's run bit is all there is to watch */
	if (edu->ims_only)
		return readl_poll_timeout(edu->mmio + EDU_DMA_CMD, cmd,
					  !(cmd & EDU_DMA_START), 10000,
					  EDU_IMS_WAIT_MS * USEC_PER_MSEC);
	if (!wait_for_completion_timeout(&edu->dma_done,
					 msecs_to_jiffies(EDU_IMS_WAIT_MS)))
		return -ETIMEDOUT;
	return 0;
}

/**
 * edu_msi_ping - Let the device raise its MSI once
 * @edu:	The device, not in the IMS only mode
 *
 * Copies a dword of the store into the device's buffer, which ends with
 * the device's MSI: the device's own interrupt, whatever the IMS policy.
 *
 * Context: Process context; may sleep.
 * Return: 0 when the copy was done and its interrupt handled, -EINVAL in
 * the IMS only mode, -ETIMEDOUT when the device did not finish.
 */
int edu_msi_ping(struct edu_ims *edu)
{
	int ret;

	if (edu->ims_only)
		return -EINVAL;
	mutex_lock(&edu->dma_lock);
	ret = edu_dma(edu, lower_32_bits(edu->store_dma + PCI_IMS_ARRAY_DATA),
		      EDU_BUFFER, sizeof(u32), 0);
	mutex_unlock(&edu->dma_lock);
	return ret;
}

/**
 * edu_ims_fire - Let the device send the message of an IMS entry
 * @edu:	The device
 * @index:	The entry's index
 *
 * The device's DMA engine copies the slot's DATA into its buffer and
 * from there to the slot's ADDRESS, which is the message. Each copy ends
 * with the device's MSI, except in the IMS only mode.
 *
 * Context: Process context; may sleep.
 * Return: 0 when the message was sent; -EAGAIN when the entry is masked
 * and nothing was sent; -ERANGE when the slot holds no message the
 * device can reach (none, or above 4 GiB); -EINVAL for an index beyond
 * the store; -ETIMEDOUT when the device did not finish.
 */
int edu_ims_fire(struct edu_ims *edu, unsigned int index)
{
	void __iomem *slot;
	dma_addr_t data;
	u32 addr_lo, addr_hi;
	int ret;

	if (index >= EDU_IMS_SLOTS)
		return -EINVAL;
	slot = edu_ims_slot(edu, index);
	data = edu->store_dma + edu_ims_slot_offset(index) + PCI_IMS_ARRAY_DATA;

	mutex_lock(&edu->dma_lock);
	if (readl(slot + PCI_IMS_ARRAY_CTRL) & PCI_IMS_ARRAY_CTRL_MASKBIT) {
		ret = -EAGAIN;
		goto unlock;
	}
	addr_lo = readl(slot + PCI_IMS_ARRAY_ADDR_LO);
	addr_hi = readl(slot + PCI_IMS_ARRAY_ADDR_HI);
	/* The device addresses 32 bits: dma_mask=0xffffffff */
	if (addr_hi || !addr_lo) {
		ret = -ERANGE;
		goto unlock;
	}
	ret = edu_dma(edu, lower_32_bits(data), EDU_BUFFER, sizeof(u32), 0);
	if (!ret)
		ret = edu_dma(edu, EDU_BUFFER, addr_lo, sizeof(u32), EDU_DMA_TO_RAM);
	if (!ret) {
		atomic_inc(&edu->entries[index].sent);
		atomic_inc(&edu->fired);
	}
unlock:
	mutex_unlock(&edu->dma_lock);
	return ret;
}

/**
 * edu_ims_wait - Wait for the next handler run of an IMS entry
 * @edu:	The device
 * @index:	The entry's index
 * @timeout_ms:	How long to wait
 *
 * Each handler run completes the entry's completion once, so that N
 * messages are N successful waits, whenever they arrive.
 *
 * Context: Process context; may sleep.
 * Return: true if the handler ran within @timeout_ms.
 */
bool edu_ims_wait(struct edu_ims *edu, unsigned int index, unsigned int timeout_ms)
{
	return wait_for_completion_timeout(&edu->entries[index].delivered,
					   msecs_to_jiffies(timeout_ms));
}

/**
 * edu_ims_add - Allocate an IMS entry and request its interrupt
 * @edu:	The device
 * @index:	The index, or %MSI_ANY_INDEX
 *
 * disable_irq() masks the entry in the store right away
 * (IRQ_DISABLE_UNLAZY), so that the mask bit the tests read is the
 * interrupt's state. A message the device drops for a masked slot is
 * lost, as the store has no pending bit: a driver of such a store
 * would normally keep the lazy disable, which masks only when a message
 * arrives while disabled and resends it on enable_irq().
 *
 * Context: Process context; may sleep.
 * Return: the index of the entry, or an error code: -EOPNOTSUPP without
 * an IMS table, else those of msi_table_alloc() and request_irq().
 */
int edu_ims_add(struct edu_ims *edu, unsigned int index)
{
	struct edu_ims_entry *entry;
	struct msi_map map;
	int ret;

	if (!edu->table)
		return -EOPNOTSUPP;
	map = msi_table_alloc(edu->table, index, NULL, NULL);
	if (map.index < 0)
		return map.index;

	entry = &edu->entries[map.index];
	atomic_set(&entry->sent, 0);
	atomic_set(&entry->handled, 0);
	entry->last_cpu = -1;
	reinit_completion(&entry->delivered);
	snprintf(entry->name, sizeof(entry->name), "edu-ims%d", map.index);
	/* The interrupt's own flag: it goes with the interrupt's free */
	irq_set_status_flags(map.virq, IRQ_DISABLE_UNLAZY);
	ret = request_irq(map.virq, edu_ims_handler, 0, entry->name, entry);
	if (ret) {
		WARN_ON_ONCE(msi_table_free(edu->table, map.index));
		return ret;
	}
	entry->virq = map.virq;
	return map.index;
}

/**
 * edu_ims_remove - Free the interrupt and the IMS entry at @index
 * @edu:	The device
 * @index:	The index; nothing happens when the entry is not allocated
 *
 * free_irq() waits for a running handler, so the entry's counts are
 * final when this returns.
 *
 * Context: Process context; may sleep.
 */
void edu_ims_remove(struct edu_ims *edu, unsigned int index)
{
	struct edu_ims_entry *entry = &edu->entries[index];

	if (!entry->virq)
		return;
	free_irq(entry->virq, entry);
	WARN_ON_ONCE(msi_table_free(edu->table, index));
	entry->virq = 0;
}

/**
 * edu_ims_only_named - Whether the ims_only parameter names a device
 * @pdev:	The PCI device
 *
 * Context: Any context.
 * Return: true if pci_name(@pdev) is in the comma separated list.
 */
bool edu_ims_only_named(struct pci_dev *pdev)
{
	return match_string((const char * const *)ims_only, nr_ims_only, pci_name(pdev)) >= 0;
}

/* The simplest IMS driver: one entry, its interrupt, one message */
static int edu_ims_only_probe(struct edu_ims *edu)
{
	int index;

	index = edu_ims_add(edu, MSI_ANY_INDEX);
	if (index < 0)
		return index;
	if (edu_ims_fire(edu, index) || !edu_ims_wait(edu, index, EDU_IMS_WAIT_MS))
		pci_warn(edu->pdev, "IMS only: entry %d did not deliver\n", index);
	pci_info(edu->pdev, "IMS only: entry %d irq %u: fired %d, handled %d\n",
		 index, edu->entries[index].virq, atomic_read(&edu->fired),
		 atomic_read(&edu->entries[index].handled));
	return 0;
}

static void edu_ims_fire_work(struct work_struct *work)
{
	struct edu_ims *edu = container_of(work, struct edu_ims, fire_work);
	int index = edu->fire_index[edu->fire_next & 1];
	int ret;

	edu->fire_next++;
	ret = edu_ims_fire(edu, index);
	if (ret) {
		/* E.g. the device is gone: its removal stops the work anyway */
		pci_warn(edu->pdev, "keep firing: entry %d: %pe, stopped\n",
			 index, ERR_PTR(ret));
		return;
	}
	queue_work(system_long_wq, work);
}

/* The keep_firing mode: the second entry's interrupt goes to the last CPU */
static int edu_ims_start_firing(struct edu_ims *edu)
{
	unsigned int cpu = cpumask_last(cpu_online_mask);
	int i, ret;

	for (i = 0; i < 2; i++) {
		ret = edu_ims_add(edu, MSI_ANY_INDEX);
		if (ret < 0)
			goto remove;
		edu->fire_index[i] = ret;
	}
	ret = irq_set_affinity(edu->entries[edu->fire_index[1]].virq, cpumask_of(cpu));
	if (ret)
		goto remove;
	edu->firing = true;
	queue_work(system_long_wq, &edu->fire_work);
	return 0;

remove:
	while (i--)
		edu_ims_remove(edu, edu->fire_index[i]);
	return ret;
}

/*
 * Stop firing and wait until every message sent ran its handler, so
 * that a lost message shows as a difference in the report, which is
 * taken once the interrupts are freed.
 */
static void edu_ims_stop_firing(struct edu_ims *edu)
{
	struct edu_ims_entry *entry;
	unsigned int i;

	cancel_work_sync(&edu->fire_work);
	for (i = 0; i < 2; i++) {
		entry = &edu->entries[edu->fire_index[i]];
		while (atomic_read(&entry->handled) < atomic_read(&entry->sent)) {
			if (!edu_ims_wait(edu, edu->fire_index[i], EDU_IMS_WAIT_MS))
				break;
		}
	}
}

/* The counts stay when the entries are freed */
static void edu_ims_report_firing(struct edu_ims *edu)
{
	int sent = 0, handled = 0;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		sent += atomic_read(&edu->entries[edu->fire_index[i]].sent);
		handled += atomic_read(&edu->entries[edu->fire_index[i]].handled);
	}
	pci_info(edu->pdev, "keep firing: sent %d, handled %d\n", sent, handled);
}

static void edu_ims_clear_master(void *pdev)
{
	pci_clear_master(pdev);
}

static int edu_ims_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct msi_table_info info;
	struct edu_ims *edu;
	unsigned int i;
	void *store;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	edu->ims_only = edu_ims_only_named(pdev);
	mutex_init(&edu->dma_lock);
	INIT_WORK(&edu->fire_work, edu_ims_fire_work);
	init_completion(&edu->dma_done);
	for (i = 0; i < EDU_IMS_SLOTS; i++) {
		edu->entries[i].edu = edu;
		init_completion(&edu->entries[i].delivered);
	}
	pci_set_drvdata(pdev, edu);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	edu->mmio = pcim_iomap_region(pdev, 0, "edu-ims");
	if (IS_ERR(edu->mmio))
		return PTR_ERR(edu->mmio);
	if ((readl(edu->mmio + EDU_IDENT) & 0xff) != 0xed)
		return -ENODEV;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;

	/*
	 * The store, see the top of the file. Released after the table,
	 * which devres destroys first, having been set up later.
	 */
	store = dmam_alloc_coherent(&pdev->dev, EDU_IMS_SLOTS * PCI_IMS_ARRAY_ENTRY_SIZE,
				    &edu->store_dma, GFP_KERNEL);
	if (!store)
		return -ENOMEM;
	/* No DMA of the device, e.g. one which timed out, outlives the store */
	ret = devm_add_action_or_reset(&pdev->dev, edu_ims_clear_master, pdev);
	if (ret)
		return ret;
	edu->array.base = (void __iomem __force *)store;
	/*
	 * As a device's store comes out of reset: every slot masked (the
	 * table masks its free slots again when it is created)
	 */
	for (i = 0; i < EDU_IMS_SLOTS; i++)
		writel(PCI_IMS_ARRAY_CTRL_MASKBIT, edu_ims_slot(edu, i) + PCI_IMS_ARRAY_CTRL);

	if (!edu->ims_only) {
		ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
		if (ret < 0)
			return ret;
		edu->msi_irq = pci_irq_vector(pdev, 0);
		ret = devm_request_irq(&pdev->dev, edu->msi_irq, edu_msi_handler,
				       0, "edu-msi", edu);
		if (ret)
			return ret;
	}

	ret = pci_ims_array_init_info(&info, "edu-ims", &edu->array, EDU_IMS_SLOTS);
	if (ret)
		return ret;
	edu->table = devm_pci_create_msi_table(pdev, &info);
	if (IS_ERR(edu->table)) {
		edu->table_err = PTR_ERR(edu->table);
		edu->table = NULL;
		/* Anything but the policy's refusal is a failure of the probe */
		if (edu->table_err != -EOPNOTSUPP)
			return dev_err_probe(&pdev->dev, edu->table_err,
					     "cannot create the IMS table\n");
		/*
		 * The core logged the reason of the refusal. An IMS only
		 * device has nothing else: -ENODEV leaves it unbound without
		 * the driver core's probe failure message.
		 */
		if (edu->ims_only) {
			pci_info(pdev, "IMS only: no IMS table, not binding\n");
			return -ENODEV;
		}
		pci_info(pdev, "using MSI only\n");
	}

	if (edu->ims_only) {
		ret = edu_ims_only_probe(edu);
		if (ret)
			return ret;
	}
	if (keep_firing && edu->table) {
		ret = edu_ims_start_firing(edu);
		if (ret)
			goto remove;
	}
	return 0;

remove:
	/* The table itself goes with the device's managed resources */
	for (i = 0; i < EDU_IMS_SLOTS; i++)
		edu_ims_remove(edu, i);
	return ret;
}

static void edu_ims_remove_device(struct pci_dev *pdev)
{
	struct edu_ims *edu = pci_get_drvdata(pdev);
	unsigned int i;

	if (edu->firing)
		edu_ims_stop_firing(edu);
	/*
	 * Free every interrupt of the table before devres destroys it,
	 * which it refuses (-EBUSY) while one is requested.
	 */
	for (i = 0; i < EDU_IMS_SLOTS; i++)
		edu_ims_remove(edu, i);
	if (edu->firing)
		edu_ims_report_firing(edu);
}

static const struct pci_device_id edu_ims_ids[] = {
	{ PCI_DEVICE(EDU_PCI_VENDOR, EDU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ims_ids);

/*
 * Synchronous probe: when module_init() returns, every edu device is
 * bound (or refused), and the IMS only mode's message in probe has been
 * handled or reported lost.
 */
struct pci_driver edu_ims_driver = {
	.name		= "edu-ims",
	.id_table	= edu_ims_ids,
	.probe		= edu_ims_probe,
	.remove		= edu_ims_remove_device,
	.driver.probe_type = PROBE_FORCE_SYNCHRONOUS,
};
module_pci_driver(edu_ims_driver);

MODULE_DESCRIPTION("IMS sample driver for QEMU's edu device");
MODULE_LICENSE("GPL");
