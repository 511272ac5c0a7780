// SPDX-License-Identifier: GPL-2.0
/*
 * Fail each slab allocation of a call in turn, with the fail_nth
 * counter of the test's task (Documentation/fault-injection/).
 *
 * fail_nth fails the Nth allocation which failslab sees in the task
 * which sets it, and nothing else: other tasks are not affected, as
 * failslab's probability stays 0. But failslab does not see an
 * allocation which may sleep unless its switch ignore-gfp-wait is off.
 * A test turns it off until it ends.
 */
#include <kunit/fail_nth.h>
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/slab.h>

#define KUNIT_FAIL_NTH_COUNT	BIT(30)

struct kunit_failslab {
	bool	*ignore_wait;
	bool	saved;
};

/* Frees the data; KUnit frees the resource, which it may use after this */
static void kunit_failslab_restore(struct kunit_resource *res)
{
	struct kunit_failslab *fs = res->data;

	WRITE_ONCE(*fs->ignore_wait, fs->saved);
	kfree(fs);
}

/*
 * The switch is a debugfs bool, whose inode points at it: the test turns
 * it without a mounted debugfs, as tests run before user space.
 */
static bool *kunit_failslab_switch(void)
{
	struct dentry *dir, *file;
	bool *ignore_wait;

	if (!IS_ENABLED(CONFIG_FAILSLAB) ||
	    !IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		return NULL;
	dir = debugfs_lookup("failslab", NULL);
	if (!dir)
		return NULL;
	file = debugfs_lookup("ignore-gfp-wait", dir);
	dput(dir);
	if (!file)
		return NULL;
	ignore_wait = d_inode(file)->i_private;
	dput(file);
	return ignore_wait;
}

/**
 * kunit_failslab_enable - Let fail_nth fail sleeping slab allocations
 * @test:	The test
 *
 * Turns failslab's ignore-gfp-wait off until @test ends, when it gets
 * its value back. A test calls it before it sets anything up which it
 * would have to undo, and skips if it returns false.
 *
 * Return: true if failslab sees every slab allocation of the test's
 * task, false without CONFIG_FAILSLAB or CONFIG_FAULT_INJECTION_DEBUG_FS.
 */
bool kunit_failslab_enable(struct kunit *test)
{
	struct kunit_resource *res;
	struct kunit_failslab *fs;
	bool *ignore_wait;

	res = kunit_find_named_resource(test, "failslab");
	if (res) {
		kunit_put_resource(res);
		return true;
	}
	ignore_wait = kunit_failslab_switch();
	if (!ignore_wait)
		return false;
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	fs = kzalloc(sizeof(*fs), GFP_KERNEL);
	if (!res || !fs)
		goto fail;
	fs->ignore_wait = ignore_wait;
	fs->saved = READ_ONCE(*ignore_wait);
	if (kunit_add_named_resource(test, NULL, kunit_failslab_restore,
				     res, "failslab", fs))
		goto fail;
	/* Adding the resource clears it: KUnit frees it at the end */
	res->should_kfree = true;
	WRITE_ONCE(*ignore_wait, false);
	return true;

fail:
	kfree(fs);
	kfree(res);
	return false;
}
EXPORT_SYMBOL_GPL(kunit_failslab_enable);

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
 * Counts the slab allocations which a successful call makes, then fails
 * each of them in turn. A failed call must return -ENOMEM and leave the
 * state as it was, which @walk->check() checks after each call. A call
 * may also absorb a failure, e.g. kmemleak falls back to its pool; it
 * must then have worked, which its undo proves. As the walk counts, a
 * site which the call gains is walked without a change to the test.
 *
 * A first call pays what only a first call pays (caches, tree nodes),
 * so that the count is what each call allocates. Should a later call
 * still allocate less than the counting one, it cannot fail at the
 * sites it does not reach: it must have worked, and the walk ends.
 *
 * Skips @test where kunit_failslab_enable() fails.
 *
 * Return: the number of allocation sites walked.
 */
unsigned int kunit_fault_walk(struct kunit *test,
			      const struct kunit_fault_walk *walk)
{
	unsigned int n, sites, left, failed = 0, absorbed = 0;
	int ret;

	if (!kunit_failslab_enable(test))
		kunit_skip(test, "needs CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS");

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
			KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "%s, site %u",
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
