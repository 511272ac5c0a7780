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
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>

#include "edu_ims.h"

/* Fires per case; each takes two DMAs of 100 ms guest time */
#define FIRES			4

static struct edu_ims *edu_test_device(struct kunit *test)
{
	struct edu_ims *edu = edu_ims_find(false);

	if (!edu)
		kunit_skip(test, "no edu device (1234:11e8) bound to edu-ims with MSI");
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

static struct msi_msg edu_test_slot_msg(struct edu_ims *edu, unsigned int index)
{
	return (struct msi_msg) {
		.address_lo	= edu_ims_slot_read(edu, index, PCI_IMS_ARRAY_ADDR_LO),
		.address_hi	= edu_ims_slot_read(edu, index, PCI_IMS_ARRAY_ADDR_HI),
		.data		= edu_ims_slot_read(edu, index, PCI_IMS_ARRAY_DATA),
	};
}

static bool edu_test_slot_masked(struct edu_ims *edu, unsigned int index)
{
	return edu_ims_slot_read(edu, index, PCI_IMS_ARRAY_CTRL) & PCI_IMS_ARRAY_CTRL_MASKBIT;
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
	struct pci_dev *pdev = edu->pdev, *other = NULL;
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
		/*
		 * The devices share the MSI parent, which refused: an IMS
		 * only device is unbound. The walk runs to the end of the
		 * list, which drops every reference.
		 */
		while ((other = pci_get_device(EDU_PCI_VENDOR, EDU_PCI_DEVICE, other))) {
			if (!edu_ims_only_named(other))
				continue;
			KUNIT_EXPECT_FALSE_MSG(test, device_is_bound(&other->dev),
					       "IMS only device %s bound without IMS",
					       pci_name(other));
		}
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
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].sent), FIRES);
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
 * bit is set, and the device's message engine sends nothing for it.
 * enable_irq() clears the bit, and the next message arrives.
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
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].sent), 1);
	enable_irq(virq);

	KUNIT_EXPECT_FALSE(test, edu_test_slot_masked(edu, index));
	edu_test_fire(test, edu, index);
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->entries[index].sent), 2);
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

	edu = edu_ims_of(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, edu, "%s is not bound to edu-ims", pci_name(pdev));
	KUNIT_ASSERT_TRUE(test, edu->ims_only);
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

static struct kunit_case pci_edu_ims_cases[] = {
	KUNIT_CASE(edu_refusal),
	KUNIT_CASE(edu_fire_counts),
	KUNIT_CASE(edu_interleaved),
	KUNIT_CASE(edu_mask),
	KUNIT_CASE(edu_affinity),
	KUNIT_CASE(edu_ims_only),
	{ }
};

/* PCI IMS, on the edu device */
static struct kunit_suite pci_edu_ims_suite = {
	.name		= "pci_edu_ims",
	.test_cases	= pci_edu_ims_cases,
};

kunit_test_suites(&pci_edu_ims_suite);
