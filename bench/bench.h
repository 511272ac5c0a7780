/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing and reporting helpers of the MSI table benchmarks, shared by
 * the module for the patched tree and the one for the 6.1 base.
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
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/sort.h>

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

/* Print plain counts, e.g. operations per second */
static inline void bench_report(const char *name, struct bench_stat *s,
				const char *unit)
{
	if (!s->n) {
		pr_info("msi-bench: %s failed\n", name);
		return;
	}
	sort(s->v, s->n, sizeof(s->v[0]), bench_cmp_u64, NULL);
	pr_info("msi-bench: %s median %llu min %llu max %llu %s\n", name,
		s->v[s->n / 2], s->v[0], s->v[s->n - 1], unit);
}

static inline void bench_value(const char *name, u64 v, const char *unit)
{
	pr_info("msi-bench: %s value %llu %s\n", name, v, unit);
}

/*
 * Picoseconds per evaluation of @expr, whose results are summed into
 * @sink so that the compiler keeps the calls: evaluates it for
 * BENCH_SPAN_NS in bursts of @burst, with @i counting through the burst.
 * The clock is read once a burst: the guest's clocksource is the HPET
 * (QEMU marks the TSC unstable), whose reads would otherwise be part of
 * the figure.
 */
#define BENCH_LOOP_PS(sink, i, burst, expr)				\
({									\
	u64 __start = ktime_get_ns(), __end, __ops = 0;		\
	unsigned int __burst = (burst);					\
	do {								\
		for ((i) = 0; (i) < __burst; (i)++)			\
			(sink) += (expr);				\
		__ops += __burst;					\
		__end = ktime_get_ns();					\
	} while (__end - __start < BENCH_SPAN_NS);			\
	div64_u64((__end - __start) * 1000, __ops);			\
})

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
 * Run @fn on @cpu and wait for it: the measuring thread stays on one CPU
 * and the other is left to the lock holder or the second worker.
 */
static inline int bench_run_on(unsigned int cpu, int (*fn)(void *data), void *data)
{
	struct bench_call c = { .fn = fn, .data = data };
	struct task_struct *t;

	init_completion(&c.done);
	t = bench_thread(bench_call_fn, &c, cpu, "msi-bench");
	if (IS_ERR(t))
		return PTR_ERR(t);
	wake_up_process(t);
	wait_for_completion(&c.done);
	return c.ret;
}

#endif /* _MSI_BENCH_H */
