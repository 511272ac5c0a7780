// SPDX-License-Identifier: GPL-2.0
/*
 * What MSI tables cost, measured on the patched tree against floors:
 *
 * - lookup: msi_get_virq(table, index) against a bare xa_load() on the
 *   table's xarray, on the MSI-X table of the benchmark's PCI device and
 *   on a driver table, then again while another thread holds the
 *   table's lock;
 * - allocation: msi_table_alloc() and msi_table_free() per vector for a
 *   range of table fills, at an index and at any index, against the
 *   parent domain's own irq_domain_alloc_irqs() and irq_domain_free_irqs()
 *   (through irq_dispose_mapping(), which 6.1 exports);
 * - concurrency: two tables of one device allocating and freeing from
 *   two CPUs against one table from two CPUs;
 * - memory: slab bytes per table and per entry, and the sizes of the
 *   structures.
 *
 * The driver tables are children of a software parent domain which only
 * sets the hardware interrupt number and a chip: the floor is the irq
 * core's own cost, which every table allocation pays too. No interrupt
 * is requested, so the tables' store callbacks are never called.
 */
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/slab.h>

#include "bench.h"
#include "bench_pci.h"

/* The hardware size of the benchmark's driver tables */
#define BENCH_TABLE_MAX		8192
/* A sample allocates at least this many vectors */
#define BENCH_MIN_VECTORS	256
/* A concurrency sample runs this long */
#define BENCH_CONC_NS		(200 * NSEC_PER_MSEC)
/* A concurrency worker allocates this many vectors, then frees them */
#define BENCH_CONC_BATCH	16
/* Tables created for the memory figure */
#define BENCH_MEM_TABLES	256

static const unsigned int bench_fills[] = { 1, 16, 256, 4096, BENCH_TABLE_MAX };

static unsigned long bench_sink;
/* The interrupt numbers or table indices a fill has allocated */
static unsigned int *bench_ids;

/* Software parent domain */

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

static struct fwnode_handle *bench_fwnode;
static struct irq_domain *bench_parent;

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

static struct msi_table *bench_create_table(const char *name)
{
	const struct msi_table_info info = {
		.name	= name,
		.hwsize	= BENCH_TABLE_MAX,
		.ops	= &bench_store_ops,
	};

	return msi_create_table(&bench_pdev->dev, bench_parent, &info);
}

/* Lookup */

static int bench_hold(void *data)
{
	struct msi_table *table = data;

	while (!kthread_should_stop()) {
		msi_table_lock(table);
		udelay(BENCH_HOLD_US);
		msi_table_unlock(table);
		cond_resched();
	}
	return 0;
}

static int bench_lookup_table(struct msi_table *table, const char *what)
{
	struct bench_stat floor = { }, get = { }, held = { };
	struct xarray *store = &table->store;
	struct task_struct *holder;
	unsigned long sink = 0;
	unsigned int i;
	char name[64];
	int s;

	if (num_online_cpus() < 2)
		return -ENODEV;
	for (i = 0; i < BENCH_VECTORS; i++) {
		if (!msi_get_virq(table, i))
			return -ENXIO;
	}

	/* Interleaved, so that both see the same noise */
	for (s = 0; s < BENCH_SAMPLES; s++) {
		bench_add(&floor, BENCH_LOOP_PS(sink, i, BENCH_BURST,
						(unsigned long)xa_load(store, i % BENCH_VECTORS)));
		bench_add(&get, BENCH_LOOP_PS(sink, i, BENCH_BURST,
					      msi_get_virq(table, i % BENCH_VECTORS)));
	}

	holder = bench_thread(bench_hold, table, 1, "msi-bench-hold");
	if (IS_ERR(holder))
		return PTR_ERR(holder);
	wake_up_process(holder);
	for (s = 0; s < BENCH_SAMPLES; s++)
		bench_add(&held, BENCH_LOOP_PS(sink, i, BENCH_BURST,
					       msi_get_virq(table, i % BENCH_VECTORS)));
	kthread_stop(holder);
	bench_sink = sink;

	snprintf(name, sizeof(name), "tip.lookup.%s.xa_load", what);
	bench_report_ps(name, &floor);
	snprintf(name, sizeof(name), "tip.lookup.%s.msi_get_virq", what);
	bench_report_ps(name, &get);
	snprintf(name, sizeof(name), "tip.lookup.%s.msi_get_virq_locked", what);
	bench_report_ps(name, &held);
	return 0;
}

static int bench_lookup(void *data)
{
	struct msi_table *table;
	int ret;

	ret = bench_lookup_table(dev_msi_table(&bench_pdev->dev), "msix");
	if (ret)
		return ret;

	table = bench_create_table("bench-lookup");
	if (IS_ERR(table))
		return PTR_ERR(table);
	ret = msi_table_alloc_range(table, 0, BENCH_VECTORS - 1);
	if (!ret)
		ret = bench_lookup_table(table, "driver");
	msi_table_free_range(table, 0, BENCH_VECTORS - 1);
	msi_destroy_table(table);
	return ret;
}

/* Allocation */

/* Picoseconds per vector of @rounds fills of the parent domain with @n */
static u64 bench_fill_parent(unsigned int n, unsigned int rounds)
{
	u64 start = ktime_get_ns();
	unsigned int r, i, done;
	int virq;

	for (r = 0; r < rounds; r++) {
		for (done = 0; done < n; done++) {
			virq = irq_domain_alloc_irqs(bench_parent, 1, NUMA_NO_NODE, NULL);
			if (virq <= 0)
				break;
			bench_ids[done] = virq;
		}
		for (i = 0; i < done; i++)
			irq_dispose_mapping(bench_ids[i]);
		if (done < n)
			return 0;
	}
	return div64_u64((ktime_get_ns() - start) * 1000, (u64)rounds * n);
}

/* The same for a table, at indices 0..n-1 or at any index */
static u64 bench_fill_table(struct msi_table *table, unsigned int n,
			    unsigned int rounds, bool any)
{
	u64 start = ktime_get_ns();
	struct msi_map map = { };
	unsigned int r, i, done;

	for (r = 0; r < rounds; r++) {
		for (done = 0; done < n; done++) {
			map = msi_table_alloc(table, any ? MSI_ANY_INDEX : done,
					      NULL, NULL);
			if (map.virq <= 0)
				break;
			bench_ids[done] = map.index;
		}
		for (i = 0; i < done; i++)
			msi_table_free(table, bench_ids[i]);
		if (done < n) {
			pr_err("msi-bench: table allocation %u of %u: %d\n",
			       done, n, map.virq);
			return 0;
		}
	}
	return div64_u64((ktime_get_ns() - start) * 1000, (u64)rounds * n);
}

/* Mode 0: the parent domain, 1: a table at index, 2: at any index */
static u64 bench_fill(struct msi_table *table, unsigned int n,
		      unsigned int rounds, unsigned int mode)
{
	if (!mode)
		return bench_fill_parent(n, rounds);
	return bench_fill_table(table, n, rounds, mode == 2);
}

static void bench_add_nz(struct bench_stat *s, u64 v)
{
	if (v)
		bench_add(s, v);
}

static int bench_alloc(void *data)
{
	struct bench_stat parent[ARRAY_SIZE(bench_fills)] = { };
	struct bench_stat at[ARRAY_SIZE(bench_fills)] = { };
	struct bench_stat any[ARRAY_SIZE(bench_fills)] = { };
	struct msi_table *table;
	unsigned int f, k, m, n, rounds;
	struct bench_stat *stat;
	char name[64];
	int s;

	table = bench_create_table("bench-alloc");
	if (IS_ERR(table))
		return PTR_ERR(table);

	/*
	 * Interleaved, so that all see the same noise, and in turns and
	 * after an RCU barrier, so that none pays for the callbacks of the
	 * frees of the one before.
	 */
	for (s = 0; s < BENCH_SAMPLES; s++) {
		for (f = 0; f < ARRAY_SIZE(bench_fills); f++) {
			n = bench_fills[f];
			rounds = DIV_ROUND_UP(BENCH_MIN_VECTORS, n);
			for (k = 0; k < 3; k++) {
				m = (s + k) % 3;
				stat = m == 0 ? &parent[f] : m == 1 ? &at[f] : &any[f];
				/* The interrupt descriptors freed so far go first */
				rcu_barrier();
				bench_add_nz(stat, bench_fill(table, n, rounds, m));
			}
		}
	}
	msi_destroy_table(table);

	for (f = 0; f < ARRAY_SIZE(bench_fills); f++) {
		snprintf(name, sizeof(name), "tip.alloc.%u.parent", bench_fills[f]);
		bench_report_ps(name, &parent[f]);
		snprintf(name, sizeof(name), "tip.alloc.%u.at_index", bench_fills[f]);
		bench_report_ps(name, &at[f]);
		snprintf(name, sizeof(name), "tip.alloc.%u.any_index", bench_fills[f]);
		bench_report_ps(name, &any[f]);
	}
	return 0;
}

/* Concurrency */

struct bench_worker {
	struct msi_table	*table;		/* NULL: the parent domain */
	bool			lookup;		/* look up, do not allocate */
	u64			start;
	u64			end;
	u64			vectors;
	int			err;
	struct completion	done;
	struct task_struct	*task;
};

/* One batch: allocate BENCH_CONC_BATCH vectors, then free them */
static int bench_batch(struct msi_table *table)
{
	unsigned int v[BENCH_CONC_BATCH];
	unsigned int i, done;
	struct msi_map map;
	int ret = 0;

	for (done = 0; done < BENCH_CONC_BATCH; done++) {
		if (table) {
			map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
			ret = map.virq;
			v[done] = map.index;
		} else {
			ret = irq_domain_alloc_irqs(bench_parent, 1, NUMA_NO_NODE, NULL);
			v[done] = ret;
		}
		if (ret <= 0)
			break;
	}
	for (i = 0; i < done; i++) {
		if (table)
			msi_table_free(table, v[i]);
		else
			irq_dispose_mapping(v[i]);
	}
	if (ret > 0)
		return 0;
	return ret ?: -ENOSPC;
}

static int bench_worker_fn(void *data)
{
	struct bench_worker *w = data;
	unsigned long sink = 0;
	unsigned int i;

	while (ktime_get_ns() < w->start)
		cpu_relax();
	while (ktime_get_ns() < w->end) {
		if (w->lookup) {
			for (i = 0; i < BENCH_BURST; i++)
				sink += msi_get_virq(w->table, i % BENCH_VECTORS);
			w->vectors += BENCH_BURST;
			continue;
		}
		w->err = bench_batch(w->table);
		if (w->err)
			break;
		w->vectors += BENCH_CONC_BATCH;
	}
	WRITE_ONCE(bench_sink, sink);
	/* A worker which never ran in the window fails the sample */
	if (!w->err && !w->vectors)
		w->err = -ETIME;
	kthread_complete_and_exit(&w->done, 0);
}

/*
 * Vectors allocated and freed, or looked up, per second by @nr workers on
 * CPUs 0..nr-1, worker i on @tables[i]; 0 on failure.
 */
static u64 bench_run_workers(struct msi_table **tables, unsigned int nr,
			     bool lookup)
{
	struct bench_worker w[2] = { };
	u64 start, vectors = 0;
	unsigned int i;
	int err = 0;

	/*
	 * All workers exist before the window is set and any is woken: the
	 * one on this thread's CPU would otherwise run its whole window
	 * before this thread gets to wake the other.
	 */
	for (i = 0; i < nr; i++) {
		w[i].table = tables[i];
		w[i].lookup = lookup;
		init_completion(&w[i].done);
		w[i].task = bench_thread(bench_worker_fn, &w[i], i, "msi-bench-worker");
		if (IS_ERR(w[i].task)) {
			err = PTR_ERR(w[i].task);
			break;
		}
	}
	if (err) {
		while (i--)
			kthread_stop(w[i].task);
		return 0;
	}
	start = ktime_get_ns() + NSEC_PER_MSEC;
	for (i = 0; i < nr; i++) {
		w[i].start = start;
		w[i].end = start + BENCH_CONC_NS;
		wake_up_process(w[i].task);
	}
	for (i = 0; i < nr; i++) {
		wait_for_completion(&w[i].done);
		vectors += w[i].vectors;
		err = err ?: w[i].err;
	}
	return err ? 0 : div64_u64(vectors * NSEC_PER_SEC, BENCH_CONC_NS);
}

static int bench_concurrency(void *data)
{
	struct bench_stat parent1 = { }, parent2 = { }, one1 = { }, one2 = { }, two = { };
	struct bench_stat look1 = { }, look2 = { };
	struct msi_table *t[2], *parents[2] = { }, *one[2];
	int s, ret = 0;

	if (num_online_cpus() < 2)
		return -ENODEV;
	t[0] = bench_create_table("bench-conc0");
	if (IS_ERR(t[0]))
		return PTR_ERR(t[0]);
	t[1] = bench_create_table("bench-conc1");
	if (IS_ERR(t[1])) {
		ret = PTR_ERR(t[1]);
		goto destroy;
	}
	one[0] = t[0];
	one[1] = t[0];

	/*
	 * The control: lookups take no lock and scale with the CPUs if
	 * QEMU runs them in parallel.
	 */
	ret = msi_table_alloc_range(t[0], 0, BENCH_VECTORS - 1);
	if (ret)
		goto destroy1;
	for (s = 0; s < BENCH_SAMPLES; s++) {
		bench_add_nz(&look1, bench_run_workers(one, 1, true));
		bench_add_nz(&look2, bench_run_workers(one, 2, true));
	}
	msi_table_free_range(t[0], 0, BENCH_VECTORS - 1);

	for (s = 0; s < BENCH_SAMPLES; s++) {
		bench_add_nz(&parent1, bench_run_workers(parents, 1, false));
		bench_add_nz(&parent2, bench_run_workers(parents, 2, false));
		bench_add_nz(&one1, bench_run_workers(one, 1, false));
		bench_add_nz(&one2, bench_run_workers(one, 2, false));
		bench_add_nz(&two, bench_run_workers(t, 2, false));
	}
	bench_report("tip.conc.lookup.1cpu", &look1, "lookups/s");
	bench_report("tip.conc.lookup.2cpu", &look2, "lookups/s");
	bench_report("tip.conc.parent.1cpu", &parent1, "vectors/s");
	bench_report("tip.conc.parent.2cpu", &parent2, "vectors/s");
	bench_report("tip.conc.one_table.1cpu", &one1, "vectors/s");
	bench_report("tip.conc.one_table.2cpu", &one2, "vectors/s");
	bench_report("tip.conc.two_tables.2cpu", &two, "vectors/s");

destroy1:
	msi_destroy_table(t[1]);
destroy:
	msi_destroy_table(t[0]);
	return ret;
}

/* Memory */

/*
 * Fold the per CPU differences of the VM statistics into the totals, as
 * reading /proc/sys/vm/stat_refresh does: otherwise the slab counters
 * lag by up to a few hundred pages.
 */
static int bench_vmstat_refresh(void)
{
	struct file *f;
	loff_t pos = 0;
	char buf[8];
	ssize_t ret;

	f = filp_open("/proc/sys/vm/stat_refresh", O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_read(f, buf, sizeof(buf), &pos);
	filp_close(f, NULL);
	return ret < 0 ? ret : 0;
}

/* Slab bytes in use, once the RCU callbacks queued so far have run */
static long bench_slab_bytes(void)
{
	rcu_barrier();
	if (bench_vmstat_refresh())
		return -1;
	return (global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) +
		global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B)) * PAGE_SIZE;
}

static void bench_report_bytes(const char *name, long before, long after,
			       unsigned int nr)
{
	if (before < 0 || after < 0)
		pr_info("msi-bench: %s failed\n", name);
	else
		bench_value(name, div_s64(after - before, nr), "bytes");
}

/* Slab bytes per interrupt of the parent domain alone: the floor */
static int bench_mem_parent(void)
{
	long before, after;
	unsigned int i, n;
	int virq, ret = 0;

	before = bench_slab_bytes();
	for (n = 0; n < BENCH_TABLE_MAX; n++) {
		virq = irq_domain_alloc_irqs(bench_parent, 1, NUMA_NO_NODE, NULL);
		if (virq <= 0) {
			ret = virq ?: -ENOSPC;
			break;
		}
		bench_ids[n] = virq;
	}
	after = bench_slab_bytes();
	for (i = 0; i < n; i++)
		irq_dispose_mapping(bench_ids[i]);
	if (!ret)
		bench_report_bytes("tip.mem.parent_irq", before, after, BENCH_TABLE_MAX);
	return ret;
}

static int bench_mem_tables(void)
{
	struct msi_table **tables;
	long before, after;
	unsigned int i, n;
	int ret = 0;

	tables = kcalloc(BENCH_MEM_TABLES, sizeof(*tables), GFP_KERNEL);
	if (!tables)
		return -ENOMEM;
	before = bench_slab_bytes();
	for (n = 0; n < BENCH_MEM_TABLES; n++) {
		tables[n] = bench_create_table("bench-mem");
		if (IS_ERR(tables[n])) {
			ret = PTR_ERR(tables[n]);
			break;
		}
	}
	after = bench_slab_bytes();
	if (n)
		bench_value("tip.ksize.msi_table", ksize(tables[0]), "bytes");
	for (i = 0; i < n; i++)
		msi_destroy_table(tables[i]);
	kfree(tables);
	if (!ret)
		bench_report_bytes("tip.mem.table", before, after, BENCH_MEM_TABLES);
	return ret;
}

static int bench_mem_entries(void)
{
	struct msi_table *table;
	long before, after;
	int ret;

	table = bench_create_table("bench-mem");
	if (IS_ERR(table))
		return PTR_ERR(table);
	before = bench_slab_bytes();
	ret = msi_table_alloc_range(table, 0, BENCH_TABLE_MAX - 1);
	after = bench_slab_bytes();
	if (!ret) {
		bench_report_bytes("tip.mem.entry", before, after, BENCH_TABLE_MAX);
		msi_table_free_range(table, 0, BENCH_TABLE_MAX - 1);
	}
	msi_destroy_table(table);
	return ret;
}

/*
 * In this order: the entries' descriptors are freed with kfree_rcu(),
 * which rcu_barrier() does not wait for in 6.1, and would land in the
 * window of a later measurement.
 */
static int bench_memory(void *data)
{
	int ret;

	bench_value("tip.sizeof.msi_desc", sizeof(struct msi_desc), "bytes");
	bench_value("tip.sizeof.msi_device_data", sizeof(struct msi_device_data), "bytes");
	bench_value("tip.sizeof.msi_table", sizeof(struct msi_table), "bytes");

	ret = bench_mem_parent();
	if (!ret)
		ret = bench_mem_tables();
	if (!ret)
		ret = bench_mem_entries();
	return ret;
}

static int __init bench_init(void)
{
	static const struct {
		const char	*name;
		int		(*fn)(void *data);
	} parts[] = {
		/* Memory first: the others leave frees behind in RCU */
		{ "memory",		bench_memory },
		{ "lookup",		bench_lookup },
		{ "allocation",		bench_alloc },
		{ "concurrency",	bench_concurrency },
	};
	unsigned int i;
	int ret;

	bench_ids = kvcalloc(BENCH_TABLE_MAX, sizeof(*bench_ids), GFP_KERNEL);
	if (!bench_ids)
		return -ENOMEM;
	bench_fwnode = irq_domain_alloc_named_fwnode("msi-bench");
	if (!bench_fwnode) {
		ret = -ENOMEM;
		goto free_virqs;
	}
	bench_parent = irq_domain_create_hierarchy(NULL, 0, 0, bench_fwnode,
						   &bench_parent_ops, NULL);
	if (!bench_parent) {
		ret = -ENOMEM;
		goto free_fwnode;
	}
	ret = pci_register_driver(&bench_pci_driver);
	if (ret)
		goto remove_parent;
	if (!bench_pdev) {
		pr_err("msi-bench: no virtio-rng-pci device with %d MSI-X vectors\n",
		       BENCH_VECTORS);
		ret = -ENODEV;
		goto unregister;
	}

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		ret = bench_run_on(0, parts[i].fn, NULL);
		if (ret)
			pr_err("msi-bench: %s failed: %d\n", parts[i].name, ret);
	}
	pr_info("msi-bench: done\n");
	return 0;

unregister:
	pci_unregister_driver(&bench_pci_driver);
remove_parent:
	irq_domain_remove(bench_parent);
free_fwnode:
	irq_domain_free_fwnode(bench_fwnode);
free_virqs:
	kvfree(bench_ids);
	return ret;
}
module_init(bench_init);

static void __exit bench_exit(void)
{
	pci_unregister_driver(&bench_pci_driver);
	irq_domain_remove(bench_parent);
	irq_domain_free_fwnode(bench_fwnode);
	kvfree(bench_ids);
}
module_exit(bench_exit);

MODULE_DESCRIPTION("Benchmarks of MSI tables against their floors");
MODULE_LICENSE("GPL");
