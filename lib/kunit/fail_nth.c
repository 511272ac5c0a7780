// SPDX-License-Identifier: GPL-2.0
/*
 * Fail each slab allocation of a call in turn, with the fail_nth counter
 * of the test's task (Documentation/fault-injection/).
 *
 * fail_nth fails the Nth fault point which the task that sets it passes,
 * and nothing else: failslab's probability stays 0 unless configured, so
 * other tasks are not affected. Its fault points are slab allocations,
 * and every other should_fail() site which is configured and whose
 * filters let the task's call through (page allocations, user copies,
 * futexes, fail_function). failslab sees the task's allocations which
 * may sleep while fail_nth is set; fail_page_alloc keeps its own
 * ignore-gfp-wait and min-order, so the page allocator's sleeping
 * allocations, such as kmalloc() above KMALLOC_MAX_CACHE_SIZE, are not
 * walked unless those are changed.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/fault-inject.h>
#include <linux/sched.h>

/* Larger than the allocations of any call a test walks */
#define KUNIT_FAIL_NTH_COUNT	BIT(30)

#ifdef CONFIG_FAULT_INJECTION
static void kunit_set_fail_nth(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

static unsigned int kunit_get_fail_nth(void)
{
	return READ_ONCE(current->fail_nth);
}
#else
static void kunit_set_fail_nth(unsigned int n)
{
}

static unsigned int kunit_get_fail_nth(void)
{
	return 0;
}
#endif

/**
 * kunit_fault_walk - Fail each slab allocation of a call in turn
 * @test:	The test
 * @walk:	The call, how to undo it and how to check the state
 *
 * Counts the fault points which a successful call passes, then fails
 * each of them in turn. A failed call must return @walk->fault_err and
 * leave the state as it was, which @walk->check() checks after each
 * call. A call may also absorb a failure (e.g. kmemleak falls back to
 * its pool); it must then have worked, which its undo proves.
 *
 * A first call pays what only a first call pays (caches, tree nodes), so
 * that the count is what each call allocates. Should a later call still
 * allocate less than the counting one, it cannot fail at the sites it
 * does not reach: it must have worked, and the walk ends there.
 *
 * Skips @test without CONFIG_FAILSLAB.
 *
 * Return: the number of allocation sites walked.
 */
unsigned int kunit_fault_walk(struct kunit *test,
			      const struct kunit_fault_walk *walk)
{
	int fault_err = walk->fault_err ? : -ENOMEM;
	unsigned int n, sites, left, failed = 0, absorbed = 0;
	int ret;

	if (!IS_ENABLED(CONFIG_FAILSLAB))
		kunit_skip(test, "needs CONFIG_FAILSLAB");

	walk->save(test);
	ret = walk->run(test);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s without a fault", walk->name);
	walk->undo(test, ret);
	walk->check(test, walk->name, 0);

	kunit_set_fail_nth(KUNIT_FAIL_NTH_COUNT);
	ret = walk->run(test);
	sites = KUNIT_FAIL_NTH_COUNT - kunit_get_fail_nth();
	kunit_set_fail_nth(0);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s without a fault", walk->name);
	walk->undo(test, ret);
	walk->check(test, walk->name, 0);

	for (n = 1; n <= sites; n++) {
		kunit_set_fail_nth(n);
		ret = walk->run(test);
		left = kunit_get_fail_nth();
		kunit_set_fail_nth(0);
		if (left) {
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s: site %u not reached",
					    walk->name, n);
			walk->undo(test, ret);
			walk->check(test, walk->name, n);
			kunit_info(test, "%s: the calls after the count reach %u of its %u sites\n",
				   walk->name, n - 1, sites);
			sites = n - 1;
			break;
		}
		if (ret) {
			failed++;
			KUNIT_EXPECT_EQ_MSG(test, ret, fault_err, "%s, site %u",
					    walk->name, n);
		} else {
			absorbed++;
		}
		walk->undo(test, ret);
		walk->check(test, walk->name, n);
	}
	kunit_info(test, "%s: %u allocation sites, %u failed the call, %u absorbed\n",
		   walk->name, sites, failed, absorbed);
	KUNIT_EXPECT_GT(test, failed, 0U);
	return sites;
}
EXPORT_SYMBOL_GPL(kunit_fault_walk);
