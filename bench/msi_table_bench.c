// SPDX-License-Identifier: GPL-2.0
/*
 * What MSI tables cost, measured on the patched tree against floors:
 *
 * - lookup: msi_get_virq(table, index) against a bare xa_load() of the
 *   same descriptors, on the MSI-X table of the benchmark's PCI device
 *   and on a driver table, alone and while another thread holds the
 *   table's lock;
 * - allocation: msi_table_alloc() and msi_table_free(), each per vector,
 *   for a range of table fills, at an index and at any index, against the
 *   parent domain's own irq_domain_alloc_irqs() and irq_dispose_mapping();
 * - contention: lookups and frees of one table while another thread
 *   allocates and frees in another table of the device, and the same on
 *   the PCI device's MSI-X table and on the parent domain;
 * - the size of struct msi_desc.
 *
 * The driver tables belong to a device of the module whose MSI parent
 * domain is a software domain of the module: x86's vector domain does
 * not take driver tables, and the PCI device's MSI-X table keeps its
 * own. The parent only sets the hardware interrupt number and a chip:
 * the floor is the irq core's own cost, which every table allocation
 * pays too. No interrupt is requested, so the tables' store callbacks
 * are never called.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/slab.h>

#include "bench.h"
#include "bench_pci.h"

/* The largest table fill of the allocation figures, the tables' size */
#define BENCH_FILL_MAX		4096
/* An allocation sample allocates at least this many vectors */
#define BENCH_MIN_VECTORS	1024

static const unsigned int bench_fills[] = { 1, 4, 16, 64, 256, 1024, BENCH_FILL_MAX };

/* Software MSI parent domain */

static struct irq_chip bench_parent_chip = {
	.name	= "msi-bench",
};

static int bench_parent_alloc(struct irq_domain *domain, unsigned int virq,
			      unsigned int nr_irqs, void *arg)
{
	unsigned int i;

	for (i = 0; i < nr_irqs; i++)
		irq_domain_set_hwirq_and_chip(domain, virq + i, virq + i,
					      &bench_parent_chip, NULL);
	return 0;
}

static const struct irq_domain_ops bench_parent_ops = {
	.alloc	= bench_parent_alloc,
	.free	= irq_domain_free_irqs_common,
};

/*
 * Takes the domains of the benchmark's tables with what the parent
 * supports. No interrupt fires, so they need no flow handler.
 */
static bool bench_init_dev_msi_info(struct device *dev, struct irq_domain *domain,
				    struct irq_domain *real_parent,
				    struct msi_domain_info *info)
{
	if (info->bus_token != DOMAIN_BUS_DEVICE_MSI)
		return false;
	info->flags &= domain->msi_parent_ops->supported_flags;
	return true;
}

static const struct msi_parent_ops bench_parent_msi_ops = {
	.supported_flags	= MSI_GENERIC_FLAGS_MASK,
	.prefix			= "BENCH-",
	.init_dev_msi_info	= bench_init_dev_msi_info,
};

static struct fwnode_handle *bench_fwnode;
static struct irq_domain *bench_parent;
/* The device of the driver tables, whose MSI parent is bench_parent */
static struct device *bench_dev;

/* Driver tables: the store is never written, nothing is requested */

static void bench_write_msg(struct msi_table *table, struct msi_desc *desc,
			    const struct msi_msg *msg)
{
}

static void bench_mask(struct msi_table *table, struct msi_desc *desc)
{
}

static const struct msi_table_ops bench_store_ops = {
	.write_msg	= bench_write_msg,
	.mask		= bench_mask,
	.unmask		= bench_mask,
};

/* An entry's hardware number in its table's domain is its index */
static void bench_set_desc(msi_alloc_info_t *arg, struct msi_desc *desc)
{
	arg->desc = desc;
	arg->hwirq = desc->msi_index;
}

/*
 * The bus of bench_dev: its tables' domains are device MSI domains with
 * the default domain ops
 */
static const struct msi_domain_template bench_bus = {
	.chip	= { .name = "BENCH" },
	.ops	= { .set_desc = bench_set_desc },
	.info	= {
		.flags		= MSI_FLAG_USE_DEF_DOM_OPS,
		.bus_token	= DOMAIN_BUS_DEVICE_MSI,
	},
};

static struct msi_table *bench_create_table(const char *name)
{
	const struct msi_table_info info = {
		.name	= name,
		.hwsize	= BENCH_FILL_MAX,
		.ops	= &bench_store_ops,
	};

	return msi_create_table(bench_dev, &bench_bus, &info);
}

/* Pools of vectors: the parent domain's and a table's */

static int bench_parent_pool_alloc(struct bench_pool *pool, unsigned int slot)
{
	int virq = irq_domain_alloc_irqs(bench_parent, 1, NUMA_NO_NODE, NULL);

	if (virq <= 0)
		return virq ?: -ENOSPC;
	pool->map[slot].virq = virq;
	return 0;
}

static void bench_parent_pool_free(struct bench_pool *pool, unsigned int slot)
{
	irq_dispose_mapping(pool->map[slot].virq);
}

static const struct bench_pool_ops bench_parent_pool_ops = {
	.alloc	= bench_parent_pool_alloc,
	.free	= bench_parent_pool_free,
};

static int bench_table_alloc(struct bench_pool *pool, unsigned int slot,
			     unsigned int index)
{
	pool->map[slot] = msi_table_alloc(pool->owner, index, NULL, NULL);
	return pool->map[slot].index < 0 ? pool->map[slot].index : 0;
}

static int bench_table_alloc_at(struct bench_pool *pool, unsigned int slot)
{
	return bench_table_alloc(pool, slot, slot);
}

static int bench_table_alloc_any(struct bench_pool *pool, unsigned int slot)
{
	return bench_table_alloc(pool, slot, MSI_ANY_INDEX);
}

static void bench_table_free(struct bench_pool *pool, unsigned int slot)
{
	/* Nothing holds the entry: a failure is a bug of the table */
	WARN_ON_ONCE(msi_table_free(pool->owner, pool->map[slot].index));
}

static const struct bench_pool_ops bench_table_at_ops = {
	.alloc	= bench_table_alloc_at,
	.free	= bench_table_free,
};

static const struct bench_pool_ops bench_table_any_ops = {
	.alloc	= bench_table_alloc_any,
	.free	= bench_table_free,
};

/* Lookup */

struct bench_lookup {
	struct msi_table	*table;
	struct xarray		floor;
};

static int bench_lookup_init(struct bench_lookup *l, struct msi_table *table)
{
	unsigned int virqs[BENCH_VECTORS], i;

	l->table = table;
	for (i = 0; i < BENCH_VECTORS; i++)
		virqs[i] = msi_get_virq(table, i);
	return bench_floor_init(&l->floor, virqs);
}

static u64 bench_lookup_probe(void *data, bool busy)
{
	struct bench_lookup *l = data;
	struct bench_span span;
	unsigned long sink = 0;
	unsigned int i;

	bench_span_start(&span);
	do {
		for (i = 0; i < BENCH_BURST; i++)
			sink += msi_get_virq(l->table, i % BENCH_VECTORS);
	} while (bench_span_more(&span, BENCH_BURST));
	bench_sink += sink;
	return bench_span_ps(&span);
}

static int bench_hold(void *data)
{
	struct msi_table *table = data;

	msi_table_lock(table);
	udelay(BENCH_HOLD_US);
	msi_table_unlock(table);
	return 0;
}

static int bench_lookup_table(struct bench_lookup *l, const char *what)
{
	struct bench_bg holder = { .fn = bench_hold, .data = l->table };
	struct bench_probe probes[] = {
		{ .fn = bench_floor_probe, .data = &l->floor },
		{ .fn = bench_lookup_probe, .data = l },
	};
	char prefix[32];
	int ret;

	ret = bench_contend(probes, ARRAY_SIZE(probes), &holder);
	if (ret)
		return ret;
	snprintf(prefix, sizeof(prefix), "tip.lookup.%s", what);
	bench_report_probe(&probes[0], prefix, "xa_load", "locked");
	bench_report_probe(&probes[1], prefix, "msi_get_virq", "locked");
	return 0;
}

static int bench_lookup(void *data)
{
	struct bench_lookup l;
	struct msi_table *table;
	int ret;

	ret = bench_lookup_init(&l, dev_msi_table(&bench_pdev->dev));
	if (ret)
		return ret;
	ret = bench_lookup_table(&l, "msix");
	xa_destroy(&l.floor);
	if (ret)
		return ret;

	table = bench_create_table("bench-lookup");
	if (IS_ERR(table))
		return PTR_ERR(table);
	ret = msi_table_alloc_range(table, 0, BENCH_VECTORS - 1);
	if (!ret)
		ret = bench_lookup_init(&l, table);
	if (!ret) {
		ret = bench_lookup_table(&l, "driver");
		xa_destroy(&l.floor);
	}
	msi_destroy_table(table);
	return ret;
}

/* Allocation */

enum { BENCH_PARENT, BENCH_AT_INDEX, BENCH_ANY_INDEX, BENCH_MODES };

static const char * const bench_modes[BENCH_MODES] = {
	[BENCH_PARENT]		= "parent",
	[BENCH_AT_INDEX]	= "at_index",
	[BENCH_ANY_INDEX]	= "any_index",
};

static int bench_alloc(void *data)
{
	/* Per mode and fill: [0] the allocations, [1] the frees */
	struct bench_stat (*stat)[ARRAY_SIZE(bench_fills)][2];
	struct bench_fill_ps ps[BENCH_MODES];
	struct bench_pool pool[BENCH_MODES];
	unsigned int f, m, n, rounds;
	struct msi_table *at, *any;
	struct msi_map *map;
	char name[64];
	int s, ret = -ENOMEM;

	stat = kcalloc(BENCH_MODES, sizeof(*stat), GFP_KERNEL);
	map = kvcalloc(BENCH_MODES * BENCH_FILL_MAX, sizeof(*map), GFP_KERNEL);
	if (!stat || !map)
		goto free;
	/* The modes take turns, so each table mode has a table of its own */
	at = bench_create_table("bench-alloc-at");
	if (IS_ERR(at)) {
		ret = PTR_ERR(at);
		goto free;
	}
	any = bench_create_table("bench-alloc-any");
	if (IS_ERR(any)) {
		ret = PTR_ERR(any);
		goto destroy_at;
	}
	pool[BENCH_PARENT] = (struct bench_pool){ &bench_parent_pool_ops, NULL, map };
	pool[BENCH_AT_INDEX] = (struct bench_pool){ &bench_table_at_ops, at,
						    map + BENCH_FILL_MAX };
	pool[BENCH_ANY_INDEX] = (struct bench_pool){ &bench_table_any_ops, any,
						     map + 2 * BENCH_FILL_MAX };

	for (s = 0; s < BENCH_SAMPLES; s++) {
		for (f = 0; f < ARRAY_SIZE(bench_fills); f++) {
			n = bench_fills[f];
			rounds = DIV_ROUND_UP(BENCH_MIN_VECTORS, n);
			/*
			 * Interrupt descriptors go with call_rcu(), the
			 * entries' MSI descriptors with kfree_rcu(): a sample
			 * does not pay for the frees of the one before.
			 */
			rcu_barrier();
			kvfree_rcu_barrier();
			ret = bench_pools_fill_ps(pool, BENCH_MODES, n, rounds, ps);
			if (ret)
				goto destroy;
			for (m = 0; m < BENCH_MODES; m++) {
				bench_add(&stat[m][f][0], ps[m].alloc);
				bench_add(&stat[m][f][1], ps[m].free);
			}
		}
	}

	for (f = 0; f < ARRAY_SIZE(bench_fills); f++) {
		for (m = 0; m < BENCH_MODES; m++) {
			snprintf(name, sizeof(name), "tip.alloc.%u.%s", bench_fills[f],
				 bench_modes[m]);
			bench_report_ps(name, &stat[m][f][0]);
			snprintf(name, sizeof(name), "tip.free.%u.%s", bench_fills[f],
				 bench_modes[m]);
			bench_report_ps(name, &stat[m][f][1]);
		}
	}
destroy:
	msi_destroy_table(any);
destroy_at:
	msi_destroy_table(at);
free:
	kvfree(map);
	kfree(stat);
	return ret;
}

/* Contention */

/* The upstream case: the entries of the PCI device's MSI-X table */
static int bench_contend_msix(void)
{
	struct bench_lookup l;
	int ret;

	ret = bench_lookup_init(&l, dev_msi_table(&bench_pdev->dev));
	if (ret)
		return ret;
	ret = bench_msix_contend("tip", &l.floor, bench_lookup_probe, &l);
	xa_destroy(&l.floor);
	return ret;
}

/*
 * Lookups and frees of one driver table while another thread allocates
 * and frees in a second table of the device.
 */
static int bench_contend_tables(void)
{
	struct msi_map fmap[BENCH_BATCH], bgmap[BENCH_BATCH];
	struct bench_pool frees = { &bench_table_any_ops, NULL, fmap };
	struct bench_pool allocs = { &bench_table_any_ops, NULL, bgmap };
	struct bench_bg bg = { .fn = bench_pool_cycle, .data = &allocs };
	struct bench_lookup l;
	struct bench_probe probes[] = {
		{ .fn = bench_floor_probe, .data = &l.floor },
		{ .fn = bench_lookup_probe, .data = &l },
		{ .fn = bench_free_probe, .data = &frees },
	};
	struct msi_table *t[2];
	int ret;

	t[0] = bench_create_table("bench-conc0");
	if (IS_ERR(t[0]))
		return PTR_ERR(t[0]);
	t[1] = bench_create_table("bench-conc1");
	if (IS_ERR(t[1])) {
		ret = PTR_ERR(t[1]);
		goto destroy;
	}
	frees.owner = t[0];
	allocs.owner = t[1];

	ret = msi_table_alloc_range(t[0], 0, BENCH_VECTORS - 1);
	if (!ret)
		ret = bench_lookup_init(&l, t[0]);
	if (ret)
		goto destroy1;
	ret = bench_contend(probes, ARRAY_SIZE(probes), &bg);
	xa_destroy(&l.floor);
	if (ret)
		goto destroy1;
	bench_report_probe(&probes[0], "tip.conc.driver", "xa_load", "busy");
	bench_report_probe(&probes[1], "tip.conc.driver", "lookup", "busy");
	bench_report_probe(&probes[2], "tip.conc.driver", "free", "busy");

destroy1:
	msi_destroy_table(t[1]);
destroy:
	msi_destroy_table(t[0]);
	return ret;
}

/* The floor: frees of the parent domain while another thread allocates */
static int bench_contend_parent(void)
{
	struct msi_map fmap[BENCH_BATCH], bgmap[BENCH_BATCH];
	struct bench_pool frees = { &bench_parent_pool_ops, NULL, fmap };
	struct bench_pool allocs = { &bench_parent_pool_ops, NULL, bgmap };
	struct bench_bg bg = { .fn = bench_pool_cycle, .data = &allocs };
	struct bench_probe probe = { .fn = bench_free_probe, .data = &frees };
	int ret;

	ret = bench_contend(&probe, 1, &bg);
	if (!ret)
		bench_report_probe(&probe, "tip.conc.parent", "free", "busy");
	return ret;
}

static int bench_contention(void *data)
{
	int ret;

	ret = bench_contend_msix();
	if (!ret)
		ret = bench_contend_tables();
	if (!ret)
		ret = bench_contend_parent();
	return ret;
}

static int __init bench_init(void)
{
	static const struct {
		const char	*name;
		int		(*fn)(void *data);
	} parts[] = {
		{ "lookup",		bench_lookup },
		{ "allocation",		bench_alloc },
		{ "contention",		bench_contention },
	};
	unsigned int i;
	int ret;

	bench_fwnode = irq_domain_alloc_named_fwnode("msi-bench");
	if (!bench_fwnode)
		return -ENOMEM;
	bench_parent = irq_domain_create_hierarchy(NULL, IRQ_DOMAIN_FLAG_MSI_PARENT, 0,
						   bench_fwnode, &bench_parent_ops, NULL);
	if (!bench_parent) {
		ret = -ENOMEM;
		goto free_fwnode;
	}
	bench_parent->msi_parent_ops = &bench_parent_msi_ops;
	bench_dev = root_device_register("msi-bench");
	if (IS_ERR(bench_dev)) {
		ret = PTR_ERR(bench_dev);
		goto remove_parent;
	}
	dev_set_msi_domain(bench_dev, bench_parent);
	ret = pci_register_driver(&bench_pci_driver);
	if (ret)
		goto unregister_dev;
	if (!bench_pdev) {
		pr_err("msi-bench: no virtio-rng-pci device with %d MSI-X entries\n",
		       BENCH_MSIX_SIZE);
		ret = -ENODEV;
		goto unregister;
	}

	bench_value("tip.sizeof.msi_desc", sizeof(struct msi_desc), "bytes");
	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		ret = bench_run(parts[i].fn, NULL);
		if (ret)
			pr_err("msi-bench: %s failed: %d\n", parts[i].name, ret);
	}
	pr_info("msi-bench: done\n");
	return 0;

unregister:
	pci_unregister_driver(&bench_pci_driver);
unregister_dev:
	root_device_unregister(bench_dev);
remove_parent:
	irq_domain_remove(bench_parent);
free_fwnode:
	irq_domain_free_fwnode(bench_fwnode);
	return ret;
}
module_init(bench_init);

static void __exit bench_exit(void)
{
	pci_unregister_driver(&bench_pci_driver);
	/* Its MSI data, with the tables' domains, goes before their parent */
	root_device_unregister(bench_dev);
	irq_domain_remove(bench_parent);
	irq_domain_free_fwnode(bench_fwnode);
}
module_exit(bench_exit);

MODULE_DESCRIPTION("Benchmarks of MSI tables against their floors");
MODULE_LICENSE("GPL");
