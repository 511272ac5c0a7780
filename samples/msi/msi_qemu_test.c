// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of MSI tables on QEMU devices: IMS on the edu device,
 * driven by the edu-ims sample driver, and MSI-X entries allocated
 * after probe on a bound MSI-X device (QEMU's nvme).
 *
 * QEMU: -smp 2 -device edu,dma_mask=0xffffffff and a second edu device
 * named in edu_ims.ims_only; -device nvme. Without interrupt remapping
 * the kernel needs "ims_unremapped" to allow IMS in the virtual machine.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kthread.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "edu_ims.h"

/* Fires per test; each takes two DMAs of 100 ms guest time */
#define FIRES	4

static struct edu_ims *edu_test_device(struct kunit *test)
{
	struct edu_ims *edu = edu_ims_find(false);

	KUNIT_ASSERT_NOT_NULL_MSG(test, edu, "no edu device with an IMS table");
	return edu;
}

static struct msi_msg edu_test_slot_msg(struct edu_ims *edu, unsigned int index)
{
	struct edu_ims_slot *slot = &edu->store[index];

	return (struct msi_msg) {
		.address_lo	= le32_to_cpu(READ_ONCE(slot->addr_lo)),
		.address_hi	= le32_to_cpu(READ_ONCE(slot->addr_hi)),
		.data		= le32_to_cpu(READ_ONCE(slot->data)),
	};
}

static bool edu_test_slot_masked(struct edu_ims *edu, unsigned int index)
{
	return le32_to_cpu(READ_ONCE(edu->store[index].ctrl)) & EDU_IMS_CTRL_MASK;
}

/* Allocate an entry; edu_test_exit() removes it, even on failure */
static int edu_test_add(struct kunit *test, struct edu_ims *edu, unsigned int index)
{
	int ret = edu_ims_add(edu, index);

	KUNIT_ASSERT_GE(test, ret, 0);
	return ret;
}

static void edu_test_exit(struct kunit *test)
{
	struct edu_ims *edu = edu_ims_find(false);
	unsigned int i;

	for (i = 0; edu && i < EDU_IMS_SLOTS; i++)
		edu_ims_remove(edu, i);
}

/* Each fire is one IMS interrupt; each of its two DMAs one MSI interrupt */
static void edu_test_fire_counts(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	int msi = atomic_read(&edu->msi_handled);
	int i, index;

	index = edu_test_add(test, edu, MSI_ANY_INDEX);
	KUNIT_EXPECT_EQ(test, msi_get_virq(edu->table, index), edu->entries[index].virq);
	KUNIT_EXPECT_FALSE(test, edu_test_slot_masked(edu, index));
	for (i = 1; i <= FIRES; i++) {
		KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, index), 0);
		KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, index, i));
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].handled), FIRES);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->msi_handled) - msi, 2 * FIRES);
	kunit_info(test, "IMS entry %d: %d fires, %d handled; MSI: %d handled\n",
		   index, FIRES, atomic_read(&edu->entries[index].handled),
		   atomic_read(&edu->msi_handled) - msi);
}

/* Two entries fired in turn each count their own messages */
static void edu_test_interleaved(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	int msi = atomic_read(&edu->msi_handled);
	int a, b, i;

	a = edu_test_add(test, edu, EDU_IMS_SLOTS - 1);
	KUNIT_EXPECT_EQ(test, a, EDU_IMS_SLOTS - 1);
	b = edu_test_add(test, edu, MSI_ANY_INDEX);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_NE(test, edu->entries[a].virq, edu->entries[b].virq);
	KUNIT_EXPECT_NE(test, edu->entries[a].virq, edu->msi_irq);

	for (i = 1; i <= FIRES / 2; i++) {
		KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, a), 0);
		KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, a, i));
		KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, b), 0);
		KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, b, i));
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[a].handled), FIRES / 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[b].handled), FIRES / 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->msi_handled) - msi, 2 * FIRES);
}

/* A masked entry sends nothing; once unmasked the next fire arrives */
static void edu_test_mask(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	int index = edu_test_add(test, edu, MSI_ANY_INDEX);
	unsigned int virq = edu->entries[index].virq;

	KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, index), 0);
	KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, index, 1));

	disable_irq(virq);
	KUNIT_EXPECT_TRUE(test, edu_test_slot_masked(edu, index));
	KUNIT_EXPECT_EQ(test, edu_ims_fire(edu, index), -EAGAIN);
	msleep(300);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].handled), 1);

	enable_irq(virq);
	KUNIT_EXPECT_FALSE(test, edu_test_slot_masked(edu, index));
	KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, index), 0);
	KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, index, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].handled), 2);
}

/* On x86 the parent is the vector domain, or a remapping domain */
static bool edu_test_remapped(struct edu_ims *edu)
{
	return strcmp(edu->table->domain->parent->name, "VECTOR");
}

/*
 * Moving the interrupt to another CPU rewrites the stored message (the
 * destination is in the message), or with interrupt remapping the
 * remapping entry behind an unchanged message. Where the architecture
 * moves an interrupt only when it next arrives (x86 without interrupt
 * remapping: no IRQD_MOVE_PCNTXT), that interrupt still goes to the old
 * CPU and rewrites the message; the ones after it arrive on the new CPU.
 */
static void edu_test_affinity(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	int index = edu_test_add(test, edu, MSI_ANY_INDEX);
	struct edu_ims_entry *entry = &edu->entries[index];
	struct irq_data *irqd = irq_get_irq_data(entry->virq);
	bool deferred = !irqd_can_move_in_process_context(irqd);
	struct msi_desc *desc = irq_get_msi_desc(entry->virq);
	struct msi_msg msg[2];
	unsigned int cpu;
	int n = 0;

	KUNIT_ASSERT_GE(test, num_online_cpus(), 2U);
	for (cpu = 0; cpu < 2; cpu++) {
		KUNIT_ASSERT_EQ(test, irq_set_affinity(entry->virq, cpumask_of(cpu)), 0);
		if (deferred) {
			KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, index), 0);
			KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, index, ++n));
		}
		msg[cpu] = edu_test_slot_msg(edu, index);
		KUNIT_EXPECT_EQ(test, msg[cpu].address_lo, desc->msg.address_lo);
		KUNIT_EXPECT_EQ(test, msg[cpu].data, desc->msg.data);
		KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, index), 0);
		KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, index, ++n));
		KUNIT_EXPECT_EQ(test, READ_ONCE(entry->last_cpu), (int)cpu);
		kunit_info(test, "affinity CPU%u: message %08x:%08x data %08x, handled on CPU%d%s\n",
			   cpu, msg[cpu].address_hi, msg[cpu].address_lo, msg[cpu].data,
			   READ_ONCE(entry->last_cpu), deferred ? " (moved at the interrupt)" : "");
	}
	if (edu_test_remapped(edu)) {
		/* Remappable format: the message only names the remapping entry */
		KUNIT_EXPECT_TRUE(test, msg[0].address_lo & BIT(4));
		KUNIT_EXPECT_EQ(test, msg[0].address_lo, msg[1].address_lo);
		KUNIT_EXPECT_EQ(test, msg[0].data, msg[1].data);
	} else {
		KUNIT_EXPECT_FALSE(test, msg[0].address_lo & BIT(4));
		KUNIT_EXPECT_TRUE(test, msg[0].address_lo != msg[1].address_lo ||
				  msg[0].data != msg[1].data);
	}
}

/*
 * The IMS policy: the table's parent is the parent of the device's
 * PCI/MSI domain, and IMS is refused for a device with MSI disabled and
 * for a description which brings its own bus callbacks.
 */
static void edu_test_policy(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	struct irq_domain *msidom = dev_get_msi_domain(&edu->pdev->dev);
	struct msi_table_bus_ops bus_ops = { };
	struct msi_table_info info = {
		.name = "edu-policy", .hwsize = 1, .ops = edu->table->ops, .data = edu,
	};

	KUNIT_ASSERT_NOT_NULL(test, msidom);
	KUNIT_EXPECT_PTR_EQ(test, edu->table->domain->parent, msidom->parent);
	KUNIT_EXPECT_PTR_EQ(test, pci_msi_table(edu->pdev), dev_msi_table(&edu->pdev->dev));
	kunit_info(test, "parent of the IMS table: %s (remapped: %s)\n",
		   msidom->parent->name, edu_test_remapped(edu) ? "yes" : "no");

	edu->pdev->no_msi = 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(pci_create_msi_table(edu->pdev, &info)), -EOPNOTSUPP);
	edu->pdev->no_msi = 0;

	info.bus_ops = &bus_ops;
	KUNIT_EXPECT_EQ(test, PTR_ERR(pci_create_msi_table(edu->pdev, &info)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(pci_create_msi_table(edu->pdev, NULL)), -EINVAL);
}

/* The device in IMS only mode got its one interrupt in probe, no MSI */
static void edu_test_ims_only(struct kunit *test)
{
	struct edu_ims *edu = edu_ims_find(true);

	KUNIT_ASSERT_NOT_NULL_MSG(test, edu, "no edu device in IMS only mode");
	KUNIT_EXPECT_FALSE(test, edu->pdev->msi_enabled);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->fired), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[0].handled), 1);
	KUNIT_EXPECT_GT(test, msi_get_virq(edu->table, 0), 0U);
}

/* The demo: IMS and MSI counts of one device side by side */
static void edu_test_demo(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	int msi = atomic_read(&edu->msi_handled);
	int index[2], i, j;

	index[0] = edu_test_add(test, edu, MSI_ANY_INDEX);
	index[1] = edu_test_add(test, edu, MSI_ANY_INDEX);
	KUNIT_ASSERT_EQ(test, irq_set_affinity(edu->entries[index[1]].virq,
					       cpumask_of(1)), 0);
	for (i = 0; i < 2; i++) {
		for (j = 0; j <= i; j++) {
			KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, index[i]), 0);
			KUNIT_EXPECT_TRUE(test, edu_ims_wait(edu, index[i], j + 1));
		}
	}
	pr_info("edu-ims demo: %s, IMS parent %s\n", pci_name(edu->pdev),
		edu->table->domain->parent->name);
	pr_info("edu-ims demo:   %-14s %5s %7s %7s %4s\n",
		"interrupt", "irq", "sent", "handled", "cpu");
	pr_info("edu-ims demo:   %-14s %5u %7d %7d %4s\n", "MSI (DMA done)", edu->msi_irq,
		2 * 3, atomic_read(&edu->msi_handled) - msi, "-");
	for (i = 0; i < 2; i++) {
		struct edu_ims_entry *e = &edu->entries[index[i]];

		pr_info("edu-ims demo:   IMS entry %-4d %5u %7d %7d %4d\n", index[i], e->virq,
			i + 1, atomic_read(&e->handled), READ_ONCE(e->last_cpu));
		KUNIT_EXPECT_EQ(test, atomic_read(&e->handled), i + 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->msi_handled) - msi, 2 * 3);
}

/* A message store in memory, for IMS tables whose entries nothing fires */
struct msix_test_store {
	struct msi_msg	msg[4];
	bool		masked[4];
};

static void msix_test_write_msg(struct msi_table *table, struct msi_desc *desc,
				const struct msi_msg *msg)
{
	struct msix_test_store *store = table->data;

	store->msg[desc->msi_index] = *msg;
}

static void msix_test_mask(struct msi_table *table, struct msi_desc *desc)
{
	struct msix_test_store *store = table->data;

	store->masked[desc->msi_index] = true;
}

static void msix_test_unmask(struct msi_table *table, struct msi_desc *desc)
{
	struct msix_test_store *store = table->data;

	store->masked[desc->msi_index] = false;
}

static const struct msi_table_ops msix_test_store_ops = {
	.write_msg	= msix_test_write_msg,
	.mask		= msix_test_mask,
	.unmask		= msix_test_unmask,
};

/*
 * Stress, bounded in rounds: two threads, one on each CPU, work on two
 * IMS tables of the edu device at once while the test's own thread looks
 * entries up. One allocates an entry of the edu table, requests it,
 * fires it, moves it to CPU1 or CPU0 in turn, fires it again, fires a
 * long-lived entry, frees the interrupt and the entry; the other
 * allocates, requests, moves, looks up, frees and releases entries of a
 * second table in a loop.
 * Every message the device sent must run its handler exactly once, and
 * the second table's handler, whose entries nothing fires, never.
 */
#define STRESS_ROUNDS	16

struct edu_stress {
	struct edu_ims		*edu;
	struct msi_table	*table;
	int			keep;
	unsigned int		keep_virq;
	bool			stop;
	/* The first failure of each thread, with what failed */
	int			err[2];
	const char		*what[2];
	unsigned int		sent, handled, rounds, churn;
	atomic_t		phantom;
	struct completion	done[2];
};

static void edu_stress_fail(struct edu_stress *st, int t, const char *what, int err)
{
	if (!st->err[t]) {
		st->what[t] = what;
		st->err[t] = err ? err : -EIO;
	}
}

static bool edu_stress_fire(struct edu_stress *st, int index, int n)
{
	int ret = edu_ims_fire(st->edu, index);

	if (ret) {
		edu_stress_fail(st, 0, "fire", ret);
		return false;
	}
	if (!edu_ims_wait(st->edu, index, n)) {
		edu_stress_fail(st, 0, "wait for the handler", -ETIMEDOUT);
		return false;
	}
	return true;
}

static int edu_stress_deliver(void *data)
{
	struct edu_stress *st = data;
	struct edu_ims *edu = st->edu;
	unsigned int r;
	int index, ret;

	for (r = 0; r < STRESS_ROUNDS && !st->err[0]; r++) {
		index = edu_ims_add(edu, MSI_ANY_INDEX);
		if (index < 0) {
			edu_stress_fail(st, 0, "allocate and request", index);
			break;
		}
		if (edu_stress_fire(st, index, 1)) {
			ret = irq_set_affinity(edu->entries[index].virq, cpumask_of(!(r & 1)));
			if (ret)
				edu_stress_fail(st, 0, "set the affinity", ret);
			else if (edu_stress_fire(st, index, 2) &&
				 edu_stress_fire(st, st->keep, r + 1))
				st->rounds++;
		}
		/* free_irq() waits for the handler: no late message escapes */
		edu_ims_remove(edu, index);
		st->sent += atomic_read(&edu->entries[index].sent);
		st->handled += atomic_read(&edu->entries[index].handled);
	}
	WRITE_ONCE(st->stop, true);
	complete(&st->done[0]);
	return 0;
}

static irqreturn_t edu_stress_phantom(int irq, void *data)
{
	struct edu_stress *st = data;

	atomic_inc(&st->phantom);
	return IRQ_HANDLED;
}

static int edu_stress_churn(void *data)
{
	struct edu_stress *st = data;
	struct msi_map map;
	int ret;

	while (!READ_ONCE(st->stop) && !st->err[1]) {
		map = msi_table_alloc(st->table, MSI_ANY_INDEX, NULL, NULL);
		if (map.index < 0) {
			edu_stress_fail(st, 1, "allocate", map.index);
			break;
		}
		ret = request_irq(map.virq, edu_stress_phantom, 0, "edu-stress", st);
		if (ret) {
			edu_stress_fail(st, 1, "request", ret);
		} else {
			ret = irq_set_affinity(map.virq, cpumask_of(st->churn & 1));
			if (ret)
				edu_stress_fail(st, 1, "set the affinity", ret);
			if (msi_get_virq(st->table, map.index) != map.virq ||
			    msi_get_virq(st->edu->table, st->keep) != st->keep_virq)
				edu_stress_fail(st, 1, "look up", 0);
			free_irq(map.virq, st);
		}
		ret = msi_table_free(st->table, map.index);
		if (ret)
			edu_stress_fail(st, 1, "free", ret);
		st->churn++;
		cond_resched();
	}
	complete(&st->done[1]);
	return 0;
}

static void edu_test_stress(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	struct msi_table_info info = {
		.name = "edu-stress", .hwsize = 4, .ops = &msix_test_store_ops,
	};
	int (*fn[2])(void *) = { edu_stress_deliver, edu_stress_churn };
	struct task_struct *task;
	struct edu_stress *st;
	unsigned long lookups = 0, wrong = 0;
	int t;

	KUNIT_ASSERT_GE(test, num_online_cpus(), 2U);
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	info.data = kunit_kzalloc(test, sizeof(struct msix_test_store), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, info.data);
	st->edu = edu;
	st->keep = edu_test_add(test, edu, MSI_ANY_INDEX);
	st->keep_virq = edu->entries[st->keep].virq;
	atomic_set(&st->phantom, 0);
	st->table = pci_create_msi_table(edu->pdev, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, st->table);

	for (t = 0; t < 2; t++) {
		init_completion(&st->done[t]);
		task = kthread_run_on_cpu(fn[t], st, t, "edu-stress/%u");
		if (IS_ERR(task)) {
			KUNIT_FAIL(test, "thread %d: %pe", t, task);
			WRITE_ONCE(st->stop, true);
			complete(&st->done[t]);
		}
	}
	/* Lookups next to both threads, until the device is done */
	while (!READ_ONCE(st->stop)) {
		if (msi_get_virq(edu->table, st->keep) != st->keep_virq)
			wrong++;
		lookups++;
		cond_resched();
	}
	for (t = 0; t < 2; t++)
		wait_for_completion(&st->done[t]);

	for (t = 0; t < 2; t++)
		KUNIT_EXPECT_EQ_MSG(test, st->err[t], 0, "thread %d: %s failed", t,
				    st->what[t] ?: "nothing");
	KUNIT_EXPECT_EQ(test, st->rounds, (unsigned int)STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, st->sent, 2U * STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, st->handled, st->sent);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[st->keep].sent), STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[st->keep].handled), STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->phantom), 0);
	KUNIT_EXPECT_GT(test, st->churn, 0U);
	KUNIT_EXPECT_EQ(test, wrong, 0UL);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(st->table), 0);
	kunit_info(test, "stress: %u rounds, %u messages sent, %u handled, %d phantom; second table: %u cycles; %lu lookups\n",
		   st->rounds, st->sent + atomic_read(&edu->entries[st->keep].sent),
		   st->handled + atomic_read(&edu->entries[st->keep].handled),
		   atomic_read(&st->phantom), st->churn, lookups);
}

/*
 * Fault injection over PCI IMS: every slab allocation of a call is
 * failed in turn, see kunit_fault_walk(). The calls are the creation
 * of an IMS table of the edu device, plain and device managed, the
 * allocation of an entry of such a table, and the driver's own
 * allocate and request of an entry of its table. A failed call must
 * leave the device's tables, their entries, the slots of the driver's
 * store and the irq descriptors as they were.
 */
#define EDU_FAULT_INDEX	5

struct edu_fault_snap {
	unsigned int	tables;
	unsigned int	descs;
	unsigned int	live_slots;
	unsigned int	irqs;
	unsigned int	virq;
};

struct edu_fault {
	struct edu_ims		*edu;
	struct msi_table_info	info;
	struct msi_table	*table;
	struct msi_map		map;
	void			*group;
	struct edu_fault_snap	before;
};

static unsigned int edu_fault_descs(struct msi_table *table)
{
	struct msi_desc *desc;
	unsigned int n = 0;

	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ALL)
		n++;
	msi_table_unlock(table);
	return n;
}

static void edu_fault_snapshot(struct edu_fault *f, struct edu_fault_snap *s)
{
	struct msi_device_data *md = f->edu->pdev->dev.msi.data;
	struct msi_table *table;
	unsigned long id;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	xa_for_each(&md->tables, id, table) {
		s->tables++;
		s->descs += edu_fault_descs(table);
	}
	/* A slot in use is unmasked and holds a message */
	for (i = 0; i < EDU_IMS_SLOTS; i++) {
		if (!edu_test_slot_masked(f->edu, i) &&
		    edu_test_slot_msg(f->edu, i).address_lo)
			s->live_slots++;
	}
	rcu_read_lock();
	for (i = 0; i < nr_irqs; i++)
		s->irqs += !!irq_get_irq_data(i);
	rcu_read_unlock();
	s->virq = f->edu->entries[EDU_FAULT_INDEX].virq;
}

static void edu_fault_save(struct kunit *test)
{
	struct edu_fault *f = test->priv;

	edu_fault_snapshot(f, &f->before);
}

static void edu_fault_check(struct kunit *test, const char *name, unsigned int site)
{
	struct edu_fault *f = test->priv;
	struct edu_fault_snap now;

	edu_fault_snapshot(f, &now);
	KUNIT_EXPECT_EQ_MSG(test, now.tables, f->before.tables, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, now.descs, f->before.descs, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, now.live_slots, f->before.live_slots, "%s, site %u",
			    name, site);
	KUNIT_EXPECT_EQ_MSG(test, now.irqs, f->before.irqs, "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, now.virq, f->before.virq, "%s, site %u", name, site);
}

static int edu_fault_create(struct kunit *test)
{
	struct edu_fault *f = test->priv;

	f->table = pci_create_msi_table(f->edu->pdev, &f->info);
	return PTR_ERR_OR_ZERO(f->table);
}

static void edu_fault_destroy(struct kunit *test, int ret)
{
	struct edu_fault *f = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_destroy_table(f->table), 0);
}

/* Releasing the devres group destroys the table as an unbind would */
static int edu_fault_devm_create(struct kunit *test)
{
	struct edu_fault *f = test->priv;

	f->table = devm_pci_create_msi_table(f->edu->pdev, &f->info);
	return PTR_ERR_OR_ZERO(f->table);
}

static void edu_fault_devm_release(struct kunit *test, int ret)
{
	struct edu_fault *f = test->priv;

	devres_release_group(&f->edu->pdev->dev, f->group);
	f->group = devres_open_group(&f->edu->pdev->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->group);
}

static int edu_fault_alloc(struct kunit *test)
{
	struct edu_fault *f = test->priv;

	f->map = msi_table_alloc(f->table, 2, NULL, NULL);
	return min(f->map.index, 0);
}

static void edu_fault_free(struct kunit *test, int ret)
{
	struct edu_fault *f = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_table_free(f->table, f->map.index), 0);
}

static int edu_fault_add(struct kunit *test)
{
	struct edu_fault *f = test->priv;

	return min(edu_ims_add(f->edu, EDU_FAULT_INDEX), 0);
}

static void edu_fault_remove(struct kunit *test, int ret)
{
	struct edu_fault *f = test->priv;

	if (!ret)
		edu_ims_remove(f->edu, EDU_FAULT_INDEX);
}

#define EDU_FAULT_WALK(_name, _run, _undo) {				\
	.name = _name, .run = _run, .undo = _undo,			\
	.save = edu_fault_save, .check = edu_fault_check,		\
}

static void edu_test_fault_slab(struct kunit *test)
{
	static const struct kunit_fault_walk create =
		EDU_FAULT_WALK("pci_create_msi_table()",
			       edu_fault_create, edu_fault_destroy);
	static const struct kunit_fault_walk devm_create =
		EDU_FAULT_WALK("devm_pci_create_msi_table()",
			       edu_fault_devm_create, edu_fault_devm_release);
	static const struct kunit_fault_walk alloc =
		EDU_FAULT_WALK("msi_table_alloc() on a PCI IMS table",
			       edu_fault_alloc, edu_fault_free);
	static const struct kunit_fault_walk add =
		EDU_FAULT_WALK("edu_ims_add(): allocate and request",
			       edu_fault_add, edu_fault_remove);
	struct edu_ims *edu = edu_test_device(test);
	struct edu_fault *f;

	if (!kunit_failslab_enable(test))
		kunit_skip(test, "needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS");
	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->info = (struct msi_table_info) {
		.name = "edu-fault", .hwsize = 4, .ops = &msix_test_store_ops,
	};
	f->info.data = kunit_kzalloc(test, sizeof(struct msix_test_store), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->info.data);
	f->edu = edu;
	test->priv = f;

	kunit_fault_walk(test, &create);
	kunit_fault_walk(test, &add);

	f->group = devres_open_group(&edu->pdev->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->group);
	kunit_fault_walk(test, &devm_create);
	devres_remove_group(&edu->pdev->dev, f->group);

	/* The table stays for the walk of its allocation */
	KUNIT_ASSERT_EQ(test, edu_fault_create(test), 0);
	kunit_fault_walk(test, &alloc);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(f->table), 0);
}

static struct kunit_case edu_ims_test_cases[] = {
	KUNIT_CASE(edu_test_fire_counts),
	KUNIT_CASE(edu_test_interleaved),
	KUNIT_CASE(edu_test_mask),
	KUNIT_CASE(edu_test_affinity),
	KUNIT_CASE(edu_test_policy),
	KUNIT_CASE(edu_test_ims_only),
	KUNIT_CASE(edu_test_demo),
	KUNIT_CASE(edu_test_stress),
	KUNIT_CASE(edu_test_fault_slab),
	{ }
};

static struct kunit_suite edu_ims_test_suite = {
	.name = "edu_ims",
	.exit = edu_test_exit,
	.test_cases = edu_ims_test_cases,
};

/*
 * MSI-X entries of a bound device, added after its probe: one with room
 * in its MSI-X table (QEMU's nvme has 65 entries and uses 3 with 2 CPUs)
 */
static struct pci_dev *msix_test_device(struct kunit *test)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		if (pdev->msix_enabled && pdev->dev.driver &&
		    pci_msix_vec_count(pdev) >= 16) {
			/* Bound and not hot-pluggable in the test machine */
			pci_dev_put(pdev);
			return pdev;
		}
	}
	KUNIT_FAIL(test, "no bound device with MSI-X enabled");
	return NULL;
}

static u32 msix_test_ctrl(struct pci_dev *pdev, unsigned int index)
{
	return readl(pdev->msix_base + index * PCI_MSIX_ENTRY_SIZE +
		     PCI_MSIX_ENTRY_VECTOR_CTRL);
}

static irqreturn_t msix_test_handler(int irq, void *data)
{
	return IRQ_HANDLED;
}

static void msix_test_alloc_dyn(struct kunit *test)
{
	struct pci_dev *pdev = msix_test_device(test);
	struct msi_table *table;
	unsigned int i, used, last, virq[64];
	struct msi_map at, any;
	void __iomem *entry;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	table = pci_msi_table(pdev);
	KUNIT_ASSERT_TRUE(test, msi_table_can_alloc(table));
	KUNIT_EXPECT_EQ(test, table->hwsize, (unsigned int)pci_msix_vec_count(pdev));
	last = table->hwsize - 1;

	for (used = 0; used < ARRAY_SIZE(virq) && msi_get_virq(table, used); used++)
		virq[used] = msi_get_virq(table, used);
	KUNIT_ASSERT_GT(test, used, 0U);
	KUNIT_ASSERT_LT(test, used + 1, last);
	kunit_info(test, "%s: %u MSI-X vectors in use of %u\n", pci_name(pdev),
		   used, table->hwsize);

	at = msi_table_alloc(table, last, NULL, NULL);
	KUNIT_ASSERT_EQ(test, at.index, (int)last);
	any = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_ASSERT_EQ(test, any.index, (int)used);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, last), (unsigned int)at.virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, used), (unsigned int)any.virq);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, last, NULL, NULL).index, -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, last + 1, NULL, NULL).index, -EINVAL);

	/* Masked until requested, then the table holds the message */
	KUNIT_EXPECT_TRUE(test, msix_test_ctrl(pdev, last) & PCI_MSIX_ENTRY_CTRL_MASKBIT);
	KUNIT_ASSERT_EQ(test, request_irq(at.virq, msix_test_handler, 0, "msix-dyn", test), 0);
	KUNIT_EXPECT_FALSE(test, msix_test_ctrl(pdev, last) & PCI_MSIX_ENTRY_CTRL_MASKBIT);
	entry = pdev->msix_base + last * PCI_MSIX_ENTRY_SIZE;
	KUNIT_EXPECT_EQ(test, readl(entry + PCI_MSIX_ENTRY_LOWER_ADDR),
			irq_get_msi_desc(at.virq)->msg.address_lo);
	KUNIT_EXPECT_EQ(test, readl(entry + PCI_MSIX_ENTRY_DATA),
			irq_get_msi_desc(at.virq)->msg.data);
	KUNIT_EXPECT_NE(test, readl(entry + PCI_MSIX_ENTRY_LOWER_ADDR), 0U);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, last), -EBUSY);
	free_irq(at.virq, test);

	KUNIT_EXPECT_EQ(test, msi_table_free(table, last), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, used), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, used), -ENOENT);
	KUNIT_EXPECT_TRUE(test, msix_test_ctrl(pdev, last) & PCI_MSIX_ENTRY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, last), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, used), 0U);
	/* The driver's own vectors are untouched */
	for (i = 0; i < used; i++)
		KUNIT_EXPECT_EQ(test, msi_get_virq(table, i), virq[i]);
}

/* An IMS table next to live MSI-X: created, used and destroyed */
static void msix_test_ims_next_to_msix(struct kunit *test)
{
	struct pci_dev *pdev = msix_test_device(test);
	struct msix_test_store *store;
	struct msi_table_info info = {
		.name = "kunit-ims", .hwsize = 4, .ops = &msix_test_store_ops,
	};
	struct msi_table *table;
	unsigned int virq0;
	struct msi_map map;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	store = kunit_kzalloc(test, sizeof(*store), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, store);
	info.data = store;
	virq0 = msi_get_virq(pci_msi_table(pdev), 0);

	table = pci_create_msi_table(pdev, &info);
	KUNIT_ASSERT_FALSE(test, IS_ERR(table));
	map = msi_table_alloc(table, 2, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 2);
	KUNIT_EXPECT_NE(test, (unsigned int)map.virq, virq0);
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, msix_test_handler, 0, "kunit-ims", test), 0);
	KUNIT_EXPECT_FALSE(test, store->masked[2]);
	KUNIT_EXPECT_NE(test, store->msg[2].address_lo, 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), -EBUSY);
	free_irq(map.virq, test);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 0), virq0);
	KUNIT_EXPECT_TRUE(test, pdev->msix_enabled);
}

static struct kunit_case pci_msix_dyn_test_cases[] = {
	KUNIT_CASE(msix_test_alloc_dyn),
	KUNIT_CASE(msix_test_ims_next_to_msix),
	{ }
};

static struct kunit_suite pci_msix_dyn_test_suite = {
	.name = "pci_msix_dyn",
	.test_cases = pci_msix_dyn_test_cases,
};

kunit_test_suites(&edu_ims_test_suite, &pci_msix_dyn_test_suite);
