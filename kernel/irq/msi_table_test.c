// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of MSI tables against a software MSI parent domain and a
 * KUnit device: no hardware, every path of the table API.
 */
#include <kunit/device.h>
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernfs.h>
#include <linux/kthread.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/sched/task.h>

#include "msi_internal.h"

#define TEST_PARENT_SIZE	256
#define TEST_ADDR		0xfee00000

/* The software MSI parent: hands out hwirqs, composes messages from them */
struct test_parent {
	struct irq_domain	*domain;
	struct fwnode_handle	*fwnode;
	DECLARE_BITMAP(used, TEST_PARENT_SIZE);
	/* Lookups of this table's entries while their interrupts are freed */
	struct msi_table	*watch;
	unsigned int		frees_watched;
	unsigned int		found_in_free;
};

/* A device defined store in memory, as IMS in a queue context would be */
struct test_store {
	struct msi_msg		msg[8];
	bool			masked[8];
	unsigned int		mask_calls;
	/* The entry's cookie at the last four mask calls, by call number */
	u64			cookie_at_mask[4];
	unsigned int		prepared;
	unsigned int		released;
	int			prepare_err;
	/* The prepare_desc() call which fails with -EIO, counted from 1 */
	unsigned int		prepare_calls;
	unsigned int		prepare_fail_at;
	bool			masked_before_irq;
	/* What msi_get_virq() found while the core wrote the message */
	unsigned int		virq_at_write;
	/* The entry's cookie when its message was written */
	u64			cookie_at_write[8];
	atomic_t		fired;
	/* The ranges of free slots masked, in call order, and mask_calls then */
	struct {
		unsigned int	first, last;
		unsigned int	mask_calls;
	}			free[4];
	unsigned int		nr_free;
};

struct test_ctx {
	struct test_parent	parent;
	struct device		*dev;
	struct test_store	store;
	/* The fault walks' table and saved state */
	struct msi_table	*walk_table;
	int			walk_index;
	unsigned int		saved_tables;
	int			walk_virq;
};

static void test_parent_compose(struct irq_data *d, struct msi_msg *msg)
{
	msg->address_hi = 0;
	msg->address_lo = TEST_ADDR;
	msg->data = d->hwirq;
}

static void test_parent_noop(struct irq_data *d) { }

static struct irq_chip test_parent_chip = {
	.name			= "msi-table-test-parent",
	.irq_compose_msi_msg	= test_parent_compose,
	.irq_mask		= test_parent_noop,
	.irq_unmask		= test_parent_noop,
};

static int test_parent_alloc(struct irq_domain *domain, unsigned int virq,
			     unsigned int nr_irqs, void *arg)
{
	struct test_parent *p = domain->host_data;
	unsigned int i;
	int hwirq;

	for (i = 0; i < nr_irqs; i++) {
		hwirq = find_first_zero_bit(p->used, TEST_PARENT_SIZE);
		if (hwirq >= TEST_PARENT_SIZE)
			goto fail;
		__set_bit(hwirq, p->used);
		irq_domain_set_info(domain, virq + i, hwirq, &test_parent_chip,
				    p, handle_simple_irq, NULL, NULL);
	}
	return 0;
fail:
	while (i--) {
		struct irq_data *d = irq_domain_get_irq_data(domain, virq + i);

		__clear_bit(d->hwirq, p->used);
		irq_domain_reset_irq_data(d);
	}
	return -ENOSPC;
}

static void test_parent_free(struct irq_domain *domain, unsigned int virq,
			     unsigned int nr_irqs)
{
	struct test_parent *p = domain->host_data;
	unsigned int i;

	for (i = 0; i < nr_irqs; i++) {
		struct irq_data *d = irq_domain_get_irq_data(domain, virq + i);
		struct msi_desc *desc = irq_data_get_msi_desc(d);

		if (p->watch && desc) {
			p->frees_watched++;
			if (msi_get_virq(p->watch, desc->msi_index))
				p->found_in_free++;
		}
		__clear_bit(d->hwirq, p->used);
		irq_domain_reset_irq_data(d);
	}
}

static const struct irq_domain_ops test_parent_ops = {
	.alloc	= test_parent_alloc,
	.free	= test_parent_free,
};

/* Accepts DOMAIN_BUS_DEVICE_MSI children only, as a parent shapes them */
static bool test_init_dev_msi_info(struct device *dev, struct irq_domain *domain,
				   struct irq_domain *real_parent,
				   struct msi_domain_info *info)
{
	if (info->bus_token != DOMAIN_BUS_DEVICE_MSI)
		return false;
	info->flags &= domain->msi_parent_ops->supported_flags;
	/* As x86's parents shape every MSI chip */
	info->chip->flags |= IRQCHIP_AFFINITY_PRE_STARTUP;
	return true;
}

static const struct msi_parent_ops test_msi_parent_ops = {
	.supported_flags	= MSI_GENERIC_FLAGS_MASK,
	.prefix			= "T-",
	.init_dev_msi_info	= test_init_dev_msi_info,
};

static void test_set_desc(msi_alloc_info_t *arg, struct msi_desc *desc)
{
	arg->desc = desc;
	arg->hwirq = desc->msi_index;
}

static const struct msi_domain_template test_template = {
	.chip	= { .name = "TEST" },
	.ops	= { .set_desc = test_set_desc },
	.info	= {
		.flags		= MSI_FLAG_USE_DEF_DOM_OPS,
		.bus_token	= DOMAIN_BUS_DEVICE_MSI,
	},
};

/* The same, with the entries' interrupts in the device's msi_irqs */
static const struct msi_domain_template test_template_sysfs = {
	.chip	= { .name = "TEST" },
	.ops	= { .set_desc = test_set_desc },
	.info	= {
		.flags		= MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_DEV_SYSFS,
		.bus_token	= DOMAIN_BUS_DEVICE_MSI,
	},
};

static struct test_ctx *test_ctx(struct kunit *test)
{
	return test->priv;
}

static struct test_store *table_store(struct msi_table *table)
{
	return msi_table_drvdata(table);
}

static void test_write_msg(struct msi_table *table, struct msi_desc *desc,
			   const struct msi_msg *msg)
{
	struct test_store *s = table_store(table);

	s->msg[desc->msi_index % 8] = *msg;
	s->cookie_at_write[desc->msi_index % 8] = desc->data.icookie.value;
	s->virq_at_write = msi_get_virq(table, desc->msi_index);
}

static void test_mask(struct msi_table *table, struct msi_desc *desc)
{
	struct test_store *s = table_store(table);

	s->masked[desc->msi_index % 8] = true;
	s->cookie_at_mask[s->mask_calls % 4] = desc->data.icookie.value;
	s->mask_calls++;
	if (!desc->irq)
		s->masked_before_irq = true;
}

static void test_unmask(struct msi_table *table, struct msi_desc *desc)
{
	table_store(table)->masked[desc->msi_index % 8] = false;
}

static int test_prepare(struct msi_table *table, struct msi_desc *desc)
{
	struct test_store *s = table_store(table);

	if (s->prepare_err)
		return s->prepare_err;
	if (++s->prepare_calls == s->prepare_fail_at)
		return -EIO;
	s->prepared++;
	return 0;
}

static void test_release(struct msi_table *table, struct msi_desc *desc)
{
	table_store(table)->released++;
}

/* The store refuses this cookie, as a PASID out of range would be */
#define TEST_BAD_COOKIE	0xbadULL

static int test_check_cookie(struct msi_table *table, struct msi_desc *desc,
			     const union msi_instance_cookie *icookie)
{
	return icookie->value == TEST_BAD_COOKIE ? -ERANGE : 0;
}

static void test_mask_free(struct msi_table *table, unsigned int first,
			   unsigned int last)
{
	struct test_store *s = table_store(table);
	unsigned int i;

	lockdep_assert_held(&table->lock);
	if (s->nr_free < ARRAY_SIZE(s->free)) {
		s->free[s->nr_free].first = first;
		s->free[s->nr_free].last = last;
		s->free[s->nr_free].mask_calls = s->mask_calls;
	}
	s->nr_free++;
	for (i = first; i <= last && i < ARRAY_SIZE(s->masked); i++)
		s->masked[i] = true;
}

static const struct msi_table_ops test_table_ops = {
	.write_msg	= test_write_msg,
	.mask		= test_mask,
	.unmask		= test_unmask,
	.prepare_desc	= test_prepare,
	.release_desc	= test_release,
	.check_cookie	= test_check_cookie,
};

/* A store of a fixed size, whose free slots the core masks */
static const struct msi_table_ops test_fixed_ops = {
	.write_msg	= test_write_msg,
	.mask		= test_mask,
	.unmask		= test_unmask,
	.mask_free	= test_mask_free,
};

static void test_parent_remove(void *data)
{
	struct test_parent *p = data;

	irq_domain_remove(p->domain);
	irq_domain_free_fwnode(p->fwnode);
}

static int test_init(struct kunit *test)
{
	struct test_ctx *ctx;
	struct irq_domain *d;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	test->priv = ctx;

	ctx->parent.fwnode = irq_domain_alloc_named_fwnode("msi-table-test");
	KUNIT_ASSERT_NOT_NULL(test, ctx->parent.fwnode);
	d = irq_domain_create_linear(ctx->parent.fwnode, TEST_PARENT_SIZE,
				     &test_parent_ops, &ctx->parent);
	if (!d)
		irq_domain_free_fwnode(ctx->parent.fwnode);
	KUNIT_ASSERT_NOT_NULL(test, d);
	d->flags |= IRQ_DOMAIN_FLAG_MSI_PARENT;
	d->msi_parent_ops = &test_msi_parent_ops;
	ctx->parent.domain = d;
	/*
	 * Actions run in reverse order: every device a case registers,
	 * with the tables over this parent, goes before the parent.
	 */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_parent_remove,
							&ctx->parent), 0);

	ctx->dev = kunit_device_register(test, "msi-table-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->dev);
	dev_set_msi_domain(ctx->dev, d);
	return 0;
}

/* The cookie of the entry with interrupt @virq */
static u64 entry_cookie(struct kunit *test, unsigned int virq)
{
	struct msi_desc *desc = irq_get_msi_desc(virq);

	KUNIT_ASSERT_NOT_NULL(test, desc);
	return desc->data.icookie.value;
}

static struct msi_table *create_from(struct kunit *test,
				     const struct msi_domain_template *tmpl,
				     unsigned int hwsize)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name	= "test-ims",
		.hwsize	= hwsize,
		.ops	= &test_table_ops,
		.data	= &ctx->store,
	};
	struct msi_table *table;

	table = msi_create_table(ctx->dev, tmpl, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	return table;
}

static struct msi_table *create(struct kunit *test, unsigned int hwsize)
{
	return create_from(test, &test_template, hwsize);
}

static void create_destroy(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	unsigned int tables = msi_device_count_tables(ctx->dev);

	KUNIT_EXPECT_PTR_EQ(test, msi_table_drvdata(table), (void *)&ctx->store);
	KUNIT_EXPECT_NE(test, (unsigned long)table, (unsigned long)dev_msi_table(ctx->dev));
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_EQ(test, msi_device_count_tables(ctx->dev), tables - 1);
}

/* Any number of tables per device, each with interrupts of its own */
static void many_tables(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *tables[16];
	unsigned int virq[16], before, i, j;

	/* The device's MSI data, which the first table sets up, exists */
	KUNIT_ASSERT_EQ(test, msi_destroy_table(create(test, 1)), 0);
	before = msi_device_count_tables(ctx->dev);
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		tables[i] = create(test, 2);
		KUNIT_ASSERT_EQ(test, msi_table_alloc(tables[i], 1, NULL, NULL).index, 1);
		virq[i] = msi_get_virq(tables[i], 1);
		KUNIT_EXPECT_GT(test, virq[i], 0U);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, virq[i], virq[j]);
	}
	KUNIT_EXPECT_EQ(test, msi_device_count_tables(ctx->dev), before + 16);
	for (i = 0; i < ARRAY_SIZE(tables); i++)
		KUNIT_EXPECT_EQ(test, msi_destroy_table(tables[i]), 0);
	KUNIT_EXPECT_EQ(test, msi_device_count_tables(ctx->dev), before);
}

static void create_bad_info(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	static const struct msi_table_ops no_mask = { .write_msg = test_write_msg,
						      .unmask = test_unmask };
	static const struct msi_table_ops no_write = { .mask = test_mask,
						       .unmask = test_unmask };
	struct msi_table_info info = { .name = "bad", .ops = &test_table_ops };
	struct msi_table_info bad;

	bad = info;
	bad.name = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, &test_template, &bad)), -EINVAL);
	bad = info;
	bad.ops = &no_mask;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, &test_template, &bad)), -EINVAL);
	bad = info;
	bad.ops = &no_write;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, &test_template, &bad)), -EINVAL);
	bad = info;
	bad.flags = BIT(7);
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, &test_template, &bad)), -EINVAL);
	bad = info;
	bad.hwsize = (unsigned int)MSI_MAX_TABLE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, &test_template, &bad)), -EINVAL);
	/* Free slots to mask need a size */
	bad = info;
	bad.ops = &test_fixed_ops;
	bad.data = &ctx->store;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, &test_template, &bad)), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->store.nr_free, 0U);
}

static void create_refused(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_domain_template other = test_template;
	struct msi_table_info info = { .name = "x", .ops = &test_table_ops,
				       .data = &ctx->store };
	struct device *orphan;
	unsigned int tables;

	/* The device's MSI data, which the first table sets up, exists */
	KUNIT_ASSERT_EQ(test, msi_destroy_table(create(test, 1)), 0);
	tables = msi_device_count_tables(ctx->dev);
	/* The parent does not take this kind of device */
	other.info.bus_token = DOMAIN_BUS_WIRED_TO_MSI;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, &other, &info)),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, msi_device_count_tables(ctx->dev), tables);

	/* A device without MSI parent */
	orphan = kunit_device_register(test, "msi-table-orphan");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, orphan);
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(orphan, &test_template, &info)),
			-ENODEV);
}

static void alloc_at_index(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	struct msi_desc *desc;
	struct msi_map map;

	map = msi_table_alloc(table, 5, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 5);
	KUNIT_EXPECT_GT(test, map.virq, 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 5), (unsigned int)map.virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 4), 0U);
	KUNIT_EXPECT_EQ(test, ctx->store.prepared, 1U);
	desc = irq_get_msi_desc(map.virq);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_EQ(test, desc->msi_index, 5U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* A new entry is masked in the store before its interrupt exists */
static void alloc_masks_first(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);

	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 6, NULL, NULL).index, 6);
	KUNIT_EXPECT_TRUE(test, ctx->store.masked_before_irq);
	KUNIT_EXPECT_TRUE(test, ctx->store.masked[6]);
	/* Not requested: no message yet */
	KUNIT_EXPECT_EQ(test, ctx->store.msg[6].address_lo, 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void alloc_passes_cookie(struct kunit *test)
{
	struct msi_table *table = create(test, 8);
	union msi_instance_cookie cookie = { .value = 42 };
	struct msi_map map;

	map = msi_table_alloc(table, 5, &cookie, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 5);
	KUNIT_EXPECT_EQ(test, entry_cookie(test, map.virq), 42ULL);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* The interrupt gets the affinity the entry was allocated with */
static void alloc_affinity(struct kunit *test)
{
	struct irq_affinity_desc aff = { };
	struct msi_table *table;
	struct msi_map map;
	unsigned int cpu;

	/* With one CPU, the default affinity is that CPU too */
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs (kunit.py --qemu_args='-smp 2')");
	cpu = cpumask_last(cpu_online_mask);
	table = create(test, 8);
	cpumask_copy(&aff.mask, cpumask_of(cpu));
	map = msi_table_alloc(table, 1, NULL, &aff);
	KUNIT_ASSERT_EQ(test, map.index, 1);
	KUNIT_EXPECT_TRUE(test, cpumask_equal(irq_get_affinity_mask(map.virq),
					      cpumask_of(cpu)));
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void free_releases(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	struct msi_map map;

	map = msi_table_alloc(table, 5, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 5);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 5), 0);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 1U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 5), 0U);
	/* The interrupt is gone with the entry: the parent's too */
	KUNIT_EXPECT_TRUE(test, bitmap_empty(ctx->parent.used, TEST_PARENT_SIZE));
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* An allocation at any index gets the lowest freed index */
static void alloc_reuses_freed(struct kunit *test)
{
	struct msi_table *table = create(test, 4);

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, 3), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 1), 0);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL).index, 1);
	KUNIT_EXPECT_GT(test, msi_get_virq(table, 1), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 2), 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void alloc_any_index(struct kunit *test)
{
	struct msi_table *table = create(test, 3);
	struct msi_map map;

	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 1, NULL, NULL).index, 1);
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, 0);
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, 2);
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -ENOSPC);
	KUNIT_EXPECT_EQ(test, map.virq, 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void alloc_bad_index(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 4);
	unsigned int virq;

	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, 4, NULL, NULL).index, -ERANGE);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 2, NULL, NULL).index, 2);
	virq = msi_get_virq(table, 2);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, 2, NULL, NULL).index, -EBUSY);
	/* The failed calls changed nothing */
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 2), virq);
	KUNIT_EXPECT_EQ(test, ctx->store.prepared, 1U);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 0U);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 3), -ENOENT);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), -ENOENT);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void alloc_prepare_fails(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 4);

	ctx->store.prepare_err = -EIO;
	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, 0, NULL, NULL).index, -EIO);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 0, 3), -EIO);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 0U);
	ctx->store.prepare_err = 0;
	/* Nothing was left behind */
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 0, 3), 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 4U);
}

static void alloc_range(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	struct msi_desc *desc;
	unsigned int i, n = 0;

	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 3, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 6, 8), -ERANGE);
	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 2, 5), 0);
	for (i = 2; i <= 5; i++)
		KUNIT_EXPECT_GT(test, msi_get_virq(table, i), 0U);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 5, 6), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 6), 0U);

	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ASSOCIATED)
		n++;
	msi_table_unlock(table);
	KUNIT_EXPECT_EQ(test, n, 4U);

	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 0, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 0, 3), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 3), 0U);
	KUNIT_EXPECT_GT(test, msi_get_virq(table, 4), 0U);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 2U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 4U);
}

/* A range whose third entry fails releases the two it prepared */
static void range_unwinds(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	unsigned int i;

	ctx->store.prepare_fail_at = 3;
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 1, 5), -EIO);
	KUNIT_EXPECT_EQ(test, ctx->store.prepared, 2U);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 2U);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, msi_get_virq(table, i), 0U, "entry %u", i);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* Entries are iterated in index order, whatever order they came in */
static void iterate_in_order(struct kunit *test)
{
	struct msi_table *table = create(test, 8);
	static const unsigned int order[] = { 5, 1, 3 };
	unsigned int seen[3], n = 0, i;
	struct msi_desc *desc;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		KUNIT_ASSERT_EQ(test, msi_table_alloc(table, order[i], NULL, NULL).index,
				(int)order[i]);
	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ALL) {
		if (n < ARRAY_SIZE(seen))
			seen[n] = desc->msi_index;
		n++;
	}
	msi_table_unlock(table);
	KUNIT_ASSERT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, seen[0], 1U);
	KUNIT_EXPECT_EQ(test, seen[1], 3U);
	KUNIT_EXPECT_EQ(test, seen[2], 5U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* Indexes beyond 16 bits: a range across 65536 */
static void range_across_64k(struct kunit *test)
{
	struct msi_table *table = create(test, 0);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 65534, 65537), 0);
	for (i = 65534; i <= 65537; i++)
		KUNIT_EXPECT_GT_MSG(test, msi_get_virq(table, i), 0U, "entry %u", i);
	/* The entry and its interrupt have the full index */
	KUNIT_EXPECT_EQ(test, irq_get_irq_data(msi_get_virq(table, 65536))->hwirq, 65536UL);
	/* Not aliased to the low 16 bits */
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 0), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 1), 0U);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 65534, 65537), 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* Destroy frees and releases every entry that is not requested */
static void destroy_frees_entries(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, 5), 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_EQ(test, ctx->store.released, 6U);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(ctx->parent.used, TEST_PARENT_SIZE));
}

static void lookup_beyond_size(struct kunit *test)
{
	struct msi_table *table = create(test, 4);

	/* Index 0 allocated too: a lookup which masks the index would find it */
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 0, NULL, NULL).index, 0);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 3, NULL, NULL).index, 3);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 4), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, UINT_MAX), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(NULL, 3), 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/*
 * The core writes the message of an early activated entry while it sets
 * the interrupt up: the lookup must not return the number before that is
 * done.
 */
static void lookup_hidden_in_setup(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name	= "early",
		.hwsize	= 8,
		.flags	= MSI_TABLE_ACTIVATE_EARLY,
		.ops	= &test_table_ops,
		.data	= &ctx->store,
	};
	struct msi_table *table;

	table = msi_create_table(ctx->dev, &test_template, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	ctx->store.virq_at_write = UINT_MAX;
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 1, NULL, NULL).index, 1);
	/* Written during the allocation, when the lookup found nothing */
	KUNIT_EXPECT_EQ(test, ctx->store.virq_at_write, 0U);
	KUNIT_EXPECT_GT(test, msi_get_virq(table, 1), 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static irqreturn_t test_handler(int irq, void *data)
{
	struct test_store *s = data;

	atomic_inc(&s->fired);
	return IRQ_HANDLED;
}

/* Allocates entry 3 of an eight entry table and requests its interrupt */
static struct msi_table *create_requested(struct kunit *test, struct msi_map *map)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);

	*map = msi_table_alloc(table, 3, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map->index, 3);
	KUNIT_ASSERT_EQ(test, request_irq(map->virq, test_handler, 0, "msi-table-test",
					  &ctx->store), 0);
	return table;
}

/* request_irq() writes the parent's message and unmasks the entry */
static void request_writes(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table;
	struct msi_map map;

	table = create_requested(test, &map);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[3].address_lo, (u32)TEST_ADDR);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[3].data,
			(u32)irq_get_irq_data(map.virq)->parent_data->hwirq);
	KUNIT_EXPECT_FALSE(test, ctx->store.masked[3]);
	/* The table's hwirq is the entry's index */
	KUNIT_EXPECT_EQ(test, irq_get_irq_data(map.virq)->hwirq, 3UL);
	free_irq(map.virq, &ctx->store);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void request_fire(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table;
	struct msi_map map;

	table = create_requested(test, &map);
	KUNIT_EXPECT_EQ(test, generic_handle_irq_safe(map.virq), 0);
	KUNIT_EXPECT_EQ(test, generic_handle_irq_safe(map.virq), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->store.fired), 2);
	free_irq(map.virq, &ctx->store);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* free_irq() deactivates: the store gets the all zero message */
static void free_irq_deactivates(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table;
	struct msi_map map;

	table = create_requested(test, &map);
	free_irq(map.virq, &ctx->store);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[3].address_lo, 0U);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[3].data, 0U);
	/* Not freed with it: the entry stays allocated */
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 3), (unsigned int)map.virq);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void activate_early(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name	= "early",
		.hwsize	= 8,
		.flags	= MSI_TABLE_ACTIVATE_EARLY,
		.ops	= &test_table_ops,
		.data	= &ctx->store,
	};
	struct msi_table *table;

	table = msi_create_table(ctx->dev, &test_template, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 1, NULL, NULL).index, 1);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[1].address_lo, (u32)TEST_ADDR);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void default_table_refused(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	struct msi_table *dflt = dev_msi_table(ctx->dev);

	KUNIT_ASSERT_NOT_NULL(test, dflt);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(dflt, 0, NULL, NULL).index, -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, msi_table_free(dflt, 0), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, msi_get_virq(dflt, 0), 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* Bus code indexes the default table with at most MSI_MAX_INDEX */
static void default_table_size_limited(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, __msi_create_device_irq_domain(ctx->dev, MSI_DEFAULT_DOMAIN,
							     &test_template,
							     MSI_MAX_INDEX + 2,
							     NULL, NULL), -EINVAL);
	KUNIT_ASSERT_EQ(test, __msi_create_device_irq_domain(ctx->dev, MSI_DEFAULT_DOMAIN,
							     &test_template,
							     MSI_MAX_INDEX + 1,
							     NULL, NULL), 0);
	msi_remove_device_irq_domain(ctx->dev, MSI_DEFAULT_DOMAIN);
}

static void tables_independent(struct kunit *test)
{
	struct msi_table *a = create(test, 4), *b = create(test, 4);
	struct msi_map ma, mb;

	ma = msi_table_alloc(a, 0, NULL, NULL);
	mb = msi_table_alloc(b, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, ma.index, 0);
	KUNIT_ASSERT_EQ(test, mb.index, 0);
	KUNIT_EXPECT_NE(test, ma.virq, mb.virq);
	KUNIT_EXPECT_EQ(test, msi_table_free(a, 0), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(b, 0), (unsigned int)mb.virq);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(a), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(b, 0), (unsigned int)mb.virq);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(b), 0);
}

struct holder {
	struct msi_table	*table;
	struct completion	locked;
	struct completion	release;
	bool			timed_out;
};

/*
 * Holds the table's lock until released, or for five seconds: a lock
 * shared with the other table must fail the case, not hang it.
 */
static int hold_table_lock(void *data)
{
	struct holder *h = data;

	msi_table_lock(h->table);
	complete(&h->locked);
	if (!wait_for_completion_timeout(&h->release, 5 * HZ))
		h->timed_out = true;
	msi_table_unlock(h->table);
	return 0;
}

static void lock_per_table(struct kunit *test)
{
	struct msi_table *a = create(test, 4), *b = create(test, 4);
	struct holder h = { .table = a };
	struct task_struct *t;

	init_completion(&h.locked);
	init_completion(&h.release);
	t = kthread_run(hold_table_lock, &h, "msi-table-holder");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&h.locked);
	/* Table a is locked by another task: b allocates and looks up */
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b, 1, NULL, NULL).index, 1);
	KUNIT_EXPECT_GT(test, msi_get_virq(b, 1), 0U);
	KUNIT_EXPECT_EQ(test, msi_table_free(b, 1), 0);
	complete(&h.release);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_FALSE(test, h.timed_out);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(a, 1, NULL, NULL).index, 1);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(a), 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(b), 0);
}

/* A device of its own, over the test parent, for the removal cases */
static struct device *removable_device(struct kunit *test)
{
	struct device *dev;

	dev = kunit_device_register(test, "msi-table-removal");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev_set_msi_domain(dev, test_ctx(test)->parent.domain);
	return dev;
}

static const struct msi_table_info removal_info = {
	.name	= "removal",
	.hwsize	= 4,
	.ops	= &test_table_ops,
};

/*
 * A device managed table is destroyed with the device, entries released;
 * its driver cannot destroy it before, which would leave the devres a
 * table already freed.
 */
static void devm_table_removed(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table_info info = removal_info;
	struct device *dev = removable_device(test);
	struct msi_table *table;
	int virq;

	info.data = &ctx->store;
	table = devm_msi_create_table(dev, &test_template, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	virq = msi_table_alloc(table, 0, NULL, NULL).virq;
	KUNIT_ASSERT_GT(test, virq, 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 0), (unsigned int)virq);
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(ctx->parent.used, TEST_PARENT_SIZE));
	KUNIT_EXPECT_EQ(test, ctx->store.released, 1U);
}

/*
 * A table the driver forgot goes with the device too; its store, which
 * may be gone with the driver, is not called any more.
 */
static void forgotten_table_removed(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table_info info = removal_info;
	struct device *dev = removable_device(test);
	struct msi_table *table;
	int virq;

	info.data = &ctx->store;
	table = msi_create_table(dev, &test_template, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	virq = msi_table_alloc(table, 0, NULL, NULL).virq;
	KUNIT_ASSERT_GT(test, virq, 0);
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(ctx->parent.used, TEST_PARENT_SIZE));
	KUNIT_EXPECT_EQ(test, ctx->store.released, 0U);
}

/* The number is unpublished before the interrupt is freed: never seen there */
static void lookup_cleared_before_free(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);

	ctx->parent.watch = table;
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 3, NULL, NULL).index, 3);
	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 4, 6), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 3), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 4, 6), 0);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	ctx->parent.watch = NULL;
	KUNIT_EXPECT_EQ(test, ctx->parent.frees_watched, 6U);
	KUNIT_EXPECT_EQ(test, ctx->parent.found_in_free, 0U);
}

struct destroy_looker {
	struct msi_table __rcu	*table;
	struct completion		started;
	unsigned long			lookups;
};

static int look_while_destroyed(void *data)
{
	struct destroy_looker *l = data;
	struct msi_table *table;

	complete(&l->started);
	while (!kthread_should_stop()) {
		rcu_read_lock();
		table = rcu_dereference(l->table);
		if (table)
			msi_get_virq(table, 1);
		rcu_read_unlock();
		l->lookups++;
		cond_resched();
	}
	return 0;
}

/*
 * Lookups under RCU on a table which is being destroyed read no freed
 * memory. Only KASAN sees a lookup which does.
 */
static void lookup_races_destroy(struct kunit *test)
{
	struct destroy_looker l = { };
	struct msi_table *table;
	struct task_struct *t;
	unsigned int i;

	init_completion(&l.started);
	t = kthread_run(look_while_destroyed, &l, "msi-table-destroy");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&l.started);
	for (i = 0; i < 50; i++) {
		struct msi_table_info info = { .name = "race", .hwsize = 4,
					       .ops = &test_table_ops,
					       .data = &test_ctx(test)->store };

		table = msi_create_table(test_ctx(test)->dev, &test_template, &info);
		if (IS_ERR(table)) {
			KUNIT_FAIL(test, "msi_create_table(): %ld", PTR_ERR(table));
			break;
		}
		KUNIT_EXPECT_EQ(test, msi_table_alloc(table, 1, NULL, NULL).index, 1);
		rcu_assign_pointer(l.table, table);
		usleep_range(50, 100);
		/* Unpublished but still looked up by readers which have it */
		RCU_INIT_POINTER(l.table, NULL);
		KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	}
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_GT(test, l.lookups, 0UL);
}

/* The chip of an entry of a new table */
static struct irq_chip *entry_chip(struct kunit *test, struct msi_table *table)
{
	struct irq_chip *chip;
	int virq;

	virq = msi_table_alloc(table, 0, NULL, NULL).virq;
	KUNIT_ASSERT_GT(test, virq, 0);
	chip = irq_get_chip(virq);
	KUNIT_ASSERT_NOT_NULL(test, chip);
	return chip;
}

/* The parent's init_dev_msi_info() shapes the table's chip */
static void parent_shapes_chip(struct kunit *test)
{
	struct msi_table *table = create(test, 4);

	KUNIT_EXPECT_TRUE(test, entry_chip(test, table)->flags & IRQCHIP_AFFINITY_PRE_STARTUP);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* The chip's name is the parent's prefix, the table's and the device's */
static void chip_named(struct kunit *test)
{
	struct msi_table *table = create(test, 4);
	char name[64];

	snprintf(name, sizeof(name), "T-test-ims-%s", dev_name(test_ctx(test)->dev));
	KUNIT_EXPECT_STREQ(test, entry_chip(test, table)->name, name);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void large_table(struct kunit *test)
{
	struct msi_table *table = create(test, 0);
	unsigned int top = MSI_MAX_TABLE_SIZE - 1;

	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 100000, NULL, NULL).index, 100000);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, top, NULL, NULL).index, (int)top);
	KUNIT_EXPECT_GT(test, msi_get_virq(table, 100000), 0U);
	KUNIT_EXPECT_GT(test, msi_get_virq(table, top), 0U);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, top + 1, NULL, NULL).index, -ERANGE);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 100000), 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static void restore_rewrites(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	struct msi_map on;
	struct msi_msg msg;

	on = msi_table_alloc(table, 1, NULL, NULL);
	KUNIT_ASSERT_EQ(test, on.index, 1);
	KUNIT_ASSERT_EQ(test, request_irq(on.virq, test_handler, 0, "msi-table-test",
					  &ctx->store), 0);
	msg = ctx->store.msg[1];
	KUNIT_ASSERT_EQ(test, msg.address_lo, (u32)TEST_ADDR);

	/* The device was reset: its store is zeroed and every entry masked */
	memset(ctx->store.msg, 0, sizeof(ctx->store.msg));
	memset(ctx->store.masked, 1, sizeof(ctx->store.masked));
	KUNIT_EXPECT_EQ(test, msi_table_restore(table), 0);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[1].address_lo, msg.address_lo);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[1].data, msg.data);
	KUNIT_EXPECT_FALSE(test, ctx->store.masked[1]);
	free_irq(on.virq, &ctx->store);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* An entry nobody requested is restored masked, without a message */
static void restore_masks_unrequested(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);

	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 2, NULL, NULL).index, 2);
	/* A store which came back unmasked */
	memset(ctx->store.masked, 0, sizeof(ctx->store.masked));
	KUNIT_EXPECT_EQ(test, msi_table_restore(table), 0);
	KUNIT_EXPECT_TRUE(test, ctx->store.masked[2]);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[2].address_lo, 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/*
 * The ranges of free slots which the store was asked to mask, each
 * before any entry was masked since @mask_calls
 */
static void expect_free(struct kunit *test, const unsigned int (*ranges)[2],
			unsigned int n, unsigned int mask_calls)
{
	struct test_store *s = &test_ctx(test)->store;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, s->nr_free, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, s->free[i].first, ranges[i][0], "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, s->free[i].last, ranges[i][1], "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, s->free[i].mask_calls, mask_calls, "range %u", i);
	}
}

/*
 * A store of a fixed size has its slots without an entry masked when the
 * table is created and first thing in a restore: the gaps between the
 * entries and the slots after the last, no entry's.
 */
static void restore_masks_free(struct kunit *test)
{
	static const unsigned int all[][2] = { { 0, 7 } };
	static const unsigned int gaps[][2] = { { 1, 2 }, { 5, 7 } };
	struct test_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name	= "test-ims",
		.hwsize	= 8,
		.ops	= &test_fixed_ops,
		.data	= &ctx->store,
	};
	struct msi_table *table;
	unsigned int i, mask_calls;
	struct msi_map live;

	table = msi_create_table(ctx->dev, &test_template, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, table);
	expect_free(test, all, ARRAY_SIZE(all), 0);

	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 0, NULL, NULL).index, 0);
	live = msi_table_alloc(table, 3, NULL, NULL);
	KUNIT_ASSERT_EQ(test, live.index, 3);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 4, NULL, NULL).index, 4);
	KUNIT_ASSERT_EQ(test, request_irq(live.virq, test_handler, 0, "msi-table-test",
					  &ctx->store), 0);

	/* A reset which unmasked every slot */
	memset(ctx->store.masked, 0, sizeof(ctx->store.masked));
	ctx->store.nr_free = 0;
	mask_calls = ctx->store.mask_calls;
	KUNIT_EXPECT_EQ(test, msi_table_restore(table), 0);
	expect_free(test, gaps, ARRAY_SIZE(gaps), mask_calls);
	KUNIT_EXPECT_GT(test, ctx->store.mask_calls, mask_calls);
	for (i = 0; i < ARRAY_SIZE(ctx->store.masked); i++)
		KUNIT_EXPECT_EQ_MSG(test, ctx->store.masked[i], i != 3, "slot %u", i);

	free_irq(live.virq, &ctx->store);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/*
 * The cookie of a requested entry changes: masked where the old cookie
 * points, written with the new one and unmasked again, still firing
 */
static void set_cookie_live(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	union msi_instance_cookie c1 = { .value = 1 }, c2 = { .value = 2 };
	unsigned int mask_calls;
	struct msi_map map;

	map = msi_table_alloc(table, 4, &c1, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 4);
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, test_handler, 0, "msi-table-test",
					  &ctx->store), 0);
	ctx->store.msg[4].address_lo = 0;
	mask_calls = ctx->store.mask_calls;
	KUNIT_EXPECT_EQ(test, msi_table_set_cookie(table, 4, &c2), 0);
	KUNIT_EXPECT_EQ(test, entry_cookie(test, map.virq), 2ULL);
	/* Masked first where the old cookie points, then at the new one */
	KUNIT_ASSERT_GE(test, ctx->store.mask_calls, mask_calls + 2);
	KUNIT_EXPECT_EQ(test, ctx->store.cookie_at_mask[mask_calls % 4], 1ULL);
	KUNIT_EXPECT_EQ(test, ctx->store.cookie_at_mask[(mask_calls + 1) % 4], 2ULL);
	/* Written again with the new cookie, unmasked again, still firing */
	KUNIT_EXPECT_EQ(test, ctx->store.msg[4].address_lo, (u32)TEST_ADDR);
	KUNIT_EXPECT_EQ(test, ctx->store.cookie_at_write[4], 2ULL);
	KUNIT_EXPECT_FALSE(test, ctx->store.masked[4]);
	KUNIT_EXPECT_EQ(test, generic_handle_irq_safe(map.virq), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->store.fired), 1);
	free_irq(map.virq, &ctx->store);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* A cookie the store refuses changes nothing: no mask, no write */
static void set_cookie_refused(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	union msi_instance_cookie c1 = { .value = 1 }, bad = { .value = TEST_BAD_COOKIE };
	unsigned int mask_calls;
	struct msi_map map;

	map = msi_table_alloc(table, 4, &c1, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 4);
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, test_handler, 0, "msi-table-test",
					  &ctx->store), 0);
	ctx->store.msg[4].address_lo = 0;
	mask_calls = ctx->store.mask_calls;
	/* The store's own error, not one of the core's */
	KUNIT_EXPECT_EQ(test, msi_table_set_cookie(table, 4, &bad), -ERANGE);
	KUNIT_EXPECT_EQ(test, entry_cookie(test, map.virq), 1ULL);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[4].address_lo, 0U);
	KUNIT_EXPECT_EQ(test, ctx->store.mask_calls, mask_calls);
	KUNIT_EXPECT_FALSE(test, ctx->store.masked[4]);
	free_irq(map.virq, &ctx->store);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/* The cookie of an entry nobody requested changes; it stays masked */
static void set_cookie_unrequested(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 8);
	union msi_instance_cookie c1 = { .value = 1 }, c2 = { .value = 2 };
	struct msi_map map;

	map = msi_table_alloc(table, 2, &c1, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 2);
	KUNIT_EXPECT_EQ(test, msi_table_set_cookie(table, 2, &c2), 0);
	KUNIT_EXPECT_EQ(test, entry_cookie(test, map.virq), 2ULL);
	KUNIT_EXPECT_TRUE(test, ctx->store.masked[2]);
	KUNIT_EXPECT_EQ(test, ctx->store.msg[2].address_lo, 0U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

struct steady_looker {
	struct msi_table	*table;
	unsigned int		virq;
	struct completion	started;
	unsigned long		lookups;
	unsigned long		wrong;
};

static int look_steadily(void *data)
{
	struct steady_looker *l = data;

	complete(&l->started);
	while (!kthread_should_stop()) {
		if (msi_get_virq(l->table, 1) != l->virq)
			l->wrong++;
		l->lookups++;
		cond_resched();
	}
	return 0;
}

/* Lookups in one table find their entry while another table churns */
static void lookup_while_other_allocates(struct kunit *test)
{
	struct msi_table *a = create(test, 4), *b = create(test, 4);
	struct steady_looker l = { .table = a };
	struct task_struct *t;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, msi_table_alloc(a, 1, NULL, NULL).index, 1);
	l.virq = msi_get_virq(a, 1);
	init_completion(&l.started);
	t = kthread_run(look_steadily, &l, "msi-table-steady");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&l.started);
	for (i = 0; i < 200; i++) {
		KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b, 0, 3), 0);
		KUNIT_EXPECT_EQ(test, msi_table_free_range(b, 0, 3), 0);
	}
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_GT(test, l.lookups, 0UL);
	KUNIT_EXPECT_EQ(test, l.wrong, 0UL);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(a), 0);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(b), 0);
}

static const struct msi_table_info walk_info = {
	.name	= "walk",
	.hwsize	= 8,
	.ops	= &test_table_ops,
};

static int walk_create(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct msi_table_info info = walk_info;
	struct msi_table *table;

	info.data = &ctx->store;
	table = msi_create_table(ctx->dev, &test_template, &info);
	if (IS_ERR(table))
		return PTR_ERR(table);
	ctx->walk_table = table;
	return 0;
}

static void walk_undo_create(struct kunit *test, int ret)
{
	struct test_ctx *ctx = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_destroy_table(ctx->walk_table), 0);
}

static void walk_save_tables(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;

	ctx->saved_tables = msi_device_count_tables(ctx->dev);
}

static void walk_check_tables(struct kunit *test, const char *name, unsigned int site)
{
	struct test_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, msi_device_count_tables(ctx->dev), ctx->saved_tables,
			    "%s, site %u", name, site);
}

static int walk_alloc(struct kunit *test, unsigned int index)
{
	struct test_ctx *ctx = test->priv;
	struct msi_map map = msi_table_alloc(ctx->walk_table, index, NULL, NULL);

	ctx->walk_index = map.index;
	return map.index < 0 ? map.index : 0;
}

static int walk_alloc_at(struct kunit *test)
{
	return walk_alloc(test, 2);
}

static int walk_alloc_any(struct kunit *test)
{
	return walk_alloc(test, MSI_ANY_INDEX);
}

static void walk_undo_alloc(struct kunit *test, int ret)
{
	struct test_ctx *ctx = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_table_free(ctx->walk_table, ctx->walk_index), 0);
}

static int walk_alloc_range(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;

	return msi_table_alloc_range(ctx->walk_table, 0, 5);
}

static void walk_undo_range(struct kunit *test, int ret)
{
	struct test_ctx *ctx = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_table_free_range(ctx->walk_table, 0, 5), 0);
}

/* Nothing allocated is left, every prepared entry was released */
static void walk_check_entries(struct kunit *test, const char *name, unsigned int site)
{
	struct test_ctx *ctx = test->priv;
	struct msi_desc *desc;
	unsigned int descs = 0;

	/* Descriptors, not lookups: a hidden leftover has no number */
	msi_table_lock(ctx->walk_table);
	msi_table_for_each_desc(desc, ctx->walk_table, MSI_DESC_ALL)
		descs++;
	msi_table_unlock(ctx->walk_table);
	KUNIT_EXPECT_EQ_MSG(test, descs, 0U, "%s, site %u: descriptors left",
			    name, site);
	KUNIT_EXPECT_EQ_MSG(test, ctx->store.prepared, ctx->store.released,
			    "%s, site %u", name, site);
	KUNIT_EXPECT_TRUE_MSG(test, bitmap_empty(ctx->parent.used, TEST_PARENT_SIZE),
			      "%s, site %u: parent interrupts left", name, site);
	walk_check_tables(test, name, site);
}

static int walk_request(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;

	return request_irq(ctx->walk_virq, test_handler, 0, "msi-table-walk", &ctx->store);
}

static void walk_undo_request(struct kunit *test, int ret)
{
	struct test_ctx *ctx = test->priv;

	if (!ret)
		free_irq(ctx->walk_virq, &ctx->store);
}

static void walk_check_request(struct kunit *test, const char *name, unsigned int site)
{
	struct test_ctx *ctx = test->priv;

	KUNIT_EXPECT_FALSE_MSG(test, irq_has_action(ctx->walk_virq), "%s, site %u", name, site);
	KUNIT_EXPECT_EQ_MSG(test, msi_get_virq(ctx->walk_table, 1), (unsigned int)ctx->walk_virq,
			    "%s, site %u", name, site);
}

/*
 * The files in the device's msi_irqs: every interrupt number is tried,
 * as a file left behind names a number which is free again.
 */
static unsigned int test_msi_irqs_files(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	struct kernfs_node *dir, *kn;
	unsigned int files = 0;
	char name[16];
	int irq;

	dir = kernfs_find_and_get(ctx->dev->kobj.sd, "msi_irqs");
	KUNIT_ASSERT_NOT_NULL(test, dir);
	for (irq = 0; irq < nr_irqs; irq++) {
		snprintf(name, sizeof(name), "%d", irq);
		kn = kernfs_find_and_get(dir, name);
		if (kn) {
			files++;
			kernfs_put(kn);
		}
	}
	kernfs_put(dir);
	return files;
}

/* ... and no file of an interrupt is left in msi_irqs */
static void walk_check_files(struct kunit *test, const char *name, unsigned int site)
{
	walk_check_entries(test, name, site);
	KUNIT_EXPECT_EQ_MSG(test, test_msi_irqs_files(test), 0U,
			    "%s, site %u: msi_irqs files left", name, site);
}

static const struct kunit_fault_walk fault_walks[] = {
	{ .name = "msi_create_table", .run = walk_create, .undo = walk_undo_create,
	  .save = walk_save_tables, .check = walk_check_tables },
	{ .name = "msi_table_alloc at an index", .run = walk_alloc_at, .undo = walk_undo_alloc,
	  .save = walk_save_tables, .check = walk_check_entries },
	{ .name = "msi_table_alloc at any index", .run = walk_alloc_any, .undo = walk_undo_alloc,
	  .save = walk_save_tables, .check = walk_check_entries },
	{ .name = "msi_table_alloc_range", .run = walk_alloc_range, .undo = walk_undo_range,
	  .save = walk_save_tables, .check = walk_check_entries },
	{ .name = "msi_table_alloc_range with msi_irqs files", .run = walk_alloc_range,
	  .undo = walk_undo_range, .save = walk_save_tables, .check = walk_check_files },
	{ .name = "request_irq of an entry", .run = walk_request, .undo = walk_undo_request,
	  .save = walk_save_tables, .check = walk_check_request },
};

static void fault_walk_desc(const struct kunit_fault_walk *walk, char *desc)
{
	strscpy(desc, walk->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fault_walk, fault_walks, fault_walk_desc);

/* Each allocation of each call fails in turn: the call unwinds */
static void fault_walk(struct kunit *test)
{
	const struct kunit_fault_walk *walk = test->param_value;
	struct test_ctx *ctx = test->priv;

	/* The device's MSI data, which the first table sets up, exists */
	KUNIT_ASSERT_EQ(test, msi_destroy_table(create(test, 1)), 0);
	/* The calls on entries work on a table of their own */
	if (walk->check == walk_check_files) {
		if (!IS_ENABLED(CONFIG_SYSFS))
			kunit_skip(test, "needs CONFIG_SYSFS");
		ctx->walk_table = create_from(test, &test_template_sysfs, walk_info.hwsize);
		/* The walk's call adds files, which its undo removes */
		KUNIT_ASSERT_EQ(test, walk_alloc_range(test), 0);
		KUNIT_EXPECT_EQ(test, test_msi_irqs_files(test), 6U);
		walk_undo_range(test, 0);
		KUNIT_ASSERT_EQ(test, test_msi_irqs_files(test), 0U);
	} else if (walk->run != walk_create) {
		ctx->walk_table = create(test, walk_info.hwsize);
		if (walk->run == walk_request) {
			ctx->walk_virq = msi_table_alloc(ctx->walk_table, 1, NULL, NULL).virq;
			KUNIT_ASSERT_GT(test, ctx->walk_virq, 0);
		}
	}
	kunit_fault_walk(test, walk);
}

/*
 * The bad input matrix: a table of four entries, 0 allocated, 1
 * allocated and requested; each call must fail with its error and leave
 * the table as it was.
 */
struct bad_call {
	const char	*name;
	int		err;
	int		(*call)(struct kunit *test, struct msi_table *table);
};

static int map_err(struct msi_map map)
{
	return map.index < 0 ? map.index : 0;
}

static int bad_alloc_beyond(struct kunit *test, struct msi_table *t)
{
	return map_err(msi_table_alloc(t, 4, NULL, NULL));
}

static int bad_alloc_used(struct kunit *test, struct msi_table *t)
{
	return map_err(msi_table_alloc(t, 0, NULL, NULL));
}

static int bad_alloc_any_full(struct kunit *test, struct msi_table *t)
{
	int ret = msi_table_alloc_range(t, 2, 3);

	/* Full for this call only: undone before the state is checked */
	if (ret)
		return ret;
	ret = map_err(msi_table_alloc(t, MSI_ANY_INDEX, NULL, NULL));
	KUNIT_EXPECT_EQ(test, msi_table_free_range(t, 2, 3), 0);
	return ret;
}

static int bad_alloc_default(struct kunit *test, struct msi_table *t)
{
	return map_err(msi_table_alloc(dev_msi_table(test_ctx(test)->dev), 0, NULL, NULL));
}

static int bad_range_reversed(struct kunit *test, struct msi_table *t)
{
	return msi_table_alloc_range(t, 3, 2);
}

static int bad_range_beyond(struct kunit *test, struct msi_table *t)
{
	return msi_table_alloc_range(t, 2, 4);
}

static int bad_range_overlap(struct kunit *test, struct msi_table *t)
{
	return msi_table_alloc_range(t, 1, 2);
}

static int bad_free_unallocated(struct kunit *test, struct msi_table *t)
{
	return msi_table_free(t, 2);
}

static int bad_free_beyond(struct kunit *test, struct msi_table *t)
{
	return msi_table_free(t, 100);
}

static int bad_free_requested(struct kunit *test, struct msi_table *t)
{
	return msi_table_free(t, 1);
}

static int bad_free_range_requested(struct kunit *test, struct msi_table *t)
{
	return msi_table_free_range(t, 0, 3);
}

static int bad_free_range_reversed(struct kunit *test, struct msi_table *t)
{
	return msi_table_free_range(t, 1, 0);
}

static int bad_free_range_empty(struct kunit *test, struct msi_table *t)
{
	return msi_table_free_range(t, 2, 3);
}

static int bad_free_default(struct kunit *test, struct msi_table *t)
{
	return msi_table_free(dev_msi_table(test_ctx(test)->dev), 0);
}

static int bad_destroy_requested(struct kunit *test, struct msi_table *t)
{
	return msi_destroy_table(t);
}

static int bad_cookie_unallocated(struct kunit *test, struct msi_table *t)
{
	union msi_instance_cookie c = { .value = 7 };

	return msi_table_set_cookie(t, 3, &c);
}

static int bad_cookie_null(struct kunit *test, struct msi_table *t)
{
	return msi_table_set_cookie(t, 0, NULL);
}

static int bad_restore_default(struct kunit *test, struct msi_table *t)
{
	return msi_table_restore(dev_msi_table(test_ctx(test)->dev));
}

static const struct bad_call bad_calls[] = {
	{ "alloc beyond the size", -ERANGE, bad_alloc_beyond },
	{ "alloc an allocated index", -EBUSY, bad_alloc_used },
	{ "alloc any index of a full table", -ENOSPC, bad_alloc_any_full },
	{ "alloc on the default table", -EOPNOTSUPP, bad_alloc_default },
	{ "alloc a reversed range", -EINVAL, bad_range_reversed },
	{ "alloc a range beyond the size", -ERANGE, bad_range_beyond },
	{ "alloc a range with an allocated entry", -EBUSY, bad_range_overlap },
	{ "free an unallocated entry", -ENOENT, bad_free_unallocated },
	{ "free beyond the size", -ENOENT, bad_free_beyond },
	{ "free a requested entry", -EBUSY, bad_free_requested },
	{ "free a range with a requested entry", -EBUSY, bad_free_range_requested },
	{ "free a reversed range", -EINVAL, bad_free_range_reversed },
	{ "free an empty range", -ENOENT, bad_free_range_empty },
	{ "free on the default table", -EOPNOTSUPP, bad_free_default },
	{ "destroy with a requested entry", -EBUSY, bad_destroy_requested },
	{ "set the cookie of an unallocated entry", -ENOENT, bad_cookie_unallocated },
	{ "set a NULL cookie", -EINVAL, bad_cookie_null },
	{ "restore the default table", -EOPNOTSUPP, bad_restore_default },
};

static void bad_call_desc(const struct bad_call *call, char *desc)
{
	strscpy(desc, call->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_call, bad_calls, bad_call_desc);

static void bad_input(struct kunit *test)
{
	const struct bad_call *call = test->param_value;
	struct test_ctx *ctx = test->priv;
	struct msi_table *table = create(test, 4);
	unsigned int prepared, released, i;
	unsigned int virq[4];
	u64 cookie;
	int ret;

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, request_irq(msi_get_virq(table, 1), test_handler, 0,
					  "msi-table-test", &ctx->store), 0);
	for (i = 0; i < 4; i++)
		virq[i] = msi_get_virq(table, i);
	cookie = entry_cookie(test, virq[0]);
	prepared = ctx->store.prepared;
	released = ctx->store.released;

	ret = call->call(test, table);
	KUNIT_EXPECT_EQ(test, ret, call->err);
	/* What the call did instead is unknown: the table may be gone */
	if (!ret)
		return;

	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ_MSG(test, msi_get_virq(table, i), virq[i], "entry %u", i);
	KUNIT_EXPECT_EQ(test, entry_cookie(test, virq[0]), cookie);
	KUNIT_EXPECT_TRUE(test, irq_has_action(virq[1]));
	KUNIT_EXPECT_EQ(test, ctx->store.prepared - ctx->store.released, prepared - released);

	free_irq(virq[1], &ctx->store);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

static struct kunit_case msi_table_test_cases[] = {
	KUNIT_CASE(create_destroy),
	KUNIT_CASE(create_bad_info),
	KUNIT_CASE(create_refused),
	KUNIT_CASE(many_tables),
	KUNIT_CASE(alloc_at_index),
	KUNIT_CASE(alloc_masks_first),
	KUNIT_CASE(alloc_passes_cookie),
	KUNIT_CASE(alloc_affinity),
	KUNIT_CASE(alloc_any_index),
	KUNIT_CASE(alloc_reuses_freed),
	KUNIT_CASE(alloc_bad_index),
	KUNIT_CASE(alloc_prepare_fails),
	KUNIT_CASE(free_releases),
	KUNIT_CASE(alloc_range),
	KUNIT_CASE(range_unwinds),
	KUNIT_CASE(range_across_64k),
	KUNIT_CASE(iterate_in_order),
	KUNIT_CASE(destroy_frees_entries),
	KUNIT_CASE(request_writes),
	KUNIT_CASE(request_fire),
	KUNIT_CASE(free_irq_deactivates),
	KUNIT_CASE(activate_early),
	KUNIT_CASE(default_table_refused),
	KUNIT_CASE(default_table_size_limited),
	KUNIT_CASE(tables_independent),
	KUNIT_CASE(lock_per_table),
	KUNIT_CASE(devm_table_removed),
	KUNIT_CASE(forgotten_table_removed),
	KUNIT_CASE(lookup_beyond_size),
	KUNIT_CASE(lookup_hidden_in_setup),
	KUNIT_CASE(lookup_cleared_before_free),
	KUNIT_CASE(lookup_while_other_allocates),
	KUNIT_CASE(lookup_races_destroy),
	KUNIT_CASE(parent_shapes_chip),
	KUNIT_CASE(chip_named),
	KUNIT_CASE(large_table),
	KUNIT_CASE(restore_rewrites),
	KUNIT_CASE(restore_masks_unrequested),
	KUNIT_CASE(restore_masks_free),
	KUNIT_CASE(set_cookie_live),
	KUNIT_CASE(set_cookie_unrequested),
	KUNIT_CASE(set_cookie_refused),
	KUNIT_CASE_PARAM(bad_input, bad_call_gen_params),
	KUNIT_CASE_PARAM(fault_walk, fault_walk_gen_params),
	{}
};

static struct kunit_suite msi_table_test_suite = {
	.name		= "msi_table",
	.init		= test_init,
	.test_cases	= msi_table_test_cases,
};

kunit_test_suite(msi_table_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests of MSI tables");
MODULE_LICENSE("GPL");
