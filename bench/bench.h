/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing and reporting helpers of the MSI table benchmarks, shared by
 * the module for the patched tree and the one for the 6.12 base.
 *
 * Every figure is measured BENCH_SAMPLES times and reported as one line
 *
 *   msi-bench: <name> median <m> min <lo> max <hi> <unit>
 *
 * which scripts/bench.sh collects from the guest's console. Times are
 * kept in picoseconds so that a few nanoseconds per operation keep a
 * decimal.
 */
#ifndef _MSI_BENCH_H
#define _MSI_BENCH_H

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/irq.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/msi_api.h>
#include <linux/printk.h>
#include <linux/sched/task.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/xarray.h>

#define BENCH_SAMPLES		11
/* A lookup sample runs this long, reading the clock once a burst */
#define BENCH_SPAN_NS		(20 * NSEC_PER_MSEC)
#define BENCH_BURST		4096
/* The burst of a lookup which may wait for a lock */
#define BENCH_BURST_BLOCKING	64
/* The lookups cycle through this many entries of a table */
#define BENCH_VECTORS		64
/* The lock holder of the contended lookup holds the lock this long */
#define BENCH_HOLD_US		100
/* A free sample runs this long; frees cost microseconds under TCG */
#define BENCH_FREE_SPAN_NS	(100 * NSEC_PER_MSEC)
/* A free sample or the background allocates this many vectors at once */
#define BENCH_BATCH		16
/* The measuring thread runs on this CPU, the background on the other */
#define BENCH_CPU		0
#define BENCH_BG_CPU		1

struct bench_stat {
	u64	v[BENCH_SAMPLES];
	int	n;
};

static inline int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static inline void bench_add(struct bench_stat *s, u64 v)
{
	if (s->n < BENCH_SAMPLES)
		s->v[s->n++] = v;
}

/* A failed sample (0) is left out: a figure without samples is reported failed */
static inline void bench_add_nz(struct bench_stat *s, u64 v)
{
	if (v)
		bench_add(s, v);
}

/* Print picoseconds as nanoseconds with one decimal */
static inline void bench_report_ps(const char *name, struct bench_stat *s)
{
	if (!s->n) {
		pr_info("msi-bench: %s failed\n", name);
		return;
	}
	sort(s->v, s->n, sizeof(s->v[0]), bench_cmp_u64, NULL);
	pr_info("msi-bench: %s median %llu.%llu min %llu.%llu max %llu.%llu ns\n",
		name, s->v[s->n / 2] / 1000, s->v[s->n / 2] % 1000 / 100,
		s->v[0] / 1000, s->v[0] % 1000 / 100,
		s->v[s->n - 1] / 1000, s->v[s->n - 1] % 1000 / 100);
}

static inline void bench_value(const char *name, u64 v, const char *unit)
{
	pr_info("msi-bench: %s value %llu %s\n", name, v, unit);
}

/*
 * A sample of an operation which takes nanoseconds: the operation is
 * repeated in bursts for BENCH_SPAN_NS, and the clock read once a burst,
 * so that the reads of the clock are not part of the figure.
 *
 *	bench_span_start(&span);
 *	do {
 *		for (i = 0; i < burst; i++)
 *			sink += op(i);
 *	} while (bench_span_more(&span, burst));
 *	return bench_span_ps(&span);
 *
 * Summing the results into a sink which is stored keeps the compiler from
 * dropping the calls.
 */
struct bench_span {
	u64	start;
	u64	end;
	u64	ops;
};

static inline void bench_span_start(struct bench_span *span)
{
	span->ops = 0;
	span->start = ktime_get_ns();
}

/* Count a burst of @burst operations: whether the sample goes on */
static inline bool bench_span_more(struct bench_span *span, unsigned int burst)
{
	span->ops += burst;
	span->end = ktime_get_ns();
	return span->end - span->start < BENCH_SPAN_NS;
}

/* Picoseconds per operation of the sample */
static inline u64 bench_span_ps(struct bench_span *span)
{
	return div64_u64((span->end - span->start) * 1000, span->ops);
}

/*
 * The floor of a lookup: an xarray of the module's own which holds the
 * descriptor of each of the table's first BENCH_VECTORS entries at its
 * index, as the table's store does, which modules cannot read. Filled
 * in index order from @virqs, as the MSI core fills a store.
 */
static inline int bench_floor_init(struct xarray *floor, const unsigned int *virqs)
{
	struct msi_desc *desc;
	unsigned int i;
	int ret;

	xa_init_flags(floor, XA_FLAGS_ALLOC);
	for (i = 0; i < BENCH_VECTORS; i++) {
		desc = irq_get_msi_desc(virqs[i]);
		ret = desc ? xa_err(xa_store(floor, i, desc, GFP_KERNEL)) : -ENXIO;
		if (ret) {
			xa_destroy(floor);
			return ret;
		}
	}
	return 0;
}

/* A kthread on @cpu, created stopped */
static inline struct task_struct *bench_thread(int (*fn)(void *), void *data,
					       unsigned int cpu, const char *name)
{
	struct task_struct *t;

	t = kthread_create(fn, data, "%s/%u", name, cpu);
	if (!IS_ERR(t))
		kthread_bind(t, cpu);
	return t;
}

struct bench_call {
	int			(*fn)(void *data);
	void			*data;
	int			ret;
	struct completion	done;
};

static inline int bench_call_fn(void *p)
{
	struct bench_call *c = p;

	c->ret = c->fn(c->data);
	/* Not back into module text, which may be gone once @done is */
	kthread_complete_and_exit(&c->done, 0);
}

/*
 * Run @fn on BENCH_CPU and wait for it: the measuring thread stays on one
 * CPU and the other is left to the background.
 */
static inline int bench_run(int (*fn)(void *data), void *data)
{
	struct bench_call c = { .fn = fn, .data = data };
	struct task_struct *t;

	init_completion(&c.done);
	t = bench_thread(bench_call_fn, &c, BENCH_CPU, "msi-bench");
	if (IS_ERR(t))
		return PTR_ERR(t);
	wake_up_process(t);
	wait_for_completion(&c.done);
	return c.ret;
}

/*
 * The background of a contended figure: a thread on BENCH_BG_CPU which
 * calls @fn until it is stopped or @fn fails, e.g. holds a lock for a
 * while or allocates and frees a batch of vectors.
 */
struct bench_bg {
	int			(*fn)(void *data);
	void			*data;
	unsigned long		rounds;
	struct task_struct	*task;
};

static inline int bench_bg_fn(void *p)
{
	struct bench_bg *bg = p;
	int ret;

	while (!kthread_should_stop()) {
		ret = bg->fn(bg->data);
		WRITE_ONCE(bg->rounds, bg->rounds + 1);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/* Start the background and wait until it has run once */
static inline int bench_bg_start(struct bench_bg *bg)
{
	bg->rounds = 0;
	bg->task = bench_thread(bench_bg_fn, bg, BENCH_BG_CPU, "msi-bench-bg");
	if (IS_ERR(bg->task))
		return PTR_ERR(bg->task);
	/* The thread returns by itself if @fn fails: kthread_stop_put() */
	get_task_struct(bg->task);
	wake_up_process(bg->task);
	while (!READ_ONCE(bg->rounds))
		cond_resched();
	return 0;
}

/* Stop the background: the error of @fn, if it failed */
static inline int bench_bg_stop(struct bench_bg *bg)
{
	return kthread_stop_put(bg->task);
}

/*
 * Vectors of one kind which a pool allocates and frees one at a time:
 * of a parent domain, a table or the MSI-X table of the PCI device.
 * @map holds what a slot's allocation returned, for its free.
 */
struct bench_pool;

struct bench_pool_ops {
	/* Allocate a vector into @pool->map[@slot]: 0 or an error code */
	int	(*alloc)(struct bench_pool *pool, unsigned int slot);
	void	(*free)(struct bench_pool *pool, unsigned int slot);
};

struct bench_pool {
	const struct bench_pool_ops	*ops;
	void				*owner;
	struct msi_map			*map;
};

/* Free the vectors of slots 0..@n-1 */
static inline void bench_pool_drain(struct bench_pool *pool, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		pool->ops->free(pool, i);
}

/* Allocate vectors into slots 0..@n-1: all of them or, on error, none */
static inline int bench_pool_fill(struct bench_pool *pool, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = pool->ops->alloc(pool, i);
		if (ret) {
			pr_err("msi-bench: allocation %u of %u: %d\n", i, n, ret);
			bench_pool_drain(pool, i);
			return ret;
		}
	}
	return 0;
}

/*
 * Free what @nr pools hold after a failed allocation of slot @i of pool
 * @k turns after @first: the pools before it hold @i + 1 vectors.
 */
static inline void bench_pools_unwind(struct bench_pool *pools, unsigned int nr,
				      unsigned int first, unsigned int k,
				      unsigned int i)
{
	unsigned int j;

	for (j = 0; j < nr; j++)
		bench_pool_drain(&pools[(first + j) % nr], j < k ? i + 1 : i);
}

/* Picoseconds per vector of a pool's allocations and of its frees */
struct bench_fill_ps {
	u64	alloc;
	u64	free;
};

/*
 * @rounds fills of @n vectors and their frees, for each of @nr pools, into
 * @ps[]. The pools take turns vector by vector, each allocation and free
 * timed on its own: under TCG the machine slows down and speeds up by a
 * factor of two for a while, which whole samples of one pool after
 * another would see as a difference between the pools.
 */
static inline int bench_pools_fill_ps(struct bench_pool *pools, unsigned int nr,
				      unsigned int n, unsigned int rounds,
				      struct bench_fill_ps *ps)
{
	unsigned int r, i, k, p;
	u64 t;
	int ret;

	memset(ps, 0, nr * sizeof(*ps));
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			/* Each pool in turn goes first, also at N = 1 */
			for (k = 0; k < nr; k++) {
				p = (r + i + k) % nr;
				t = ktime_get_ns();
				ret = pools[p].ops->alloc(&pools[p], i);
				ps[p].alloc += ktime_get_ns() - t;
				if (ret) {
					pr_err("msi-bench: allocation %u of %u: %d\n", i, n, ret);
					bench_pools_unwind(pools, nr, (r + i) % nr, k, i);
					return ret;
				}
			}
		}
		for (i = 0; i < n; i++) {
			for (k = 0; k < nr; k++) {
				p = (r + i + k) % nr;
				t = ktime_get_ns();
				pools[p].ops->free(&pools[p], i);
				ps[p].free += ktime_get_ns() - t;
			}
		}
	}
	for (p = 0; p < nr; p++) {
		ps[p].alloc = div64_u64(ps[p].alloc * 1000, (u64)rounds * n);
		ps[p].free = div64_u64(ps[p].free * 1000, (u64)rounds * n);
	}
	return 0;
}

/*
 * Picoseconds per free, of batches of BENCH_BATCH vectors allocated
 * before: only the frees are timed. 0 on failure.
 */
static inline u64 bench_pool_free_ps(struct bench_pool *pool)
{
	u64 start = ktime_get_ns(), t, spent = 0, ops = 0;

	do {
		if (bench_pool_fill(pool, BENCH_BATCH))
			return 0;
		t = ktime_get_ns();
		bench_pool_drain(pool, BENCH_BATCH);
		spent += ktime_get_ns() - t;
		ops += BENCH_BATCH;
	} while (ktime_get_ns() - start < BENCH_FREE_SPAN_NS);
	return div64_u64(spent * 1000, ops);
}

/* The background which allocates: a batch of vectors, then their frees */
static inline int bench_pool_cycle(void *data)
{
	struct bench_pool *pool = data;
	int ret;

	ret = bench_pool_fill(pool, BENCH_BATCH);
	if (!ret)
		bench_pool_drain(pool, BENCH_BATCH);
	return ret;
}

/*
 * A figure measured alone and with a background: @fn returns picoseconds
 * per operation, 0 on failure, @busy telling it whether the background
 * runs.
 */
struct bench_probe {
	u64			(*fn)(void *data, bool busy);
	void			*data;
	struct bench_stat	alone;
	struct bench_stat	busy;
};

/*
 * Sample @nr probes alone and while @bg runs on the other CPU, in turns,
 * so that all see the same noise.
 */
static inline int bench_contend(struct bench_probe *probes, unsigned int nr,
				struct bench_bg *bg)
{
	unsigned int p;
	int s, ret;

	if (num_online_cpus() < 2)
		return -ENODEV;
	for (s = 0; s < BENCH_SAMPLES; s++) {
		for (p = 0; p < nr; p++)
			bench_add_nz(&probes[p].alone, probes[p].fn(probes[p].data, false));
		ret = bench_bg_start(bg);
		if (ret)
			return ret;
		for (p = 0; p < nr; p++)
			bench_add_nz(&probes[p].busy, probes[p].fn(probes[p].data, true));
		ret = bench_bg_stop(bg);
		if (ret)
			return ret;
	}
	return 0;
}

/* Report a probe as <prefix>.<name> and <prefix>.<name>.<busy> */
static inline void bench_report_probe(struct bench_probe *probe, const char *prefix,
				      const char *name, const char *busy)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s.%s", prefix, name);
	bench_report_ps(buf, &probe->alone);
	snprintf(buf, sizeof(buf), "%s.%s.%s", prefix, name, busy);
	bench_report_ps(buf, &probe->busy);
}

static unsigned long bench_sink;

/* The floor of a lookup, on an xarray from bench_floor_init() */
static inline u64 bench_floor_probe(void *data, bool busy)
{
	struct xarray *floor = data;
	struct bench_span span;
	unsigned long sink = 0;
	unsigned int i;

	bench_span_start(&span);
	do {
		for (i = 0; i < BENCH_BURST; i++)
			sink += (unsigned long)xa_load(floor, i % BENCH_VECTORS);
	} while (bench_span_more(&span, BENCH_BURST));
	bench_sink += sink;
	return bench_span_ps(&span);
}

/* Frees of a pool's vectors, see bench_pool_free_ps() */
static inline u64 bench_free_probe(void *data, bool busy)
{
	return bench_pool_free_ps(data);
}

#endif /* _MSI_BENCH_H */
