/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helper which fails each slab allocation of a call in turn.
 */
#ifndef _KUNIT_FAIL_NTH_H
#define _KUNIT_FAIL_NTH_H

#include <linux/types.h>

struct kunit;

/**
 * struct kunit_fault_walk - A call whose allocations a test fails in turn
 * @name:	What the call is, for the test's messages
 * @fault_err:	The error a call returns when an allocation fails;
 *		0 means -ENOMEM
 * @run:	Makes the call. Returns 0 or the call's error code.
 * @undo:	Reverts what @run did if it returned 0; gets @run's result
 * @save:	Records the state which a failed call must leave as it was
 * @check:	Expects the state which @save recorded. @site is the failed
 *		allocation, 0 after a call without a fault.
 */
struct kunit_fault_walk {
	const char	*name;
	int		fault_err;
	int		(*run)(struct kunit *test);
	void		(*undo)(struct kunit *test, int ret);
	void		(*save)(struct kunit *test);
	void		(*check)(struct kunit *test, const char *name,
				 unsigned int site);
};

unsigned int kunit_fault_walk(struct kunit *test,
			      const struct kunit_fault_walk *walk);

#endif /* _KUNIT_FAIL_NTH_H */
