// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of IDXD's IMS work queue interrupts against a simulated
 * device: a register window in memory with the capability, table offset
 * and command registers and the IMS array, and a model of the command
 * register which a kernel thread runs. The IMS table is created for the
 * NVMe controller of the QEMU test machine (QEMU's 1b36:0010, MSI-X
 * enabled by the nvme driver), so its entries get real interrupts and
 * real messages from the platform's parent domain; the messages land in
 * the simulated IMS array, not in that device. Elsewhere the tests skip.
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
#include <linux/xarray.h>

#include "idxd.h"
#include "registers.h"

#define SIM_WQS			4
#define SIM_MSIX_PERM_UNITS	0x18	/* MSI-X permission table at 0x1800 */
#define SIM_MSIX_PERM_OFFSET	(SIM_MSIX_PERM_UNITS * IDXD_TABLE_MULT)
#define SIM_IMS_UNITS		0x20	/* IMS array at 0x2000 */
#define SIM_IMS_OFFSET		(SIM_IMS_UNITS * IDXD_TABLE_MULT)
#define SIM_IMS_SLOTS		256	/* max_ims_mult = 1 */
#define SIM_REGS_SIZE		(SIM_IMS_OFFSET + SIM_IMS_SLOTS * PCI_IMS_ARRAY_ENTRY_SIZE)
#define SIM_PASID		0x5a5a5
#define SIM_LOG_SIZE		16

/* Offsets in an IMS array slot */
#define SLOT_ADDR_LO		0x0
#define SLOT_ADDR_HI		0x4
#define SLOT_DATA		0x8
#define SLOT_CTRL		0xc

/* What a call under fault injection must leave as it was */
struct sim_snap {
	unsigned int	tables;
	unsigned int	descs;
	unsigned int	live_slots;
	unsigned int	irqs;
	int		handles;
	int		vector;
	int		int_handle;
	ioasid_t	pasid;
};

struct idxd_sim {
	struct idxd_device		*idxd;
	struct idxd_driver_data		data;
	void				*regs;
	struct task_struct		*model;
	/* The model's state, changed by the model thread only */
	u32				log[SIM_LOG_SIZE];
	unsigned int			nlog;
	/* Interrupt handles given out and not released */
	int				handles;
	/* Set by the tests */
	unsigned int			generation;
	bool				refuse_handles;
	/* Fault injection: the state before the call, what it created */
	struct sim_snap			before;
	struct msi_table		*fault_table;
};

/* A handle the model gives out: the revocation generation and the slot */
static u16 sim_handle(struct idxd_sim *sim, unsigned int index)
{
	return (READ_ONCE(sim->generation) << 8) | index;
}

static u32 sim_reg(struct idxd_sim *sim, unsigned int offset)
{
	return READ_ONCE(*(u32 *)(sim->regs + offset));
}

static void sim_set_reg(struct idxd_sim *sim, unsigned int offset, u32 val)
{
	WRITE_ONCE(*(u32 *)(sim->regs + offset), val);
}

static u32 sim_slot(struct idxd_sim *sim, unsigned int index, unsigned int word)
{
	return sim_reg(sim, SIM_IMS_OFFSET + index * PCI_IMS_ARRAY_ENTRY_SIZE + word);
}

/* Execute one command as the device does, and report its completion */
static void sim_execute(struct idxd_sim *sim, u32 bits)
{
	union idxd_command_reg cmd = { .bits = bits };
	u32 index = cmd.operand & GENMASK(15, 0);
	u32 status = IDXD_CMDSTS_SUCCESS;
	unsigned long flags;

	switch (cmd.cmd) {
	case IDXD_CMD_REQUEST_INT_HANDLE:
		if (READ_ONCE(sim->refuse_handles)) {
			status = IDXD_CMDSTS_ERR_NO_HANDLE;
		} else {
			status = sim_handle(sim, index) << IDXD_CMDSTS_RES_SHIFT;
			WRITE_ONCE(sim->handles, sim->handles + 1);
		}
		break;
	case IDXD_CMD_RELEASE_INT_HANDLE:
		WRITE_ONCE(sim->handles, sim->handles - 1);
		break;
	default:
		status = IDXD_CMDSTS_INVAL_CMD;
		break;
	}

	if (sim->nlog < SIM_LOG_SIZE)
		WRITE_ONCE(sim->log[sim->nlog], bits);
	WRITE_ONCE(sim->nlog, sim->nlog + 1);

	/* Result first, then the command register is free again */
	sim_set_reg(sim, IDXD_CMDSTS_OFFSET, status);
	sim_set_reg(sim, IDXD_CMD_OFFSET, 0);

	/* What the misc interrupt does for IDXD_INTC_CMD */
	if (cmd.int_req) {
		spin_lock_irqsave(&sim->idxd->cmd_lock, flags);
		complete(sim->idxd->cmd_done);
		spin_unlock_irqrestore(&sim->idxd->cmd_lock, flags);
	}
}

static int sim_model(void *arg)
{
	struct idxd_sim *sim = arg;
	u32 bits;

	while (!kthread_should_stop()) {
		bits = sim_reg(sim, IDXD_CMD_OFFSET);
		if (bits)
			sim_execute(sim, bits);
		else
			usleep_range(20, 50);
	}
	return 0;
}

/*
 * The handle release polls CMDSTS instead of waiting for the command
 * interrupt, with the command lock held. The model only notices the
 * command later, so it answers such a command at once: the status is
 * ready before the command is written (success; the model accepts any
 * release of an IMS handle), and the test waits for the model to take
 * the command before issuing the next one.
 */
static void sim_prepare_polled_command(struct idxd_sim *sim)
{
	sim_set_reg(sim, IDXD_CMDSTS_OFFSET, IDXD_CMDSTS_SUCCESS);
}

static void sim_wait_commands(struct kunit *test, struct idxd_sim *sim,
			      unsigned int n)
{
	unsigned long timeout = jiffies + 5 * HZ;

	while (READ_ONCE(sim->nlog) < n && time_before(jiffies, timeout))
		usleep_range(100, 200);
	KUNIT_ASSERT_EQ(test, READ_ONCE(sim->nlog), n);
}

/* Free a work queue interrupt: one polled handle release */
static void sim_free_irq(struct kunit *test, struct idxd_sim *sim,
			 struct idxd_wq *wq)
{
	unsigned int nlog = READ_ONCE(sim->nlog);

	sim_prepare_polled_command(sim);
	idxd_wq_free_irq(wq);
	sim_wait_commands(test, sim, nlog + 1);
}

/* Nothing of the entry is left, its slot is masked: the table destroys */
static void sim_expect_gone(struct kunit *test, struct idxd_sim *sim,
			    struct idxd_irq_entry *ie, unsigned int slot)
{
	KUNIT_EXPECT_EQ(test, ie->int_handle, INVALID_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, ie->vector, -1);
	KUNIT_EXPECT_EQ(test, msi_get_virq(sim->idxd->ims_table, slot), 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, slot, SLOT_CTRL), PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(sim->idxd->ims_table), 0);
	sim->idxd->ims_table = NULL;
}

static u32 sim_command(struct idxd_sim *sim, unsigned int i)
{
	return i < SIM_LOG_SIZE ? READ_ONCE(sim->log[i]) : 0;
}

/* The capabilities of the simulated device */
struct sim_caps {
	bool		cmd_cap;	/* GENCAP: has a command capability register */
	u32		cmds;		/* CMDCAP */
	unsigned int	ims_mult;	/* GENCAP.max_ims_mult */
	unsigned int	ims_units;	/* OFFSETS.ims */
	int		max_wqs;
};

static const struct sim_caps sim_ims_caps = {
	.cmd_cap	= true,
	.cmds		= BIT(IDXD_CMD_REQUEST_INT_HANDLE) |
			  BIT(IDXD_CMD_RELEASE_INT_HANDLE),
	.ims_mult	= 1,
	.ims_units	= SIM_IMS_UNITS,
	.max_wqs	= SIM_WQS,
};

/* Write the capability registers and let the driver read them */
static void sim_set_caps(struct idxd_sim *sim, const struct sim_caps *caps)
{
	union gen_cap_reg gen_cap = { };
	union offsets_reg offsets = { };

	gen_cap.cmd_cap = caps->cmd_cap;
	gen_cap.max_ims_mult = caps->ims_mult;
	offsets.msix_perm = SIM_MSIX_PERM_UNITS;
	offsets.ims = caps->ims_units;
	memcpy(sim->regs + IDXD_GENCAP_OFFSET, &gen_cap, sizeof(gen_cap));
	memcpy(sim->regs + IDXD_TABLE_OFFSET, &offsets, sizeof(offsets));
	sim_set_reg(sim, IDXD_CMDCAP_OFFSET, caps->cmds);

	sim->idxd->request_int_handles = false;
	sim->idxd->hw.cmd_cap = 0;
	idxd_read_caps(sim->idxd);
	idxd_read_table_offsets(sim->idxd);
	sim->idxd->max_wqs = caps->max_wqs;
}

/* QEMU's NVMe controller, with MSI-X enabled by its driver */
static struct pci_dev *sim_find_pci_dev(void)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(PCI_VENDOR_ID_REDHAT, 0x0010, pdev))) {
		if (pdev->msix_enabled && pdev->dev.driver)
			return pdev;
	}
	return NULL;
}

static void sim_init_wq(struct kunit *test, struct idxd_device *idxd, int id)
{
	struct idxd_wq *wq = kunit_kzalloc(test, sizeof(*wq), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, wq);
	wq->idxd = idxd;
	wq->id = id;
	wq->type = IDXD_WQT_KERNEL;
	wq->state = IDXD_WQ_DISABLED;
	wq->ie.vector = -1;
	idxd->wqs[id] = wq;
}

static int idxd_ims_test_init(struct kunit *test)
{
	struct idxd_device *idxd;
	struct idxd_sim *sim;
	int i;

	sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim);
	sim->regs = kunit_kzalloc(test, SIM_REGS_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim->regs);
	idxd = kunit_kzalloc(test, sizeof(*idxd), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idxd);
	sim->idxd = idxd;

	idxd->pdev = sim_find_pci_dev();
	if (!idxd->pdev)
		kunit_skip(test, "needs QEMU's NVMe controller with MSI-X enabled");
	/* From here on exit() undoes what is set up */
	test->priv = sim;
	idxd->reg_base = (void __iomem __force *)sim->regs;
	sim->data.type = IDXD_TYPE_DSA;
	idxd->data = &sim->data;
	spin_lock_init(&idxd->dev_lock);
	spin_lock_init(&idxd->cmd_lock);
	init_waitqueue_head(&idxd->cmd_waitq);

	idxd->wqs = kunit_kcalloc(test, SIM_WQS, sizeof(*idxd->wqs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idxd->wqs);
	for (i = 0; i < SIM_WQS; i++)
		sim_init_wq(test, idxd, i);

	idxd->wq = alloc_workqueue("idxd-ims-test", 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, idxd->wq);
	sim->model = kthread_run(sim_model, sim, "idxd-ims-model");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sim->model);
	return 0;
}

static void idxd_ims_test_exit(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;

	if (!sim)
		return;
	if (!IS_ERR_OR_NULL(sim->model))
		kthread_stop(sim->model);
	if (sim->idxd->wq)
		destroy_workqueue(sim->idxd->wq);
	idxd_ims_cleanup(sim->idxd);
	pci_dev_put(sim->idxd->pdev);
}

/* Probe: a device with IMS and interrupt handles, with the IMS table */
static void sim_setup_ims(struct kunit *test, struct idxd_sim *sim)
{
	struct idxd_device *idxd = sim->idxd;
	int i;

	sim_set_caps(sim, &sim_ims_caps);
	idxd_ims_setup(idxd);
	KUNIT_ASSERT_NOT_NULL(test, idxd->ims_table);

	/* Work queue N on IMS entry N; the revocation walks them all */
	idxd_setup_wq_irq_entries(idxd);
	KUNIT_EXPECT_EQ(test, idxd->irq_cnt, idxd->max_wqs + 1);
	for (i = 0; i < idxd->max_wqs; i++) {
		KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.id, i);
		KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.type, IDXD_IRQ_IMS);
		KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.int_handle, INVALID_INT_HANDLE);
	}
}

/* Probe picks IMS only with an IMS array, handles and a slot per queue */
static void idxd_ims_test_probe_choice(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	const u32 handles = BIT(IDXD_CMD_REQUEST_INT_HANDLE) |
			    BIT(IDXD_CMD_RELEASE_INT_HANDLE);
	const struct {
		const char	*what;
		struct sim_caps	caps;
		bool		ims;
	} *c, cases[] = {
		{ "IMS array and interrupt handles", sim_ims_caps, true },
		{ "no IMS offset",
		  { true, handles, 1, 0, SIM_WQS }, false },
		{ "max_ims_mult 0",
		  { true, handles, 0, SIM_IMS_UNITS, SIM_WQS }, false },
		{ "no command capability register",
		  { false, handles, 1, SIM_IMS_UNITS, SIM_WQS }, false },
		{ "no interrupt handle command",
		  { true, BIT(IDXD_CMD_RELEASE_INT_HANDLE), 1, SIM_IMS_UNITS, SIM_WQS },
		  false },
		{ "fewer IMS slots than work queues",
		  { true, handles, 1, SIM_IMS_UNITS, SIM_IMS_SLOTS + 1 }, false },
		{ "three units of IMS slots",
		  { true, handles, 3, SIM_IMS_UNITS, SIM_WQS }, true },
	};

	for (c = cases; c < cases + ARRAY_SIZE(cases); c++) {
		sim_set_caps(sim, &c->caps);

		idxd_ims_setup(idxd);
		KUNIT_EXPECT_EQ_MSG(test, !!idxd->ims_table, c->ims, "%s", c->what);
		if (idxd->ims_table) {
			KUNIT_EXPECT_EQ_MSG(test, idxd->ims_table->hwsize,
					    c->caps.ims_mult * 256, "%s", c->what);
			KUNIT_EXPECT_PTR_EQ_MSG(test, idxd->ims_table->data,
						sim->regs + SIM_IMS_OFFSET, "%s", c->what);
		}
		idxd_ims_cleanup(idxd);
		KUNIT_EXPECT_NULL(test, idxd->ims_table);
	}
	/* Probe issues no command for this */
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->nlog), 0);
}

/* Request and free a work queue interrupt: IMS entry and handle */
static void idxd_ims_test_request_free(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq = idxd->wqs[2];
	struct idxd_irq_entry *ie = &wq->ie;
	union idxd_command_reg cmd;
	struct msi_desc *desc;
	unsigned int i, nlog;
	int vector;

	sim_setup_ims(test, sim);

	KUNIT_ASSERT_EQ(test, idxd_wq_request_irq(wq), 0);
	vector = ie->vector;
	KUNIT_EXPECT_GT(test, vector, 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, 2), vector);
	KUNIT_EXPECT_EQ(test, ie->int_handle, sim_handle(sim, 2));

	/* One command: a handle for IMS entry 2, completed by interrupt */
	KUNIT_ASSERT_EQ(test, READ_ONCE(sim->nlog), 1);
	cmd.bits = sim_command(sim, 0);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_REQUEST_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | 2);
	KUNIT_EXPECT_EQ(test, (u32)cmd.int_req, 1);

	/* Slot 2 holds the composed message and is unmasked, untagged */
	desc = irq_get_msi_desc(vector);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_NE(test, desc->msg.address_lo, 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 2, SLOT_ADDR_LO), desc->msg.address_lo);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 2, SLOT_ADDR_HI), desc->msg.address_hi);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 2, SLOT_DATA), desc->msg.data);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 2, SLOT_CTRL), 0);

	/* Nothing else written: other slots, the MSI-X permission table */
	for (i = 0; i < SIM_IMS_SLOTS; i++) {
		if (i == 2)
			continue;
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, SLOT_ADDR_LO), 0);
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, SLOT_CTRL), 0);
	}
	for (i = 0; i <= SIM_WQS; i++)
		KUNIT_EXPECT_EQ(test, sim_reg(sim, SIM_MSIX_PERM_OFFSET + i * 8), 0);

	nlog = READ_ONCE(sim->nlog);
	sim_free_irq(test, sim, wq);

	/* The handle is given back, the entry freed and its slot masked */
	cmd.bits = sim_command(sim, nlog);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_RELEASE_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | sim_handle(sim, 2));
	KUNIT_EXPECT_NULL(test, irq_get_msi_desc(vector));
	sim_expect_gone(test, sim, ie, 2);
}

/* A PASID permission in the entry, and mask/unmask flip only the mask bit */
static void idxd_ims_test_pasid_mask(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq = idxd->wqs[1];
	u32 tag = PCI_IMS_ARRAY_CTRL_PASID_EN |
		  FIELD_PREP(PCI_IMS_ARRAY_CTRL_PASID_MASK, SIM_PASID);
	/* Control bits a driver may own: the store keeps them */
	u32 own = BIT(1) | BIT(2);
	u32 addr_lo, data;
	int vector;

	sim_setup_ims(test, sim);
	idxd->pasid = SIM_PASID;
	set_bit(IDXD_FLAG_PASID_ENABLED, &idxd->flags);

	KUNIT_ASSERT_EQ(test, idxd_wq_request_irq(wq), 0);
	vector = wq->ie.vector;
	KUNIT_EXPECT_EQ(test, wq->ie.pasid, SIM_PASID);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, SLOT_CTRL), tag);

	sim_set_reg(sim, SIM_IMS_OFFSET + PCI_IMS_ARRAY_ENTRY_SIZE + SLOT_CTRL, tag | own);
	addr_lo = sim_slot(sim, 1, SLOT_ADDR_LO);
	data = sim_slot(sim, 1, SLOT_DATA);

	/* Mask at once, not at the next interrupt */
	irq_set_status_flags(vector, IRQ_DISABLE_UNLAZY);
	disable_irq(vector);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, SLOT_CTRL),
			tag | own | PCI_IMS_ARRAY_CTRL_MASKBIT);
	enable_irq(vector);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, SLOT_CTRL), tag | own);
	irq_clear_status_flags(vector, IRQ_DISABLE_UNLAZY);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, SLOT_ADDR_LO), addr_lo);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, SLOT_DATA), data);

	sim_free_irq(test, sim, wq);
	/* Masked, and the PASID is gone; the driver's own bits stay */
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 1, SLOT_CTRL), own | PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, wq->ie.pasid, INVALID_IOASID);
}

/* Bad entries: beyond the slots, a PASID wider than 20 bits */
static void idxd_ims_test_bad_entries(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_irq_entry *ie = &idxd->wqs[3]->ie;
	union msi_entry_cookie cookie;
	struct msi_map map;

	sim_setup_ims(test, sim);

	/* The slot after the last one */
	ie->id = SIM_IMS_SLOTS;
	KUNIT_EXPECT_EQ(test, idxd_wq_request_irq(idxd->wqs[3]), -EINVAL);
	KUNIT_EXPECT_EQ(test, ie->vector, -1);
	KUNIT_EXPECT_EQ(test, ie->int_handle, INVALID_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, ie->pasid, INVALID_IOASID);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->nlog), 0);

	/* The last slot is fine */
	ie->id = SIM_IMS_SLOTS - 1;
	KUNIT_EXPECT_EQ(test, idxd_ims_alloc_entry(idxd, ie), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, SIM_IMS_SLOTS - 1), ie->vector);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, SIM_IMS_SLOTS - 1, SLOT_CTRL),
			PCI_IMS_ARRAY_CTRL_MASKBIT);
	idxd_ims_free_entry(idxd, ie);

	/* A PASID of more than 20 bits, or a cookie the store does not know */
	cookie.value = PCI_IMS_ARRAY_PASID_COOKIE(PCI_IMS_ARRAY_PASID_MAX + 1);
	map = msi_table_alloc(idxd->ims_table, 0, &cookie, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -EINVAL);
	cookie.value = 1;
	map = msi_table_alloc(idxd->ims_table, 0, &cookie, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, 0), 0);
	KUNIT_EXPECT_EQ(test, sim_slot(sim, 0, SLOT_CTRL), 0);
	msi_table_lock(idxd->ims_table);
	KUNIT_EXPECT_NULL(test, msi_table_first_desc(idxd->ims_table, MSI_DESC_ALL));
	msi_table_unlock(idxd->ims_table);
}

/* The device refuses a handle: the entry is freed again */
static void idxd_ims_test_handle_refused(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct idxd_wq *wq = idxd->wqs[0];

	sim_setup_ims(test, sim);
	WRITE_ONCE(sim->refuse_handles, true);

	KUNIT_EXPECT_EQ(test, idxd_wq_request_irq(wq), -ENXIO);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sim->nlog), 1);
	sim_expect_gone(test, sim, &wq->ie, 0);
}

/*
 * Without IMS a work queue interrupt is an MSI-X vector, as in 6.1: its
 * PASID goes to the MSI-X permission table, the handle names the MSI-X
 * index, and no IMS slot is touched. The vector is a spare MSI-X entry
 * of the PCI device, at the index the work queue's entry names.
 */
static void idxd_ims_test_msix(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct msi_table *msix = pci_msi_table(idxd->pdev);
	struct idxd_wq *wq = idxd->wqs[0];
	struct idxd_irq_entry *ie = &wq->ie;
	struct sim_caps caps = sim_ims_caps;
	union idxd_command_reg cmd;
	union msix_perm perm = { };
	unsigned int perm_reg, i;
	struct msi_map map;

	caps.ims_units = 0;
	sim_set_caps(sim, &caps);
	idxd_ims_setup(idxd);
	KUNIT_ASSERT_NULL(test, idxd->ims_table);

	/* Work queue N on MSI-X vector N + 1, as in 6.1 */
	idxd->irq_cnt = SIM_WQS + 1;
	idxd_setup_wq_irq_entries(idxd);
	KUNIT_EXPECT_EQ(test, idxd->irq_cnt, SIM_WQS + 1);
	for (i = 0; i < SIM_WQS; i++) {
		KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.id, i + 1);
		KUNIT_EXPECT_EQ(test, idxd->wqs[i]->ie.type, IDXD_IRQ_MSIX);
	}

	KUNIT_ASSERT_TRUE(test, msi_table_can_alloc(msix));
	map = msi_table_alloc(msix, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_ASSERT_GE(test, map.index, 0);
	KUNIT_ASSERT_LT(test, map.index, SIM_IMS_SLOTS);
	/* Vector 1 is the NVMe controller's: use the spare entry instead */
	ie->id = map.index;
	idxd->pasid = SIM_PASID;
	set_bit(IDXD_FLAG_PASID_ENABLED, &idxd->flags);

	KUNIT_EXPECT_EQ(test, idxd_wq_request_irq(wq), 0);
	KUNIT_EXPECT_EQ(test, ie->vector, map.virq);
	KUNIT_EXPECT_EQ(test, ie->int_handle, sim_handle(sim, map.index));
	cmd.bits = sim_command(sim, 0);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_REQUEST_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, map.index);

	perm.pasid = SIM_PASID;
	perm.pasid_en = 1;
	perm_reg = SIM_MSIX_PERM_OFFSET + map.index * 8;
	KUNIT_EXPECT_EQ(test, sim_reg(sim, perm_reg), perm.bits);
	for (i = 0; i < SIM_IMS_SLOTS; i++)
		KUNIT_EXPECT_EQ(test, sim_slot(sim, i, SLOT_CTRL), 0);

	sim_free_irq(test, sim, wq);
	cmd.bits = sim_command(sim, 1);
	KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_RELEASE_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, sim_handle(sim, map.index));
	KUNIT_EXPECT_EQ(test, sim_reg(sim, perm_reg), 0);
	KUNIT_EXPECT_EQ(test, ie->vector, -1);
	/* The MSI-X entry itself stays: the 6.1 driver frees vectors at remove */
	KUNIT_EXPECT_EQ(test, msi_get_virq(msix, map.index), map.virq);
	KUNIT_EXPECT_EQ(test, msi_table_free(msix, map.index), 0);
}

/* Revoked handles: new ones for the IMS entries in use, by their slot */
static void idxd_ims_test_revoke(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	union idxd_command_reg cmd;
	unsigned int nlog, i;

	sim_setup_ims(test, sim);
	KUNIT_ASSERT_EQ(test, idxd_wq_request_irq(idxd->wqs[0]), 0);
	KUNIT_ASSERT_EQ(test, idxd_wq_request_irq(idxd->wqs[3]), 0);
	nlog = READ_ONCE(sim->nlog);

	WRITE_ONCE(sim->generation, 1);
	idxd_queue_int_handle_revoke(idxd);
	flush_workqueue(idxd->wq);

	KUNIT_EXPECT_EQ(test, idxd->wqs[0]->ie.int_handle, sim_handle(sim, 0));
	KUNIT_EXPECT_EQ(test, idxd->wqs[3]->ie.int_handle, sim_handle(sim, 3));
	KUNIT_EXPECT_EQ(test, idxd->wqs[1]->ie.int_handle, INVALID_INT_HANDLE);
	KUNIT_EXPECT_EQ(test, idxd->wqs[2]->ie.int_handle, INVALID_INT_HANDLE);

	/* Two requests, for IMS slots 0 and 3 (not interrupt entries 1 and 4) */
	KUNIT_ASSERT_EQ(test, READ_ONCE(sim->nlog), nlog + 2);
	for (i = 0; i < 2; i++) {
		cmd.bits = sim_command(sim, nlog + i);
		KUNIT_EXPECT_EQ(test, (u32)cmd.cmd, IDXD_CMD_REQUEST_INT_HANDLE);
		KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | (i ? 3 : 0));
	}

	/* The entries keep their interrupts; release gives back the new handles */
	KUNIT_EXPECT_EQ(test, msi_get_virq(idxd->ims_table, 0), idxd->wqs[0]->ie.vector);
	nlog = READ_ONCE(sim->nlog);
	sim_free_irq(test, sim, idxd->wqs[0]);
	sim_free_irq(test, sim, idxd->wqs[3]);
	cmd.bits = sim_command(sim, nlog);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | sim_handle(sim, 0));
	cmd.bits = sim_command(sim, nlog + 1);
	KUNIT_EXPECT_EQ(test, (u32)cmd.operand, CMD_INT_HANDLE_IMS | sim_handle(sim, 3));
	sim_expect_gone(test, sim, &idxd->wqs[3]->ie, 3);
}

/*
 * Fault injection over IDXD's IMS: every slab allocation of a call is
 * failed in turn, see kunit_fault_walk(). The calls are the creation of
 * the IMS array table which probe creates (idxd_ims_setup()), and a
 * work queue's interrupt setup: its IMS entry, its threaded handler and
 * its interrupt handle. A failed call must leave the device's tables,
 * their entries, the IMS array, the interrupt handles the device gave
 * out, the work queue's interrupt entry and the irq descriptors as they
 * were.
 */
#define SIM_FAULT_WQ	1

static void sim_snapshot(struct idxd_sim *sim, struct sim_snap *s)
{
	struct msi_device_data *md = sim->idxd->pdev->dev.msi.data;
	struct idxd_irq_entry *ie = &sim->idxd->wqs[SIM_FAULT_WQ]->ie;
	struct msi_table *table;
	struct msi_desc *desc;
	unsigned long id;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	xa_for_each(&md->tables, id, table) {
		s->tables++;
		msi_table_lock(table);
		msi_table_for_each_desc(desc, table, MSI_DESC_ALL)
			s->descs++;
		msi_table_unlock(table);
	}
	/* A slot in use is unmasked and holds a message */
	for (i = 0; i < SIM_IMS_SLOTS; i++) {
		if (!(sim_slot(sim, i, SLOT_CTRL) & PCI_IMS_ARRAY_CTRL_MASKBIT) &&
		    sim_slot(sim, i, SLOT_ADDR_LO))
			s->live_slots++;
	}
	rcu_read_lock();
	for (i = 0; i < nr_irqs; i++)
		s->irqs += !!irq_get_irq_data(i);
	rcu_read_unlock();
	s->handles = READ_ONCE(sim->handles);
	s->vector = ie->vector;
	s->int_handle = ie->int_handle;
	s->pasid = ie->pasid;
}

static void sim_fault_save(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;

	sim_snapshot(sim, &sim->before);
}

static void sim_fault_check(struct kunit *test, const char *name, unsigned int site)
{
	struct idxd_sim *sim = test->priv;
	struct sim_snap *a = &sim->before, b;

	sim_snapshot(sim, &b);
	KUNIT_EXPECT_EQ_MSG(test, b.tables, a->tables, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.descs, a->descs, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.live_slots, a->live_slots, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.irqs, a->irqs, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.handles, a->handles, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.vector, a->vector, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.int_handle, a->int_handle, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, b.pasid, a->pasid, "%s, site %u", name, site);
}

/* The table of idxd_ims_setup(), made the same way */
static int sim_fault_create(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;
	struct idxd_device *idxd = sim->idxd;
	struct msi_table_info info;

	pci_ims_array_init_info(&info, "idxd-ims", idxd->reg_base + idxd->ims_offset,
				SIM_IMS_SLOTS);
	sim->fault_table = pci_create_msi_table(idxd->pdev, &info);
	return PTR_ERR_OR_ZERO(sim->fault_table);
}

static void sim_fault_destroy(struct kunit *test, int ret)
{
	struct idxd_sim *sim = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_destroy_table(sim->fault_table), 0);
}

static int sim_fault_request(struct kunit *test)
{
	struct idxd_sim *sim = test->priv;

	return idxd_wq_request_irq(sim->idxd->wqs[SIM_FAULT_WQ]);
}

static void sim_fault_free(struct kunit *test, int ret)
{
	struct idxd_sim *sim = test->priv;

	if (!ret)
		sim_free_irq(test, sim, sim->idxd->wqs[SIM_FAULT_WQ]);
}

static void idxd_ims_test_fault_slab(struct kunit *test)
{
	static const struct kunit_fault_walk create = {
		.name = "the IMS array table of idxd_ims_setup()",
		.run = sim_fault_create, .undo = sim_fault_destroy,
		.save = sim_fault_save, .check = sim_fault_check,
	};
	static const struct kunit_fault_walk request = {
		.name = "idxd_wq_request_irq() on IMS",
		.run = sim_fault_request, .undo = sim_fault_free,
		.save = sim_fault_save, .check = sim_fault_check,
	};
	struct idxd_sim *sim = test->priv;

	if (!kunit_failslab_enable(test))
		kunit_skip(test, "needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS");
	sim_set_caps(sim, &sim_ims_caps);
	kunit_fault_walk(test, &create);

	sim_setup_ims(test, sim);
	kunit_fault_walk(test, &request);
}

static struct kunit_case idxd_ims_test_cases[] = {
	KUNIT_CASE(idxd_ims_test_probe_choice),
	KUNIT_CASE(idxd_ims_test_request_free),
	KUNIT_CASE(idxd_ims_test_pasid_mask),
	KUNIT_CASE(idxd_ims_test_bad_entries),
	KUNIT_CASE(idxd_ims_test_handle_refused),
	KUNIT_CASE(idxd_ims_test_revoke),
	KUNIT_CASE(idxd_ims_test_msix),
	KUNIT_CASE(idxd_ims_test_fault_slab),
	{ }
};

static struct kunit_suite idxd_ims_test_suite = {
	.name		= "idxd_ims",
	.init		= idxd_ims_test_init,
	.exit		= idxd_ims_test_exit,
	.test_cases	= idxd_ims_test_cases,
};

kunit_test_suite(idxd_ims_test_suite);
