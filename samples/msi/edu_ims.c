// SPDX-License-Identifier: GPL-2.0
/*
 * IMS sample driver for QEMU's edu device (PCI 1234:11e8).
 *
 * The edu device has PCI MSI and a DMA engine which copies between
 * system memory and a buffer of its own. This driver gives it an
 * interrupt message store (IMS) in system memory: an array of slots
 * with address, data and a control word whose bit 0 masks the entry.
 * An entry fires by the device copying the entry's DATA from the store
 * into its buffer and from there to the entry's ADDRESS: a memory write
 * of DATA to ADDRESS on the bus, which is what a message signalled
 * interrupt is. The device's own MSI signals the end of each copy, so
 * MSI and IMS interrupts of one device are in use at the same time.
 *
 * The driver does what the message engine of an IMS device does in
 * hardware: it reads ADDRESS from the slot and does not send anything
 * while the entry is masked.
 *
 * Devices named in the ims_only parameter use no MSI at all: probe
 * creates a table, allocates one entry, requests its interrupt and
 * fires it once, polling the DMA engine for completion. That is the
 * simplest IMS driver there is.
 *
 * With keep_firing set, every device keeps two IMS entries firing in
 * turn, one of them on the last CPU, from probe until its removal, which
 * stops the firing and reports the messages sent against the interrupts
 * handled. That is for driver unbind, PCI remove and hot-unplug tests
 * with live interrupts; the KUnit tests are not meant to run with it.
 *
 * QEMU: -device edu,dma_mask=0xffffffff, so that the device can reach
 * the MSI address range.
 */
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
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

/* The device needs 100 ms of guest time for a DMA */
#define EDU_DMA_TIMEOUT_MS	5000

static char *ims_only;
module_param(ims_only, charp, 0444);
MODULE_PARM_DESC(ims_only, "Comma separated PCI names of edu devices to drive with IMS only");

static bool keep_firing;
module_param(keep_firing, bool, 0444);
MODULE_PARM_DESC(keep_firing, "Keep two IMS entries of every device firing until it is removed");

static LIST_HEAD(edu_ims_devices);
static DEFINE_MUTEX(edu_ims_devices_lock);

/* The message store callbacks: the store is in system memory */
static struct edu_ims_slot *edu_ims_slot(struct msi_table *table,
					 struct msi_desc *desc)
{
	struct edu_ims *edu = table->data;

	return &edu->store[desc->msi_index];
}

static void edu_ims_write_msg(struct msi_table *table, struct msi_desc *desc,
			      const struct msi_msg *msg)
{
	struct edu_ims_slot *slot = edu_ims_slot(table, desc);

	WRITE_ONCE(slot->addr_lo, cpu_to_le32(msg->address_lo));
	WRITE_ONCE(slot->addr_hi, cpu_to_le32(msg->address_hi));
	WRITE_ONCE(slot->data, cpu_to_le32(msg->data));
}

static void edu_ims_update_ctrl(struct edu_ims_slot *slot, u32 clear, u32 set)
{
	u32 ctrl = le32_to_cpu(READ_ONCE(slot->ctrl));

	WRITE_ONCE(slot->ctrl, cpu_to_le32((ctrl & ~clear) | set));
}

static void edu_ims_mask(struct msi_table *table, struct msi_desc *desc)
{
	edu_ims_update_ctrl(edu_ims_slot(table, desc), 0, EDU_IMS_CTRL_MASK);
}

static void edu_ims_unmask(struct msi_table *table, struct msi_desc *desc)
{
	edu_ims_update_ctrl(edu_ims_slot(table, desc), EDU_IMS_CTRL_MASK, 0);
}

/* A slot is empty and masked while its entry is not in use */
static void edu_ims_reset_slot(struct msi_table *table, struct msi_desc *desc)
{
	struct edu_ims_slot *slot = edu_ims_slot(table, desc);

	WRITE_ONCE(slot->addr_lo, 0);
	WRITE_ONCE(slot->addr_hi, 0);
	WRITE_ONCE(slot->data, 0);
	WRITE_ONCE(slot->ctrl, cpu_to_le32(EDU_IMS_CTRL_MASK));
}

static int edu_ims_prepare_desc(struct msi_table *table, struct msi_desc *desc)
{
	edu_ims_reset_slot(table, desc);
	return 0;
}

static const struct msi_table_ops edu_ims_store_ops = {
	.write_msg	= edu_ims_write_msg,
	.mask		= edu_ims_mask,
	.unmask		= edu_ims_unmask,
	.prepare_desc	= edu_ims_prepare_desc,
	.release_desc	= edu_ims_reset_slot,
};

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
	wake_up(&entry->edu->wq);
	return IRQ_HANDLED;
}

/* Copy @len bytes with the device's DMA engine and wait until it is done */
static int edu_dma(struct edu_ims *edu, u32 src, u32 dst, u32 len, u32 dir)
{
	u32 cmd = EDU_DMA_START | dir;
	int ret = 0;

	if (!edu->ims_only) {
		reinit_completion(&edu->dma_done);
		cmd |= EDU_DMA_IRQ;
	}
	writel(src, edu->mmio + EDU_DMA_SRC);
	writel(dst, edu->mmio + EDU_DMA_DST);
	writel(len, edu->mmio + EDU_DMA_COUNT);
	writel(cmd, edu->mmio + EDU_DMA_CMD);

	if (edu->ims_only)
		return readl_poll_timeout(edu->mmio + EDU_DMA_CMD, cmd,
					  !(cmd & EDU_DMA_START), 10000,
					  EDU_DMA_TIMEOUT_MS * 1000);
	if (!wait_for_completion_timeout(&edu->dma_done,
					 msecs_to_jiffies(EDU_DMA_TIMEOUT_MS)))
		ret = -ETIMEDOUT;
	return ret;
}

/**
 * edu_ims_fire - Let the device send the message of an IMS entry
 * @edu:	The device
 * @index:	The entry
 *
 * Return: 0 when the message was sent, -EAGAIN when the entry is masked
 * and nothing was sent, another error code when the device failed.
 */
int edu_ims_fire(struct edu_ims *edu, unsigned int index)
{
	struct edu_ims_slot *slot = &edu->store[index];
	dma_addr_t data = edu->store_dma + index * sizeof(*slot) +
			  offsetof(struct edu_ims_slot, data);
	u32 addr_lo, addr_hi;
	int ret;

	mutex_lock(&edu->dma_lock);
	if (le32_to_cpu(READ_ONCE(slot->ctrl)) & EDU_IMS_CTRL_MASK) {
		ret = -EAGAIN;
		goto unlock;
	}
	addr_lo = le32_to_cpu(READ_ONCE(slot->addr_lo));
	addr_hi = le32_to_cpu(READ_ONCE(slot->addr_hi));
	/* The device addresses 32 bits: dma_mask=0xffffffff */
	if (addr_hi || !addr_lo) {
		ret = -ERANGE;
		goto unlock;
	}
	ret = edu_dma(edu, data, EDU_BUFFER, sizeof(u32), 0);
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
 * edu_ims_wait - Wait until an IMS entry's handler ran @handled times
 * @edu:	The device
 * @index:	The entry
 * @handled:	The count to wait for
 *
 * Return: true if the count was reached within a second.
 */
bool edu_ims_wait(struct edu_ims *edu, unsigned int index, int handled)
{
	struct edu_ims_entry *entry = &edu->entries[index];

	return wait_event_timeout(edu->wq, atomic_read(&entry->handled) >= handled,
				  HZ) > 0;
}

/**
 * edu_ims_add - Allocate an IMS entry and request its interrupt
 * @edu:	The device
 * @index:	The index, or %MSI_ANY_INDEX
 *
 * disable_irq() masks the entry right away (IRQ_DISABLE_UNLAZY), so the
 * device sends nothing while the interrupt is disabled.
 *
 * Return: the index of the entry, or an error code.
 */
int edu_ims_add(struct edu_ims *edu, unsigned int index)
{
	struct edu_ims_entry *entry;
	struct msi_map map;
	int ret;

	map = msi_table_alloc(edu->table, index, NULL, NULL);
	if (map.index < 0)
		return map.index;

	entry = &edu->entries[map.index];
	atomic_set(&entry->sent, 0);
	atomic_set(&entry->handled, 0);
	entry->last_cpu = -1;
	snprintf(entry->name, sizeof(entry->name), "edu-ims%d", map.index);
	irq_set_status_flags(map.virq, IRQ_DISABLE_UNLAZY);
	ret = request_irq(map.virq, edu_ims_handler, 0, entry->name, entry);
	if (ret) {
		irq_clear_status_flags(map.virq, IRQ_DISABLE_UNLAZY);
		msi_table_free(edu->table, map.index);
		return ret;
	}
	entry->virq = map.virq;
	return map.index;
}

/**
 * edu_ims_remove - Free the interrupt and the IMS entry at @index
 * @edu:	The device
 * @index:	The index
 */
void edu_ims_remove(struct edu_ims *edu, unsigned int index)
{
	struct edu_ims_entry *entry = &edu->entries[index];

	if (!entry->virq)
		return;
	free_irq(entry->virq, entry);
	irq_clear_status_flags(entry->virq, IRQ_DISABLE_UNLAZY);
	WARN_ON_ONCE(msi_table_free(edu->table, index));
	entry->virq = 0;
}

/**
 * edu_ims_find - Find a bound edu device
 * @ims_only:	Whether to look for a device in IMS only mode
 *
 * Return: the first such device with an IMS table, or %NULL.
 */
struct edu_ims *edu_ims_find(bool ims_only)
{
	struct edu_ims *edu, *found = NULL;

	mutex_lock(&edu_ims_devices_lock);
	list_for_each_entry(edu, &edu_ims_devices, node) {
		/* A device in the keep_firing mode is not for tests */
		if (edu->ims_only == ims_only && edu->table && !edu->firing) {
			found = edu;
			break;
		}
	}
	mutex_unlock(&edu_ims_devices_lock);
	return found;
}

static bool edu_ims_only_mode(struct pci_dev *pdev)
{
	const char *name = pci_name(pdev), *p = ims_only;
	size_t len = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

/* The simplest IMS driver: one entry, its interrupt, one message */
static int edu_ims_only_probe(struct edu_ims *edu)
{
	int index;

	index = edu_ims_add(edu, MSI_ANY_INDEX);
	if (index < 0)
		return index;
	if (edu_ims_fire(edu, index) || !edu_ims_wait(edu, index, 1))
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
 * Stop firing and wait for the last message to be handled. The count is
 * taken once the interrupts are freed (free_irq() waits for a running
 * handler), so that every message the device sent must have run the
 * handler exactly once.
 */
static void edu_ims_stop_firing(struct edu_ims *edu)
{
	unsigned int i;

	cancel_work_sync(&edu->fire_work);
	for (i = 0; i < 2; i++)
		edu_ims_wait(edu, edu->fire_index[i],
			     atomic_read(&edu->entries[edu->fire_index[i]].sent));
}

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

static int edu_ims_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct msi_table_info info = {
		.name	= "edu-ims",
		.hwsize	= EDU_IMS_SLOTS,
		.ops	= &edu_ims_store_ops,
	};
	struct edu_ims *edu;
	unsigned int i;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	edu->ims_only = edu_ims_only_mode(pdev);
	mutex_init(&edu->dma_lock);
	init_completion(&edu->dma_done);
	init_waitqueue_head(&edu->wq);
	INIT_WORK(&edu->fire_work, edu_ims_fire_work);
	INIT_LIST_HEAD(&edu->node);
	for (i = 0; i < EDU_IMS_SLOTS; i++)
		edu->entries[i].edu = edu;
	pci_set_drvdata(pdev, edu);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), "edu-ims");
	if (ret)
		return ret;
	edu->mmio = pcim_iomap_table(pdev)[0];
	if ((readl(edu->mmio + EDU_IDENT) & 0xff) != 0xed)
		return -ENODEV;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	edu->store = dmam_alloc_coherent(&pdev->dev, EDU_IMS_SLOTS * sizeof(*edu->store),
					 &edu->store_dma, GFP_KERNEL);
	if (!edu->store)
		return -ENOMEM;

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

	info.data = edu;
	edu->table = devm_pci_create_msi_table(pdev, &info);
	if (IS_ERR(edu->table)) {
		ret = PTR_ERR(edu->table);
		edu->table = NULL;
		/* The device still works with its MSI */
		if (edu->ims_only)
			return ret;
		pci_info(pdev, "IMS table: %pe, using MSI only\n", ERR_PTR(ret));
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

	mutex_lock(&edu_ims_devices_lock);
	list_add_tail(&edu->node, &edu_ims_devices);
	mutex_unlock(&edu_ims_devices_lock);
	return 0;

remove:
	for (i = 0; i < EDU_IMS_SLOTS; i++)
		edu_ims_remove(edu, i);
	return ret;
}

static void edu_ims_remove_device(struct pci_dev *pdev)
{
	struct edu_ims *edu = pci_get_drvdata(pdev);
	unsigned int i;

	mutex_lock(&edu_ims_devices_lock);
	list_del(&edu->node);
	mutex_unlock(&edu_ims_devices_lock);
	if (edu->firing)
		edu_ims_stop_firing(edu);
	for (i = 0; i < EDU_IMS_SLOTS; i++)
		edu_ims_remove(edu, i);
	if (edu->firing)
		edu_ims_report_firing(edu);
	/* The table goes with the device's resources */
}

static const struct pci_device_id edu_ims_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ims_ids);

static struct pci_driver edu_ims_driver = {
	.name		= "edu-ims",
	.id_table	= edu_ims_ids,
	.probe		= edu_ims_probe,
	.remove		= edu_ims_remove_device,
};
module_pci_driver(edu_ims_driver);

MODULE_DESCRIPTION("IMS sample driver for QEMU's edu device");
MODULE_LICENSE("GPL");
