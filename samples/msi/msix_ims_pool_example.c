// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X and IMS pool example: a made-up PCI device with a small MSI-X
 * table and a large IMS array in its BAR 2, in the common layout of
 * <linux/pci-ims.h>. MSI-X entry 0 is the device's misc interrupt.
 * Each queue signals either an MSI-X entry or an IMS entry, which its
 * interrupt register names; a queue takes a free MSI-X entry while
 * there is one, and an IMS entry after that. Where the platform
 * refuses IMS, the device runs with as many queues as MSI-X serves.
 *
 * See Documentation/core-api/msi-tables.rst.
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>

#define POOLX_IMS_OFFSET	0x10	/* Offset of the IMS array in BAR 2 */
#define POOLX_IMS_SLOTS		0x14	/* Number of slots of the IMS array */
#define POOLX_MISC_STATUS	0x18	/* Write 1s to clear */
#define POOLX_QUEUE_IRQ(q)	(0x1000 + (q) * 16)
#define  POOLX_QUEUE_IRQ_IMS	BIT(30)	/* The index is an IMS index */
#define  POOLX_QUEUE_IRQ_OFF	BIT(31)	/* Signal nothing */
#define POOLX_NR_QUEUES		64

struct poolx;

struct poolx_queue {
	struct poolx		*poolx;
	unsigned int		nr;
	/* pci_msi_table() or the IMS table; NULL without an interrupt */
	struct msi_table	*table;
	unsigned int		index;
};

struct poolx {
	struct pci_dev		*pdev;
	void __iomem		*regs;
	struct pci_ims_array	array;
	struct msi_table	*ims;	/* NULL where IMS is refused */
	struct poolx_queue	queue[POOLX_NR_QUEUES];
};

static irqreturn_t poolx_misc_irq(int irq, void *data)
{
	struct poolx *poolx = data;
	u32 status = readl(poolx->regs + POOLX_MISC_STATUS);

	writel(status, poolx->regs + POOLX_MISC_STATUS);
	return status ? IRQ_HANDLED : IRQ_NONE;
}

static irqreturn_t poolx_queue_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

/* msi-tables.rst: begin queue interrupts */
/*
 * Process context, at any time after probe; the caller serializes the
 * calls for a device. MSI-X entries are added to the enabled MSI-X
 * table with pci_msix_alloc_irq_at(), IMS entries with
 * msi_table_alloc(): msi_table_alloc() refuses the MSI-X table.
 */
static int poolx_queue_get_irq(struct poolx_queue *q)
{
	struct poolx *poolx = q->poolx;
	struct pci_dev *pdev = poolx->pdev;
	struct msi_map map = { .index = -ENOSPC };
	struct msi_table *table = NULL;
	u32 route;
	int ret;

	/*
	 * Where the MSI parent cannot add entries to enabled MSI-X, every
	 * queue goes to IMS. A full MSI-X table gives -EBUSY.
	 */
	if (pci_msix_can_alloc_dyn(pdev)) {
		map = pci_msix_alloc_irq_at(pdev, MSI_ANY_INDEX, NULL);
		if (map.index >= 0)
			table = pci_msi_table(pdev);
	}
	/* A full IMS table gives -ENOSPC, as does a parent out of vectors */
	if (!table && poolx->ims) {
		map = msi_table_alloc(poolx->ims, MSI_ANY_INDEX, NULL, NULL);
		if (map.index >= 0)
			table = poolx->ims;
	}
	if (!table)
		return map.index;

	ret = request_irq(map.virq, poolx_queue_irq, 0, "poolx-queue", q);
	if (ret) {
		if (table == poolx->ims)
			msi_table_free(table, map.index);
		else
			pci_msix_free_irq(pdev, map);
		return ret;
	}
	q->table = table;
	q->index = map.index;

	route = q->index;
	if (table == poolx->ims)
		route |= POOLX_QUEUE_IRQ_IMS;
	writel(route, poolx->regs + POOLX_QUEUE_IRQ(q->nr));
	return 0;
}

/*
 * Either table answers msi_get_virq() with the index alone, without a
 * lock; the two kinds of entry are freed by different calls.
 */
static void poolx_queue_put_irq(struct poolx_queue *q)
{
	struct msi_map map = {
		.index	= q->index,
		.virq	= msi_get_virq(q->table, q->index),
	};

	writel(POOLX_QUEUE_IRQ_OFF, q->poolx->regs + POOLX_QUEUE_IRQ(q->nr));
	free_irq(map.virq, q);
	if (q->table == q->poolx->ims)
		msi_table_free(q->table, q->index);
	else
		pci_msix_free_irq(q->poolx->pdev, map);
	q->table = NULL;
}

/* msi-tables.rst: end queue interrupts */

/* msi-tables.rst: begin ims table */
/*
 * The IMS table, or NULL where the platform refuses IMS: the core has
 * logged the reason, and the device makes do with MSI-X. Device
 * managed: destroyed at unbind before the mapping of BAR 2 goes.
 */
static int poolx_create_ims(struct poolx *poolx)
{
	struct pci_dev *pdev = poolx->pdev;
	struct msi_table_info info;
	struct msi_table *ims;
	u32 offset, slots;
	void __iomem *bar2;
	int ret;

	bar2 = pcim_iomap_region(pdev, 2, KBUILD_MODNAME);
	if (IS_ERR(bar2))
		return PTR_ERR(bar2);
	offset = readl(poolx->regs + POOLX_IMS_OFFSET);
	slots = readl(poolx->regs + POOLX_IMS_SLOTS);
	if (!slots || offset + (u64)slots * PCI_IMS_ARRAY_ENTRY_SIZE >
	    pci_resource_len(pdev, 2))
		return -ENODEV;

	/*
	 * The store masks every slot when the table is created; where IMS
	 * is refused, no queue is routed to a slot.
	 */
	poolx->array.base = bar2 + offset;

	ret = pci_ims_array_init_info(&info, "poolx-ims", &poolx->array, slots);
	if (ret)
		return ret;
	ims = devm_pci_create_msi_table(pdev, &info);
	if (IS_ERR(ims)) {
		if (PTR_ERR(ims) != -EOPNOTSUPP)
			return PTR_ERR(ims);
		pci_info(pdev, "MSI-X only\n");
		ims = NULL;
	}
	poolx->ims = ims;
	return 0;
}

/* msi-tables.rst: end ims table */

static int poolx_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct poolx *poolx;
	unsigned int i;
	int ret;

	poolx = devm_kzalloc(&pdev->dev, sizeof(*poolx), GFP_KERNEL);
	if (!poolx)
		return -ENOMEM;
	poolx->pdev = pdev;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	poolx->regs = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(poolx->regs))
		return PTR_ERR(poolx->regs);
	pci_set_master(pdev);
	pci_set_drvdata(pdev, poolx);

	/*
	 * MSI-X with the misc interrupt only; queues add entries later.
	 * The PCI core frees the vectors at unbind (pcim_enable_device()),
	 * after the devm_request_irq() and the IMS table which follow.
	 */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	ret = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, 0),
			       poolx_misc_irq, 0, "poolx-misc", poolx);
	if (ret)
		return ret;

	ret = poolx_create_ims(poolx);
	if (ret)
		return ret;

	for (i = 0; i < POOLX_NR_QUEUES; i++) {
		poolx->queue[i].poolx = poolx;
		poolx->queue[i].nr = i;
		ret = poolx_queue_get_irq(&poolx->queue[i]);
		/* Out of interrupts: run with the queues started so far */
		if ((ret == -ENOSPC || ret == -EBUSY) && i > 0)
			break;
		if (ret)
			goto put_queues;
	}
	pci_info(pdev, "%u queues\n", i);
	return 0;

put_queues:
	while (i--)
		poolx_queue_put_irq(&poolx->queue[i]);
	return ret;
}

static void poolx_remove(struct pci_dev *pdev)
{
	struct poolx *poolx = pci_get_drvdata(pdev);
	unsigned int i;

	for (i = 0; i < POOLX_NR_QUEUES; i++) {
		if (poolx->queue[i].table)
			poolx_queue_put_irq(&poolx->queue[i]);
	}
	/* devres destroys the IMS table, frees the misc interrupt and MSI-X */
}

static const struct pci_device_id poolx_ids[] = {
	{ PCI_DEVICE(0x1234, 0xf003) },
	{ }
};
MODULE_DEVICE_TABLE(pci, poolx_ids);

static struct pci_driver poolx_driver = {
	.name		= "msix-ims-pool-example",
	.id_table	= poolx_ids,
	.probe		= poolx_probe,
	.remove		= poolx_remove,
};
module_pci_driver(poolx_driver);

MODULE_DESCRIPTION("Example driver pooling MSI-X and IMS interrupts");
MODULE_LICENSE("GPL");
