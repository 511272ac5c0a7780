// SPDX-License-Identifier: GPL-2.0
/*
 * IMS array example: a made-up PCI device without MSI or MSI-X whose
 * interrupts come from an IMS array in its BAR 0, in the common layout
 * of <linux/pci-ims.h>. Each of its four queues signals the slot whose
 * index the driver writes to the queue's interrupt register.
 *
 * Bits 7:4 of a slot's control dword choose one of the device's
 * interrupt moderation timers for the slot: device specific bits, which
 * the IMS array store takes from the entry's cookie through the
 * driver's ctrl_bits() callback.
 *
 * Everything is device managed. See Documentation/core-api/msi-tables.rst.
 */
#include <linux/bitfield.h>
#include <linux/container_of.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/pm.h>

#define IMSX_CTRL		0x00	/* Write 0 to stop every queue */
#define IMSX_NR_TIMERS		0x04	/* Number of moderation timers */
#define IMSX_IMS_OFFSET		0x08	/* Offset of the IMS array in BAR 0 */
#define IMSX_IMS_SLOTS		0x0c	/* Number of slots of the IMS array */
#define IMSX_QUEUE_IRQ(q)	(0x100 + (q) * 8)	/* Slot to signal */
#define IMSX_QUEUE_STATUS(q)	(0x104 + (q) * 8)	/* Write 1 to clear */
#define IMSX_SLOT_TIMER		GENMASK(7, 4)
#define IMSX_NR_QUEUES		4

struct imsx_queue {
	void __iomem		*regs;
	unsigned int		nr;
	atomic_t		completions;
};

struct imsx {
	void __iomem		*regs;
	unsigned int		nr_timers;
	/* The store's description, which the IMS table points to */
	struct pci_ims_array	array;
	struct msi_table	*ims;
	struct imsx_queue	queue[IMSX_NR_QUEUES];
};

/* msi-tables.rst: begin ctrl_bits */
/*
 * The device specific control bits of an entry whose cookie is @icookie:
 * called when the entry is allocated, where an error fails the
 * allocation, and each time its message is written, with the interrupt
 * descriptor's raw spinlock held. It only computes.
 */
static int imsx_ctrl_bits(struct pci_ims_array *array,
			  const union msi_instance_cookie *icookie, u32 *bits)
{
	struct imsx *imsx = container_of(array, struct imsx, array);

	if (icookie->value >= imsx->nr_timers)
		return -EINVAL;
	*bits = FIELD_PREP(IMSX_SLOT_TIMER, icookie->value);
	return 0;
}

/* msi-tables.rst: end ctrl_bits */

static irqreturn_t imsx_queue_irq(int irq, void *data)
{
	struct imsx_queue *q = data;

	writel(1, q->regs + IMSX_QUEUE_STATUS(q->nr));
	atomic_inc(&q->completions);
	return IRQ_HANDLED;
}

/* msi-tables.rst: begin restore */
/*
 * The PCI core restores MSI and MSI-X after a resume or a reset, but
 * not a store it does not know: write every entry of the array again,
 * and mask the slots nobody allocated, whatever the reset left there.
 * Which slot a queue signals is the device's own state, restored as
 * the rest of it: queue i signals slot i.
 */
static int imsx_restore(struct imsx *imsx)
{
	unsigned int i;
	int ret;

	ret = msi_table_restore(imsx->ims);
	if (ret)
		return ret;
	for (i = 0; i < IMSX_NR_QUEUES; i++)
		writel(i, imsx->regs + IMSX_QUEUE_IRQ(i));
	return 0;
}

static int imsx_resume(struct device *dev)
{
	return imsx_restore(dev_get_drvdata(dev));
}

static void imsx_reset_done(struct pci_dev *pdev)
{
	int ret;

	ret = imsx_restore(pci_get_drvdata(pdev));
	if (ret)
		pci_err(pdev, "cannot restore the IMS array: %d\n", ret);
}

/* msi-tables.rst: end restore */

/* msi-tables.rst: begin probe */
static int imsx_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct msi_table_info info;
	u32 offset, slots;
	struct imsx *imsx;
	unsigned int i;
	int ret;

	imsx = devm_kzalloc(&pdev->dev, sizeof(*imsx), GFP_KERNEL);
	if (!imsx)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	/* Mapped before the table is created, so unmapped after it goes */
	imsx->regs = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(imsx->regs))
		return PTR_ERR(imsx->regs);
	pci_set_drvdata(pdev, imsx);
	/* An interrupt message is a memory write of the device */
	pci_set_master(pdev);

	imsx->nr_timers = readl(imsx->regs + IMSX_NR_TIMERS);
	offset = readl(imsx->regs + IMSX_IMS_OFFSET);
	slots = readl(imsx->regs + IMSX_IMS_SLOTS);
	if (!imsx->nr_timers || imsx->nr_timers > 16 ||
	    slots < IMSX_NR_QUEUES ||
	    offset + (u64)slots * PCI_IMS_ARRAY_ENTRY_SIZE >
	    pci_resource_len(pdev, 0))
		return -ENODEV;

	/* The store masks every slot when the table is created */
	imsx->array.base = imsx->regs + offset;

	imsx->array.ctrl_mask = IMSX_SLOT_TIMER;
	imsx->array.ctrl_bits = imsx_ctrl_bits;
	ret = pci_ims_array_init_info(&info, "imsx", &imsx->array, slots);
	if (ret)
		return ret;
	/* -EOPNOTSUPP: the core logged why IMS is refused here */
	imsx->ims = devm_pci_create_msi_table(pdev, &info);
	if (IS_ERR(imsx->ims))
		return dev_err_probe(&pdev->dev, PTR_ERR(imsx->ims),
				     "no IMS table\n");

	for (i = 0; i < IMSX_NR_QUEUES; i++) {
		/* Queue 0 gets timer 0, the others share the last one */
		union msi_instance_cookie timer = {
			.value = i ? imsx->nr_timers - 1 : 0,
		};
		struct imsx_queue *q = &imsx->queue[i];
		struct msi_map map;

		q->regs = imsx->regs;
		q->nr = i;
		/*
		 * Slot i, masked, its moderation timer set. request_irq()
		 * writes the message and unmasks it. Where a later step
		 * fails, devres frees the interrupts and then the table
		 * with its entries.
		 */
		map = msi_table_alloc(imsx->ims, i, &timer, NULL);
		if (map.index < 0)
			return map.index;
		ret = devm_request_irq(&pdev->dev, map.virq, imsx_queue_irq, 0,
				       "imsx-queue", q);
		if (ret)
			return ret;
		writel(map.index, imsx->regs + IMSX_QUEUE_IRQ(i));
	}
	return 0;
}

/*
 * Only the device is stopped by hand. devres then releases in reverse
 * order: the interrupts, the table with its entries (which masks their
 * slots), the mapping of BAR 0.
 */
static void imsx_remove(struct pci_dev *pdev)
{
	struct imsx *imsx = pci_get_drvdata(pdev);

	writel(0, imsx->regs + IMSX_CTRL);
}

/* msi-tables.rst: end probe */

static DEFINE_SIMPLE_DEV_PM_OPS(imsx_pm_ops, NULL, imsx_resume);

static const struct pci_error_handlers imsx_err_handlers = {
	.reset_done	= imsx_reset_done,
};

static const struct pci_device_id imsx_ids[] = {
	{ PCI_DEVICE(0x1234, 0xf001) },
	{ }
};
MODULE_DEVICE_TABLE(pci, imsx_ids);

static struct pci_driver imsx_driver = {
	.name		= "ims-array-example",
	.id_table	= imsx_ids,
	.probe		= imsx_probe,
	.remove		= imsx_remove,
	.err_handler	= &imsx_err_handlers,
	.driver.pm	= pm_sleep_ptr(&imsx_pm_ops),
};
module_pci_driver(imsx_driver);

MODULE_DESCRIPTION("Example driver of an IMS array in device memory");
MODULE_LICENSE("GPL");
