// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of IMS delivery on QEMU's edu device, driven by the edu-ims
 * sample driver of the same module: suite pci_edu_ims.
 *
 * The device's DMA engine sends an entry's message as a memory write, so
 * these cases see what the other IMS tests cannot: the message reaching
 * a CPU and running the handler, there and nowhere else, and nothing
 * while the entry is masked.
 *
 * QEMU: -smp 2 -device edu,dma_mask=0xffffffff and a second edu device
 * named in edu_ims.ims_only=. IMS needs interrupt remapping, e.g. q35
 * with -device intel-iommu,intremap=on; elsewhere it is refused (the
 * log's "IMS refused:" line says why), and every case but edu_refusal
 * skips.
 * Without an edu device bound to the driver every case skips.
 *
 * What a case sets up is released by KUnit actions, so that a failed
 * assertion leaves the device as the next case expects it.
 */
#include <kunit/fail_nth.h>
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernfs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/string.h>

#include "edu_ims.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Fires per case; each takes two DMAs of 100 ms guest time */
#define FIRES			4

/*
 * The driver's devices, with MSI [0] and in the IMS only mode [1]: the
 * first of each bound when the suite starts, locked until it ends, so
 * that no unbind, remove or re-run of the suite frees the driver's state
 * under a case. The suite's init and exit run in the same task, unlike
 * the cases.
 */
static struct edu_ims *edu_test_devs[2];

static int edu_test_suite_init(struct kunit_suite *suite)
{
	struct pci_dev *pdev = NULL;
	struct edu_ims *edu;

	while ((pdev = pci_get_device(EDU_PCI_VENDOR, EDU_PCI_DEVICE, pdev))) {
		device_lock(&pdev->dev);
		edu = NULL;
		if (pdev->dev.driver == &edu_ims_driver.driver)
			edu = pci_get_drvdata(pdev);
		if (edu && !edu_test_devs[edu->ims_only]) {
			/* Locked and held until the suite ends */
			edu_test_devs[edu->ims_only] = edu;
			pci_dev_get(pdev);
			continue;
		}
		device_unlock(&pdev->dev);
	}
	return 0;
}

static void edu_test_suite_exit(struct kunit_suite *suite)
{
	struct pci_dev *pdev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(edu_test_devs); i++) {
		if (!edu_test_devs[i])
			continue;
		pdev = edu_test_devs[i]->pdev;
		edu_test_devs[i] = NULL;
		device_unlock(&pdev->dev);
		pci_dev_put(pdev);
	}
}

static struct edu_ims *edu_test_device(struct kunit *test)
{
	struct edu_ims *edu = edu_test_devs[0];

	if (!edu)
		kunit_skip(test, "no edu device (1234:11e8) bound to edu-ims with MSI");
	/* Its entries belong to the removal test, not to these */
	if (edu->firing)
		kunit_skip(test, "%s is in the keep_firing mode", pci_name(edu->pdev));
	return edu;
}

/*
 * IMS cases need a machine which offers it. Probe fails on any other
 * error than the refusal, so a device without a table was refused; the
 * log's "IMS refused:" line says why.
 */
static void edu_test_need_ims(struct kunit *test, struct edu_ims *edu)
{
	if (!edu->table)
		kunit_skip(test, "IMS refused on this machine (%pe)", ERR_PTR(edu->table_err));
}

/* A dword of slot @index of an IMS array, as the message engine sees it */
static u32 edu_test_slot_read(struct pci_ims_array *array, unsigned int index,
			      unsigned int offset)
{
	return readl(array->base + edu_ims_slot_offset(index) + offset);
}

static struct msi_msg edu_test_slot_msg(struct edu_ims *edu, unsigned int index)
{
	return (struct msi_msg) {
		.address_lo	= edu_test_slot_read(&edu->array, index, PCI_IMS_ARRAY_ADDR_LO),
		.address_hi	= edu_test_slot_read(&edu->array, index, PCI_IMS_ARRAY_ADDR_HI),
		.data		= edu_test_slot_read(&edu->array, index, PCI_IMS_ARRAY_DATA),
	};
}

static bool edu_test_slot_masked(struct edu_ims *edu, unsigned int index)
{
	return edu_test_slot_read(&edu->array, index, PCI_IMS_ARRAY_CTRL) &
	       PCI_IMS_ARRAY_CTRL_MASKBIT;
}

/* A slot in use: unmasked, with a message */
static bool edu_test_slot_live(struct pci_ims_array *array, unsigned int index)
{
	return !(edu_test_slot_read(array, index, PCI_IMS_ARRAY_CTRL) &
		 PCI_IMS_ARRAY_CTRL_MASKBIT) &&
	       edu_test_slot_read(array, index, PCI_IMS_ARRAY_ADDR_LO);
}

static void edu_test_remove(void *data)
{
	struct edu_ims_entry *entry = data;

	edu_ims_remove(entry->edu, entry - entry->edu->entries);
}

/* Allocate an entry and request its interrupt, until the case ends */
static int edu_test_add(struct kunit *test, struct edu_ims *edu, unsigned int index)
{
	int ret = edu_ims_add(edu, index);

	KUNIT_ASSERT_GE_MSG(test, ret, 0, "edu_ims_add(): %d", ret);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, edu_test_remove,
							&edu->entries[ret]), 0);
	return ret;
}

/* One message, and its handler run */
static void edu_test_fire(struct kunit *test, struct edu_ims *edu, int index)
{
	KUNIT_ASSERT_EQ(test, edu_ims_fire(edu, index), 0);
	KUNIT_ASSERT_TRUE_MSG(test, edu_ims_wait(edu, index, EDU_IMS_WAIT_MS),
			      "entry %d: no interrupt within %d ms", index, EDU_IMS_WAIT_MS);
}

KUNIT_DEFINE_ACTION_WRAPPER(edu_test_pci_dev_put, pci_dev_put, struct pci_dev *);

/* The edu device named in edu_ims.ims_only=, held until the case ends */
static struct pci_dev *edu_test_ims_only_pdev(struct kunit *test)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(EDU_PCI_VENDOR, EDU_PCI_DEVICE, pdev))) {
		if (edu_ims_only_named(pdev))
			break;
	}
	if (!pdev)
		return NULL;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, edu_test_pci_dev_put, pdev), 0);
	return pdev;
}

/*
 * The IMS policy as the driver meets it, on every machine. Where IMS is
 * refused the driver has no table, for the refusal's -EOPNOTSUPP, keeps
 * its MSI, which still delivers, and leaves a device of the IMS only
 * mode unbound. Where it is offered, an IMS interrupt sits on the
 * device's MSI parent, as the device's MSI interrupt does: the
 * remapping domain, whose remapping entries carry the device's
 * requester ID.
 */
static void edu_refusal(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	struct pci_dev *pdev = edu->pdev;
	struct irq_domain *parent = dev_get_msi_domain(&pdev->dev);
	struct irq_data *irqd, *msid;
	int msi, index;

	KUNIT_EXPECT_TRUE(test, pdev->msi_enabled);
	KUNIT_ASSERT_NE(test, edu->msi_irq, 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 0), edu->msi_irq);
	msi = atomic_read(&edu->msi_handled);
	KUNIT_ASSERT_EQ(test, edu_msi_ping(edu), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->msi_handled) - msi, 1);

	if (!edu->table) {
		/* The devices share the MSI parent, which refused */
		KUNIT_EXPECT_NULL_MSG(test, edu_test_devs[1],
				      "an IMS only device is bound without IMS");
		return;
	}

	KUNIT_EXPECT_PTR_EQ(test, msi_table_drvdata(edu->table), (void *)&edu->array);
	KUNIT_EXPECT_PTR_NE(test, edu->table, pci_msi_table(pdev));
	KUNIT_ASSERT_NOT_NULL(test, parent);
	/* The only parents which offer IMS: never the bare vector domain */
	KUNIT_EXPECT_TRUE_MSG(test, parent->bus_token == DOMAIN_BUS_DMAR ||
			      parent->bus_token == DOMAIN_BUS_AMDVI,
			      "IMS on %s, not on interrupt remapping", parent->name);

	index = edu_test_add(test, edu, MSI_ANY_INDEX);
	irqd = irq_get_irq_data(edu->entries[index].virq);
	KUNIT_ASSERT_NOT_NULL(test, irqd);
	KUNIT_EXPECT_EQ(test, irqd->domain->bus_token, DOMAIN_BUS_PCI_DEVICE_IMS);
	KUNIT_ASSERT_NOT_NULL(test, irqd->parent_data);
	KUNIT_EXPECT_PTR_EQ(test, irqd->parent_data->domain, parent);

	msid = irq_get_irq_data(edu->msi_irq);
	KUNIT_ASSERT_NOT_NULL(test, msid);
	KUNIT_ASSERT_NOT_NULL(test, msid->parent_data);
	KUNIT_EXPECT_PTR_EQ(test, msid->parent_data->domain, parent);
	kunit_info(test, "%s: IMS offered, parent domain %s\n", pci_name(pdev), parent->name);
}

/* Each fire is one IMS interrupt; each of its two DMAs one MSI interrupt */
static void edu_fire_counts(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	int msi, i, index;

	edu_test_need_ims(test, edu);
	msi = atomic_read(&edu->msi_handled);
	index = edu_test_add(test, edu, MSI_ANY_INDEX);
	KUNIT_EXPECT_EQ(test, msi_get_virq(edu->table, index), edu->entries[index].virq);
	/* Requested: unmasked, with a message */
	KUNIT_EXPECT_FALSE(test, edu_test_slot_masked(edu, index));
	KUNIT_EXPECT_NE(test, edu_test_slot_msg(edu, index).address_lo, 0U);
	for (i = 0; i < FIRES; i++)
		edu_test_fire(test, edu, index);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].handled), FIRES);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->msi_handled) - msi, 2 * FIRES);
	kunit_info(test, "IMS entry %d: %d fires, %d handled; MSI: %d handled\n",
		   index, FIRES, atomic_read(&edu->entries[index].handled),
		   atomic_read(&edu->msi_handled) - msi);
}

/* Two entries fired in turn each count their own messages */
static void edu_interleaved(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	int msi, a, b, i;

	edu_test_need_ims(test, edu);
	msi = atomic_read(&edu->msi_handled);
	a = edu_test_add(test, edu, EDU_IMS_SLOTS - 1);
	KUNIT_EXPECT_EQ(test, a, EDU_IMS_SLOTS - 1);
	b = edu_test_add(test, edu, MSI_ANY_INDEX);
	KUNIT_ASSERT_NE(test, a, b);
	KUNIT_EXPECT_NE(test, edu->entries[a].virq, edu->entries[b].virq);
	KUNIT_EXPECT_NE(test, edu->entries[a].virq, edu->msi_irq);
	KUNIT_EXPECT_NE(test, edu->entries[b].virq, edu->msi_irq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(edu->table, a), edu->entries[a].virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(edu->table, b), edu->entries[b].virq);

	for (i = 0; i < FIRES / 2; i++) {
		edu_test_fire(test, edu, a);
		edu_test_fire(test, edu, b);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[a].handled), FIRES / 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[b].handled), FIRES / 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->msi_handled) - msi, 2 * FIRES);
}

/*
 * disable_irq() reaches the slot at once (IRQ_DISABLE_UNLAZY): its mask
 * bit is set. The edu device has no message engine of its own; the
 * driver plays it (edu_ims_fire()) and sends nothing for a masked slot,
 * so what this checks is the store's mask bit as the core leaves it, and
 * that the driver honours it. enable_irq() clears the bit, and the next
 * message arrives.
 */
static void edu_mask(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	unsigned int virq;
	int index;

	edu_test_need_ims(test, edu);
	index = edu_test_add(test, edu, MSI_ANY_INDEX);
	virq = edu->entries[index].virq;
	edu_test_fire(test, edu, index);

	disable_irq(virq);
	/* Expectations only until enable_irq(): the entry must not stay disabled */
	KUNIT_EXPECT_TRUE(test, edu_test_slot_masked(edu, index));
	KUNIT_EXPECT_EQ(test, edu_ims_fire(edu, index), -EAGAIN);
	enable_irq(virq);

	KUNIT_EXPECT_FALSE(test, edu_test_slot_masked(edu, index));
	edu_test_fire(test, edu, index);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].handled), 2);
}

/*
 * Moving the interrupt to another CPU: the next message runs the handler
 * there. Interrupt remapping moves an interrupt in process context
 * (IRQ_MOVE_PCNTXT), at once, by rewriting its remapping entry; the
 * message in the store, which only names that entry, stays as it is.
 * Every MSI parent which offers IMS in 6.12 remaps, so no message has to
 * be in flight for the move, unlike x86 without remapping.
 */
static void edu_affinity(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	const struct cpumask *effective;
	struct edu_ims_entry *entry;
	struct irq_data *irqd;
	struct msi_desc *desc;
	struct msi_msg msg[2];
	unsigned int cpu[2], i;
	bool intel_remapped;
	int index;

	edu_test_need_ims(test, edu);
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	if (cpu[1] >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");

	index = edu_test_add(test, edu, MSI_ANY_INDEX);
	entry = &edu->entries[index];
	irqd = irq_get_irq_data(entry->virq);
	KUNIT_ASSERT_NOT_NULL(test, irqd);
	KUNIT_ASSERT_NOT_NULL(test, irqd->parent_data);
	desc = irq_get_msi_desc(entry->virq);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_TRUE(test, irqd_can_move_in_process_context(irqd));
	intel_remapped = irqd->parent_data->domain->bus_token == DOMAIN_BUS_DMAR;

	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, irq_set_affinity(entry->virq, cpumask_of(cpu[i])), 0);
		effective = irq_get_effective_affinity_mask(entry->virq);
		KUNIT_EXPECT_TRUE(test, cpumask_test_cpu(cpu[i], effective));
		/* The store holds what the core wrote last */
		msg[i] = edu_test_slot_msg(edu, index);
		KUNIT_EXPECT_EQ(test, msg[i].address_lo, desc->msg.address_lo);
		KUNIT_EXPECT_EQ(test, msg[i].address_hi, desc->msg.address_hi);
		KUNIT_EXPECT_EQ(test, msg[i].data, desc->msg.data);
		edu_test_fire(test, edu, index);
		KUNIT_EXPECT_EQ(test, READ_ONCE(entry->last_cpu), (int)cpu[i]);
		kunit_info(test, "CPU%u: message %08x:%08x data %08x, handled on CPU%d\n",
			   cpu[i], msg[i].address_hi, msg[i].address_lo, msg[i].data,
			   READ_ONCE(entry->last_cpu));
	}

	if (!intel_remapped)
		return;
	/* The remapping entry, not the message, names the CPU */
	KUNIT_EXPECT_EQ(test, msg[1].address_lo, msg[0].address_lo);
	KUNIT_EXPECT_EQ(test, msg[1].address_hi, msg[0].address_hi);
	KUNIT_EXPECT_EQ(test, msg[1].data, msg[0].data);
#ifdef CONFIG_X86
	/* Intel's remappable format */
	KUNIT_EXPECT_EQ(test, (u32)msg[0].arch_addr_lo.dmar_format, 1U);
#endif
}

/*
 * The device in the IMS only mode got its one interrupt in probe, with
 * no MSI at all: IMS alone is enough for a driver.
 */
static void edu_ims_only(struct kunit *test)
{
	struct pci_dev *pdev = edu_test_ims_only_pdev(test);
	struct edu_ims *edu = edu_test_device(test);
	struct edu_ims_entry *entry;

	if (!pdev)
		kunit_skip(test, "no edu device named in edu_ims.ims_only=");
	/* Its MSI parent is the other edu device's */
	edu_test_need_ims(test, edu);

	edu = edu_test_devs[1];
	KUNIT_ASSERT_NOT_NULL_MSG(test, edu, "%s is not bound to edu-ims", pci_name(pdev));
	KUNIT_EXPECT_PTR_EQ(test, edu->pdev, pdev);
	if (edu->firing)
		kunit_skip(test, "%s is in the keep_firing mode", pci_name(pdev));
	KUNIT_ASSERT_NOT_NULL(test, edu->table);
	KUNIT_EXPECT_FALSE(test, pdev->msi_enabled);
	KUNIT_EXPECT_FALSE(test, pdev->msix_enabled);
	KUNIT_EXPECT_EQ(test, edu->msi_irq, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->msi_handled), 0);

	/* The lowest free index of an empty table */
	entry = &edu->entries[0];
	KUNIT_EXPECT_GT(test, entry->virq, 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(edu->table, 0), entry->virq);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->fired), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&entry->sent), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&entry->handled), 1);
}

/*
 * What the file msi_irqs/@virq of @pdev reads into @buf (a page), by the
 * file's own show(); -ENOENT without the file. Built-in tests run before
 * user space mounts sysfs, so there is no path to read. The file stays
 * while the case reads it: its entry is the case's own, or the IMS only
 * device's, whose device lock the suite holds.
 */
static int edu_test_msi_irqs_read(struct pci_dev *pdev, unsigned int virq, char *buf)
{
	struct device_attribute *attr;
	struct kernfs_node *dir, *kn;
	char name[16];
	int len;

	buf[0] = '\0';
	dir = kernfs_find_and_get(pdev->dev.kobj.sd, "msi_irqs");
	if (!dir)
		return -ENOENT;
	snprintf(name, sizeof(name), "%u", virq);
	kn = kernfs_find_and_get(dir, name);
	kernfs_put(dir);
	if (!kn)
		return -ENOENT;
	if (kernfs_type(kn) != KERNFS_FILE) {
		kernfs_put(kn);
		return -EISDIR;
	}
	/* sysfs keeps a file's attribute there */
	attr = container_of((struct attribute *)kn->priv, struct device_attribute, attr);
	len = attr->show(&pdev->dev, attr, buf);
	kernfs_put(kn);
	return len;
}

/*
 * The interrupts of both tables of the device are where administrators
 * look: in msi_irqs, reading "msi" and "ims", and in /proc/interrupts,
 * whose chip column names the IMS table and the device. So is the
 * interrupt of the IMS only device, which has no MSI.
 */
static void edu_visible(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test), *only;
	struct irq_chip *chip;
	unsigned int virq;
	int index;
	char *buf;

	edu_test_need_ims(test, edu);
	/* sysfs_emit() wants a page, which kmalloc() aligns to its size */
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	index = edu_test_add(test, edu, MSI_ANY_INDEX);
	virq = edu->entries[index].virq;

	KUNIT_EXPECT_EQ(test, edu_test_msi_irqs_read(edu->pdev, edu->msi_irq, buf), 4);
	KUNIT_EXPECT_STREQ(test, buf, "msi\n");
	KUNIT_EXPECT_EQ(test, edu_test_msi_irqs_read(edu->pdev, virq, buf), 4);
	KUNIT_EXPECT_STREQ(test, buf, "ims\n");
	chip = irq_get_chip(virq);
	KUNIT_ASSERT_NOT_NULL(test, chip);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(chip->name, "edu-ims"), "%s", chip->name);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(chip->name, pci_name(edu->pdev)), "%s",
				  chip->name);
	kunit_info(test, "irq %u: chip %s, msi_irqs/%u reads %s", virq, chip->name, virq, buf);

	only = edu_test_devs[1];
	if (!only || only->firing)
		return;
	KUNIT_ASSERT_NE(test, only->entries[0].virq, 0U);
	KUNIT_EXPECT_EQ(test, edu_test_msi_irqs_read(only->pdev, only->entries[0].virq, buf), 4);
	KUNIT_EXPECT_STREQ(test, buf, "ims\n");
}

/*
 * A second IMS table of the edu device, whose entries nothing fires: 4
 * slots in the common layout, in memory, written by the IMS array store
 * as the driver's own (see the driver's comment on writel() to memory)
 */
#define EDU_TEST_SLOTS		4

struct edu_test_store {
	struct msi_table_info	info;
	struct pci_ims_array	array;
	u32			slots[EDU_TEST_SLOTS * PCI_IMS_ARRAY_ENTRY_SIZE / sizeof(u32)];
};

/*
 * Allocated apart from KUnit's resources: a table uses its store until
 * it is destroyed, and one which the core failed to destroy keeps it.
 */
static struct edu_test_store *edu_test_store_alloc(struct kunit *test, const char *name)
{
	struct edu_test_store *store = kzalloc(sizeof(*store), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, store);
	store->array.base = (void __iomem __force *)store->slots;
	if (pci_ims_array_init_info(&store->info, name, &store->array, EDU_TEST_SLOTS)) {
		kfree(store);
		KUNIT_FAIL_AND_ABORT(test, "pci_ims_array_init_info() refused the store");
	}
	return store;
}

/*
 * Stress, bounded in rounds: two threads, one on each CPU, work on two
 * IMS tables of the edu device at once while the case's own thread
 * looks an entry up. One allocates an entry of the driver's table,
 * requests it, fires it, moves it to the other CPU, fires it again,
 * fires a long-lived entry, frees the interrupt and the entry. The other
 * allocates, requests, moves, looks up, frees and releases entries of a
 * second table in a loop. Every message the device sent must run its
 * handler exactly once, and the second table's handler, whose entries
 * nothing fires, never.
 */
#define STRESS_ROUNDS		8

struct edu_stress {
	struct edu_ims		*edu;
	struct edu_test_store	*store;
	struct msi_table	*table;
	int			keep;
	unsigned int		keep_virq;
	unsigned int		cpu[2];
	bool			stop;
	/* The first failure of each thread, and what failed */
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

static bool edu_stress_fire(struct edu_stress *st, int index)
{
	int ret = edu_ims_fire(st->edu, index);

	if (ret) {
		edu_stress_fail(st, 0, "fire", ret);
		return false;
	}
	if (!edu_ims_wait(st->edu, index, EDU_IMS_WAIT_MS)) {
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

	for (r = 0; r < STRESS_ROUNDS && !st->err[0] && !READ_ONCE(st->stop); r++) {
		index = edu_ims_add(edu, MSI_ANY_INDEX);
		if (index < 0) {
			edu_stress_fail(st, 0, "allocate and request", index);
			break;
		}
		if (edu_stress_fire(st, index)) {
			ret = irq_set_affinity(edu->entries[index].virq,
					       cpumask_of(st->cpu[!(r & 1)]));
			if (ret)
				edu_stress_fail(st, 0, "set the affinity", ret);
			else if (edu_stress_fire(st, index) && edu_stress_fire(st, st->keep))
				st->rounds++;
		}
		/* free_irq() waits for the handler: no late message escapes */
		edu_ims_remove(edu, index);
		st->sent += atomic_read(&edu->entries[index].sent);
		st->handled += atomic_read(&edu->entries[index].handled);
	}
	WRITE_ONCE(st->stop, true);
	kthread_complete_and_exit(&st->done[0], 0);
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
			ret = irq_set_affinity(map.virq, cpumask_of(st->cpu[st->churn & 1]));
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
	kthread_complete_and_exit(&st->done[1], 0);
}

/* The second table, where a case ended before it destroyed it */
/* Stops both threads and waits for them, also when the case ended early */
static void edu_stress_join(void *data)
{
	struct edu_stress *st = data;
	unsigned int t;

	WRITE_ONCE(st->stop, true);
	for (t = 0; t < 2; t++)
		wait_for_completion(&st->done[t]);
}

/*
 * The second table and what it uses: its store, and the state which is
 * the dev_id of its interrupts. A table which the core failed to destroy
 * keeps both, leaked.
 */
static void edu_stress_release(void *data)
{
	struct edu_stress *st = data;

	if (st->table && msi_destroy_table(st->table))
		return;
	kfree(st->store);
	kfree(st);
}

static void edu_stress(struct kunit *test)
{
	int (*fn[2])(void *) = { edu_stress_deliver, edu_stress_churn };
	struct edu_ims *edu = edu_test_device(test);
	unsigned long lookups = 0, wrong = 0;
	struct task_struct *task;
	struct msi_table *table;
	struct edu_stress *st;
	int t, ret;

	edu_test_need_ims(test, edu);
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, edu_stress_release, st), 0);
	st->cpu[0] = cpumask_first(cpu_online_mask);
	st->cpu[1] = cpumask_next(st->cpu[0], cpu_online_mask);
	if (st->cpu[1] >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");
	st->edu = edu;
	st->keep = edu_test_add(test, edu, MSI_ANY_INDEX);
	st->keep_virq = edu->entries[st->keep].virq;
	atomic_set(&st->phantom, 0);
	st->store = edu_test_store_alloc(test, "edu-stress");
	table = pci_create_msi_table(edu->pdev, &st->store->info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	st->table = table;

	for (t = 0; t < 2; t++)
		init_completion(&st->done[t]);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, edu_stress_join, st), 0);
	for (t = 0; t < 2; t++) {
		task = kthread_run_on_cpu(fn[t], st, st->cpu[t], "edu-stress/%u");
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
	kunit_release_action(test, edu_stress_join, st);

	for (t = 0; t < 2; t++)
		KUNIT_EXPECT_EQ_MSG(test, st->err[t], 0, "thread %d: %s failed", t,
				    st->what[t] ?: "nothing");
	/* All rounds sent their messages: each one handled once, no more */
	KUNIT_EXPECT_EQ(test, st->rounds, (unsigned int)STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, st->handled, 2U * STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[st->keep].handled), STRESS_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->phantom), 0);
	KUNIT_EXPECT_GT(test, st->churn, 0U);
	KUNIT_EXPECT_EQ(test, wrong, 0UL);
	ret = msi_destroy_table(st->table);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret)
		st->table = NULL;
	kunit_info(test, "stress: %u rounds, %u messages sent, %u handled, %d phantom; second table: %u cycles; %lu lookups\n",
		   st->rounds, st->sent + atomic_read(&edu->entries[st->keep].sent),
		   st->handled + atomic_read(&edu->entries[st->keep].handled),
		   atomic_read(&st->phantom), st->churn, lookups);
}

/*
 * Fault injection over PCI IMS: every slab allocation of a call is
 * failed in turn, see kunit_fault_walk(). The calls are the creation of
 * an IMS table of the edu device, plain and device managed, the
 * allocation of an entry of such a table, and the driver's own
 * allocation and request of an entry of its table (edu_ims_add()). A
 * failed call must leave the device's tables, their entries, the live
 * slots of the driver's store and of the walk's own, the interrupt
 * descriptors and the core's lookup of the driver's entry as they were.
 */
#define EDU_FAULT_INDEX		5

struct edu_fault_snap {
	unsigned int	tables;
	unsigned int	descs;
	unsigned int	live_slots;
	unsigned int	irqs;
	unsigned int	virq;
};

struct edu_fault {
	struct edu_ims		*edu;
	struct edu_test_store	*store;
	/* The walk's own table, NULL while it has none */
	struct msi_table	*table;
	struct msi_map		map;
	void			*group;
	struct edu_fault_snap	before;
};

static unsigned int edu_fault_descs(struct msi_table *table)
{
	struct msi_desc *desc;
	unsigned int n = 0;

	if (!table)
		return 0;
	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ALL)
		n++;
	msi_table_unlock(table);
	return n;
}

static void edu_fault_snapshot(struct edu_fault *f, struct edu_fault_snap *s)
{
	struct pci_dev *pdev = f->edu->pdev;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->tables = msi_device_count_tables(&pdev->dev);
	s->descs = edu_fault_descs(pci_msi_table(pdev)) + edu_fault_descs(f->edu->table) +
		   edu_fault_descs(f->table);
	/* The driver's store, and the store of the walk's own table */
	for (i = 0; i < EDU_IMS_SLOTS; i++)
		s->live_slots += edu_test_slot_live(&f->edu->array, i);
	for (i = 0; i < EDU_TEST_SLOTS; i++)
		s->live_slots += edu_test_slot_live(&f->store->array, i);
	/*
	 * Every interrupt descriptor: an interrupt which a failed call left
	 * without an entry is counted nowhere else. Nothing else allocates
	 * one while the suite runs on the test machine.
	 */
	for (i = 0; i < nr_irqs; i++)
		s->irqs += !!irq_get_irq_data(i);
	s->virq = msi_get_virq(f->edu->table, EDU_FAULT_INDEX);
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

/* In the devm walk, which opened a devres group, the device managed call */
static int edu_fault_create(struct kunit *test)
{
	struct edu_fault *f = test->priv;
	struct pci_dev *pdev = f->edu->pdev;
	struct msi_table *table;

	if (f->group)
		table = devm_pci_create_msi_table(pdev, &f->store->info);
	else
		table = pci_create_msi_table(pdev, &f->store->info);
	if (IS_ERR(table))
		return PTR_ERR(table);
	f->table = table;
	return 0;
}

static void edu_fault_destroy(struct kunit *test, int ret)
{
	struct edu_fault *f = test->priv;

	if (ret)
		return;
	ret = msi_destroy_table(f->table);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret)
		f->table = NULL;
}

/*
 * Releasing the devres group destroys the table as an unbind would. A
 * table is one resource of the group, and a failed call leaves none.
 */
static void edu_fault_devm_release(struct kunit *test, int ret)
{
	struct edu_fault *f = test->priv;

	KUNIT_EXPECT_EQ(test, devres_release_group(&f->edu->pdev->dev, f->group), ret ? 0 : 1);
	f->table = NULL;
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

static const struct kunit_fault_walk edu_fault_walks[] = {
	EDU_FAULT_WALK("pci_create_msi_table()", edu_fault_create, edu_fault_destroy),
	EDU_FAULT_WALK("edu_ims_add(): allocate and request", edu_fault_add, edu_fault_remove),
	EDU_FAULT_WALK("devm_pci_create_msi_table()", edu_fault_create, edu_fault_devm_release),
	EDU_FAULT_WALK("msi_table_alloc() of a PCI IMS table", edu_fault_alloc, edu_fault_free),
};

/*
 * What a walk which failed an assertion leaves, and the store. A table
 * which the core failed to destroy keeps its store, leaked.
 */
static void edu_fault_cleanup(void *data)
{
	struct edu_fault *f = data;

	if (f->group)
		devres_release_group(&f->edu->pdev->dev, f->group);
	else if (f->table && msi_destroy_table(f->table))
		return;
	kfree(f->store);
}

static void edu_fault_walk(struct kunit *test)
{
	struct edu_ims *edu = edu_test_device(test);
	struct edu_fault *f;

	edu_test_need_ims(test, edu);
	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->edu = edu;
	test->priv = f;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, edu_fault_cleanup, f), 0);
	f->store = edu_test_store_alloc(test, "edu-fault");

	kunit_fault_walk(test, &edu_fault_walks[0]);
	kunit_fault_walk(test, &edu_fault_walks[1]);

	f->group = devres_open_group(&edu->pdev->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->group);
	kunit_fault_walk(test, &edu_fault_walks[2]);
	devres_remove_group(&edu->pdev->dev, f->group);
	f->group = NULL;

	/* The table stays for the walk of its allocation */
	KUNIT_ASSERT_EQ(test, edu_fault_create(test), 0);
	kunit_fault_walk(test, &edu_fault_walks[3]);
	edu_fault_destroy(test, 0);
}

static struct kunit_case pci_edu_ims_cases[] = {
	KUNIT_CASE(edu_refusal),
	KUNIT_CASE(edu_fire_counts),
	KUNIT_CASE(edu_interleaved),
	KUNIT_CASE(edu_mask),
	KUNIT_CASE(edu_affinity),
	KUNIT_CASE(edu_ims_only),
	KUNIT_CASE(edu_visible),
	KUNIT_CASE(edu_stress),
	KUNIT_CASE(edu_fault_walk),
	{ }
};

/* PCI IMS, on the edu device */
static struct kunit_suite pci_edu_ims_suite = {
	.name		= "pci_edu_ims",
	.suite_init	= edu_test_suite_init,
	.suite_exit	= edu_test_suite_exit,
	.test_cases	= pci_edu_ims_cases,
};

kunit_test_suites(&pci_edu_ims_suite);
