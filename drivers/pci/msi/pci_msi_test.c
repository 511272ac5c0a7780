// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of PCI IMS tables and of dynamic MSI-X, on a PCI device
 * which the tests bind themselves: QEMU's vmxnet3 (15ad:07b0), which
 * has an MSI-X table and whose Linux driver a test kernel does not build.
 * The tests never touch a device another driver owns; without a free
 * vmxnet3 they skip.
 *
 * The IMS store of the tests is an array in system memory which nothing
 * fires: the tests check what the core and the MSI parent do with it
 * (messages, masking, the parent domain), not delivery.
 *
 * Which IMS policy branch a machine takes is known to whoever boots it,
 * who passes it as pci_msi_test.expect= (allowed, no-remap or
 * virt-remap); without it the policy case skips.
 *
 * The driver is registered once, when the tests are loaded, not per
 * suite: enabling the device routes its INTx pin, which on QEMU's pc
 * machine evaluates ACPI's _PRT, for many seconds under TCG.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernfs.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/pci-ims.h>
#include <linux/string.h>

#include "msi.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static char *expect;
module_param(expect, charp, 0444);
MODULE_PARM_DESC(expect, "IMS policy branch of this machine: allowed, no-remap or virt-remap");

#define TEST_VENDOR	0x15ad
#define TEST_DEVICE	0x07b0
#define TEST_SLOTS	8

static struct pci_dev *test_pdev;

/* One device is the tests'; others stay free */
static int test_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	if (test_pdev)
		return -ENODEV;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	test_pdev = pdev;
	return 0;
}

static void test_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
	if (pdev == test_pdev)
		test_pdev = NULL;
}

static const struct pci_device_id test_ids[] = {
	{ PCI_DEVICE(TEST_VENDOR, TEST_DEVICE) },
	{ }
};

static struct pci_driver test_driver = {
	.name		= "pci_msi_test",
	.id_table	= test_ids,
	.probe		= test_probe,
	.remove		= test_remove,
	.driver.probe_type = PROBE_FORCE_SYNCHRONOUS,
};

/* Probes synchronously: a device no other driver holds is ours after it */
static int __init test_init(void)
{
	return pci_register_driver(&test_driver);
}
module_init(test_init);

static void __exit test_exit(void)
{
	pci_unregister_driver(&test_driver);
}
module_exit(test_exit);

static struct pci_dev *test_device(struct kunit *test)
{
	if (!test_pdev)
		kunit_skip(test, "no vmxnet3 (15ad:07b0) free for the test's driver");
	return test_pdev;
}

/* The IMS store: message slots in system memory */
struct test_slot {
	struct msi_msg	msg;
	bool		masked;
	unsigned int	writes;
};

struct test_store {
	struct test_slot	slot[TEST_SLOTS];
};

static void test_write_msg(struct msi_table *table, struct msi_desc *desc,
			   const struct msi_msg *msg)
{
	struct test_store *store = msi_table_drvdata(table);

	store->slot[desc->msi_index].msg = *msg;
	store->slot[desc->msi_index].writes++;
}

static void test_mask(struct msi_table *table, struct msi_desc *desc)
{
	struct test_store *store = msi_table_drvdata(table);

	store->slot[desc->msi_index].masked = true;
}

static void test_unmask(struct msi_table *table, struct msi_desc *desc)
{
	struct test_store *store = msi_table_drvdata(table);

	store->slot[desc->msi_index].masked = false;
}

static const struct msi_table_ops test_store_ops = {
	.write_msg	= test_write_msg,
	.mask		= test_mask,
	.unmask		= test_unmask,
};

static struct test_store *test_store_info(struct kunit *test,
					  struct msi_table_info *info)
{
	struct test_store *store = kunit_kzalloc(test, sizeof(*store), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, store);
	*info = (struct msi_table_info) {
		.name	= "test-ims",
		.hwsize	= TEST_SLOTS,
		.ops	= &test_store_ops,
		.data	= store,
	};
	return store;
}

/* IMS cases need a machine which offers it */
static void test_need_ims(struct kunit *test, struct pci_dev *pdev)
{
	const char *refusal = pci_ims_refusal(pdev);

	if (refusal)
		kunit_skip(test, "IMS refused on this machine: %s", refusal);
}

static irqreturn_t test_handler(int irq, void *data)
{
	return IRQ_HANDLED;
}

/*
 * What a case sets up is released by KUnit actions, so that a failed
 * assertion leaves the device as the next case expects it. A case that
 * checks the release itself takes the action back first.
 */
static void test_destroy_table(void *table)
{
	WARN_ON(msi_destroy_table(table));
}

static struct msi_table *test_create_table(struct kunit *test, struct pci_dev *pdev,
					   const struct msi_table_info *info)
{
	struct msi_table *table = pci_create_msi_table(pdev, info);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(table), "%ld", PTR_ERR(table));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_destroy_table, table), 0);
	return table;
}

/* Destroyed by the case: returns what msi_destroy_table() returns */
static int test_destroy_now(struct kunit *test, struct msi_table *table)
{
	kunit_remove_action(test, test_destroy_table, table);
	return msi_destroy_table(table);
}

static void test_free_irq(void *virq)
{
	free_irq((unsigned long)virq, &test_driver);
}

static void test_request_irq(struct kunit *test, unsigned int virq)
{
	KUNIT_ASSERT_EQ(test, request_irq(virq, test_handler, 0, "pci_msi_test", &test_driver), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_free_irq,
							(void *)(unsigned long)virq), 0);
}

static void test_free_irq_now(struct kunit *test, unsigned int virq)
{
	kunit_release_action(test, test_free_irq, (void *)(unsigned long)virq);
}

KUNIT_DEFINE_ACTION_WRAPPER(test_free_vectors, pci_free_irq_vectors, struct pci_dev *);

static void test_alloc_msix(struct kunit *test, struct pci_dev *pdev, int nvec)
{
	KUNIT_ASSERT_EQ(test, pci_alloc_irq_vectors(pdev, nvec, nvec, PCI_IRQ_MSIX), nvec);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_free_vectors, pdev), 0);
}

/*
 * The IMS policy branch which the machine takes, as whoever boots it
 * knows it (pci_msi_test.expect=): %NULL where IMS is offered, else what
 * the refusal names. Skips without expect=, fails on a value unknown.
 */
static const char *test_expected_refusal(struct kunit *test)
{
	if (!expect)
		kunit_skip(test, "no pci_msi_test.expect= for this machine");
	if (!strcmp(expect, "no-remap"))
		return "no interrupt remapping";
	if (!strcmp(expect, "virt-remap"))
		return "virtualized";
	KUNIT_ASSERT_STREQ_MSG(test, expect, "allowed", "unknown pci_msi_test.expect=");
	return NULL;
}

/*
 * The branch of the policy which the machine takes, and its effect: a
 * table where IMS is allowed, -EOPNOTSUPP and no MSI data set up for
 * the device where it is refused. A refusal names its reason, which
 * the MSI parent gives.
 */
static void pci_ims_policy_branch(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct msi_table_info info;
	const char *refusal, *reason;
	struct msi_table *table;
	void *data;

	reason = test_expected_refusal(test);
	refusal = pci_ims_refusal(pdev);
	if (!reason) {
		KUNIT_ASSERT_NULL_MSG(test, refusal, "refused: %s", refusal);
	} else {
		KUNIT_ASSERT_NOT_NULL(test, refusal);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(refusal, reason), "%s", refusal);
	}

	test_store_info(test, &info);
	if (!refusal) {
		table = test_create_table(test, pdev, &info);
		KUNIT_EXPECT_EQ(test, test_destroy_now(test, table), 0);
		return;
	}
	/* Whatever MSI data the device has stays as it was */
	data = pdev->dev.msi.data;
	table = pci_create_msi_table(pdev, &info);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(table), -EOPNOTSUPP);
	KUNIT_EXPECT_PTR_EQ(test, pdev->dev.msi.data, data);
	table = devm_pci_create_msi_table(pdev, &info);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(table), -EOPNOTSUPP);
	KUNIT_EXPECT_PTR_EQ(test, pdev->dev.msi.data, data);
}

/*
 * no_msi shares its word with other bit fields of the device. The device
 * lock orders this write with the probe and remove of the tests' own
 * driver, which write some of them (pci_set_master() is_busmaster,
 * pci_free_irq_vectors() msix_enabled), and with a reset; the msi_bus
 * attribute and runtime PM write the word without it.
 */
static void test_set_no_msi(struct pci_dev *pdev, bool no_msi)
{
	device_lock(&pdev->dev);
	pdev->no_msi = no_msi;
	device_unlock(&pdev->dev);
}

static void test_restore_no_msi(void *pdev)
{
	test_set_no_msi(pdev, false);
}

/*
 * A device for which MSI is disabled gets no IMS either, whatever its
 * MSI parent offers: the refusal names that reason. The case sets the
 * device's no_msi, as the quirks and the msi_bus attribute do.
 */
static void pci_ims_msi_disabled(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct msi_table_info info;
	struct msi_table *table;
	const char *refusal;
	void *data;

	KUNIT_ASSERT_FALSE(test, pdev->no_msi);
	test_store_info(test, &info);
	test_set_no_msi(pdev, true);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_restore_no_msi, pdev), 0);

	refusal = pci_ims_refusal(pdev);
	KUNIT_ASSERT_NOT_NULL(test, refusal);
	KUNIT_EXPECT_STREQ(test, refusal, "MSI is disabled for the device");
	data = pdev->dev.msi.data;
	table = pci_create_msi_table(pdev, &info);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(table), -EOPNOTSUPP);
	KUNIT_EXPECT_PTR_EQ(test, pdev->dev.msi.data, data);
}

/*
 * The x86 MSI parents check the policy themselves when a domain is made
 * from the PCI/IMS template: a caller which does not ask
 * pci_ims_refusal() first gets -EOPNOTSUPP where the machine refuses
 * IMS, and a table where it offers it. The refusal must not warn, which
 * only the kernel log shows.
 */
static void pci_ims_parent_backstop(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct irq_domain *parent = dev_get_msi_domain(&pdev->dev);
	struct msi_table_info info;
	struct msi_table *table;
	bool offered;

	if (!IS_ENABLED(CONFIG_X86))
		kunit_skip(test, "the backstop is the x86 MSI parents'");
	/* The machine's branch, as who boots it knows it, not the flag itself */
	offered = !test_expected_refusal(test);
	KUNIT_ASSERT_NOT_NULL(test, parent);
	KUNIT_ASSERT_TRUE(test, irq_domain_is_msi_parent(parent));
	test_store_info(test, &info);
	table = msi_create_table(&pdev->dev, &pci_ims_template, &info);
	if (!IS_ERR(table))
		KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(table), offered ? 0 : -EOPNOTSUPP);
}

/*
 * An IMS entry is an interrupt of the device's MSI parent, masked in
 * the store until it is requested, with the message written on request
 * and cleared on free.
 */
static void pci_ims_entry(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct irq_data *irqd, *parentd;
	struct msi_table_info info;
	struct test_store *store;
	struct msi_table *table;
	struct test_slot *slot;
	struct msi_map map;

	test_need_ims(test, pdev);
	store = test_store_info(test, &info);
	table = test_create_table(test, pdev, &info);

	map = msi_table_alloc(table, 3, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 3);
	KUNIT_ASSERT_GT(test, map.virq, 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 3), map.virq);
	slot = &store->slot[3];
	KUNIT_EXPECT_TRUE(test, slot->masked);

	/* The interrupt sits on the device's MSI parent, i.e. on remapping */
	irqd = irq_get_irq_data(map.virq);
	KUNIT_ASSERT_NOT_NULL(test, irqd);
	parentd = irqd->parent_data;
	KUNIT_ASSERT_NOT_NULL(test, parentd);
	KUNIT_EXPECT_PTR_EQ(test, parentd->domain, dev_get_msi_domain(&pdev->dev));
	KUNIT_EXPECT_EQ(test, irqd->domain->bus_token, DOMAIN_BUS_PCI_DEVICE_IMS);

	test_request_irq(test, map.virq);
	KUNIT_EXPECT_FALSE(test, slot->masked);
	KUNIT_EXPECT_GT(test, slot->writes, 0);
	KUNIT_EXPECT_NE(test, slot->msg.address_lo, 0);
#ifdef CONFIG_X86
	/* Intel's remappable format: the IRTE, not the message, names the vector */
	if (parentd->domain->bus_token == DOMAIN_BUS_DMAR)
		KUNIT_EXPECT_EQ(test, (u32)slot->msg.arch_addr_lo.dmar_format, 1);
#endif
	test_free_irq_now(test, map.virq);
	KUNIT_EXPECT_TRUE(test, slot->masked);
	/* Deactivated: the store holds no message which could still fire */
	KUNIT_EXPECT_EQ(test, slot->msg.address_lo, 0);
	KUNIT_EXPECT_EQ(test, slot->msg.data, 0);

	KUNIT_EXPECT_EQ(test, msi_table_free(table, 3), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 3), 0);
	KUNIT_EXPECT_EQ(test, test_destroy_now(test, table), 0);
}

/*
 * Behind interrupt remapping an affinity change rewrites the IRTE: the
 * store's message stays as it is while the interrupt moves.
 */
static void pci_ims_affinity(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	const struct cpumask *effective;
	struct msi_table_info info;
	struct test_store *store;
	struct msi_table *table;
	unsigned int cpu, target, writes;
	struct msi_msg before;
	struct msi_map map;

	test_need_ims(test, pdev);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	store = test_store_info(test, &info);
	table = test_create_table(test, pdev, &info);
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 0);
	test_request_irq(test, map.virq);

	effective = irq_get_effective_affinity_mask(map.virq);
	cpu = cpumask_first(effective);
	target = cpumask_any_but(cpu_online_mask, cpu);
	KUNIT_ASSERT_LT(test, target, nr_cpu_ids);
	before = store->slot[0].msg;
	writes = store->slot[0].writes;

	KUNIT_EXPECT_EQ(test, irq_set_affinity(map.virq, cpumask_of(target)), 0);
	effective = irq_get_effective_affinity_mask(map.virq);
	KUNIT_EXPECT_TRUE(test, cpumask_test_cpu(target, effective));
	KUNIT_EXPECT_EQ(test, store->slot[0].msg.address_lo, before.address_lo);
	KUNIT_EXPECT_EQ(test, store->slot[0].msg.data, before.data);
	KUNIT_EXPECT_EQ(test, store->slot[0].writes, writes);
}

/*
 * An IMS table next to live MSI-X: separate tables with their own
 * lookups, and MSI-X unaffected by the IMS table's entries.
 */
static void pci_ims_next_to_msix(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct msi_table_info info;
	struct msi_table *table;
	struct msi_map map;
	int msix0, msix1;

	test_need_ims(test, pdev);
	test_alloc_msix(test, pdev, 2);
	msix0 = pci_irq_vector(pdev, 0);
	msix1 = pci_irq_vector(pdev, 1);

	test_store_info(test, &info);
	table = test_create_table(test, pdev, &info);
	KUNIT_EXPECT_PTR_NE(test, table, pci_msi_table(pdev));
	map = msi_table_alloc(table, 0, NULL, NULL);
	KUNIT_ASSERT_GT(test, map.virq, 0);

	KUNIT_EXPECT_NE(test, map.virq, msix0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 0), msix0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 0), map.virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 2), 0);
	/* The MSI-X table's entries belong to the PCI/MSI code */
	map = msi_table_alloc(pci_msi_table(pdev), 1, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -EOPNOTSUPP);

	KUNIT_EXPECT_EQ(test, test_destroy_now(test, table), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 1), msix1);
}

/*
 * What the file msi_irqs/@virq of @pdev reads into @buf, a page, as
 * sysfs would show it: its length, or -ENOENT without that file. The
 * test kernel has no userspace which could read it. The file's kernfs
 * node holds its attribute, which the node's reference does not keep:
 * the attribute goes when the entry is freed, which only the calling
 * case does.
 */
static int test_msi_irqs_read(struct pci_dev *pdev, int virq, char *buf)
{
	struct device_attribute *attr;
	struct kernfs_node *dir, *kn;
	char name[16];
	int len;

	buf[0] = '\0';
	dir = kernfs_find_and_get(pdev->dev.kobj.sd, "msi_irqs");
	if (!dir)
		return -ENOENT;
	snprintf(name, sizeof(name), "%d", virq);
	kn = kernfs_find_and_get(dir, name);
	kernfs_put(dir);
	if (!kn)
		return -ENOENT;
	attr = container_of((struct attribute *)kn->priv, struct device_attribute, attr);
	len = attr->show(&pdev->dev, attr, buf);
	kernfs_put(kn);
	return len;
}

/*
 * msi_irqs lists the interrupts of the IMS entries, from allocation to
 * release, on a device which uses only IMS as next to MSI-X. They read
 * "ims", the MSI-X vectors "msix".
 */
static void pci_ims_sysfs(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct msi_table_info info;
	struct msi_table *table;
	struct msi_map map, kept;
	int msix0;
	char *buf;

	test_need_ims(test, pdev);
	/* sysfs_emit() wants a page, which kmalloc() aligns to its size */
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	test_store_info(test, &info);
	table = test_create_table(test, pdev, &info);
	map = msi_table_alloc(table, 5, NULL, NULL);
	KUNIT_ASSERT_GT(test, map.virq, 0);
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, map.virq, buf), 4);
	KUNIT_EXPECT_STREQ(test, buf, "ims\n");

	test_alloc_msix(test, pdev, 1);
	msix0 = pci_irq_vector(pdev, 0);
	KUNIT_ASSERT_GT(test, msix0, 0);
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, msix0, buf), 5);
	KUNIT_EXPECT_STREQ(test, buf, "msix\n");
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, map.virq, buf), 4);
	KUNIT_EXPECT_STREQ(test, buf, "ims\n");

	KUNIT_EXPECT_EQ(test, msi_table_free(table, 5), 0);
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, map.virq, buf), -ENOENT);

	/* The files of the entries a table still has go with it */
	kept = msi_table_alloc(table, 6, NULL, NULL);
	KUNIT_ASSERT_GT(test, kept.virq, 0);
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, kept.virq, buf), 4);
	KUNIT_EXPECT_EQ(test, test_destroy_now(test, table), 0);
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, kept.virq, buf), -ENOENT);
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, msix0, buf), 5);
}

/*
 * A device managed table goes with the driver's other device managed
 * resources, after those allocated later: what unbinding does, on a
 * devres group of the tests' own.
 */
static void pci_ims_devm(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct msi_table_info info;
	struct msi_table *table;
	struct msi_map map;
	void *group;
	char *buf;
	int ret;

	test_need_ims(test, pdev);
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	test_store_info(test, &info);
	group = devres_open_group(&pdev->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, group);
	table = devm_pci_create_msi_table(pdev, &info);
	if (IS_ERR(table)) {
		devres_release_group(&pdev->dev, group);
		KUNIT_FAIL(test, "devm_pci_create_msi_table(): %ld", PTR_ERR(table));
		return;
	}
	map = msi_table_alloc(table, 2, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, 2);
	ret = map.virq > 0 ? devm_request_irq(&pdev->dev, map.virq, test_handler, 0,
					      "pci_msi_test", &test_driver) : -ENOSPC;
	KUNIT_EXPECT_EQ(test, ret, 0);
	devres_close_group(&pdev->dev, group);
	KUNIT_EXPECT_NOT_NULL(test, irq_get_irq_data(map.virq));
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, map.virq, buf), 4);

	/* The interrupt is freed first, then the table and its entries */
	devres_release_group(&pdev->dev, group);
	KUNIT_EXPECT_NULL(test, irq_get_irq_data(map.virq));
	KUNIT_EXPECT_EQ(test, test_msi_irqs_read(pdev, map.virq, buf), -ENOENT);
}

/*
 * The IMS array store, on memory which stands for the device's: a bit the
 * driver owns (kept as it is) and device specific bits from the entry's
 * cookie, as DSA's PASID
 */
#define TEST_ARRAY_CTRL_DRV	BIT(1)
#define TEST_ARRAY_CTRL_COOKIE	GENMASK(31, 12)

struct test_write {
	unsigned int	off;
	u32		val;
};

/* The writes to the array, in order, which the case watches */
struct test_array {
	struct pci_ims_array	array;
	unsigned int		nr_writes;
	struct test_write	writes[8];
};

static int test_array_ctrl_bits(struct pci_ims_array *array,
				const union msi_instance_cookie *icookie, u32 *bits)
{
	if (icookie->value > FIELD_MAX(TEST_ARRAY_CTRL_COOKIE))
		return -EINVAL;
	*bits = FIELD_PREP(TEST_ARRAY_CTRL_COOKIE, icookie->value);
	return 0;
}

static void test_array_record(u32 val, void __iomem *addr)
{
	struct kunit *test = kunit_get_current_test();
	struct test_array *ta = test->priv;

	if (ta->nr_writes < ARRAY_SIZE(ta->writes))
		ta->writes[ta->nr_writes] = (struct test_write) {
			.off = addr - ta->array.base,
			.val = val,
		};
	ta->nr_writes++;
	writel(val, addr);
}

static u32 test_array_read(struct test_array *ta, unsigned int slot, unsigned int off)
{
	return readl(ta->array.base + slot * PCI_IMS_ARRAY_ENTRY_SIZE + off);
}

#define TEST_CTRL(cookie)	(TEST_ARRAY_CTRL_DRV | FIELD_PREP(TEST_ARRAY_CTRL_COOKIE, cookie))

/*
 * An entry of an IMS array: masked with its device specific bits on
 * allocation, unmasked on request, the driver's own bits untouched,
 * masked with the device specific bits cleared on free, as the free
 * slots are when the table is created and by a restore (not on a
 * device out of D0); a cookie the driver refuses fails the allocation
 * and the cookie change. Bad arrays are refused.
 */
static void pci_ims_array_entry(struct kunit *test)
{
	union msi_instance_cookie cookie = { .value = 0x1234 };
	struct pci_dev *pdev = test_device(test);
	struct msi_table_info info;
	struct test_array *ta;
	struct msi_table *table;
	struct msi_map map;
	u8 slot[PCI_IMS_ARRAY_ENTRY_SIZE];
	pci_power_t state;
	unsigned int i;
	void *mem;
	int ret;

	test_need_ims(test, pdev);
	ta = kunit_kzalloc(test, sizeof(*ta), GFP_KERNEL);
	mem = kunit_kzalloc(test, TEST_SLOTS * PCI_IMS_ARRAY_ENTRY_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ta);
	KUNIT_ASSERT_NOT_NULL(test, mem);

	KUNIT_EXPECT_EQ(test, pci_ims_array_init_info(&info, "test-ims", &ta->array, TEST_SLOTS),
			-EINVAL);
	ta->array.base = (void __iomem __force *)mem;
	KUNIT_EXPECT_EQ(test, pci_ims_array_init_info(&info, "test-ims", &ta->array, 0), -EINVAL);
	ta->array.ctrl_bits = test_array_ctrl_bits;
	KUNIT_EXPECT_EQ(test, pci_ims_array_init_info(&info, "test-ims", &ta->array, TEST_SLOTS),
			-EINVAL);
	ta->array.ctrl_bits = NULL;
	ta->array.ctrl_mask = TEST_ARRAY_CTRL_COOKIE;
	KUNIT_EXPECT_EQ(test, pci_ims_array_init_info(&info, "test-ims", &ta->array, TEST_SLOTS),
			-EINVAL);
	ta->array.ctrl_bits = test_array_ctrl_bits;
	ta->array.ctrl_mask = TEST_ARRAY_CTRL_COOKIE | PCI_IMS_ARRAY_CTRL_MASKBIT;
	KUNIT_EXPECT_EQ(test, pci_ims_array_init_info(&info, "test-ims", &ta->array, TEST_SLOTS),
			-EINVAL);
	ta->array.ctrl_mask = TEST_ARRAY_CTRL_COOKIE;
	ret = pci_ims_array_init_info(&info, "test-ims", &ta->array, TEST_SLOTS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* Stale bits of a former user, and one the driver set */
	writel(TEST_CTRL(0x55), ta->array.base + 2 * PCI_IMS_ARRAY_ENTRY_SIZE + PCI_IMS_ARRAY_CTRL);
	table = test_create_table(test, pdev, &info);
	/* Every slot is free, and masked as a freed one is */
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL),
			TEST_ARRAY_CTRL_DRV | PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, TEST_SLOTS - 1, PCI_IMS_ARRAY_CTRL),
			PCI_IMS_ARRAY_CTRL_MASKBIT);

	map = msi_table_alloc(table, 2, &cookie, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 2);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL),
			TEST_CTRL(0x1234) | PCI_IMS_ARRAY_CTRL_MASKBIT);

	test_request_irq(test, map.virq);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL), TEST_CTRL(0x1234));
	KUNIT_EXPECT_NE(test, test_array_read(ta, 2, PCI_IMS_ARRAY_ADDR_LO), 0);

	/* A new cookie: the entry is rewritten with its bits and stays live */
	cookie.value = 0x99;
	KUNIT_EXPECT_EQ(test, msi_table_set_cookie(table, 2, &cookie), 0);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL), TEST_CTRL(0x99));

	/* A cookie the driver refuses changes nothing, nor allocates */
	cookie.value = FIELD_MAX(TEST_ARRAY_CTRL_COOKIE) + 1ULL;
	memcpy(slot, mem + 2 * PCI_IMS_ARRAY_ENTRY_SIZE, sizeof(slot));
	KUNIT_EXPECT_EQ(test, msi_table_set_cookie(table, 2, &cookie), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, mem + 2 * PCI_IMS_ARRAY_ENTRY_SIZE, slot, sizeof(slot));
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL), TEST_CTRL(0x99));
	map = msi_table_alloc(table, 4, &cookie, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -EINVAL);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 4, PCI_IMS_ARRAY_CTRL),
			PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 4), 0);

	/*
	 * A reset which cleared the array: the free slots are masked again,
	 * one control write each with interrupts enabled (which the stub
	 * sees), while the live entry is the core's, under its lock
	 */
	memset(mem + 3 * PCI_IMS_ARRAY_ENTRY_SIZE, 0,
	       (TEST_SLOTS - 3) * PCI_IMS_ARRAY_ENTRY_SIZE);
	test->priv = ta;
	ta->nr_writes = 0;
	kunit_activate_static_stub(test, pci_ims_array_write, test_array_record);
	KUNIT_EXPECT_EQ(test, msi_table_restore(table), 0);
	kunit_deactivate_static_stub(test, pci_ims_array_write);
	KUNIT_EXPECT_EQ(test, ta->nr_writes, TEST_SLOTS - 1);
	for (i = 0; i < min_t(unsigned int, ta->nr_writes, ARRAY_SIZE(ta->writes)); i++) {
		KUNIT_EXPECT_EQ(test, ta->writes[i].off,
				(i < 2 ? i : i + 1) * PCI_IMS_ARRAY_ENTRY_SIZE +
				PCI_IMS_ARRAY_CTRL);
		KUNIT_EXPECT_EQ(test, ta->writes[i].val, PCI_IMS_ARRAY_CTRL_MASKBIT);
	}
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 4, PCI_IMS_ARRAY_CTRL),
			PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, TEST_SLOTS - 1, PCI_IMS_ARRAY_CTRL),
			PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL), TEST_CTRL(0x99));

	/*
	 * A device out of D0, as for MSI-X: no free slot masked and no
	 * message written (the live entry's mask is still restored). The
	 * state is set by hand: a real D3 transition may reset the device.
	 */
	writel(0, ta->array.base + 4 * PCI_IMS_ARRAY_ENTRY_SIZE + PCI_IMS_ARRAY_CTRL);
	writel(0, ta->array.base + 2 * PCI_IMS_ARRAY_ENTRY_SIZE + PCI_IMS_ARRAY_ADDR_LO);
	state = pdev->current_state;
	pdev->current_state = PCI_D3hot;
	KUNIT_EXPECT_EQ(test, msi_table_restore(table), 0);
	pdev->current_state = state;
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 4, PCI_IMS_ARRAY_CTRL), 0);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_ADDR_LO), 0);
	KUNIT_EXPECT_EQ(test, msi_table_restore(table), 0);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 4, PCI_IMS_ARRAY_CTRL),
			PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_NE(test, test_array_read(ta, 2, PCI_IMS_ARRAY_ADDR_LO), 0);

	test_free_irq_now(test, msi_get_virq(table, 2));
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL),
			TEST_CTRL(0x99) | PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), 0);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 2, PCI_IMS_ARRAY_CTRL),
			TEST_ARRAY_CTRL_DRV | PCI_IMS_ARRAY_CTRL_MASKBIT);
}

/*
 * A message written into a live slot: masked first, the three dwords,
 * the control dword restored with the entry's bits and the driver's, as
 * for an MSI-X entry; a masked slot gets no extra mask write.
 *
 * No path of the core writes a live slot behind interrupt remapping,
 * so the case calls the store's callbacks itself, without the interrupt
 * descriptor's lock which the core would hold: nothing else touches the
 * slot meanwhile, as nothing fires the store and nothing changes the
 * interrupt's affinity or cookie.
 */
static void pci_ims_array_rewrite(struct kunit *test)
{
	static const unsigned int msg_offs[] = {
		PCI_IMS_ARRAY_ADDR_LO, PCI_IMS_ARRAY_ADDR_HI, PCI_IMS_ARRAY_DATA,
	};
	struct pci_dev *pdev = test_device(test);
	struct msi_table_info info;
	struct test_array *ta;
	struct msi_table *table;
	struct msi_desc *desc;
	struct msi_map map;
	union msi_instance_cookie cookie = { .value = 0x77 };
	unsigned int i, base;
	void *mem;
	u32 ctrl;
	int ret;

	test_need_ims(test, pdev);
	ta = kunit_kzalloc(test, sizeof(*ta), GFP_KERNEL);
	mem = kunit_kzalloc(test, TEST_SLOTS * PCI_IMS_ARRAY_ENTRY_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ta);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	ta->array.base = (void __iomem __force *)mem;
	ta->array.ctrl_mask = TEST_ARRAY_CTRL_COOKIE;
	ta->array.ctrl_bits = test_array_ctrl_bits;
	ret = pci_ims_array_init_info(&info, "test-ims", &ta->array, TEST_SLOTS);
	KUNIT_ASSERT_EQ(test, ret, 0);
	writel(TEST_ARRAY_CTRL_DRV, ta->array.base + 5 * PCI_IMS_ARRAY_ENTRY_SIZE +
	       PCI_IMS_ARRAY_CTRL);
	table = test_create_table(test, pdev, &info);
	map = msi_table_alloc(table, 5, &cookie, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 5);
	test_request_irq(test, map.virq);
	desc = irq_get_msi_desc(map.virq);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	ctrl = test_array_read(ta, 5, PCI_IMS_ARRAY_CTRL);
	KUNIT_ASSERT_EQ(test, ctrl, TEST_CTRL(0x77));

	/* The message the core wrote, again */
	test->priv = ta;
	kunit_activate_static_stub(test, pci_ims_array_write, test_array_record);
	info.ops->write_msg(table, desc, &desc->msg);
	kunit_deactivate_static_stub(test, pci_ims_array_write);

	base = 5 * PCI_IMS_ARRAY_ENTRY_SIZE;
	KUNIT_ASSERT_EQ(test, ta->nr_writes, 5);
	KUNIT_EXPECT_EQ(test, ta->writes[0].off, base + PCI_IMS_ARRAY_CTRL);
	KUNIT_EXPECT_EQ(test, ta->writes[0].val, ctrl | PCI_IMS_ARRAY_CTRL_MASKBIT);
	for (i = 0; i < ARRAY_SIZE(msg_offs); i++)
		KUNIT_EXPECT_EQ(test, ta->writes[i + 1].off, base + msg_offs[i]);
	KUNIT_EXPECT_EQ(test, ta->writes[1].val, desc->msg.address_lo);
	KUNIT_EXPECT_EQ(test, ta->writes[2].val, desc->msg.address_hi);
	KUNIT_EXPECT_EQ(test, ta->writes[3].val, desc->msg.data);
	KUNIT_EXPECT_EQ(test, ta->writes[4].off, base + PCI_IMS_ARRAY_CTRL);
	KUNIT_EXPECT_EQ(test, ta->writes[4].val, ctrl);

	/* Masked: the message, then the control dword as it was */
	info.ops->mask(table, desc);
	ta->nr_writes = 0;
	kunit_activate_static_stub(test, pci_ims_array_write, test_array_record);
	info.ops->write_msg(table, desc, &desc->msg);
	kunit_deactivate_static_stub(test, pci_ims_array_write);
	info.ops->unmask(table, desc);
	KUNIT_ASSERT_EQ(test, ta->nr_writes, 4);
	for (i = 0; i < ARRAY_SIZE(msg_offs); i++)
		KUNIT_EXPECT_EQ(test, ta->writes[i].off, base + msg_offs[i]);
	KUNIT_EXPECT_EQ(test, ta->writes[3].off, base + PCI_IMS_ARRAY_CTRL);
	KUNIT_EXPECT_EQ(test, ta->writes[3].val, ctrl | PCI_IMS_ARRAY_CTRL_MASKBIT);
	KUNIT_EXPECT_EQ(test, test_array_read(ta, 5, PCI_IMS_ARRAY_CTRL), ctrl);
}

static struct kunit_case pci_ims_policy_cases[] = {
	KUNIT_CASE(pci_ims_policy_branch),
	KUNIT_CASE(pci_ims_msi_disabled),
	KUNIT_CASE(pci_ims_parent_backstop),
	{ }
};

static struct kunit_suite pci_ims_policy_suite = {
	.name		= "pci_ims_policy",
	.test_cases	= pci_ims_policy_cases,
};

/* These cases need a machine which offers IMS; they skip elsewhere */
static struct kunit_case pci_ims_cases[] = {
	KUNIT_CASE(pci_ims_entry),
	KUNIT_CASE(pci_ims_affinity),
	KUNIT_CASE(pci_ims_next_to_msix),
	KUNIT_CASE(pci_ims_sysfs),
	KUNIT_CASE(pci_ims_devm),
	KUNIT_CASE(pci_ims_array_entry),
	KUNIT_CASE(pci_ims_array_rewrite),
	{ }
};

static struct kunit_suite pci_ims_suite = {
	.name		= "pci_ims",
	.test_cases	= pci_ims_cases,
};

/*
 * Dynamic MSI-X: entries added and removed after MSI-X is enabled, at an
 * index and at the lowest free one, found by the lookup.
 */
static void pci_msix_alloc_dyn(struct kunit *test)
{
	struct pci_dev *pdev = test_device(test);
	struct msi_map at, any;

	test_alloc_msix(test, pdev, 1);
	if (!pci_msix_can_alloc_dyn(pdev))
		kunit_skip(test, "the MSI parent does not allocate MSI-X entries at run time");

	at = pci_msix_alloc_irq_at(pdev, 5, NULL);
	KUNIT_EXPECT_EQ(test, at.index, 5);
	KUNIT_ASSERT_GT(test, at.virq, 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 5), at.virq);
	KUNIT_EXPECT_EQ(test, pci_irq_vector(pdev, 5), at.virq);

	any = pci_msix_alloc_irq_at(pdev, MSI_ANY_INDEX, NULL);
	KUNIT_EXPECT_EQ(test, any.index, 1);
	KUNIT_ASSERT_GT(test, any.virq, 0);
	test_request_irq(test, any.virq);
	test_free_irq_now(test, any.virq);

	pci_msix_free_irq(pdev, at);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 5), 0);
	/* A freed index is allocated again */
	at = pci_msix_alloc_irq_at(pdev, 5, NULL);
	KUNIT_EXPECT_EQ(test, at.index, 5);
	pci_msix_free_irq(pdev, at);
	pci_msix_free_irq(pdev, any);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 1), 0);
	KUNIT_EXPECT_GT(test, msi_get_virq(pci_msi_table(pdev), 0), 0);
	kunit_release_action(test, test_free_vectors, pdev);
	KUNIT_EXPECT_EQ(test, msi_get_virq(pci_msi_table(pdev), 0), 0);
}

static struct kunit_case pci_msix_dyn_cases[] = {
	KUNIT_CASE(pci_msix_alloc_dyn),
	{ }
};

static struct kunit_suite pci_msix_dyn_suite = {
	.name		= "pci_msix_dyn",
	.test_cases	= pci_msix_dyn_cases,
};

kunit_test_suites(&pci_ims_policy_suite, &pci_ims_suite, &pci_msix_dyn_suite);

MODULE_DESCRIPTION("KUnit tests of PCI IMS tables and dynamic MSI-X");
MODULE_LICENSE("GPL");
