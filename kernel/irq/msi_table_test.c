// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for MSI tables.
 *
 * A software parent irq domain stands in for the vector or interrupt
 * remapping domain and a test store records what the table wrote into
 * it, so every path runs without hardware. The parent composes the
 * message from the hardware interrupt number and the target CPU, and can
 * be told to fail its Nth allocation or activation to walk the unwind
 * paths. The kernel's slab fault injection fails every allocation of a
 * call in turn.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernel_stat.h>
#include <linux/kthread.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/sched.h>
#include <linux/string.h>

#define MTT_HWSIZE	8
#define MTT_MSG_ADDR	0xfee00000
#define MTT_LOOPS	200

struct mtt_parent {
	struct irq_domain	*domain;
	struct fwnode_handle	*fwnode;
	atomic_t		live;
	atomic_t		active;
	atomic_t		allocs;
	atomic_t		activations;
	atomic_t		next_hwirq;
	int			fail_alloc;
	int			fail_activate;
	/* The descriptor and hwirq of the last allocation */
	struct msi_desc		*last_desc;
	irq_hw_number_t		last_hwirq;
};

struct mtt_slot {
	struct msi_msg		msg;
	unsigned int		writes;
	bool			masked;
	u64			cookie;
};

struct mtt_store {
	struct mtt_slot		slot[MTT_HWSIZE];
	atomic_t		prepared;
	atomic_t		prepares;
	int			fail_prepare;
};

/* What a failed call must leave as it was */
struct mtt_snap {
	unsigned int	tables;
	unsigned int	descs;
	unsigned long	entries;
	int		prepared;
	int		live;
	int		active;
	unsigned int	irqs;
};

struct mtt_ctx {
	struct device		*dev;
	struct mtt_parent	parent;
	struct mtt_store		store[2];
	unsigned int		irqs_before;
	atomic_t		handled;
	/* The state before the call under fault injection, what it created */
	struct mtt_snap		fault_before;
	struct msi_table	*fault_table;
	struct msi_map		fault_map;
	void			*fault_group;
};

/* Software parent domain */

static void mtt_parent_noop(struct irq_data *d)
{
}

static int mtt_parent_set_affinity(struct irq_data *d,
				   const struct cpumask *mask, bool force)
{
	unsigned int cpu = cpumask_first_and(mask, cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

static void mtt_parent_compose(struct irq_data *d, struct msi_msg *msg)
{
	unsigned int cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));

	msg->address_hi = 0;
	msg->address_lo = MTT_MSG_ADDR | (cpu << 12);
	msg->data = d->hwirq;
}

static struct irq_chip mtt_parent_chip = {
	.name			= "msi-table-test",
	.irq_ack		= mtt_parent_noop,
	.irq_mask		= mtt_parent_noop,
	.irq_unmask		= mtt_parent_noop,
	.irq_set_affinity	= mtt_parent_set_affinity,
	.irq_compose_msi_msg	= mtt_parent_compose,
};

static int mtt_parent_alloc(struct irq_domain *domain, unsigned int virq,
			    unsigned int nr_irqs, void *arg)
{
	struct mtt_parent *p = domain->host_data;
	msi_alloc_info_t *info = arg;
	unsigned int i;

	if (atomic_inc_return(&p->allocs) == READ_ONCE(p->fail_alloc))
		return -ENOSPC;

	p->last_desc = info->desc;
	p->last_hwirq = info->hwirq;

	for (i = 0; i < nr_irqs; i++)
		irq_domain_set_hwirq_and_chip(domain, virq + i,
					      atomic_inc_return(&p->next_hwirq),
					      &mtt_parent_chip, p);
	atomic_add(nr_irqs, &p->live);
	return 0;
}

static void mtt_parent_free(struct irq_domain *domain, unsigned int virq,
			    unsigned int nr_irqs)
{
	struct mtt_parent *p = domain->host_data;

	atomic_sub(nr_irqs, &p->live);
	irq_domain_free_irqs_common(domain, virq, nr_irqs);
}

static int mtt_parent_activate(struct irq_domain *domain, struct irq_data *d,
			       bool reserve)
{
	struct mtt_parent *p = domain->host_data;
	unsigned int cpu;

	if (atomic_inc_return(&p->activations) == READ_ONCE(p->fail_activate))
		return -ENOSPC;

	cpu = cpumask_first_and(irq_data_get_affinity_mask(d), cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	atomic_inc(&p->active);
	return 0;
}

static void mtt_parent_deactivate(struct irq_domain *domain, struct irq_data *d)
{
	struct mtt_parent *p = domain->host_data;

	atomic_dec(&p->active);
}

static const struct irq_domain_ops mtt_parent_ops = {
	.alloc		= mtt_parent_alloc,
	.free		= mtt_parent_free,
	.activate	= mtt_parent_activate,
	.deactivate	= mtt_parent_deactivate,
};

/* Test message store */

static struct mtt_slot *mtt_slot(struct msi_table *table, struct msi_desc *desc)
{
	struct mtt_store *store = table->data;

	return desc->msi_index < MTT_HWSIZE ? &store->slot[desc->msi_index] : NULL;
}

static void mtt_write_msg(struct msi_table *table, struct msi_desc *desc,
			  const struct msi_msg *msg)
{
	struct mtt_slot *slot = mtt_slot(table, desc);

	if (slot) {
		slot->msg = *msg;
		slot->writes++;
	}
}

static void mtt_mask(struct msi_table *table, struct msi_desc *desc)
{
	struct mtt_slot *slot = mtt_slot(table, desc);

	if (slot)
		slot->masked = true;
}

static void mtt_unmask(struct msi_table *table, struct msi_desc *desc)
{
	struct mtt_slot *slot = mtt_slot(table, desc);

	if (slot)
		slot->masked = false;
}

static int mtt_prepare(struct msi_table *table, struct msi_desc *desc)
{
	struct mtt_store *store = table->data;
	struct mtt_slot *slot = mtt_slot(table, desc);

	if (atomic_inc_return(&store->prepares) == READ_ONCE(store->fail_prepare))
		return -EIO;
	if (slot)
		slot->cookie = desc->cookie.value;
	atomic_inc(&store->prepared);
	return 0;
}

static void mtt_release(struct msi_table *table, struct msi_desc *desc)
{
	struct mtt_store *store = table->data;

	atomic_dec(&store->prepared);
}

static const struct msi_table_ops mtt_ops = {
	.write_msg	= mtt_write_msg,
	.mask		= mtt_mask,
	.unmask		= mtt_unmask,
	.prepare_desc	= mtt_prepare,
	.release_desc	= mtt_release,
};

/* Helpers */

static unsigned int mtt_count_irqs(void)
{
	unsigned int irq, n = 0;

	rcu_read_lock();
	for (irq = 0; irq < nr_irqs; irq++)
		n += !!irq_to_desc(irq);
	rcu_read_unlock();
	return n;
}

static unsigned int mtt_count_descs(struct msi_table *table,
				    enum msi_desc_filter filter)
{
	struct msi_desc *desc;
	unsigned int n = 0;

	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, filter)
		n++;
	msi_table_unlock(table);
	return n;
}

static struct msi_table *mtt_create(struct kunit *test, int nr,
				    unsigned int hwsize, unsigned long flags)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name	= nr ? "mt-table1" : "mt-table0",
		.hwsize	= hwsize,
		.flags	= flags,
		.ops	= &mtt_ops,
		.data	= &ctx->store[nr],
	};
	struct msi_table *table;

	table = msi_create_table(ctx->dev, ctx->parent.domain, &info);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(table), "create: %ld", PTR_ERR(table));
	return table;
}

/*
 * Check that the table holds @descs descriptors, each with an
 * interrupt and prepared by the store, and that the parent and the
 * irq descriptors account for exactly @irqs interrupts of the test.
 */
static void mtt_expect_state(struct kunit *test, struct msi_table *table,
			     unsigned int descs, unsigned int irqs)
{
	struct mtt_ctx *ctx = test->priv;
	struct mtt_store *store = table->data;

	KUNIT_EXPECT_EQ(test, mtt_count_descs(table, MSI_DESC_ALL), descs);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(table, MSI_DESC_ASSOCIATED), descs);
	KUNIT_EXPECT_EQ(test, atomic_read(&store->prepared), descs);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), irqs);
	KUNIT_EXPECT_EQ(test, mtt_count_irqs(), ctx->irqs_before + irqs);
}

static irqreturn_t mtt_handler(int irq, void *data)
{
	struct mtt_ctx *ctx = data;

	atomic_inc(&ctx->handled);
	return IRQ_HANDLED;
}

static void mtt_fire(unsigned int virq)
{
	unsigned long flags;

	local_irq_save(flags);
	generic_handle_irq(virq);
	local_irq_restore(flags);
}

static int mtt_init(struct kunit *test)
{
	struct mtt_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	test->priv = ctx;

	ctx->parent.fwnode = irq_domain_alloc_named_fwnode("msi-table-test");
	KUNIT_ASSERT_NOT_NULL(test, ctx->parent.fwnode);
	ctx->parent.domain = irq_domain_create_hierarchy(NULL, 0, 0, ctx->parent.fwnode,
							 &mtt_parent_ops, &ctx->parent);
	KUNIT_ASSERT_NOT_NULL(test, ctx->parent.domain);

	ctx->dev = root_device_register("msi-table-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx->dev));
	ctx->irqs_before = mtt_count_irqs();
	return 0;
}

static void mtt_exit(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;

	if (ctx->dev)
		root_device_unregister(ctx->dev);
	/* Whatever a test left behind is gone with the device */
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.active), 0);
	KUNIT_EXPECT_EQ(test, mtt_count_irqs(), ctx->irqs_before);
	irq_domain_remove(ctx->parent.domain);
	irq_domain_free_fwnode(ctx->parent.fwnode);
}

/* Test cases */

static void mtt_test_create_destroy(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);

	KUNIT_EXPECT_PTR_EQ(test, table->dev, ctx->dev);
	KUNIT_EXPECT_STREQ(test, table->name, "mt-table0");
	KUNIT_EXPECT_EQ(test, table->hwsize, MTT_HWSIZE);
	KUNIT_EXPECT_EQ(test, table->max_index, MTT_HWSIZE - 1);
	KUNIT_EXPECT_PTR_EQ(test, table->data, (void *)&ctx->store[0]);
	KUNIT_ASSERT_NOT_NULL(test, table->domain);
	KUNIT_EXPECT_PTR_EQ(test, table->domain->parent, ctx->parent.domain);
	/* Named after device and table, so that debugfs names are unique */
	KUNIT_EXPECT_NOT_NULL(test, strstr(table->domain->name, "msi-table-test-mt-table0-"));
	KUNIT_EXPECT_TRUE(test, xa_load(&ctx->dev->msi.data->tables, table->id) == table);

	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_TRUE(test, xa_empty(&ctx->dev->msi.data->tables));
	KUNIT_EXPECT_EQ(test, mtt_count_irqs(), ctx->irqs_before);
}

static void mtt_test_create_invalid(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_ops no_mask = { .write_msg = mtt_write_msg, .unmask = mtt_unmask };
	struct msi_table_info info = { .name = "bad", .ops = &mtt_ops };
	struct irq_domain *parent = ctx->parent.domain;

	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(NULL, parent, &info)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, NULL, &info)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, parent, NULL)), -EINVAL);

	info.ops = &no_mask;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, parent, &info)), -EINVAL);
	info.ops = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, parent, &info)), -EINVAL);
	info.ops = &mtt_ops;
	info.name = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, parent, &info)), -EINVAL);
	info.name = "bad";
	info.flags = MSI_TABLE_DEFAULT;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, parent, &info)), -EINVAL);
	info.flags = 0;
	info.hwsize = MSI_TABLE_MAX_INDEX + 2;
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, parent, &info)), -EINVAL);

	/* Nothing was created */
	KUNIT_EXPECT_TRUE(test, !ctx->dev->msi.data || xa_empty(&ctx->dev->msi.data->tables));
	KUNIT_EXPECT_EQ(test, mtt_count_irqs(), ctx->irqs_before);
}

static void mtt_test_default_table(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *def, *table;

	KUNIT_EXPECT_NULL(test, dev_msi_table(ctx->dev));
	KUNIT_EXPECT_NULL(test, dev_msi_table(NULL));
	table = mtt_create(test, 0, MTT_HWSIZE, 0);
	def = dev_msi_table(ctx->dev);
	KUNIT_ASSERT_NOT_NULL(test, def);
	KUNIT_EXPECT_PTR_NE(test, def, table);
	KUNIT_EXPECT_NULL(test, def->domain);
	KUNIT_EXPECT_EQ(test, def->max_index, MSI_MAX_INDEX);

	/* The default table belongs to the bus, not to the table API */
	KUNIT_EXPECT_EQ(test, msi_destroy_table(def), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(def, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(def, 0, NULL, NULL).index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free(def, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(NULL, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(NULL, 0, NULL, NULL).virq, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(NULL, 0, 0), -EINVAL);
}

/*
 * The 6.1 device based interfaces operate on the default table: an MSI
 * domain allocating simple descriptors for the device fills it, and the
 * interrupts are found through the default table.
 */
static void mtt_default_write_msg(struct irq_data *d, struct msi_msg *msg)
{
}

static void mtt_default_set_desc(msi_alloc_info_t *arg, struct msi_desc *desc)
{
	arg->desc = desc;
	arg->hwirq = desc->msi_index;
}

/* An MSI domain for the test device's default table, as a bus has one */
struct mtt_default_domain {
	struct irq_chip		chip;
	struct msi_domain_ops	ops;
	struct msi_domain_info	info;
};

static struct irq_domain *mtt_create_default_domain(struct kunit *test,
						    unsigned long flags)
{
	struct mtt_ctx *ctx = test->priv;
	struct mtt_default_domain *dd;

	dd = kunit_kzalloc(test, sizeof(*dd), GFP_KERNEL);
	if (!dd)
		return NULL;
	dd->chip.name = "mt-default";
	dd->chip.irq_mask = mtt_parent_noop;
	dd->chip.irq_unmask = mtt_parent_noop;
	dd->chip.irq_write_msi_msg = mtt_default_write_msg;
	dd->ops.set_desc = mtt_default_set_desc;
	dd->info.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS |
			 MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS |
			 flags;
	dd->info.ops = &dd->ops;
	dd->info.chip = &dd->chip;
	return msi_create_irq_domain(NULL, &dd->info, ctx->parent.domain);
}

static void mtt_test_default_table_domain(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct irq_domain *domain;
	struct msi_table *def;
	unsigned int i, virq[4];

	domain = mtt_create_default_domain(test, 0);
	KUNIT_ASSERT_NOT_NULL(test, domain);
	KUNIT_ASSERT_EQ(test, msi_setup_device_data(ctx->dev), 0);
	KUNIT_ASSERT_EQ(test, msi_domain_alloc_irqs(domain, ctx->dev, 4), 0);

	def = dev_msi_table(ctx->dev);
	for (i = 0; i < 4; i++) {
		virq[i] = msi_get_virq(def, i);
		KUNIT_EXPECT_GT(test, virq[i], 0U);
		KUNIT_EXPECT_EQ(test, irq_get_msi_desc(virq[i])->msi_index, i);
	}
	KUNIT_EXPECT_EQ(test, msi_get_virq(def, 4), 0U);
	msi_lock_descs(ctx->dev);
	i = 0;
	{
		struct msi_desc *desc;

		msi_for_each_desc(desc, ctx->dev, MSI_DESC_ASSOCIATED)
			KUNIT_EXPECT_EQ(test, desc->irq, virq[i++]);
	}
	msi_unlock_descs(ctx->dev);
	KUNIT_EXPECT_EQ(test, i, 4U);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 4);

	msi_domain_free_irqs(domain, ctx->dev);
	KUNIT_EXPECT_EQ(test, msi_get_virq(def, 0), 0U);
	KUNIT_EXPECT_TRUE(test, xa_empty(&def->store));
	irq_domain_remove(domain);
}

/*
 * Bus code lets the entries of a default table be allocated one by one,
 * as PCI does for MSI-X: in addition to the ones the bus set up, up to
 * the hardware size the bus sets.
 */
static void mtt_test_default_table_alloc_dyn(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	union msi_entry_cookie cookie = { .value = 1 };
	struct irq_domain *domain;
	struct msi_table *def;
	struct msi_map map, any;

	domain = mtt_create_default_domain(test, 0);
	KUNIT_ASSERT_NOT_NULL(test, domain);
	dev_set_msi_domain(ctx->dev, domain);
	KUNIT_ASSERT_EQ(test, msi_setup_device_data(ctx->dev), 0);
	def = dev_msi_table(ctx->dev);

	/* Without the bus' consent a default table allocates nothing */
	KUNIT_EXPECT_FALSE(test, msi_table_can_alloc(def));
	KUNIT_EXPECT_EQ(test, msi_table_alloc(def, 0, NULL, NULL).index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(def, 0, 1), -EINVAL);

	KUNIT_ASSERT_EQ(test, msi_domain_alloc_irqs(domain, ctx->dev, 2), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(def, 0), -EINVAL);
	msi_lock_descs(ctx->dev);
	def->hwsize = 4;
	def->flags |= MSI_TABLE_ALLOC_DYN;
	msi_unlock_descs(ctx->dev);
	KUNIT_EXPECT_TRUE(test, msi_table_can_alloc(def));

	map = msi_table_alloc(def, 3, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 3);
	KUNIT_EXPECT_EQ(test, msi_get_virq(def, 3), (unsigned int)map.virq);
	KUNIT_EXPECT_EQ(test, irq_get_msi_desc(map.virq)->msi_index, 3U);
	any = msi_table_alloc(def, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, any.index, 2);
	KUNIT_EXPECT_GT(test, any.virq, 0);

	/* The hardware size, the bus' entries and the descriptors hold */
	KUNIT_EXPECT_EQ(test, msi_table_alloc(def, MSI_ANY_INDEX, NULL, NULL).index, -ENOSPC);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(def, 4, NULL, NULL).index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(def, 1, NULL, NULL).index, -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_free(def, 2), 0);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(def, 2, &cookie, NULL).index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_get_virq(def, 2), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 3);

	KUNIT_EXPECT_EQ(test, msi_table_free(def, 3), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(def, 3), -ENOENT);
	KUNIT_EXPECT_EQ(test, msi_get_virq(def, 3), 0U);
	KUNIT_EXPECT_NE(test, msi_get_virq(def, 1), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 2);

	msi_lock_descs(ctx->dev);
	def->flags &= ~MSI_TABLE_ALLOC_DYN;
	def->hwsize = 0;
	msi_unlock_descs(ctx->dev);
	msi_domain_free_irqs(domain, ctx->dev);
	KUNIT_EXPECT_TRUE(test, xa_empty(&def->store));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 0);
	dev_set_msi_domain(ctx->dev, NULL);
	irq_domain_remove(domain);
}

static void mtt_test_alloc_range(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	unsigned int i, j, virq[MTT_HWSIZE];

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, MTT_HWSIZE - 1), 0);
	for (i = 0; i < MTT_HWSIZE; i++) {
		virq[i] = msi_get_virq(table, i);
		KUNIT_EXPECT_GT(test, virq[i], 0U);
		KUNIT_EXPECT_EQ(test, irq_get_msi_desc(virq[i])->msi_index, i);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, virq[i], virq[j]);
	}
	mtt_expect_state(test, table, MTT_HWSIZE, MTT_HWSIZE);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 0, MTT_HWSIZE - 1), 0);
	mtt_expect_state(test, table, 0, 0);
}

static void mtt_test_alloc_range_busy(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	unsigned int virq;

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 2, 3), 0);
	virq = msi_get_virq(table, 2);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 0, 4), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 3, 3), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 0), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 2), virq);
	mtt_expect_state(test, table, 2, 2);
}

static void mtt_test_alloc_range_invalid(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);

	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 3, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 0, MTT_HWSIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, MTT_HWSIZE, MTT_HWSIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 0, MTT_HWSIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 1, 0), -EINVAL);
	mtt_expect_state(test, table, 0, 0);
}

static void mtt_test_alloc_at_index(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	union msi_entry_cookie cookie = { .value = 0x1234 };
	struct msi_map map;
	struct msi_desc *desc;

	map = msi_table_alloc(table, 5, &cookie, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 5);
	KUNIT_EXPECT_GT(test, map.virq, 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 5), (unsigned int)map.virq);
	desc = irq_get_msi_desc(map.virq);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_EQ(test, desc->msi_index, 5U);
	KUNIT_EXPECT_PTR_EQ(test, desc->dev, ctx->dev);
	KUNIT_EXPECT_EQ(test, desc->cookie.value, 0x1234ULL);
	/* The store saw the cookie when it prepared the entry */
	KUNIT_EXPECT_EQ(test, ctx->store[0].slot[5].cookie, 0x1234ULL);
	mtt_expect_state(test, table, 1, 1);

	/* Allocating it again fails and changes nothing */
	map = msi_table_alloc(table, 5, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -EBUSY);
	KUNIT_EXPECT_EQ(test, map.virq, -EBUSY);
	KUNIT_EXPECT_EQ(test, desc->cookie.value, 0x1234ULL);
	mtt_expect_state(test, table, 1, 1);

	KUNIT_EXPECT_EQ(test, msi_table_free(table, 5), 0);
	mtt_expect_state(test, table, 0, 0);
}

static void mtt_test_alloc_any(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, 4, 0);
	struct msi_map map;
	int i;

	for (i = 0; i < 4; i++) {
		map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
		KUNIT_EXPECT_EQ(test, map.index, i);
		KUNIT_EXPECT_EQ(test, msi_get_virq(table, i), (unsigned int)map.virq);
	}
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -ENOSPC);
	mtt_expect_state(test, table, 4, 4);

	/* A freed index is the next one handed out */
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 1), 0);
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, 1);
	mtt_expect_state(test, table, 4, 4);
}

static void mtt_test_hwsize_limits(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_table *big = mtt_create(test, 1, 0, 0);
	struct msi_map map;

	map = msi_table_alloc(table, MTT_HWSIZE - 1, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, MTT_HWSIZE - 1);
	map = msi_table_alloc(table, MTT_HWSIZE, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, MTT_HWSIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, MTT_HWSIZE), 0U);
	mtt_expect_state(test, table, 1, 1);

	/* Without a hardware size, indices beyond the 6.1 limit work */
	KUNIT_EXPECT_EQ(test, big->max_index, MSI_TABLE_MAX_INDEX);
	map = msi_table_alloc(big, 100000, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, 100000);
	KUNIT_EXPECT_EQ(test, msi_get_virq(big, 100000), (unsigned int)map.virq);
	map = msi_table_alloc(big, MSI_TABLE_MAX_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, (int)MSI_TABLE_MAX_INDEX);
	map = msi_table_alloc(big, MSI_TABLE_MAX_INDEX + 1, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -EINVAL);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(big, MSI_DESC_ALL), 2U);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(big), 0);
	mtt_expect_state(test, table, 1, 1);
}

static void mtt_test_lookup(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_map map;

	KUNIT_EXPECT_EQ(test, msi_get_virq(NULL, 0), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 3), 0U);
	map = msi_table_alloc(table, 3, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 3);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 3), (unsigned int)map.virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 2), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 4), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, UINT_MAX), 0U);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 3), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 3), 0U);
}

static void mtt_test_free_invalid(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);

	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), -ENOENT);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 2, NULL, NULL).index, 2);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), -ENOENT);
	KUNIT_EXPECT_EQ(test, msi_table_free(NULL, 2), -EINVAL);
	/* Freeing a range with holes frees what is there */
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 0, MTT_HWSIZE - 1), 0);
	mtt_expect_state(test, table, 0, 0);
}

static void mtt_test_free_range_partial(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, 7), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 2, 5), 0);
	for (i = 0; i < 8; i++) {
		if (i >= 2 && i <= 5)
			KUNIT_EXPECT_EQ(test, msi_get_virq(table, i), 0U);
		else
			KUNIT_EXPECT_GT(test, msi_get_virq(table, i), 0U);
	}
	mtt_expect_state(test, table, 4, 4);
	/* The freed range can be allocated again */
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 2, 5), 0);
	mtt_expect_state(test, table, 8, 8);
}

static void mtt_test_iterate(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_desc init = { .nvec_used = 1 }, *desc;
	struct msi_table *def;
	unsigned int i, last;

	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 6, NULL, NULL).index, 6);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 1, NULL, NULL).index, 1);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 4, NULL, NULL).index, 4);

	/* In index order, whatever the allocation order */
	msi_table_lock(table);
	last = 0;
	i = 0;
	msi_table_for_each_desc(desc, table, MSI_DESC_ALL) {
		KUNIT_EXPECT_GT(test, desc->msi_index + 1, last);
		last = desc->msi_index + 1;
		i++;
	}
	msi_table_unlock(table);
	KUNIT_EXPECT_EQ(test, i, 3U);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(table, MSI_DESC_NOTASSOCIATED), 0U);

	/* Descriptors without an interrupt, in the default table */
	def = dev_msi_table(ctx->dev);
	msi_lock_descs(ctx->dev);
	for (i = 0; i < 3; i++) {
		init.msi_index = i;
		KUNIT_EXPECT_EQ(test, msi_add_msi_desc(ctx->dev, &init), 0);
	}
	msi_unlock_descs(ctx->dev);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(def, MSI_DESC_ALL), 3U);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(def, MSI_DESC_NOTASSOCIATED), 3U);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(def, MSI_DESC_ASSOCIATED), 0U);
	/* The other table is not affected */
	KUNIT_EXPECT_EQ(test, mtt_count_descs(table, MSI_DESC_ALL), 3U);

	/* Removing the retrieved descriptor in the loop is fine */
	i = 0;
	msi_table_lock(def);
	msi_table_for_each_desc(desc, def, MSI_DESC_ALL) {
		msi_free_msi_descs_range(ctx->dev, MSI_DESC_ALL, desc->msi_index,
					 desc->msi_index);
		i++;
	}
	msi_table_unlock(def);
	KUNIT_EXPECT_EQ(test, i, 3U);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(def, MSI_DESC_ALL), 0U);
}

static void mtt_test_request_and_handle(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_map map = msi_table_alloc(table, 2, NULL, NULL);
	struct mtt_slot *slot = &ctx->store[0].slot[2];

	KUNIT_ASSERT_GT(test, map.virq, 0);
	/* Not activated before request_irq(): nothing written yet */
	KUNIT_EXPECT_EQ(test, slot->writes, 0U);

	KUNIT_ASSERT_EQ(test, request_irq(map.virq, mtt_handler, 0, "mt", ctx), 0);
	KUNIT_EXPECT_GT(test, slot->writes, 0U);
	KUNIT_EXPECT_EQ(test, slot->msg.address_lo & 0xfff00000, (u32)MTT_MSG_ADDR);
	KUNIT_EXPECT_EQ(test, slot->msg.data,
			(u32)irq_get_irq_data(map.virq)->parent_data->hwirq);
	KUNIT_EXPECT_FALSE(test, slot->masked);

	mtt_fire(map.virq);
	mtt_fire(map.virq);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled), 2);
	KUNIT_EXPECT_EQ(test, kstat_irqs_usr(map.virq), 2U);

	free_irq(map.virq, ctx);
	/* Deactivation clears the entry */
	KUNIT_EXPECT_EQ(test, slot->msg.address_lo, 0U);
	KUNIT_EXPECT_EQ(test, slot->msg.data, 0U);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 2), 0);
}

static void mtt_test_mask_unmask(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_map map = msi_table_alloc(table, 0, NULL, NULL);
	struct mtt_slot *slot = &ctx->store[0].slot[0];

	KUNIT_ASSERT_GT(test, map.virq, 0);
	irq_set_status_flags(map.virq, IRQ_DISABLE_UNLAZY);
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, mtt_handler, 0, "mt", ctx), 0);
	KUNIT_EXPECT_FALSE(test, slot->masked);

	disable_irq(map.virq);
	KUNIT_EXPECT_TRUE(test, slot->masked);
	mtt_fire(map.virq);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled), 0);

	enable_irq(map.virq);
	KUNIT_EXPECT_FALSE(test, slot->masked);
	mtt_fire(map.virq);
	KUNIT_EXPECT_GE(test, atomic_read(&ctx->handled), 1);
	free_irq(map.virq, ctx);
}

static void mtt_test_affinity(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct irq_affinity_desc affd = { };
	struct mtt_slot *slot = &ctx->store[0].slot[1];
	struct msi_map map;
	unsigned int writes;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");

	map = msi_table_alloc(table, 1, NULL, NULL);
	KUNIT_ASSERT_GT(test, map.virq, 0);
	/* Move it right away, not at the next interrupt */
	irq_set_status_flags(map.virq, IRQ_MOVE_PCNTXT);
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, mtt_handler, 0, "mt", ctx), 0);
	KUNIT_EXPECT_EQ(test, irq_set_affinity(map.virq, cpumask_of(0)), 0);
	KUNIT_EXPECT_EQ(test, slot->msg.address_lo, (u32)MTT_MSG_ADDR);

	writes = slot->writes;
	KUNIT_EXPECT_EQ(test, irq_set_affinity(map.virq, cpumask_of(1)), 0);
	KUNIT_EXPECT_GT(test, slot->writes, writes);
	KUNIT_EXPECT_EQ(test, slot->msg.address_lo, (u32)MTT_MSG_ADDR | (1 << 12));
	free_irq(map.virq, ctx);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 1), 0);

	/* An affinity handed to the allocation is the interrupt's affinity */
	cpumask_copy(&affd.mask, cpumask_of(1));
	map = msi_table_alloc(table, 3, NULL, &affd);
	KUNIT_ASSERT_GT(test, map.virq, 0);
	KUNIT_EXPECT_TRUE(test, cpumask_equal(irq_get_affinity_mask(map.virq),
					      cpumask_of(1)));
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 3), 0);
}

static void mtt_test_activate_early(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, MSI_TABLE_ACTIVATE_EARLY);
	struct msi_map map = msi_table_alloc(table, 4, NULL, NULL);
	struct mtt_slot *slot = &ctx->store[0].slot[4];

	KUNIT_ASSERT_GT(test, map.virq, 0);
	KUNIT_EXPECT_TRUE(test, irqd_is_activated(irq_get_irq_data(map.virq)));
	KUNIT_EXPECT_EQ(test, slot->writes, 1U);
	KUNIT_EXPECT_EQ(test, slot->msg.address_lo & 0xfff00000, (u32)MTT_MSG_ADDR);
	KUNIT_EXPECT_EQ(test, msi_table_free(table, 4), 0);
	KUNIT_EXPECT_EQ(test, slot->msg.address_lo, 0U);
}

static void mtt_test_two_tables(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *t0 = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_table *t1 = mtt_create(test, 1, MTT_HWSIZE, 0);
	struct msi_map m0, m1;

	KUNIT_EXPECT_NE(test, t0->id, t1->id);
	KUNIT_EXPECT_PTR_NE(test, t0->domain, t1->domain);
	m0 = msi_table_alloc(t0, 0, NULL, NULL);
	m1 = msi_table_alloc(t1, 0, NULL, NULL);
	KUNIT_ASSERT_GT(test, m0.virq, 0);
	KUNIT_ASSERT_GT(test, m1.virq, 0);
	KUNIT_EXPECT_NE(test, m0.virq, m1.virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(t0, 0), (unsigned int)m0.virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(t1, 0), (unsigned int)m1.virq);

	/* A failure in one table does not touch the other */
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(t0, 0, 3), -EBUSY);
	atomic_set(&ctx->parent.allocs, 0);
	ctx->parent.fail_alloc = 3;
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(t0, 1, 4), -ENOSPC);
	ctx->parent.fail_alloc = 0;
	KUNIT_EXPECT_EQ(test, msi_get_virq(t1, 0), (unsigned int)m1.virq);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(t0, MSI_DESC_ALL), 1U);
	KUNIT_EXPECT_EQ(test, mtt_count_descs(t1, MSI_DESC_ALL), 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->store[1].prepared), 1);

	/* Interrupts reach the handler of their own table's entry */
	KUNIT_ASSERT_EQ(test, request_irq(m1.virq, mtt_handler, 0, "mt1", ctx), 0);
	mtt_fire(m1.virq);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled), 1);
	KUNIT_EXPECT_EQ(test, ctx->store[0].slot[0].writes, 0U);
	KUNIT_EXPECT_GT(test, ctx->store[1].slot[0].writes, 0U);

	KUNIT_EXPECT_EQ(test, msi_table_free(t0, 0), 0);
	KUNIT_EXPECT_EQ(test, msi_get_virq(t0, 0), 0U);
	KUNIT_EXPECT_EQ(test, msi_get_virq(t1, 0), (unsigned int)m1.virq);
	free_irq(m1.virq, ctx);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(t0), 0);
	mtt_expect_state(test, t1, 1, 1);
}

/* Fail the Nth parent allocation for N = 1.. until the allocation succeeds */
static void mtt_test_fault_parent_alloc(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	int n, ret, failures = 0;

	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 7, NULL, NULL).index, 7);
	for (n = 1; n <= MTT_HWSIZE; n++) {
		atomic_set(&ctx->parent.allocs, 0);
		ctx->parent.fail_alloc = n;
		ret = msi_table_alloc_range(table, 0, 3);
		if (!ret)
			break;
		failures++;
		KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
		mtt_expect_state(test, table, 1, 1);
		KUNIT_EXPECT_EQ(test, msi_get_virq(table, 0), 0U);
	}
	ctx->parent.fail_alloc = 0;
	/* Each of the four entries failed once, then all went through */
	KUNIT_EXPECT_EQ(test, failures, 4);
	KUNIT_EXPECT_EQ(test, ret, 0);
	mtt_expect_state(test, table, 5, 5);
}

static void mtt_test_fault_parent_any(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_map map;

	atomic_set(&ctx->parent.allocs, 0);
	ctx->parent.fail_alloc = 1;
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, -ENOSPC);
	mtt_expect_state(test, table, 0, 0);
	/* The failed allocation did not consume the index */
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_EXPECT_EQ(test, map.index, 0);
	mtt_expect_state(test, table, 1, 1);
}

static void mtt_test_fault_prepare(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct mtt_store *store = &ctx->store[0];
	int n, ret, failures = 0;

	for (n = 1; n <= MTT_HWSIZE; n++) {
		atomic_set(&store->prepares, 0);
		store->fail_prepare = n;
		ret = msi_table_alloc_range(table, 2, 5);
		if (!ret)
			break;
		failures++;
		KUNIT_EXPECT_EQ(test, ret, -EIO);
		mtt_expect_state(test, table, 0, 0);
	}
	store->fail_prepare = 0;
	KUNIT_EXPECT_EQ(test, failures, 4);
	mtt_expect_state(test, table, 4, 4);

	atomic_set(&store->prepares, 0);
	store->fail_prepare = 1;
	KUNIT_EXPECT_EQ(test, msi_table_alloc(table, 0, NULL, NULL).index, -EIO);
	store->fail_prepare = 0;
	mtt_expect_state(test, table, 4, 4);
}

static void mtt_test_fault_activate(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, MSI_TABLE_ACTIVATE_EARLY);
	int n, ret, failures = 0;

	for (n = 1; n <= MTT_HWSIZE; n++) {
		atomic_set(&ctx->parent.activations, 0);
		ctx->parent.fail_activate = n;
		ret = msi_table_alloc_range(table, 0, 2);
		if (!ret)
			break;
		failures++;
		KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
		mtt_expect_state(test, table, 0, 0);
	}
	ctx->parent.fail_activate = 0;
	KUNIT_EXPECT_EQ(test, failures, 3);
	mtt_expect_state(test, table, 3, 3);
}

/* Skip before a test sets anything up which its exit would not undo */
static void mtt_need_failslab(struct kunit *test)
{
	if (!kunit_failslab_enable(test))
		kunit_skip(test, "needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS");
}

static void mtt_snap_table(struct mtt_snap *s, struct msi_table *table)
{
	struct msi_desc *desc;

	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ALL) {
		s->descs++;
		/*
		 * Which entries there are and which interrupt each has: the
		 * product changes the sum when two entries swap interrupts
		 */
		s->entries += (desc->msi_index + 1UL) * (desc->irq + 1000003UL);
	}
	msi_table_unlock(table);
}

static void mtt_snapshot(struct kunit *test, struct mtt_snap *s)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_device_data *md = ctx->dev->msi.data;
	struct msi_table *table;
	unsigned long id;

	memset(s, 0, sizeof(*s));
	if (md) {
		mtt_snap_table(s, &md->deftable);
		xa_for_each(&md->tables, id, table) {
			s->tables++;
			mtt_snap_table(s, table);
		}
	}
	s->prepared = atomic_read(&ctx->store[0].prepared) +
		      atomic_read(&ctx->store[1].prepared);
	s->live = atomic_read(&ctx->parent.live);
	s->active = atomic_read(&ctx->parent.active);
	s->irqs = mtt_count_irqs();
}

static void mtt_expect_snap(struct kunit *test, const struct mtt_snap *a,
			    const struct mtt_snap *b, const char *what,
			    unsigned int site)
{
	KUNIT_EXPECT_EQ_MSG(test, a->tables, b->tables, "%s, site %u", what, site);
	KUNIT_EXPECT_EQ_MSG(test, a->descs, b->descs, "%s, site %u", what, site);
	KUNIT_EXPECT_EQ_MSG(test, a->entries, b->entries, "%s, site %u", what, site);
	KUNIT_EXPECT_EQ_MSG(test, a->prepared, b->prepared, "%s, site %u", what, site);
	KUNIT_EXPECT_EQ_MSG(test, a->live, b->live, "%s, site %u", what, site);
	KUNIT_EXPECT_EQ_MSG(test, a->active, b->active, "%s, site %u", what, site);
	KUNIT_EXPECT_EQ_MSG(test, a->irqs, b->irqs, "%s, site %u", what, site);
}

/* A call under fault injection must leave everything as it was */
static void mtt_fault_save(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;

	mtt_snapshot(test, &ctx->fault_before);
}

static void mtt_fault_check(struct kunit *test, const char *name,
			    unsigned int site)
{
	struct mtt_ctx *ctx = test->priv;
	struct mtt_snap now;

	mtt_snapshot(test, &now);
	mtt_expect_snap(test, &ctx->fault_before, &now, name, site);
}

#define MTT_FAULT_WALK(_name, _run, _undo) {				\
	.name = _name, .run = _run, .undo = _undo,			\
	.save = mtt_fault_save, .check = mtt_fault_check,		\
}

static const struct msi_table_info mtt_fault_info = {
	.name	= "mt-fault",
	.hwsize	= MTT_HWSIZE,
	.ops	= &mtt_ops,
};

static int mtt_fault_create(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_info info = mtt_fault_info;

	info.data = &ctx->store[1];
	ctx->fault_table = msi_create_table(ctx->dev, ctx->parent.domain, &info);
	return PTR_ERR_OR_ZERO(ctx->fault_table);
}

static void mtt_fault_destroy(struct kunit *test, int ret)
{
	struct mtt_ctx *ctx = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_destroy_table(ctx->fault_table), 0);
}

/*
 * The device managed table is created in a devres group. Releasing the
 * group destroys the table as an unbind would; a new group takes the
 * next run.
 */
static int mtt_fault_devm_create(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_info info = mtt_fault_info;

	info.data = &ctx->store[1];
	ctx->fault_table = devm_msi_create_table(ctx->dev, ctx->parent.domain, &info);
	return PTR_ERR_OR_ZERO(ctx->fault_table);
}

static void mtt_fault_devm_release(struct kunit *test, int ret)
{
	struct mtt_ctx *ctx = test->priv;

	devres_release_group(ctx->dev, ctx->fault_group);
	ctx->fault_group = devres_open_group(ctx->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->fault_group);
}

/* Allocations go to ctx->fault_table, which the test case creates */
static int mtt_fault_alloc_at(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	union msi_entry_cookie cookie = { .value = 3 };

	ctx->fault_map = msi_table_alloc(ctx->fault_table, 3, &cookie, NULL);
	return min(ctx->fault_map.index, 0);
}

static int mtt_fault_alloc_any(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;

	ctx->fault_map = msi_table_alloc(ctx->fault_table, MSI_ANY_INDEX, NULL, NULL);
	return min(ctx->fault_map.index, 0);
}

static void mtt_fault_free(struct kunit *test, int ret)
{
	struct mtt_ctx *ctx = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_table_free(ctx->fault_table, ctx->fault_map.index), 0);
}

static int mtt_fault_alloc_range(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;

	return msi_table_alloc_range(ctx->fault_table, 0, 3);
}

static void mtt_fault_free_range(struct kunit *test, int ret)
{
	struct mtt_ctx *ctx = test->priv;

	if (!ret)
		KUNIT_EXPECT_EQ(test, msi_table_free_range(ctx->fault_table, 0, 3), 0);
}

static void mtt_test_fault_slab_create(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	static const struct kunit_fault_walk create =
		MTT_FAULT_WALK("msi_create_table()",
			       mtt_fault_create, mtt_fault_destroy);
	static const struct kunit_fault_walk devm_create =
		MTT_FAULT_WALK("devm_msi_create_table()",
			       mtt_fault_devm_create, mtt_fault_devm_release);

	mtt_need_failslab(test);
	/* The device's MSI data, once set up, stays: set it up before */
	mtt_create(test, 0, MTT_HWSIZE, 0);
	kunit_fault_walk(test, &create);

	ctx->fault_group = devres_open_group(ctx->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->fault_group);
	kunit_fault_walk(test, &devm_create);
	devres_remove_group(ctx->dev, ctx->fault_group);
}

static void mtt_test_fault_slab_alloc(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	static const struct kunit_fault_walk at =
		MTT_FAULT_WALK("msi_table_alloc() at an index",
			       mtt_fault_alloc_at, mtt_fault_free);
	static const struct kunit_fault_walk any =
		MTT_FAULT_WALK("msi_table_alloc() at any index, activated",
			       mtt_fault_alloc_any, mtt_fault_free);
	static const struct kunit_fault_walk range =
		MTT_FAULT_WALK("msi_table_alloc_range()",
			       mtt_fault_alloc_range, mtt_fault_free_range);
	struct msi_table *table;

	mtt_need_failslab(test);
	/* Entries around the ones allocated stay as they are */
	table = mtt_create(test, 0, MTT_HWSIZE, 0);
	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 6, 7), 0);
	ctx->fault_table = table;
	kunit_fault_walk(test, &at);
	kunit_fault_walk(test, &range);

	table = mtt_create(test, 1, MTT_HWSIZE, MSI_TABLE_ACTIVATE_EARLY);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(table, 0, NULL, NULL).index, 0);
	ctx->fault_table = table;
	kunit_fault_walk(test, &any);
}

/*
 * A default table entry gets its sysfs attribute and is activated at
 * allocation where the bus' domain asks for it: the sysfs attribute is
 * the last allocation, after the activation.
 */
static void mtt_test_fault_slab_default(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	static const struct kunit_fault_walk any =
		MTT_FAULT_WALK("msi_table_alloc() on a default table",
			       mtt_fault_alloc_any, mtt_fault_free);
	struct irq_domain *domain;
	struct msi_table *def;

	mtt_need_failslab(test);
	domain = mtt_create_default_domain(test, MSI_FLAG_DEV_SYSFS |
					   MSI_FLAG_ACTIVATE_EARLY);
	KUNIT_ASSERT_NOT_NULL(test, domain);
	dev_set_msi_domain(ctx->dev, domain);
	KUNIT_ASSERT_EQ(test, msi_setup_device_data(ctx->dev), 0);
	KUNIT_ASSERT_EQ(test, msi_domain_alloc_irqs(domain, ctx->dev, 1), 0);
	def = dev_msi_table(ctx->dev);
	msi_lock_descs(ctx->dev);
	def->hwsize = 4;
	def->flags |= MSI_TABLE_ALLOC_DYN;
	msi_unlock_descs(ctx->dev);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.active), 1);

	ctx->fault_table = def;
	kunit_fault_walk(test, &any);

	msi_lock_descs(ctx->dev);
	def->flags &= ~MSI_TABLE_ALLOC_DYN;
	def->hwsize = 0;
	msi_unlock_descs(ctx->dev);
	msi_domain_free_irqs(domain, ctx->dev);
	dev_set_msi_domain(ctx->dev, NULL);
	irq_domain_remove(domain);
}

static void mtt_test_free_requested(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_map map;

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, 1), 0);
	map.virq = msi_get_virq(table, 1);
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, mtt_handler, 0, "mt", ctx), 0);

	KUNIT_EXPECT_EQ(test, msi_table_free(table, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 0, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), -EBUSY);
	/* Nothing changed, the interrupt still works */
	mtt_expect_state(test, table, 2, 2);
	mtt_fire(map.virq);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled), 1);

	free_irq(map.virq, ctx);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 0);
	KUNIT_EXPECT_EQ(test, mtt_count_irqs(), ctx->irqs_before);
}

static void mtt_test_device_removal(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name = "mt-managed", .hwsize = MTT_HWSIZE, .ops = &mtt_ops,
		.data = &ctx->store[1],
	};
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_table *managed;

	managed = devm_msi_create_table(ctx->dev, ctx->parent.domain, &info);
	KUNIT_ASSERT_FALSE(test, IS_ERR(managed));
	KUNIT_EXPECT_EQ(test, msi_destroy_table(managed), -EINVAL);
	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, 3), 0);
	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(managed, 0, 3), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 8);

	/* Both tables, their entries and interrupts go with the device */
	root_device_unregister(ctx->dev);
	ctx->dev = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->parent.live), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->store[0].prepared), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->store[1].prepared), 0);
	KUNIT_EXPECT_EQ(test, mtt_count_irqs(), ctx->irqs_before);
}

struct mtt_thread {
	struct msi_table	*table;
	struct completion	done;
	int			errors;
	int			allocated;
};

static int mtt_alloc_free_thread(void *data)
{
	struct mtt_thread *t = data;
	struct msi_map map;
	int i;

	for (i = 0; i < MTT_LOOPS; i++) {
		map = msi_table_alloc(t->table, MSI_ANY_INDEX, NULL, NULL);
		if (map.index < 0) {
			t->errors++;
			continue;
		}
		t->allocated++;
		if (msi_get_virq(t->table, map.index) != (unsigned int)map.virq)
			t->errors++;
		if (msi_table_free(t->table, map.index))
			t->errors++;
	}
	complete(&t->done);
	return 0;
}

static void mtt_run_threads(struct kunit *test, struct mtt_thread *t, int nr)
{
	struct task_struct *task;
	bool started[2] = { };
	int i;

	for (i = 0; i < nr; i++) {
		init_completion(&t[i].done);
		task = kthread_run(mtt_alloc_free_thread, &t[i], "mt-%d", i);
		started[i] = !IS_ERR(task);
		KUNIT_EXPECT_TRUE(test, started[i]);
	}
	for (i = 0; i < nr; i++) {
		if (started[i])
			wait_for_completion(&t[i].done);
	}
}

static void mtt_test_concurrent_tables(struct kunit *test)
{
	struct msi_table *t0 = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct msi_table *t1 = mtt_create(test, 1, MTT_HWSIZE, 0);
	struct mtt_thread t[2] = { { .table = t0 }, { .table = t1 } };

	mtt_run_threads(test, t, 2);
	KUNIT_EXPECT_EQ(test, t[0].errors, 0);
	KUNIT_EXPECT_EQ(test, t[1].errors, 0);
	KUNIT_EXPECT_EQ(test, t[0].allocated, MTT_LOOPS);
	KUNIT_EXPECT_EQ(test, t[1].allocated, MTT_LOOPS);
	mtt_expect_state(test, t0, 0, 0);
	mtt_expect_state(test, t1, 0, 0);
}

static void mtt_test_concurrent_one_table(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct mtt_thread t[2] = { { .table = table }, { .table = table } };

	/* Two threads on a table of 8: no index is handed out twice */
	mtt_run_threads(test, t, 2);
	KUNIT_EXPECT_EQ(test, t[0].errors, 0);
	KUNIT_EXPECT_EQ(test, t[1].errors, 0);
	mtt_expect_state(test, table, 0, 0);
}

struct mtt_locker {
	struct msi_table	*table;
	struct completion	locked;
	struct completion	release;
};

static int mtt_locker_thread(void *data)
{
	struct mtt_locker *l = data;

	msi_table_lock(l->table);
	complete(&l->locked);
	wait_for_completion(&l->release);
	msi_table_unlock(l->table);
	return 0;
}

static void mtt_test_lookup_while_locked(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct mtt_locker l = { .table = table };
	struct task_struct *task;
	struct msi_map map;

	map = msi_table_alloc(table, 6, NULL, NULL);
	KUNIT_ASSERT_GT(test, map.virq, 0);
	init_completion(&l.locked);
	init_completion(&l.release);
	task = kthread_run(mtt_locker_thread, &l, "mt-locker");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&l.locked);

	/* Another thread holds the lock: the lookup does not wait for it */
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&table->lock));
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 6), (unsigned int)map.virq);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 5), 0U);
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&table->lock));
	complete(&l.release);

	/* And the holder of the lock can look up too */
	msi_table_lock(table);
	KUNIT_EXPECT_EQ(test, msi_get_virq(table, 6), (unsigned int)map.virq);
	msi_table_unlock(table);
}

struct mtt_reader {
	struct msi_table	*table;
	struct completion	done;
	atomic_t		stop;
	unsigned long		lookups;
	unsigned long		found;
};

static int mtt_reader_thread(void *data)
{
	struct mtt_reader *r = data;
	unsigned int i;

	while (!atomic_read(&r->stop)) {
		for (i = 0; i < MTT_HWSIZE; i++) {
			r->found += !!msi_get_virq(r->table, i);
			r->lookups++;
		}
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/*
 * Lookups race with the free of the entries they look at. The
 * descriptors are freed after an RCU grace period; KASAN reports a
 * lookup which touches a freed one.
 */
static void mtt_test_lookup_races_free(struct kunit *test)
{
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct mtt_reader r = { .table = table };
	struct task_struct *task;
	int i;

	init_completion(&r.done);
	task = kthread_run(mtt_reader_thread, &r, "mt-reader");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (i = 0; i < MTT_LOOPS; i++) {
		KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 0, MTT_HWSIZE - 1), 0);
		KUNIT_EXPECT_EQ(test, msi_table_free_range(table, 0, MTT_HWSIZE - 1), 0);
	}
	atomic_set(&r.stop, 1);
	wait_for_completion(&r.done);

	KUNIT_EXPECT_GT(test, r.lookups, 0UL);
	kunit_info(test, "%lu lookups, %lu found an interrupt\n", r.lookups, r.found);
	mtt_expect_state(test, table, 0, 0);
}

static atomic_t mtt_bus_prepares;
static int mtt_bus_fail;

static int mtt_bus_prepare(struct msi_table *table, struct msi_desc *desc,
			   msi_alloc_info_t *arg)
{
	/* Bus code fills @arg from scratch, like x86's pci_msi_prepare() */
	memset(arg, 0, sizeof(*arg));
	if (atomic_inc_return(&mtt_bus_prepares) == READ_ONCE(mtt_bus_fail))
		return -EIO;
	return 0;
}

static const struct msi_table_bus_ops mtt_bus_ops = {
	.prepare	= mtt_bus_prepare,
	.handler	= handle_simple_irq,
	.handler_name	= "simple",
};

static void mtt_test_bus_ops(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name = "mt-bus", .hwsize = MTT_HWSIZE, .ops = &mtt_ops,
		.bus_ops = &mtt_bus_ops, .data = &ctx->store[0],
	};
	struct msi_table *table;
	struct msi_map map;

	atomic_set(&mtt_bus_prepares, 0);
	mtt_bus_fail = 0;
	table = msi_create_table(ctx->dev, ctx->parent.domain, &info);
	KUNIT_ASSERT_FALSE(test, IS_ERR(table));
	KUNIT_EXPECT_PTR_EQ(test, table->bus_ops, &mtt_bus_ops);

	/* The bus prepares every allocation, with the table's arguments */
	map = msi_table_alloc(table, 3, NULL, NULL);
	KUNIT_ASSERT_EQ(test, map.index, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&mtt_bus_prepares), 1);
	/* The core set the descriptor and the hwirq after the bus */
	KUNIT_EXPECT_PTR_EQ(test, ctx->parent.last_desc, irq_get_msi_desc(map.virq));
	KUNIT_EXPECT_EQ(test, ctx->parent.last_hwirq, 3UL);
	KUNIT_EXPECT_PTR_EQ(test, irq_to_desc(map.virq)->handle_irq,
			    (irq_flow_handler_t)handle_simple_irq);

	/* A failing bus preparation fails the allocation cleanly */
	atomic_set(&mtt_bus_prepares, 0);
	mtt_bus_fail = 2;
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(table, 4, 6), -EIO);
	mtt_bus_fail = 0;
	mtt_expect_state(test, table, 1, 1);

	KUNIT_ASSERT_EQ(test, request_irq(map.virq, mtt_handler, 0, "mt", ctx), 0);
	mtt_fire(map.virq);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled), 1);
	free_irq(map.virq, ctx);
	KUNIT_EXPECT_EQ(test, msi_destroy_table(table), 0);
}

/*
 * The device lost its store: restore writes back what the core wrote
 * last, for an entry which is requested, one which is disabled, one
 * whose interrupt was freed and one which was never requested.
 */
static void mtt_test_restore(struct kunit *test)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table *table = mtt_create(test, 0, MTT_HWSIZE, 0);
	struct mtt_slot *slot = ctx->store[0].slot;
	struct msi_msg saved[MTT_HWSIZE];
	unsigned int i, virq[4], cpu = num_online_cpus() - 1;

	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(table, 0, 3), 0);
	for (i = 0; i < 4; i++) {
		virq[i] = msi_get_virq(table, i);
		irq_set_status_flags(virq[i], IRQ_DISABLE_UNLAZY | IRQ_MOVE_PCNTXT);
	}
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, request_irq(virq[i], mtt_handler, 0, "mt", ctx), 0);
	KUNIT_EXPECT_EQ(test, irq_set_affinity(virq[0], cpumask_of(cpu)), 0);
	disable_irq(virq[1]);
	free_irq(virq[2], ctx);
	for (i = 0; i < MTT_HWSIZE; i++)
		saved[i] = slot[i].msg;
	KUNIT_EXPECT_EQ(test, saved[0].address_lo, (u32)MTT_MSG_ADDR | (cpu << 12));
	KUNIT_EXPECT_EQ(test, saved[1].address_lo & MTT_MSG_ADDR, (u32)MTT_MSG_ADDR);
	KUNIT_EXPECT_EQ(test, saved[2].address_lo, 0U);

	/* The device lost its store: garbage, and the mask bits flipped */
	for (i = 0; i < MTT_HWSIZE; i++) {
		memset(&slot[i].msg, 0xff, sizeof(slot[i].msg));
		slot[i].masked = i == 0;
	}
	KUNIT_EXPECT_EQ(test, msi_table_restore(table), 0);
	for (i = 0; i < 4; i++) {
		struct msi_msg *msg = &slot[i].msg;

		KUNIT_EXPECT_EQ_MSG(test, msg->address_lo, saved[i].address_lo, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, msg->address_hi, saved[i].address_hi, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, msg->data, saved[i].data, "entry %u", i);
		/* Only the requested and enabled entry is unmasked */
		KUNIT_EXPECT_EQ_MSG(test, slot[i].masked, i != 0, "entry %u", i);
	}
	/* Entries which are not allocated are not touched */
	for (i = 4; i < MTT_HWSIZE; i++)
		KUNIT_EXPECT_EQ_MSG(test, slot[i].msg.data, ~0U, "entry %u", i);

	/* The interrupts work on */
	enable_irq(virq[1]);
	KUNIT_EXPECT_FALSE(test, slot[1].masked);
	mtt_fire(virq[0]);
	mtt_fire(virq[1]);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled), 2);
	free_irq(virq[0], ctx);
	free_irq(virq[1], ctx);

	/* The bus restores a default table */
	KUNIT_EXPECT_EQ(test, msi_table_restore(dev_msi_table(ctx->dev)), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_restore(NULL), -EINVAL);
	mtt_expect_state(test, table, 4, 4);
}

/*
 * The bad input matrix of Documentation/core-api/msi-tables.rst, one
 * row per case: t0 has entries 0 and 1, the interrupt of 1 requested,
 * t1 has entry 0, and a device managed table is empty. Every row must
 * get its errors and leave all of them as they were.
 */
struct mtt_bad {
	struct msi_table	*t0;
	struct msi_table	*t1;
	struct msi_table	*managed;
	struct msi_table	*def;
};

static void mtt_bad_null_table(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_NULL(test, dev_msi_table(NULL));
	KUNIT_EXPECT_EQ(test, msi_destroy_table(NULL), -EINVAL);
	KUNIT_EXPECT_FALSE(test, msi_table_can_alloc(NULL));
	KUNIT_EXPECT_EQ(test, msi_table_alloc(NULL, 0, NULL, NULL).index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(NULL, MSI_ANY_INDEX, NULL, NULL).virq, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free(NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(NULL, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(NULL, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_get_virq(NULL, 0), 0U);
	KUNIT_EXPECT_EQ(test, msi_table_restore(NULL), -EINVAL);
}

static void mtt_bad_create_args(struct kunit *test, struct mtt_bad *b)
{
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_ops no_mask = { .write_msg = mtt_write_msg, .unmask = mtt_unmask };
	struct msi_table_info good = { .name = "bad", .ops = &mtt_ops };
	struct msi_table_info bad[5] = { good, good, good, good, good };
	struct irq_domain *parent = ctx->parent.domain;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(NULL, parent, &good)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, NULL, &good)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(msi_create_table(ctx->dev, parent, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(devm_msi_create_table(NULL, parent, &good)), -EINVAL);

	bad[0].name = NULL;
	bad[1].ops = NULL;
	bad[2].ops = &no_mask;
	bad[3].flags = MSI_TABLE_MANAGED;
	bad[4].hwsize = MSI_TABLE_MAX_INDEX + 2;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(msi_create_table(ctx->dev, parent, &bad[i])),
				    -EINVAL, "info %u", i);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(devm_msi_create_table(ctx->dev, parent, &bad[i])),
				    -EINVAL, "info %u", i);
	}
}

/* A table which is not the caller's to allocate from or destroy */
static void mtt_bad_default_table(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_EQ(test, msi_destroy_table(b->def), -EINVAL);
	KUNIT_EXPECT_FALSE(test, msi_table_can_alloc(b->def));
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->def, 0, NULL, NULL).index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free(b->def, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b->def, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(b->def, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_restore(b->def), -EINVAL);
}

static void mtt_bad_managed_table(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_EQ(test, msi_destroy_table(b->managed), -EINVAL);
	KUNIT_EXPECT_TRUE(test, msi_table_can_alloc(b->managed));
}

/*
 * A destroyed table is freed memory, which no call can recognize. What
 * calls can see is a table whose destruction has begun, e.g. a device
 * managed one while the driver unbinds.
 */
static void mtt_bad_dying_table(struct kunit *test, struct mtt_bad *b)
{
	msi_table_lock(b->t1);
	b->t1->flags |= MSI_TABLE_DYING;
	msi_table_unlock(b->t1);

	KUNIT_EXPECT_FALSE(test, msi_table_can_alloc(b->t1));
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t1, 1, NULL, NULL).index, -ENODEV);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t1, MSI_ANY_INDEX, NULL, NULL).index, -ENODEV);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b->t1, 1, 2), -ENODEV);
	KUNIT_EXPECT_EQ(test, msi_table_restore(b->t1), -ENODEV);

	msi_table_lock(b->t1);
	b->t1->flags &= ~MSI_TABLE_DYING;
	msi_table_unlock(b->t1);
}

static void mtt_bad_index_at_hwsize(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t0, MTT_HWSIZE, NULL, NULL).index, -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free(b->t0, MTT_HWSIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b->t0, 2, MTT_HWSIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(b->t0, 0, MTT_HWSIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_get_virq(b->t0, MTT_HWSIZE), 0U);
}

static void mtt_bad_index_beyond_hwsize(struct kunit *test, struct mtt_bad *b)
{
	unsigned int idx[] = { MTT_HWSIZE + 1, MSI_TABLE_MAX_INDEX, MSI_ANY_INDEX - 1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t0, idx[i], NULL, NULL).index, -EINVAL);
		KUNIT_EXPECT_EQ(test, msi_table_free(b->t0, idx[i]), -EINVAL);
		KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b->t0, idx[i], idx[i]), -EINVAL);
		KUNIT_EXPECT_EQ(test, msi_table_free_range(b->t0, 0, idx[i]), -EINVAL);
		KUNIT_EXPECT_EQ(test, msi_get_virq(b->t0, idx[i]), 0U);
	}
	/* MSI_ANY_INDEX only means "any" to msi_table_alloc() */
	KUNIT_EXPECT_EQ(test, msi_table_free(b->t0, MSI_ANY_INDEX), -EINVAL);
	/* A reversed range */
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b->t0, 3, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(b->t0, 1, 0), -EINVAL);
}

static void mtt_bad_double_alloc(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t0, 0, NULL, NULL).index, -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t0, 1, NULL, NULL).virq, -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b->t0, 1, 3), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_alloc_range(b->t1, 0, 0), -EBUSY);
}

static void mtt_bad_double_free(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t1, 5, NULL, NULL).index, 5);
	KUNIT_EXPECT_EQ(test, msi_table_free(b->t1, 5), 0);
	KUNIT_EXPECT_EQ(test, msi_table_free(b->t1, 5), -ENOENT);
	KUNIT_EXPECT_EQ(test, msi_table_free(b->t0, 7), -ENOENT);
	/* A range frees what is there, none of it twice */
	KUNIT_EXPECT_EQ(test, msi_table_free_range(b->t1, 1, 7), 0);
}

static void mtt_bad_no_free_index(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(b->t1, 1, MTT_HWSIZE - 1), 0);
	KUNIT_EXPECT_EQ(test, msi_table_alloc(b->t1, MSI_ANY_INDEX, NULL, NULL).index, -ENOSPC);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(b->t1, 1, MTT_HWSIZE - 1), 0);
}

static void mtt_bad_free_requested(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_EQ(test, msi_table_free(b->t0, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(b->t0, 0, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, msi_table_free_range(b->t0, 0, MTT_HWSIZE - 1), -EBUSY);
}

static void mtt_bad_destroy_requested(struct kunit *test, struct mtt_bad *b)
{
	KUNIT_EXPECT_EQ(test, msi_destroy_table(b->t0), -EBUSY);
	KUNIT_EXPECT_TRUE(test, msi_table_can_alloc(b->t0));
}

struct mtt_bad_row {
	const char	*name;
	void		(*run)(struct kunit *test, struct mtt_bad *b);
};

static const struct mtt_bad_row mtt_bad_rows[] = {
	{ "NULL table",				mtt_bad_null_table },
	{ "NULL device, parent or info; invalid info", mtt_bad_create_args },
	{ "default table",			mtt_bad_default_table },
	{ "device managed table",		mtt_bad_managed_table },
	{ "table being destroyed",		mtt_bad_dying_table },
	{ "index at hwsize",			mtt_bad_index_at_hwsize },
	{ "index beyond hwsize",		mtt_bad_index_beyond_hwsize },
	{ "double allocation",			mtt_bad_double_alloc },
	{ "double free",			mtt_bad_double_free },
	{ "no free index",			mtt_bad_no_free_index },
	{ "free with the irq requested",	mtt_bad_free_requested },
	{ "destroy with an irq requested",	mtt_bad_destroy_requested },
};

static void mtt_bad_row_desc(const struct mtt_bad_row *row, char *desc)
{
	strscpy(desc, row->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mtt_bad, mtt_bad_rows, mtt_bad_row_desc);

static void mtt_test_bad_input(struct kunit *test)
{
	const struct mtt_bad_row *row = test->param_value;
	struct mtt_ctx *ctx = test->priv;
	struct msi_table_info info = {
		.name = "mt-managed", .hwsize = MTT_HWSIZE, .ops = &mtt_ops,
		.data = &ctx->store[1],
	};
	struct mtt_snap before, after;
	struct mtt_bad b;
	unsigned int virq;

	b.t0 = mtt_create(test, 0, MTT_HWSIZE, 0);
	b.t1 = mtt_create(test, 1, MTT_HWSIZE, 0);
	b.managed = devm_msi_create_table(ctx->dev, ctx->parent.domain, &info);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b.managed));
	b.def = dev_msi_table(ctx->dev);
	KUNIT_ASSERT_EQ(test, msi_table_alloc_range(b.t0, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, msi_table_alloc(b.t1, 0, NULL, NULL).index, 0);
	virq = msi_get_virq(b.t0, 1);
	KUNIT_ASSERT_EQ(test, request_irq(virq, mtt_handler, 0, "mt", ctx), 0);

	mtt_snapshot(test, &before);
	row->run(test, &b);
	mtt_snapshot(test, &after);
	mtt_expect_snap(test, &before, &after, row->name, 0);

	/* The requested interrupt works on */
	mtt_fire(virq);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled), 1);
	free_irq(virq, ctx);
}

static struct kunit_case msi_table_test_cases[] = {
	KUNIT_CASE(mtt_test_create_destroy),
	KUNIT_CASE(mtt_test_create_invalid),
	KUNIT_CASE(mtt_test_default_table),
	KUNIT_CASE(mtt_test_default_table_domain),
	KUNIT_CASE(mtt_test_default_table_alloc_dyn),
	KUNIT_CASE(mtt_test_alloc_range),
	KUNIT_CASE(mtt_test_alloc_range_busy),
	KUNIT_CASE(mtt_test_alloc_range_invalid),
	KUNIT_CASE(mtt_test_alloc_at_index),
	KUNIT_CASE(mtt_test_alloc_any),
	KUNIT_CASE(mtt_test_hwsize_limits),
	KUNIT_CASE(mtt_test_lookup),
	KUNIT_CASE(mtt_test_free_invalid),
	KUNIT_CASE(mtt_test_free_range_partial),
	KUNIT_CASE(mtt_test_iterate),
	KUNIT_CASE(mtt_test_request_and_handle),
	KUNIT_CASE(mtt_test_mask_unmask),
	KUNIT_CASE(mtt_test_affinity),
	KUNIT_CASE(mtt_test_activate_early),
	KUNIT_CASE(mtt_test_two_tables),
	KUNIT_CASE(mtt_test_fault_parent_alloc),
	KUNIT_CASE(mtt_test_fault_parent_any),
	KUNIT_CASE(mtt_test_fault_prepare),
	KUNIT_CASE(mtt_test_fault_activate),
	KUNIT_CASE(mtt_test_fault_slab_create),
	KUNIT_CASE(mtt_test_fault_slab_alloc),
	KUNIT_CASE(mtt_test_fault_slab_default),
	KUNIT_CASE(mtt_test_free_requested),
	KUNIT_CASE(mtt_test_device_removal),
	KUNIT_CASE(mtt_test_concurrent_tables),
	KUNIT_CASE(mtt_test_concurrent_one_table),
	KUNIT_CASE(mtt_test_lookup_while_locked),
	KUNIT_CASE(mtt_test_lookup_races_free),
	KUNIT_CASE(mtt_test_bus_ops),
	KUNIT_CASE(mtt_test_restore),
	KUNIT_CASE_PARAM(mtt_test_bad_input, mtt_bad_gen_params),
	{}
};

static struct kunit_suite msi_table_test_suite = {
	.name		= "msi_table",
	.init		= mtt_init,
	.exit		= mtt_exit,
	.test_cases	= msi_table_test_cases,
};

kunit_test_suite(msi_table_test_suite);

MODULE_DESCRIPTION("KUnit tests for MSI tables");
MODULE_LICENSE("GPL");
