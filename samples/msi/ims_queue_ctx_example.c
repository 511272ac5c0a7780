// SPDX-License-Identifier: GPL-2.0
/*
 * Queue context store example: a made-up PCI device which keeps the
 * interrupt message of each of its queues in the queue's context, a
 * block of system memory which it reads by DMA. It reads a context when
 * the driver gives it the context's address and again each time the
 * driver writes the queue's number to the reload doorbell; it never
 * sees a context half written.
 *
 * The store is the driver's own, so the driver brings the callbacks. An
 * entry's index is its queue's number, and its cookie points to the
 * context the queue uses: that is where the callbacks write. Each queue
 * has two contexts. When the device stops a queue on an error, the
 * driver moves the queue to its other context; the interrupt stays
 * requested and follows with msi_table_set_cookie().
 *
 * The table is managed by hand. See Documentation/core-api/msi-tables.rst.
 */
#include <linux/container_of.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#define QCX_CTRL		0x00	/* Write 0: stop, no more context reads */
#define QCX_RELOAD		0x08	/* Write q: reread queue q's context */
#define QCX_CTX_LO(q)		(0x100 + (q) * 8)	/* Address of q's context */
#define QCX_CTX_HI(q)		(0x104 + (q) * 8)
#define QCX_NR_QUEUES		16

/* A queue's context as the device reads it */
struct qcx_hw_ctx {
	__le64	ring;
	__le32	ring_size;
	__le32	status;
#define  QCX_CTX_STATUS_ERROR	BIT(0)	/* The device stopped the queue */
	__le32	msi_addr_lo;
	__le32	msi_addr_hi;
	__le32	msi_data;
	__le32	msi_ctrl;
#define  QCX_CTX_MSI_MASKED	BIT(0)
};

struct qcx_queue;

/* One context of a queue; an entry's cookie points to one of these */
struct qcx_ctx {
	struct qcx_hw_ctx	*hw;
	dma_addr_t		dma;
	struct qcx_queue	*queue;
};

struct qcx_queue {
	struct qcx		*qcx;
	unsigned int		nr;
	struct qcx_ctx		ctx[2];
	unsigned int		cur;	/* The context the device reads */
	struct work_struct	recover;
};

struct qcx {
	struct pci_dev		*pdev;
	void __iomem		*regs;
	struct msi_table	*table;
	struct qcx_queue	queue[QCX_NR_QUEUES];
};

/* msi-tables.rst: begin callbacks */
/*
 * write_msg(), mask() and unmask() run with the interrupt descriptor's
 * raw spinlock held and interrupts disabled, mask() and unmask() also
 * in hard interrupt context from the flow handler: they must not sleep.
 * The doorbell's read returns once the device has reread the context,
 * so a mask is in effect when mask() returns.
 *
 * desc->msi_index is the entry's index in the table, the queue's number
 * here; desc->data.icookie is its cookie, the context to write.
 */
static void qcx_reload(struct msi_table *table, struct msi_desc *desc)
{
	struct qcx *qcx = msi_table_drvdata(table);

	/* writel() orders the context's update before the doorbell */
	writel(desc->msi_index, qcx->regs + QCX_RELOAD);
	readl(qcx->regs + QCX_RELOAD);
}

static void qcx_write_msg(struct msi_table *table, struct msi_desc *desc,
			  const struct msi_msg *msg)
{
	struct qcx_ctx *ctx = desc->data.icookie.ptr;

	WRITE_ONCE(ctx->hw->msi_addr_lo, cpu_to_le32(msg->address_lo));
	WRITE_ONCE(ctx->hw->msi_addr_hi, cpu_to_le32(msg->address_hi));
	WRITE_ONCE(ctx->hw->msi_data, cpu_to_le32(msg->data));
	qcx_reload(table, desc);
}

static void qcx_mask(struct msi_table *table, struct msi_desc *desc)
{
	struct qcx_ctx *ctx = desc->data.icookie.ptr;

	WRITE_ONCE(ctx->hw->msi_ctrl, cpu_to_le32(QCX_CTX_MSI_MASKED));
	qcx_reload(table, desc);
}

static void qcx_unmask(struct msi_table *table, struct msi_desc *desc)
{
	struct qcx_ctx *ctx = desc->data.icookie.ptr;

	WRITE_ONCE(ctx->hw->msi_ctrl, 0);
	qcx_reload(table, desc);
}

/*
 * With the table locked, may sleep: at allocation (before mask() and
 * before the interrupt exists) and before msi_table_set_cookie()
 * changes the cookie. Entry i is queue i's: the cookie must be one of
 * that queue's contexts.
 */
static int qcx_check_cookie(struct msi_table *table, struct msi_desc *desc,
			    const union msi_instance_cookie *icookie)
{
	struct qcx *qcx = msi_table_drvdata(table);
	struct qcx_ctx *ctx = icookie->ptr;

	if (!ctx || ctx->queue != &qcx->queue[desc->msi_index])
		return -EINVAL;
	return 0;
}

static int qcx_prepare_desc(struct msi_table *table, struct msi_desc *desc)
{
	return qcx_check_cookie(table, desc, &desc->data.icookie);
}

/*
 * No release_desc(): free_irq() has masked the entry and written the
 * all zero message into its context by the time the entry is freed.
 */
static const struct msi_table_ops qcx_store_ops = {
	.write_msg	= qcx_write_msg,
	.mask		= qcx_mask,
	.unmask		= qcx_unmask,
	.prepare_desc	= qcx_prepare_desc,
	.check_cookie	= qcx_check_cookie,
};

/* msi-tables.rst: end callbacks */

/* Give the device one of the queue's contexts, which it reads at once */
static void qcx_load_ctx(struct qcx_queue *q, unsigned int which)
{
	struct qcx_ctx *ctx = &q->ctx[which];
	void __iomem *regs = q->qcx->regs;

	/* Read by the handler; writel() orders it before the device sees it */
	WRITE_ONCE(q->cur, which);
	writel(lower_32_bits(ctx->dma), regs + QCX_CTX_LO(q->nr));
	writel(upper_32_bits(ctx->dma), regs + QCX_CTX_HI(q->nr));
	writel(q->nr, regs + QCX_RELOAD);
}

static void qcx_reset_ctx(struct qcx_ctx *ctx)
{
	memset(ctx->hw, 0, sizeof(*ctx->hw));
	ctx->hw->msi_ctrl = cpu_to_le32(QCX_CTX_MSI_MASKED);
}

static irqreturn_t qcx_queue_irq(int irq, void *data)
{
	struct qcx_queue *q = data;
	struct qcx_hw_ctx *hw = q->ctx[READ_ONCE(q->cur)].hw;

	if (le32_to_cpu(READ_ONCE(hw->status)) & QCX_CTX_STATUS_ERROR)
		schedule_work(&q->recover);
	return IRQ_HANDLED;
}

/* msi-tables.rst: begin recover */
/*
 * The device stopped the queue and reads its context no more until it
 * gets a new one. The queue's interrupt stays requested: the entry is
 * masked in the old context, then its message and mask state are
 * written into the other one, under the interrupt descriptor's lock, so
 * that no mask() or unmask() of the flow handler goes to the old
 * context meanwhile.
 */
static void qcx_queue_recover(struct work_struct *work)
{
	struct qcx_queue *q = container_of(work, struct qcx_queue, recover);
	unsigned int next = !q->cur;
	union msi_instance_cookie cookie = { .ptr = &q->ctx[next] };
	int ret;

	qcx_reset_ctx(&q->ctx[next]);
	ret = msi_table_set_cookie(q->qcx->table, q->nr, &cookie);
	if (ret) {
		pci_err(q->qcx->pdev, "queue %u stays stopped: %d\n", q->nr, ret);
		return;
	}
	qcx_load_ctx(q, next);
}

/* msi-tables.rst: end recover */

static int qcx_queue_start(struct qcx_queue *q)
{
	union msi_instance_cookie cookie = { .ptr = &q->ctx[q->cur] };
	struct msi_map map;
	int ret;

	/* The device reads the context from here on, on each doorbell */
	qcx_reset_ctx(&q->ctx[q->cur]);
	qcx_load_ctx(q, q->cur);
	/* Entry q->nr, masked until request_irq() starts the interrupt */
	map = msi_table_alloc(q->qcx->table, q->nr, &cookie, NULL);
	if (map.index < 0)
		return map.index;
	ret = request_irq(map.virq, qcx_queue_irq, 0, "qcx-queue", q);
	if (ret)
		msi_table_free(q->qcx->table, q->nr);
	return ret;
}

/*
 * The entry's interrupt is looked up, not kept: msi_get_virq() takes no
 * lock. After free_irq() the handler schedules no more recovery.
 */
static void qcx_queue_stop(struct qcx_queue *q)
{
	free_irq(msi_get_virq(q->qcx->table, q->nr), q);
	cancel_work_sync(&q->recover);
	/* Cannot fail: the entry exists and its interrupt is free */
	msi_table_free(q->qcx->table, q->nr);
}

/* Before the contexts are freed: the device must not read them */
static void qcx_stop_device(void *data)
{
	struct qcx *qcx = data;

	writel(0, qcx->regs + QCX_CTRL);
	readl(qcx->regs + QCX_CTRL);
}

static int qcx_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct msi_table_info info = {
		.name	= "qcx",
		.hwsize	= QCX_NR_QUEUES,
		.ops	= &qcx_store_ops,
	};
	struct qcx_hw_ctx *hw;
	struct qcx *qcx;
	dma_addr_t dma;
	unsigned int i;
	int ret;

	qcx = devm_kzalloc(&pdev->dev, sizeof(*qcx), GFP_KERNEL);
	if (!qcx)
		return -ENOMEM;
	qcx->pdev = pdev;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	qcx->regs = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(qcx->regs))
		return PTR_ERR(qcx->regs);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	hw = dmam_alloc_coherent(&pdev->dev,
				 2 * QCX_NR_QUEUES * sizeof(*hw), &dma,
				 GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	ret = devm_add_action_or_reset(&pdev->dev, qcx_stop_device, qcx);
	if (ret)
		return ret;
	for (i = 0; i < 2 * QCX_NR_QUEUES; i++) {
		struct qcx_queue *q = &qcx->queue[i / 2];

		q->qcx = qcx;
		q->nr = i / 2;
		INIT_WORK(&q->recover, qcx_queue_recover);
		q->ctx[i % 2] = (struct qcx_ctx) {
			.hw	= &hw[i],
			.dma	= dma + i * sizeof(*hw),
			.queue	= q,
		};
	}
	pci_set_drvdata(pdev, qcx);
	pci_set_master(pdev);

	/* The device has no other interrupt: without IMS, no driver */
	info.data = qcx;
	qcx->table = pci_create_msi_table(pdev, &info);
	if (IS_ERR(qcx->table))
		return dev_err_probe(&pdev->dev, PTR_ERR(qcx->table),
				     "no IMS table\n");

	for (i = 0; i < QCX_NR_QUEUES; i++) {
		ret = qcx_queue_start(&qcx->queue[i]);
		if (ret)
			goto stop;
	}
	return 0;

stop:
	while (i--)
		qcx_queue_stop(&qcx->queue[i]);
	msi_destroy_table(qcx->table);
	return ret;
}

static void qcx_remove(struct pci_dev *pdev)
{
	struct qcx *qcx = pci_get_drvdata(pdev);
	unsigned int i;

	for (i = 0; i < QCX_NR_QUEUES; i++)
		qcx_queue_stop(&qcx->queue[i]);
	/* Cannot fail: no interrupt of the table is requested */
	msi_destroy_table(qcx->table);
	/* devres stops the device, then frees the contexts */
}

static const struct pci_device_id qcx_ids[] = {
	{ PCI_DEVICE(0x1234, 0xf002) },
	{ }
};
MODULE_DEVICE_TABLE(pci, qcx_ids);

static struct pci_driver qcx_driver = {
	.name		= "ims-queue-ctx-example",
	.id_table	= qcx_ids,
	.probe		= qcx_probe,
	.remove		= qcx_remove,
};
module_pci_driver(qcx_driver);

MODULE_DESCRIPTION("Example driver of a queue context interrupt store");
MODULE_LICENSE("GPL");
