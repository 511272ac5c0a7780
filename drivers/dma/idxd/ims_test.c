// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the idxd work queue interrupts, from IMS and from MSI-X,
 * against a simulated device.
 *
 * There is no DSA or IAA device to test on, in QEMU or in CI. The
 * device's registers are a window in memory (capabilities, table
 * offsets, control and command registers, the MSI-X permission table and
 * the IMS), and a kernel thread models the command register: it hands
 * out interrupt handles, models what a reset does to the IMS and
 * completes the commands as the misc interrupt would.
 *
 * The interrupts are real. They are those of a PCI device which the
 * suite binds a driver of its own to, for the duration of the suite:
 * QEMU's vmxnet3 (15ad:07b0), which has MSI-X and whose Linux driver a
 * test kernel does not build. The driver takes the first vmxnet3 which
 * no driver holds, and nothing else; without one the cases skip. Its
 * MSI-X vectors are the simulated device's, the IMS table is created
 * for it, and the messages of the IMS entries land in the simulated IMS,
 * where nothing fires them.
 *
 * The cases whose names start with ims_ need a platform which offers
 * IMS, i.e. interrupt remapping by an IOMMU which is not virtualized
 * (QEMU's q35 with intel-iommu,intremap=on); elsewhere they skip, and
 * pci_create_msi_table() has logged the reason. The others run on every
 * machine.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kthread.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>

#include "idxd.h"
#include "registers.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define SIM_VENDOR		0x15ad
#define SIM_DEVICE		0x07b0

#define SIM_MSIX_PERM_UNITS	0x10
#define SIM_MSIX_PERM_OFFSET	(SIM_MSIX_PERM_UNITS * IDXD_TABLE_MULT)
#define SIM_IMS_UNITS		0x20
#define SIM_IMS_OFFSET		(SIM_IMS_UNITS * IDXD_TABLE_MULT)
/* One unit of IMS entries; the window has room for three */
#define SIM_IMS_ENTRIES		IDXD_IMS_ENTRIES_MULT
#define SIM_IMS_MAX_MULT	3
#define SIM_REGS_SIZE		(SIM_IMS_OFFSET + SIM_IMS_MAX_MULT * SIM_IMS_ENTRIES * \
				 PCI_IMS_ARRAY_ENTRY_SIZE)
#define SIM_PASID		0x5a5a5
#define SIM_LOG_SIZE		32
#define SIM_SCRAMBLE		0xa5a5a5a5
#define SIM_TIMEOUT		(10 * HZ)
/*
 * The offset of portal page N of a work queue, of its four 4K pages:
 * unlimited and limited for MSI-X, then the same for IMS
 */
#define SIM_PORTAL(wq, n)	(((wq)->id * 4 + (n)) * SZ_4K)
#define SIM_PORTAL_MSIX_LIMITED	1
#define SIM_PORTAL_IMS_LIMITED	3

/* The PCI device bound to the suite's driver, from suite_init to exit */
static struct pci_dev *sim_pdev;

static int sim_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	if (sim_pdev)
		return -ENODEV;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	sim_pdev = pdev;
	return 0;
}

static void sim_pci_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
	sim_pdev = NULL;
}

/* Not a MODULE_DEVICE_TABLE: a vmxnet3 must not load idxd */
static const struct pci_device_id sim_pci_ids[] = {
	{ PCI_DEVICE(SIM_VENDOR, SIM_DEVICE) },
	{ }
};

static struct pci_driver sim_pci_driver = {
	.name		= "idxd_ims_test",
	.id_table	= sim_pci_ids,
	.probe		= sim_pci_probe,
	.remove		= sim_pci_remove,
	.driver.probe_type = PROBE_FORCE_SYNCHRONOUS,
};

/* What a call under fault injection must leave as it was */
struct sim_snap {
	unsigned int	tables;
	unsigned int	ims_descs;
	unsigned int	live_slots;
	unsigned int	irqs;
	int		handles;
	int		vector;
	int		int_handle;
	ioasid_t	pasid;
};

struct sim {
	struct idxd_device	*idxd;
	struct idxd_driver_data	data;
	void			*regs;
	int			nr_wqs;
	struct task_struct	*model;
	/* Written by the model thread only */
	u32			log[SIM_LOG_SIZE];
	unsigned int		nlog;
	int			handles;
	/* Set by the test */
	unsigned int		generation;
	bool			refuse_handles;
	u32			reset_fill;
	bool			probed;
	DECLARE_BITMAP(requested, 256);
	struct sim_snap		before;
};

/* The capabilities of the simulated device */
struct sim_caps {
	bool		cmd_cap;	/* GENCAP: has a command capability register */
	u32		cmds;		/* CMDCAP */
	unsigned int	ims_mult;	/* GENCAP.max_ims_mult */
	unsigned int	ims_units;	/* OFFSETS.ims */
};

#define SIM_HANDLE_CMDS	(BIT(IDXD_CMD_REQUEST_INT_HANDLE) | BIT(IDXD_CMD_RELEASE_INT_HANDLE))

static const struct sim_caps sim_ims_caps = {
	.cmd_cap	= true,
	.cmds		= SIM_HANDLE_CMDS,
	.ims_mult	= 1,
	.ims_units	= SIM_IMS_UNITS,
};

static u32 sim_reg(struct sim *sim, unsigned int offset)
{
	return READ_ONCE(*(u32 *)(sim->regs + offset));
}

static void sim_set_reg(struct sim *sim, unsigned int offset, u32 val)
{
	WRITE_ONCE(*(u32 *)(sim->regs + offset), val);
}

static u32 sim_slot(struct sim *sim, unsigned int index, unsigned int off)
{
	return sim_reg(sim, SIM_IMS_OFFSET + index * PCI_IMS_ARRAY_ENTRY_SIZE + off);
}

static void *sim_slot_ptr(struct sim *sim, unsigned int index)
{
	return sim->regs + SIM_IMS_OFFSET + index * PCI_IMS_ARRAY_ENTRY_SIZE;
}

/* The control dword of an entry restricted to SIM_PASID */
static u32 sim_pasid_ctrl(void)
{
	return IDXD_IMS_CTRL_PASID_EN | FIELD_PREP(IDXD_IMS_CTRL_PASID, SIM_PASID);
}

/* A handle the model hands out: the revocation generation and the index */
static u16 sim_handle(struct sim *sim, unsigned int index)
{
	return (READ_ONCE(sim->generation) << 8) | index;
}

/* Execute one command as the device does and report its completion */
static void sim_execute(struct sim *sim, u32 bits)
{
	union idxd_command_reg cmd = { .bits = bits };
	struct idxd_device *idxd = sim->idxd;
	u32 status = IDXD_CMDSTS_SUCCESS;
	unsigned long flags;

	switch (cmd.cmd) {
	case IDXD_CMD_REQUEST_INT_HANDLE:
		if (READ_ONCE(sim->refuse_handles)) {
			status = IDXD_CMDSTS_ERR_NO_HANDLE;
		} else {
			status = sim_handle(sim, cmd.operand & GENMASK(15, 0)) <<
				 IDXD_CMDSTS_RES_SHIFT;
			WRITE_ONCE(sim->handles, sim->handles + 1);
		}
		break;
	case IDXD_CMD_RELEASE_INT_HANDLE:
		WRITE_ONCE(sim->handles, sim->handles - 1);
		break;
	case IDXD_CMD_RESET_DEVICE:
		/* What the reset leaves in the IMS, for the driver to restore */
		memset(sim_slot_ptr(sim, 0), READ_ONCE(sim->reset_fill) & 0xff,
		       SIM_IMS_ENTRIES * PCI_IMS_ARRAY_ENTRY_SIZE);
		break;
	default:
		status = IDXD_CMDSTS_INVAL_CMD;
		break;
	}

	if (sim->nlog < SIM_LOG_SIZE)
		WRITE_ONCE(sim->log[sim->nlog], bits);
	WRITE_ONCE(sim->nlog, sim->nlog + 1);

	/* The result first, then the command register is free again */
	sim_set_reg(sim, IDXD_CMDSTS_OFFSET, status);
	sim_set_reg(sim, IDXD_CMD_OFFSET, 0);

	/* What the misc interrupt does for IDXD_INTC_CMD */
	if (cmd.int_req) {
		spin_lock_irqsave(&idxd->cmd_lock, flags);
		complete(idxd->cmd_done);
		spin_unlock_irqrestore(&idxd->cmd_lock, flags);
	}
}

static int sim_model(void *arg)
{
	struct sim *sim = arg;
	u32 bits;

	while (!kthread_should_stop()) {
		bits = sim_reg(sim, IDXD_CMD_OFFSET);
		if (bits)
			sim_execute(sim, bits);
		else
			usleep_range(50, 100);
	}
	return 0;
}

static u32 sim_command(struct sim *sim, unsigned int i)
{
	return i < SIM_LOG_SIZE ? READ_ONCE(sim->log[i]) : 0;
}

static bool sim_wait_commands(struct sim *sim, unsigned int n)
{
	unsigned long timeout = jiffies + SIM_TIMEOUT;

	while (READ_ONCE(sim->nlog) < n && time_before(jiffies, timeout))
		usleep_range(100, 200);
	return READ_ONCE(sim->nlog) == n;
}

/*
 * The release of an interrupt handle polls the status register with the
 * command lock held instead of waiting for the command interrupt. The
 * model answers it ahead: the status is ready before the command is
 * written, and the test waits for the model to take the command before
 * it issues the next one.
 */
static void sim_free_irq(struct kunit *test, struct sim *sim, struct idxd_wq *wq)
{
	unsigned int nlog = READ_ONCE(sim->nlog);

	sim_set_reg(sim, IDXD_CMDSTS_OFFSET, IDXD_CMDSTS_SUCCESS);
	idxd_wq_free_irq(wq);
	clear_bit(wq->id, sim->requested);
	KUNIT_EXPECT_TRUE_MSG(test, sim_wait_commands(sim, nlog + 1),
			      "the model did not take the handle release");
}

static int sim_request_irq(struct sim *sim, struct idxd_wq *wq)
{
	int ret = idxd_wq_request_irq(wq);

	if (!ret)
		set_bit(wq->id, sim->requested);
	return ret;
}

/* Write the capability registers and let the driver read them */
static void sim_set_caps(struct kunit *test, struct sim *sim, const struct sim_caps *caps)
{
	struct idxd_device *idxd = sim->idxd;
	union gen_cap_reg gen_cap = { };
	union wq_cap_reg wq_cap = { };
	union offsets_reg offsets = { };

	gen_cap.cmd_cap = caps->cmd_cap;
	gen_cap.max_ims_mult = caps->ims_mult;
	wq_cap.num_wqs = sim->nr_wqs;
	offsets.msix_perm = SIM_MSIX_PERM_UNITS;
	offsets.ims = caps->ims_units;
	memcpy(sim->regs + IDXD_GENCAP_OFFSET, &gen_cap, sizeof(gen_cap));
	memcpy(sim->regs + IDXD_WQCAP_OFFSET, &wq_cap, sizeof(wq_cap));
	memcpy(sim->regs + IDXD_TABLE_OFFSET, &offsets, sizeof(offsets));
	sim_set_reg(sim, IDXD_CMDCAP_OFFSET, caps->cmds);

	idxd->request_int_handles = false;
	idxd->hw.cmd_cap = 0;
	idxd_read_caps(idxd);
	idxd_read_table_offsets(idxd);
	KUNIT_ASSERT_EQ(test, idxd->max_wqs, sim->nr_wqs);
}

/* The interrupt setup of probe, with the ims parameter as @use_ims */
static void sim_probe(struct kunit *test, struct sim *sim,
		      const struct sim_caps *caps, bool use_ims)
{
	sim_set_caps(test, sim, caps);
	KUNIT_ASSERT_EQ(test, idxd_setup_interrupts(sim->idxd, use_ims), 0);
	sim->probed = true;
}

/* The interrupt teardown of remove, after the work queues let go */
static void sim_unprobe(struct kunit *test, struct sim *sim)
{
	unsigned int i;

	for_each_set_bit(i, sim->requested, sim->nr_wqs)
		sim_free_irq(test, sim, sim->idxd->wqs[i]);
	idxd_cleanup_interrupts(sim->idxd);
	sim->probed = false;
}

/* Probe with IMS, and skip where the platform does not offer it */
static void sim_probe_ims(struct kunit *test, struct sim *sim)
{
	sim_probe(test, sim, &sim_ims_caps, true);
	if (!sim->idxd->ims_table)
		kunit_skip(test, "IMS refused on this machine, see the log for why");
}

static unsigned int sim_count_descs(struct msi_table *table)
{
	struct msi_desc *desc;
	unsigned int n = 0;

	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ALL)
		n++;
	msi_table_unlock(table);
	return n;
}

static int sim_init(struct kunit *test)
{
	struct idxd_device *idxd;
	struct idxd_wq *wq;
	struct sim *sim;
	int i, msixcnt;

	if (!sim_pdev)
		kunit_skip(test, "no vmxnet3 (15ad:07b0) free for the suite's driver");
	/* As on DSA: the misc vector and one per work queue */
	msixcnt = pci_msix_vec_count(sim_pdev);
	KUNIT_ASSERT_GE(test, msixcnt, 2);
	KUNIT_ASSERT_LE(test, msixcnt, SIM_IMS_ENTRIES);

	sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim);
	sim->regs = kunit_kzalloc(test, SIM_REGS_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim->regs);
	idxd = kunit_kzalloc(test, sizeof(*idxd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idxd);
	sim->idxd = idxd;
	sim->nr_wqs = msixcnt - 1;

	idxd->opcap_bmap = kunit_kcalloc(test, BITS_TO_LONGS(IDXD_MAX_OPCAP_BITS),
					 sizeof(unsigned long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idxd->opcap_bmap);
	idxd->pdev = sim_pdev;
	idxd->reg_base = (void __iomem __force *)sim->regs;
	sim->data.type = IDXD_TYPE_DSA;
	idxd->data = &sim->data;
	idxd->pasid = IOMMU_PASID_INVALID;
	spin_lock_init(&idxd->dev_lock);
	spin_lock_init(&idxd->cmd_lock);
	init_waitqueue_head(&idxd->cmd_waitq);

	idxd->wqs = kunit_kcalloc(test, sim->nr_wqs, sizeof(*idxd->wqs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idxd->wqs);
	for (i = 0; i < sim->nr_wqs; i++) {
		wq = kunit_kzalloc(test, sizeof(*wq), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, wq);
		wq->idxd = idxd;
		wq->id = i;
		wq->type = IDXD_WQT_KERNEL;
		wq->state = IDXD_WQ_DISABLED;
		wq->ie.vector = -1;
		mutex_init(&wq->wq_lock);
		idxd->wqs[i] = wq;
	}

	/* From here on exit() undoes what is set up */
	test->priv = sim;
	idxd->wq = alloc_workqueue("idxd-ims-test", 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, idxd->wq);
	sim->model = kthread_run(sim_model, sim, "idxd-ims-model");
	KUNIT_ASSERT_FALSE(test, IS_ERR(sim->model));
	return 0;
}

static void sim_exit(struct kunit *test)
{
	struct sim *sim = test->priv;

	if (!sim)
		return;
	if (sim->probed && !IS_ERR_OR_NULL(sim->model))
		sim_unprobe(test, sim);
	if (!IS_ERR_OR_NULL(sim->model))
		kthread_stop(sim->model);
	if (sim->idxd->wq)
		destroy_workqueue(sim->idxd->wq);
	/* The reset_done() cases lend the simulated device the drvdata */
	pci_set_drvdata(sim_pdev, NULL);
}

/*
 * Without the ims parameter the interrupts are as before, even where the
 * platform offers IMS: all MSI-X vectors, work queue N on vector N + 1
 * with its PASID in the MSI-X permission table, handles by MSI-X index,
 * descriptors through the MSI-X portal, no IMS table and the IMS
 * untouched, also by a function reset.
 */
static void msix_default(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct pci_dev *pdev = idxd->pdev;
	int msixcnt = pci_msix_vec_count(pdev);
	struct idxd_wq *wq = idxd->wqs[0];
	struct idxd_irq_entry *ie = &wq->ie;
	union idxd_command_reg cmd;
	union msix_perm perm = { };
	unsigned int i;

	sim_probe(test, sim, &sim_ims_caps, false);
	KUNIT_EXPECT_NULL(test, idxd->ims_table);
	KUNIT_EXPECT_EQ(test, msi_device_count_tables(&pdev->dev), 1);
	KUNIT_EXPECT_TRUE(test, pdev->msix_enabled);
	KUNIT_EXPECT_EQ(test, sim_count_descs(pci_msi_table(pdev)), msixcnt);
	KUNIT_EXPECT_EQ(test, idxd->irq_cnt, msixcnt);
	KUNIT_EXPECT_EQ(test, idxd->ie.vector, pci_irq_vector(pdev, 0));
	for (i = 0; i < sim->nr_wqs; i++) {
		KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.id, i + 1);
		KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.type, IDXD_IRQ_MSIX);
		KUNIT_EXPECT_EQ(test, idxd_wq_submit_portal_offset(idxd->wqs[i]),
				SIM_PORTAL(idxd->wqs[i], SIM_PORTAL_MSIX_LIMITED));
	}
	/* Probe issues no command for this */
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->nlog), 0);

	idxd->pasid = SIM_PASID;
	set_bit(IDXD_FLAG_PASID_ENABLED, &idxd->flags);
	KUNIT_ASSERT_EQ(test, sim_request_irq(sim, wq), 0);
	KUNIT_EXPECT_EQ(test, ie->vector, pci_irq_vector(pdev, 1));
	KUNIT_EXPECT_EQ(test, ie->int_handle, sim_handle(sim, 1));
	cmd.bits = sim_command(sim, 0);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_REQUEST_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, 1);
	perm.pasid = SIM_PASID;
	perm.pasid_en = 1;
	KUNIT_EXPECT_EQ(test, sim_reg(sim, SIM_MSIX_PERM_OFFSET + 8), perm.bits);

	/* The IMS is none of this driver's business, nor of a reset's */
	memset(sim_slot_ptr(sim, 0), 0xa5, SIM_IMS_ENTRIES * PCI_IMS_ARRAY_ENTRY_SIZE);
	pci_set_drvdata(pdev, idxd);
	idxd_reset_done(pdev);
	for (i = 0; i < SIM_IMS_ENTRIES; i++)
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, PCI_IMS_ARRAY_CTRL), SIM_SCRAMBLE);

	sim_free_irq(test, sim, wq);
	cmd.bits = sim_command(sim, 1);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_RELEASE_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, sim_handle(sim, 1));
	KUNIT_EXPECT_EQ(test, sim_reg(sim, SIM_MSIX_PERM_OFFSET + 8), 0);
	KUNIT_EXPECT_EQ(test, ie->vector, -1);

	sim_unprobe(test, sim);
	KUNIT_EXPECT_FALSE(test, pdev->msix_enabled);
}

/*
 * With the ims parameter, IMS only for a device with an IMS and handles,
 * and only where the platform offers it; otherwise exactly as without.
 */
static void probe_choice(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct pci_dev *pdev = idxd->pdev;
	int msixcnt = pci_msix_vec_count(pdev);
	const struct {
		const char	*what;
		struct sim_caps	caps;
		bool		usable;
	} *c, cases[] = {
		{ "IMS and interrupt handles", sim_ims_caps, true },
		{ "three units of IMS", { true, SIM_HANDLE_CMDS, 3, SIM_IMS_UNITS }, true },
		{ "no IMS offset", { true, SIM_HANDLE_CMDS, 1, 0 }, false },
		{ "max_ims_mult 0", { true, SIM_HANDLE_CMDS, 0, SIM_IMS_UNITS }, false },
		{ "no command capabilities", { false, SIM_HANDLE_CMDS, 1, SIM_IMS_UNITS }, false },
		{ "no interrupt handle command",
		  { true, BIT(IDXD_CMD_RELEASE_INT_HANDLE), 1, SIM_IMS_UNITS }, false },
	};
	unsigned int i, masked = 0;
	struct msi_map map;
	int last;

	for (c = cases; c < cases + ARRAY_SIZE(cases); c++) {
		sim_probe(test, sim, &c->caps, true);
		if (!c->usable)
			KUNIT_EXPECT_NULL_MSG(test, idxd->ims_table, "%s", c->what);

		if (idxd->ims_table) {
			/* The misc vector, and work queue N on IMS entry N */
			KUNIT_EXPECT_PTR_EQ_MSG(test, msi_table_drvdata(idxd->ims_table),
						&idxd->ims_array, "%s", c->what);
			KUNIT_EXPECT_PTR_EQ_MSG(test, (void __force *)idxd->ims_array.base,
						sim->regs + SIM_IMS_OFFSET, "%s", c->what);
			KUNIT_EXPECT_EQ_MSG(test, msi_device_count_tables(&pdev->dev), 2,
					    "%s", c->what);
			KUNIT_EXPECT_EQ_MSG(test, sim_count_descs(pci_msi_table(pdev)), 1,
					    "%s", c->what);
			KUNIT_EXPECT_EQ_MSG(test, sim_count_descs(idxd->ims_table), 0,
					    "%s", c->what);
			KUNIT_EXPECT_EQ_MSG(test, idxd->irq_cnt, sim->nr_wqs + 1, "%s", c->what);
			for (i = 0; i < sim->nr_wqs; i++) {
				KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.id, i);
				KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.type, IDXD_IRQ_IMS);
			}
			/* As many entries as GENCAP.max_ims_mult says */
			last = c->caps.ims_mult * SIM_IMS_ENTRIES - 1;
			masked = max_t(unsigned int, masked, last + 1);
			map = msi_table_alloc(idxd->ims_table, last, NULL, NULL);
			KUNIT_EXPECT_EQ_MSG(test, map.index, last, "%s", c->what);
			if (map.index == last)
				KUNIT_EXPECT_EQ(test, msi_table_free(idxd->ims_table, last), 0);
			map = msi_table_alloc(idxd->ims_table, last + 1, NULL, NULL);
			KUNIT_EXPECT_EQ_MSG(test, map.index, -ERANGE, "%s", c->what);
		} else {
			/* Where the platform refuses it, or without IMS: 6.12's */
			KUNIT_EXPECT_EQ_MSG(test, msi_device_count_tables(&pdev->dev), 1,
					    "%s", c->what);
			KUNIT_EXPECT_EQ_MSG(test, sim_count_descs(pci_msi_table(pdev)), msixcnt,
					    "%s", c->what);
			KUNIT_EXPECT_EQ_MSG(test, idxd->irq_cnt, msixcnt, "%s", c->what);
			for (i = 0; i < sim->nr_wqs; i++) {
				KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.id, i + 1);
				KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.type, IDXD_IRQ_MSIX);
			}
		}

		sim_unprobe(test, sim);
		KUNIT_EXPECT_NULL_MSG(test, idxd->ims_table, "%s", c->what);
		KUNIT_EXPECT_EQ_MSG(test, msi_device_count_tables(&pdev->dev), 1, "%s", c->what);
	}
	/*
	 * Probe issues no command for this; it masks each slot of an IMS it
	 * takes and writes nothing else, nor beyond its size
	 */
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->nlog), 0);
	for (i = 0; i < SIM_IMS_MAX_MULT * SIM_IMS_ENTRIES; i++) {
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, PCI_IMS_ARRAY_CTRL),
				i < masked ? PCI_IMS_ARRAY_CTRL_MASKBIT : 0);
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, PCI_IMS_ARRAY_ADDR_LO), 0);
	}
}

/* A work queue interrupt: its IMS entry and its handle, and back */
static void ims_request_free(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq = idxd->wqs[sim->nr_wqs - 1];
	struct idxd_irq_entry *ie = &wq->ie;
	unsigned int slot = wq->id, i;
	union idxd_command_reg cmd;
	struct msi_desc *desc;
	int vector;

	sim_probe_ims(test, sim);

	KUNIT_ASSERT_EQ(test, sim_request_irq(sim, wq), 0);
	vector = ie->vector;
	KUNIT_EXPECT_GT(test, vector, 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, slot), vector);
	KUNIT_EXPECT_EQ(test, ie->int_handle, sim_handle(sim, slot));
	KUNIT_EXPECT_EQ(test, ie->pasid, IOMMU_PASID_INVALID);
	/*
	 * Its descriptors, which carry an IMS handle, go to the IMS portal;
	 * a user work queue keeps the MSI-X portal, which its mmap() gives
	 */
	KUNIT_EXPECT_EQ(test, idxd_wq_submit_portal_offset(wq),
			SIM_PORTAL(wq, SIM_PORTAL_IMS_LIMITED));
	wq->type = IDXD_WQT_USER;
	KUNIT_EXPECT_EQ(test, idxd_wq_submit_portal_offset(wq),
			SIM_PORTAL(wq, SIM_PORTAL_MSIX_LIMITED));
	wq->type = IDXD_WQT_KERNEL;

	/* One command: a handle for the IMS entry, completed by interrupt */
	KUNIT_ASSERT_EQ(test, READ_ONCE(sim->nlog), 1);
	cmd.bits = sim_command(sim, 0);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_REQUEST_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | slot);
	KUNIT_EXPECT_EQ(test, (u32)cmd.int_req, 1);

	/* The entry holds the composed message, unmasked, without a PASID */
	desc = irq_get_msi_desc(vector);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_NE(test, desc->msg.address_lo, 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, slot, PCI_IMS_ARRAY_ADDR_LO), desc->msg.address_lo);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, slot, PCI_IMS_ARRAY_ADDR_HI), desc->msg.address_hi);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, slot, PCI_IMS_ARRAY_DATA), desc->msg.data);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, slot, PCI_IMS_ARRAY_CTRL), 0);

	/*
	 * Nothing else written: the other entries, masked by probe, and the
	 * MSI-X permission table
	 */
	for (i = 0; i < SIM_IMS_ENTRIES; i++) {
		if (i == slot)
			continue;
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, PCI_IMS_ARRAY_ADDR_LO), 0);
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, PCI_IMS_ARRAY_CTRL),
				PCI_IMS_ARRAY_CTRL_MASKBIT);
	}
	for (i = 0; i <= sim->nr_wqs; i++)
		KUNIT_EXPECT_EQ(test, sim_reg(sim, SIM_MSIX_PERM_OFFSET + i * 8), 0);

	sim_free_irq(test, sim, wq);

	/* The handle is given back, the entry freed and masked */
	cmd.bits = sim_command(sim, 1);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_RELEASE_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | sim_handle(sim, slot));
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->handles), 0);
	KUNIT_EXPECT_EQ(test, ie->vector, -1);
	KUNIT_EXPECT_EQ(test, ie->int_handle, INVALID_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, slot), 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, slot, PCI_IMS_ARRAY_CTRL), PCI_IMS_ARRAY_CTRL_MASKBIT);

	/* Teardown destroys the IMS table and disables MSI-X */
	sim_unprobe(test, sim);
	KUNIT_EXPECT_NULL(test, idxd->ims_table);
	KUNIT_EXPECT_EQ(test, msi_device_count_tables(&idxd->pdev->dev), 1);
	KUNIT_EXPECT_FALSE(test, idxd->pdev->msix_enabled);
}

/*
 * The PASID permission is in the entry and nothing else of the control
 * dword but the mask: stale bits of a former user are gone on allocation,
 * mask and unmask flip only the mask bit, free clears the PASID.
 */
static void ims_pasid_mask(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq = idxd->wqs[1];
	u32 tag = sim_pasid_ctrl();
	u32 addr_lo, data;
	int vector;

	sim_probe_ims(test, sim);
	idxd->pasid = SIM_PASID;
	set_bit(IDXD_FLAG_PASID_ENABLED, &idxd->flags);
	sim_set_reg(sim, SIM_IMS_OFFSET + PCI_IMS_ARRAY_ENTRY_SIZE + PCI_IMS_ARRAY_CTRL,
		    IDXD_IMS_CTRL_DRIVER);

	KUNIT_ASSERT_EQ(test, sim_request_irq(sim, wq), 0);
	vector = wq->ie.vector;
	KUNIT_EXPECT_EQ(test, wq->ie.pasid, SIM_PASID);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, PCI_IMS_ARRAY_CTRL), tag);
	/* Not in the MSI-X permission table */
	KUNIT_EXPECT_EQ(test, sim_reg(sim, SIM_MSIX_PERM_OFFSET + 8), 0);
	KUNIT_EXPECT_EQ(test, sim_reg(sim, SIM_MSIX_PERM_OFFSET + 16), 0);
	addr_lo = sim_slot(sim, 1, PCI_IMS_ARRAY_ADDR_LO);
	data = sim_slot(sim, 1, PCI_IMS_ARRAY_DATA);

	/* Masked at once, not at the next interrupt */
	irq_set_status_flags(vector, IRQ_DISABLE_UNLAZY);
	disable_irq(vector);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, PCI_IMS_ARRAY_CTRL),
			tag | PCI_IMS_ARRAY_CTRL_MASKBIT);
	enable_irq(vector);
	irq_clear_status_flags(vector, IRQ_DISABLE_UNLAZY);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, PCI_IMS_ARRAY_CTRL), tag);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, PCI_IMS_ARRAY_ADDR_LO), addr_lo);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, PCI_IMS_ARRAY_DATA), data);

	sim_free_irq(test, sim, wq);
	/* Masked, and the PASID is gone */
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, PCI_IMS_ARRAY_CTRL), PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, wq->ie.pasid, IOMMU_PASID_INVALID);
}

/* Entries beyond the IMS and PASIDs wider than 20 bits are refused */
static void ims_bad_entries(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq = idxd->wqs[0];
	struct idxd_irq_entry *ie = &wq->ie;

	sim_probe_ims(test, sim);

	/* The entry after the last one */
	ie->id = SIM_IMS_ENTRIES;
	KUNIT_EXPECT_EQ(test, sim_request_irq(sim, wq), -ERANGE);
	KUNIT_EXPECT_EQ(test, ie->vector, -1);
	KUNIT_EXPECT_EQ(test, ie->int_handle, INVALID_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, ie->pasid, IOMMU_PASID_INVALID);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->nlog), 0);

	/* The last one is fine */
	ie->id = SIM_IMS_ENTRIES - 1;
	KUNIT_EXPECT_EQ(test, idxd_ims_alloc_entry(idxd, ie), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, ie->id), ie->vector);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, ie->id, PCI_IMS_ARRAY_CTRL),
			PCI_IMS_ARRAY_CTRL_MASKBIT);
	idxd_ims_free_entry(idxd, ie);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, ie->id), 0);

	/* A PASID of more than 20 bits leaves nothing behind */
	ie->id = 0;
	ie->vector = -1;
	ie->pasid = FIELD_MAX(IDXD_IMS_CTRL_PASID) + 1;
	KUNIT_EXPECT_EQ(test, idxd_ims_alloc_entry(idxd, ie), -EINVAL);
	KUNIT_EXPECT_EQ(test, ie->vector, -1);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, 0), 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 0, PCI_IMS_ARRAY_CTRL), PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 0, PCI_IMS_ARRAY_ADDR_LO), 0);
	KUNIT_EXPECT_EQ(test, sim_count_descs(idxd->ims_table), 0);
	ie->pasid = IOMMU_PASID_INVALID;
}

/* The device refuses a handle: the entry is freed again */
static void ims_handle_refused(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq = idxd->wqs[0];

	sim_probe_ims(test, sim);
	WRITE_ONCE(sim->refuse_handles, true);

	KUNIT_EXPECT_EQ(test, sim_request_irq(sim, wq), -ENXIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->nlog), 1);
	KUNIT_EXPECT_EQ(test, wq->ie.vector, -1);
	KUNIT_EXPECT_EQ(test, wq->ie.int_handle, INVALID_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, 0), 0);
	KUNIT_EXPECT_EQ(test, sim_count_descs(idxd->ims_table), 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 0, PCI_IMS_ARRAY_CTRL), PCI_IMS_ARRAY_CTRL_MASKBIT);
}

/*
 * Revoked handles: the misc interrupt's handler has new ones requested
 * for the IMS entries in use, by their IMS index and with the IMS flag
 */
static void ims_revoke(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq0 = idxd->wqs[0], *wq3 = idxd->wqs[3];
	union idxd_command_reg cmd;
	unsigned int nlog, i;
	irqreturn_t ret;

	KUNIT_ASSERT_GE(test, sim->nr_wqs, 4);
	sim_probe_ims(test, sim);
	KUNIT_ASSERT_EQ(test, sim_request_irq(sim, wq0), 0);
	KUNIT_ASSERT_EQ(test, sim_request_irq(sim, wq3), 0);
	nlog = READ_ONCE(sim->nlog);

	WRITE_ONCE(sim->generation, 1);
	sim_set_reg(sim, IDXD_INTCAUSE_OFFSET, IDXD_INTC_INT_HANDLE_REVOKED);
	ret = idxd_misc_thread(idxd->ie.vector, &idxd->ie);
	sim_set_reg(sim, IDXD_INTCAUSE_OFFSET, 0);
	KUNIT_EXPECT_EQ(test, ret, IRQ_HANDLED);
	flush_workqueue(idxd->wq);

	KUNIT_EXPECT_EQ(test, wq0->ie.int_handle, sim_handle(sim, 0));
	KUNIT_EXPECT_EQ(test, wq3->ie.int_handle, sim_handle(sim, 3));
	KUNIT_EXPECT_EQ(test, idxd->wqs[1]->ie.int_handle, INVALID_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, idxd->wqs[2]->ie.int_handle, INVALID_INT_HANDLE);

	/* Two requests, for IMS entries 0 and 3, not interrupt entries 1 and 4 */
	KUNIT_ASSERT_EQ(test, READ_ONCE(sim->nlog), nlog + 2);
	for (i = 0; i < 2; i++) {
		cmd.bits = sim_command(sim, nlog + i);
		KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_REQUEST_INT_HANDLE);
		KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | (i ? 3 : 0));
	}

	/* The entries keep their interrupts; the new handles are given back */
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, 0), wq0->ie.vector);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, 3), wq3->ie.vector);
	nlog = READ_ONCE(sim->nlog);
	sim_free_irq(test, sim, wq0);
	sim_free_irq(test, sim, wq3);
	cmd.bits = sim_command(sim, nlog);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | sim_handle(sim, 0));
	cmd.bits = sim_command(sim, nlog + 1);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | sim_handle(sim, 3));
}

/*
 * Two live entries for the restore cases: entry 0 without a PASID,
 * entry 2 with one and masked. Their slots are saved in @saved.
 */
static void sim_live_entries(struct kunit *test, struct sim *sim, u8 saved[2][16])
{
	struct idxd_device *idxd = sim->idxd;

	KUNIT_ASSERT_GE(test, sim->nr_wqs, 4);
	sim_probe_ims(test, sim);
	KUNIT_ASSERT_EQ(test, sim_request_irq(sim, idxd->wqs[0]), 0);
	idxd->pasid = SIM_PASID;
	set_bit(IDXD_FLAG_PASID_ENABLED, &idxd->flags);
	KUNIT_ASSERT_EQ(test, sim_request_irq(sim, idxd->wqs[2]), 0);
	irq_set_status_flags(idxd->wqs[2]->ie.vector, IRQ_DISABLE_UNLAZY);
	disable_irq(idxd->wqs[2]->ie.vector);

	KUNIT_EXPECT_EQ(test, sim_slot(sim, 0, PCI_IMS_ARRAY_CTRL), 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 2, PCI_IMS_ARRAY_CTRL),
			sim_pasid_ctrl() | PCI_IMS_ARRAY_CTRL_MASKBIT);
	memcpy(saved[0], sim_slot_ptr(sim, 0), PCI_IMS_ARRAY_ENTRY_SIZE);
	memcpy(saved[1], sim_slot_ptr(sim, 2), PCI_IMS_ARRAY_ENTRY_SIZE);
}

/* The live entries are as before, the free ones masked */
static void sim_expect_restored(struct kunit *test, struct sim *sim, u8 saved[2][16],
				u32 fill)
{
	struct idxd_device *idxd = sim->idxd;
	int vector = idxd->wqs[2]->ie.vector;
	unsigned int i;

	KUNIT_EXPECT_MEMEQ(test, sim_slot_ptr(sim, 0), saved[0], PCI_IMS_ARRAY_ENTRY_SIZE);
	KUNIT_EXPECT_MEMEQ(test, sim_slot_ptr(sim, 2), saved[1], PCI_IMS_ARRAY_ENTRY_SIZE);
	/* Every free slot masked, with no other control bit, and not written */
	for (i = 1; i < SIM_IMS_ENTRIES; i++) {
		if (i == 2)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, sim_slot(sim, i, PCI_IMS_ARRAY_CTRL),
				    PCI_IMS_ARRAY_CTRL_MASKBIT, "slot %u", i);
		KUNIT_EXPECT_EQ_MSG(test, sim_slot(sim, i, PCI_IMS_ARRAY_ADDR_LO), fill,
				    "slot %u", i);
	}

	/* The masked entry comes back unmasked with its PASID */
	enable_irq(vector);
	irq_clear_status_flags(vector, IRQ_DISABLE_UNLAZY);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 2, PCI_IMS_ARRAY_CTRL), sim_pasid_ctrl());
}

/*
 * The software reset of a halted device (idxd_device_reinit()) keeps the
 * work queue interrupts: a reset which cleared the IMS, and so unmasked
 * every slot, is followed by msi_table_restore(), which masks the free
 * slots and writes the live entries again.
 */
static void ims_reset_restore(struct kunit *test)
{
	struct sim *sim = test->priv;
	union idxd_command_reg cmd;
	u8 saved[2][16];
	unsigned int nlog;

	sim_live_entries(test, sim, saved);
	nlog = READ_ONCE(sim->nlog);
	WRITE_ONCE(sim->reset_fill, 0);

	idxd_device_reset(sim->idxd);
	KUNIT_ASSERT_EQ(test, READ_ONCE(sim->nlog), nlog + 1);
	cmd.bits = sim_command(sim, nlog);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_RESET_DEVICE);

	sim_expect_restored(test, sim, saved, 0);
}

/*
 * A function reset through the PCI core: its reset_done() handler masks
 * every slot of a scrambled IMS and writes the live entries again
 */
static void ims_flr_restore(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct pci_dev *pdev = sim->idxd->pdev;
	u8 saved[2][16];

	sim_live_entries(test, sim, saved);
	memset(sim_slot_ptr(sim, 0), 0xa5, SIM_IMS_ENTRIES * PCI_IMS_ARRAY_ENTRY_SIZE);

	pci_set_drvdata(pdev, sim->idxd);
	idxd_reset_done(pdev);
	sim_expect_restored(test, sim, saved, SIM_SCRAMBLE);
}

/*
 * Fault injection: every slab allocation of a call fails in turn, see
 * kunit_fault_walk(). The calls are probe's interrupt setup (the IMS
 * table, MSI-X and the misc interrupt) and a work queue's interrupt
 * setup (its IMS entry, threaded handler and interrupt handle). A failed
 * call must leave the device's tables, their entries, the IMS, the
 * handles the device gave out, the work queue's interrupt entry and the
 * irq descriptors as they were.
 */
#define SIM_FAULT_WQ	1

static void sim_snapshot(struct sim *sim, struct sim_snap *s)
{
	struct idxd_device *idxd = sim->idxd;
	struct idxd_irq_entry *ie = &idxd->wqs[SIM_FAULT_WQ]->ie;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->tables = msi_device_count_tables(&idxd->pdev->dev);
	if (idxd->ims_table)
		s->ims_descs = sim_count_descs(idxd->ims_table);
	/* An entry in use is unmasked and holds a message */
	for (i = 0; i < SIM_IMS_ENTRIES; i++) {
		if (!(sim_slot(sim, i, PCI_IMS_ARRAY_CTRL) & PCI_IMS_ARRAY_CTRL_MASKBIT) &&
		    sim_slot(sim, i, PCI_IMS_ARRAY_ADDR_LO))
			s->live_slots++;
	}
	for (i = 0; i < nr_irqs; i++)
		s->irqs += !!irq_get_irq_data(i);
	s->handles = READ_ONCE(sim->handles);
	s->vector = ie->vector;
	s->int_handle = ie->int_handle;
	s->pasid = ie->pasid;
}

static void sim_fault_save(struct kunit *test)
{
	struct sim *sim = test->priv;

	sim_snapshot(sim, &sim->before);
}

static void sim_fault_check(struct kunit *test, const char *name, unsigned int site)
{
	struct sim *sim = test->priv;
	struct sim_snap *a = &sim->before, b;

	sim_snapshot(sim, &b);
	KUNIT_EXPECT_EQ_MSG(test, b.tables, a->tables, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.ims_descs, a->ims_descs, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.live_slots, a->live_slots, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.irqs, a->irqs, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.handles, a->handles, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.vector, a->vector, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.int_handle, a->int_handle, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.pasid, a->pasid, "%s, site %u", name, site);
}

/*
 * A table which cannot be created leaves the work queues on MSI-X: the
 * call absorbs that fault. It fails when MSI-X cannot be enabled, which
 * it reports as -ENOSPC whatever the cause, as 6.12 does, or when the
 * misc interrupt cannot be requested.
 */
static int sim_fault_setup(struct kunit *test)
{
	struct sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	int ret;

	ret = idxd_setup_interrupts(idxd, true);
	if (ret)
		return ret == -ENOSPC ? -ENOMEM : ret;
	sim->probed = true;
	if (!idxd->ims_table) {
		KUNIT_EXPECT_EQ(test, idxd->irq_cnt, pci_msix_vec_count(idxd->pdev));
		KUNIT_EXPECT_EQ(test, idxd->wqs[SIM_FAULT_WQ]->ie.type, IDXD_IRQ_MSIX);
		KUNIT_EXPECT_EQ(test, msi_device_count_tables(&idxd->pdev->dev), 1);
	}
	return 0;
}

static void sim_fault_cleanup(struct kunit *test, int ret)
{
	struct sim *sim = test->priv;

	if (!ret)
		sim_unprobe(test, sim);
}

static int sim_fault_request(struct kunit *test)
{
	struct sim *sim = test->priv;

	return sim_request_irq(sim, sim->idxd->wqs[SIM_FAULT_WQ]);
}

static void sim_fault_free(struct kunit *test, int ret)
{
	struct sim *sim = test->priv;

	if (!ret)
		sim_free_irq(test, sim, sim->idxd->wqs[SIM_FAULT_WQ]);
}

static void ims_fault_walk(struct kunit *test)
{
	static const struct kunit_fault_walk setup = {
		.name = "idxd_setup_interrupts() with IMS",
		.run = sim_fault_setup, .undo = sim_fault_cleanup,
		.save = sim_fault_save, .check = sim_fault_check,
	};
	static const struct kunit_fault_walk request = {
		.name = "idxd_wq_request_irq() on IMS",
		.run = sim_fault_request, .undo = sim_fault_free,
		.save = sim_fault_save, .check = sim_fault_check,
	};
	struct sim *sim = test->priv;

	KUNIT_ASSERT_GT(test, sim->nr_wqs, SIM_FAULT_WQ);
	sim_probe_ims(test, sim);
	kunit_fault_walk(test, &request);
	sim_unprobe(test, sim);

	/* From the unbound state, with the device's MSI data, which stays */
	kunit_fault_walk(test, &setup);
}

static int idxd_ims_test_suite_init(struct kunit_suite *suite)
{
	return pci_register_driver(&sim_pci_driver);
}

/* Unbinding frees the vectors and the device's MSI data */
static void idxd_ims_test_suite_exit(struct kunit_suite *suite)
{
	pci_unregister_driver(&sim_pci_driver);
}

static struct kunit_case idxd_ims_test_cases[] = {
	KUNIT_CASE(msix_default),
	KUNIT_CASE(probe_choice),
	KUNIT_CASE(ims_request_free),
	KUNIT_CASE(ims_pasid_mask),
	KUNIT_CASE(ims_bad_entries),
	KUNIT_CASE(ims_handle_refused),
	KUNIT_CASE(ims_revoke),
	KUNIT_CASE(ims_reset_restore),
	KUNIT_CASE(ims_flr_restore),
	KUNIT_CASE_SLOW(ims_fault_walk),
	{ }
};

static struct kunit_suite idxd_ims_test_suite = {
	.name		= "idxd_ims",
	.suite_init	= idxd_ims_test_suite_init,
	.suite_exit	= idxd_ims_test_suite_exit,
	.init		= sim_init,
	.exit		= sim_exit,
	.test_cases	= idxd_ims_test_cases,
};

kunit_test_suite(idxd_ims_test_suite);
