// SPDX-License-Identifier: GPL-2.0
/*
 * Device defined MSI tables (IMS): interrupt message stores next to a
 * device's default MSI table, each with its own per device MSI domain,
 * descriptor store and lock.
 *
 * A table is a domain slot of the device's MSI data which is created
 * and destroyed at run time. Bus code supplies the domain template (bus
 * token, MSI flags, domain ops) so that the MSI parent, e.g. an interrupt
 * remapping unit, knows what the device is; the creator supplies the
 * store's callbacks, which the table's interrupt chip forwards to.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "internals.h"
#include "msi_internal.h"

/*
 * Driver tables get a lock class of their own, apart from the default
 * tables': a driver may allocate in one of its tables with its default
 * table's lock held, e.g. from a callback of the default table. All
 * driver tables share the class, so lockdep reports one driver table's
 * lock taken with another's held.
 */
static struct lock_class_key msi_driver_table_lock_class;

static struct msi_table *irqd_to_msi_table(struct irq_data *data)
{
	struct msi_domain_info *info = data->domain->host_data;

	return info->data;
}

/*
 * Read without the table's lock: the device's release swaps the
 * callbacks of a table which its driver forgot, and waits for the chip
 * callbacks which loaded the old ones (msi_device_forget_stores()).
 */
static const struct msi_table_ops *msi_table_chip_ops(struct msi_table *table)
{
	return READ_ONCE(table->ops);
}

static void msi_table_irq_write_msg(struct irq_data *data, struct msi_msg *msg)
{
	struct msi_table *table = irqd_to_msi_table(data);
	struct msi_desc *desc = irq_data_get_msi_desc(data);

	/* The message to restore, as for PCI */
	desc->msg = *msg;
	msi_table_chip_ops(table)->write_msg(table, desc, msg);
}

static void msi_table_irq_mask(struct irq_data *data)
{
	struct msi_table *table = irqd_to_msi_table(data);

	msi_table_chip_ops(table)->mask(table, irq_data_get_msi_desc(data));
}

static void msi_table_irq_unmask(struct irq_data *data)
{
	struct msi_table *table = irqd_to_msi_table(data);

	msi_table_chip_ops(table)->unmask(table, irq_data_get_msi_desc(data));
}

static bool msi_table_info_valid(const struct msi_table_info *info)
{
	return info && info->name && info->ops && info->ops->write_msg &&
	       info->ops->mask && info->ops->unmask &&
	       !(info->flags & ~MSI_TABLE_FLAGS) &&
	       info->hwsize <= MSI_MAX_TABLE_SIZE &&
	       (info->hwsize || !info->ops->mask_free);
}

/*
 * Mask the slots of a store of a fixed size which hold no entry: the
 * gaps between the entries, which the iterator yields in index order,
 * and the slots after the last one. The slots of the entries are the
 * core's, masked and written under their interrupt descriptor's lock.
 */
static void msi_table_mask_free(struct msi_table *table)
{
	struct msi_domain_info *info;
	unsigned int next = 0;
	struct msi_desc *desc;

	lockdep_assert_held(&table->lock);
	if (!table->ops->mask_free)
		return;
	info = table->domain->host_data;
	msi_table_for_each_desc(desc, table, MSI_DESC_ALL) {
		if (desc->msi_index > next)
			table->ops->mask_free(table, next, desc->msi_index - 1);
		next = desc->msi_index + 1;
		/* A large table with many gaps */
		cond_resched();
	}
	if (next < info->hwsize)
		table->ops->mask_free(table, next, info->hwsize - 1);
}

/**
 * msi_create_table - Create a device defined MSI table
 * @dev:		The device which owns the message store
 * @bus_template:	The bus's domain template for such stores: bus token,
 *			MSI flags and domain ops which tell the MSI parent
 *			what kind of device it serves. The chip callbacks
 *			which write, mask and unmask entries are the table's.
 * @info:		The table's name, size, flags and store callbacks
 *
 * Creates a table with its own MSI domain below @dev's MSI parent domain
 * (&device.msi.domain), which must support the template: bus code wraps
 * this, e.g. pci_create_msi_table(). Entries are allocated and freed
 * with the msi_table_*() calls; msi_get_virq() looks them up. A store
 * with &msi_table_ops.mask_free is asked to mask every slot before the
 * table is returned.
 *
 * Context: Process context; takes the device's MSI mutex, then the new
 * table's lock.
 * Return: The table, or an ERR_PTR(): -EINVAL for an invalid @info,
 * -ENODEV when @dev has no MSI parent domain, -EOPNOTSUPP when the parent
 * refuses the template, -ENOMEM.
 */
struct msi_table *msi_create_table(struct device *dev,
				   const struct msi_domain_template *bus_template,
				   const struct msi_table_info *info)
{
	struct msi_domain_template *tmpl;
	struct msi_table *table;
	int ret;

	might_sleep();
	if (WARN_ON_ONCE(!dev || !bus_template))
		return ERR_PTR(-EINVAL);
	if (!msi_table_info_valid(info))
		return ERR_PTR(-EINVAL);
	/* Checked before anything is set up, so that a refusal changes nothing */
	if (!dev->msi.domain || !irq_domain_is_msi_parent(dev->msi.domain))
		return ERR_PTR(-ENODEV);

	ret = msi_setup_device_data(dev);
	if (ret)
		return ERR_PTR(ret);

	tmpl = kmemdup(bus_template, sizeof(*tmpl), GFP_KERNEL);
	if (!tmpl)
		return ERR_PTR(-ENOMEM);
	tmpl->chip.name = info->name;
	tmpl->chip.irq_write_msi_msg = msi_table_irq_write_msg;
	tmpl->chip.irq_mask = msi_table_irq_mask;
	tmpl->chip.irq_unmask = msi_table_irq_unmask;
	/* The table code allocates and frees the descriptors itself */
	tmpl->info.flags &= ~(MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG_FREE_MSI_DESCS);
	if (info->flags & MSI_TABLE_ACTIVATE_EARLY)
		tmpl->info.flags |= MSI_FLAG_ACTIVATE_EARLY;

	ret = -ENOMEM;
	table = msi_table_alloc_empty(dev);
	if (!table)
		goto free_tmpl;
	lockdep_set_class(&table->lock, &msi_driver_table_lock_class);
	table->ops = info->ops;
	table->data = info->data;

	ret = msi_device_add_table(dev, table);
	if (ret)
		goto free_table;

	ret = __msi_create_device_irq_domain(dev, table->id, tmpl,
					     info->hwsize ? : MSI_MAX_TABLE_SIZE,
					     table, NULL);
	if (ret)
		goto remove_table;

	/* Every slot is free: none fires before the creator allocates it */
	msi_table_lock(table);
	msi_table_mask_free(table);
	msi_table_unlock(table);
	kfree(tmpl);
	return table;

remove_table:
	msi_device_remove_table(table);
free_table:
	msi_table_free_empty(table);
free_tmpl:
	kfree(tmpl);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(msi_create_table);

/* Destroy a table, whether its driver or its devres does */
static int msi_table_destroy(struct msi_table *table)
{
	struct msi_device_data *md;
	int ret;

	/*
	 * A table which the release of its device's MSI data left behind,
	 * as an interrupt of it was requested, is no longer the device's:
	 * it stays as it is.
	 */
	md = table->dev->msi.data;
	if (WARN_ON_ONCE(!md || xa_load(&md->tables, table->id) != table))
		return -ENODEV;

	ret = msi_table_shutdown(table);
	if (ret)
		return ret;

	msi_device_remove_table(table);
	msi_table_free_empty(table);
	return 0;
}

/**
 * msi_destroy_table - Destroy a device defined MSI table
 * @table:	The table, from msi_create_table()
 *
 * Frees the table's interrupts, descriptors and domain. Lookups which
 * race with the destruction return 0. The table must not be used after
 * a successful call.
 *
 * Context: Process context.
 * Return: 0; -EBUSY when an interrupt of the table is still requested,
 * in which case nothing is freed; -EINVAL for a NULL or default table
 * and for one from devm_msi_create_table(), which its devres destroys;
 * -ENODEV for a table which its device's release left behind.
 */
int msi_destroy_table(struct msi_table *table)
{
	might_sleep();
	if (WARN_ON_ONCE(!table || table->id == MSI_DEFAULT_DOMAIN))
		return -EINVAL;
	/* Its devres destroys it; until then it stays as it is */
	if (table->devm)
		return -EINVAL;
	return msi_table_destroy(table);
}
EXPORT_SYMBOL_GPL(msi_destroy_table);

static void msi_table_devm_destroy(void *table)
{
	WARN_ON_ONCE(msi_table_destroy(table));
}

/**
 * devm_msi_create_table - Create a device managed, device defined MSI table
 * @dev:		The device which owns the message store
 * @bus_template:	See msi_create_table()
 * @info:		See msi_create_table()
 *
 * As msi_create_table(); the table is destroyed when the driver which
 * created it is unbound, after the driver's other device managed
 * resources allocated later, e.g. devm_request_irq() of its entries.
 *
 * Context: Process context.
 * Return: The table or an ERR_PTR(), see msi_create_table().
 */
struct msi_table *devm_msi_create_table(struct device *dev,
					const struct msi_domain_template *bus_template,
					const struct msi_table_info *info)
{
	struct msi_table *table;
	int ret;

	table = msi_create_table(dev, bus_template, info);
	if (IS_ERR(table))
		return table;

	table->devm = true;
	ret = devm_add_action_or_reset(dev, msi_table_devm_destroy, table);
	return ret ? ERR_PTR(ret) : table;
}
EXPORT_SYMBOL_GPL(devm_msi_create_table);

/* Entries of the default table are allocated by its bus code */
static int msi_table_check(struct msi_table *table)
{
	if (WARN_ON_ONCE(!table))
		return -EINVAL;
	return table->id == MSI_DEFAULT_DOMAIN ? -EOPNOTSUPP : 0;
}

/**
 * msi_table_alloc - Allocate an entry of an MSI table and its interrupt
 * @table:	A table from msi_create_table()
 * @index:	The entry's index, or %MSI_ANY_INDEX for the lowest free one
 * @icookie:	Optional per entry data for the store callbacks, stored in
 *		&msi_desc.data.icookie, e.g. the entry's queue
 * @affdesc:	Optional affinity of the interrupt
 *
 * Calls &msi_table_ops.prepare_desc, masks the entry and allocates its
 * interrupt, which is not requested yet.
 *
 * Context: Process context; takes the table's lock.
 * Return: &msi_map.index is the entry's index and &msi_map.virq its
 * interrupt number; on failure &msi_map.index is an error code and
 * &msi_map.virq 0: -ERANGE when @index is beyond the table's size,
 * -EBUSY when it is allocated, -ENOSPC when no index is free, the error
 * of @prepare_desc or of the parent domain (e.g. -ENOSPC when it has no
 * vector left), -ENOMEM, -EOPNOTSUPP on a default table.
 */
struct msi_map msi_table_alloc(struct msi_table *table, unsigned int index,
			       const union msi_instance_cookie *icookie,
			       const struct irq_affinity_desc *affdesc)
{
	struct msi_map map = { };
	int ret;

	might_sleep();
	ret = msi_table_check(table);
	if (ret) {
		map.index = ret;
		return map;
	}

	mutex_lock(&table->lock);
	map = msi_table_alloc_locked(table, index, icookie, affdesc);
	mutex_unlock(&table->lock);
	return map;
}
EXPORT_SYMBOL_GPL(msi_table_alloc);

/**
 * msi_table_free - Free an entry of an MSI table and its interrupt
 * @table:	A table from msi_create_table()
 * @index:	The entry's index
 *
 * Frees the entry's interrupt, then calls &msi_table_ops.release_desc.
 *
 * Context: Process context; takes the table's lock.
 * Return: 0, -ENOENT when the entry is not allocated, -EBUSY when its
 * interrupt is requested (nothing is freed then), -EOPNOTSUPP on a
 * default table.
 */
int msi_table_free(struct msi_table *table, unsigned int index)
{
	return msi_table_free_range(table, index, index);
}
EXPORT_SYMBOL_GPL(msi_table_free);

/**
 * msi_table_alloc_range - Allocate a range of entries and their interrupts
 * @table:	A table from msi_create_table()
 * @first:	Index of the first entry
 * @last:	Index of the last entry (inclusive)
 *
 * Allocates all entries or none, as msi_table_alloc() does one.
 *
 * Context: Process context; takes the table's lock.
 * Return: 0; -EINVAL when @first > @last, -ERANGE when @last is beyond
 * the table's size, -EBUSY when an entry of the range is allocated, or
 * an error of msi_table_alloc().
 */
int msi_table_alloc_range(struct msi_table *table, unsigned int first,
			  unsigned int last)
{
	int ret;

	might_sleep();
	ret = msi_table_check(table);
	if (ret)
		return ret;

	mutex_lock(&table->lock);
	ret = msi_table_alloc_range_locked(table, first, last);
	mutex_unlock(&table->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(msi_table_alloc_range);

/**
 * msi_table_free_range - Free the allocated entries of a range
 * @table:	A table from msi_create_table()
 * @first:	Index of the first entry
 * @last:	Index of the last entry (inclusive)
 *
 * Context: Process context; takes the table's lock.
 * Return: 0; -ENOENT when no entry of the range is allocated, -EBUSY
 * when the interrupt of one of them is requested (nothing is freed
 * then), -EINVAL when @first > @last, -EOPNOTSUPP on a default table.
 */
int msi_table_free_range(struct msi_table *table, unsigned int first,
			 unsigned int last)
{
	int ret;

	might_sleep();
	ret = msi_table_check(table);
	if (ret)
		return ret;
	if (first > last)
		return -EINVAL;

	mutex_lock(&table->lock);
	ret = msi_table_free_range_locked(table, first, last);
	mutex_unlock(&table->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(msi_table_free_range);

/**
 * msi_table_lock - Lock an MSI table for iteration
 * @table:	The table
 */
void msi_table_lock(struct msi_table *table)
{
	mutex_lock(&table->lock);
}
EXPORT_SYMBOL_GPL(msi_table_lock);

/**
 * msi_table_unlock - Unlock an MSI table
 * @table:	The table
 */
void msi_table_unlock(struct msi_table *table)
{
	/* Invalidate the iterator's position */
	table->iter_idx = MSI_XA_MAX_INDEX;
	mutex_unlock(&table->lock);
}
EXPORT_SYMBOL_GPL(msi_table_unlock);

/**
 * msi_table_first_desc - The first MSI descriptor of a table
 * @table:	The table, locked with msi_table_lock()
 * @filter:	Descriptor state filter
 *
 * Return: The descriptor with the lowest index which matches @filter, or
 * NULL.
 */
struct msi_desc *msi_table_first_desc(struct msi_table *table,
				      enum msi_desc_filter filter)
{
	return msi_domain_first_desc(table->dev, table->id, filter);
}
EXPORT_SYMBOL_GPL(msi_table_first_desc);

/**
 * msi_table_next_desc - The next MSI descriptor of a table
 * @table:	The table, locked with msi_table_lock()
 * @filter:	Descriptor state filter
 *
 * Continues after the descriptor msi_table_first_desc() or the previous
 * call returned, in the same locked section.
 *
 * Return: The next descriptor which matches @filter, or NULL.
 */
struct msi_desc *msi_table_next_desc(struct msi_table *table,
				     enum msi_desc_filter filter)
{
	return msi_next_desc(table->dev, table->id, filter);
}
EXPORT_SYMBOL_GPL(msi_table_next_desc);

/*
 * Write the cached message of an entry to its store again, masked while
 * the store is rewritten, and leave the mask as the interrupt has it.
 * Called with the table's lock held, under which the device's release
 * swaps table::ops, and the interrupt descriptor locked.
 */
static void msi_table_rewrite_entry(struct msi_table *table, struct irq_desc *idesc,
				    struct msi_desc *desc)
{
	struct irq_data *data = irq_desc_get_irq_data(idesc);

	table->ops->mask(table, desc);
	if (irqd_is_activated(data))
		table->ops->write_msg(table, desc, &desc->msg);
	if (!irqd_irq_masked(data) && irqd_is_activated(data))
		table->ops->unmask(table, desc);
}

/**
 * msi_table_restore - Write every entry of an MSI table to its store again
 * @table:	A table from msi_create_table()
 *
 * After the device lost its store's content (resume, a reset), writes
 * each entry's message again and restores its mask. Entries whose
 * interrupt is not activated are left masked, and so are the slots
 * without an entry of a store with &msi_table_ops.mask_free, which are
 * masked first. The table's lock is held throughout, so that no entry
 * is allocated or freed meanwhile.
 *
 * Context: Process context; takes the table's lock.
 * Return: 0, -EOPNOTSUPP on a default table (its bus code restores it).
 */
int msi_table_restore(struct msi_table *table)
{
	struct msi_desc *desc;
	struct irq_desc *idesc;
	unsigned long flags;
	int ret;

	might_sleep();
	ret = msi_table_check(table);
	if (ret)
		return ret;

	msi_table_lock(table);
	msi_table_mask_free(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ASSOCIATED) {
		idesc = irq_get_desc_lock(desc->irq, &flags, 0);
		if (WARN_ON_ONCE(!idesc))
			continue;
		msi_table_rewrite_entry(table, idesc, desc);
		irq_put_desc_unlock(idesc, flags);
		cond_resched();
	}
	msi_table_unlock(table);
	return 0;
}
EXPORT_SYMBOL_GPL(msi_table_restore);

/**
 * msi_table_set_cookie - Change the cookie of an allocated entry
 * @table:	A table from msi_create_table()
 * @index:	The entry's index
 * @icookie:	The new cookie
 *
 * For a store whose entries carry per entry state, e.g. a queue which
 * moves to another PASID and keeps its interrupt. The entry is masked
 * with its old cookie, so that the place the old cookie names stops
 * signalling; then the cookie is replaced, the message written again
 * with the new one (masked, so the store's callbacks all see the new
 * cookie) and the mask restored. The interrupt stays requested and
 * allocated. An entry whose interrupt is not started is only masked,
 * with both cookies: its store sees the new cookie in
 * &msi_table_ops.write_msg when the interrupt starts.
 *
 * Context: Process context; takes the table's lock.
 * Return: 0, -ENOENT when the entry is not allocated, -EINVAL for a NULL
 * @icookie, -EOPNOTSUPP on a default table, or the error of the store's
 * &msi_table_ops.check_cookie, which refuses @icookie and leaves the
 * entry as it was.
 */
int msi_table_set_cookie(struct msi_table *table, unsigned int index,
			 const union msi_instance_cookie *icookie)
{
	struct msi_desc *desc;
	struct irq_desc *idesc;
	unsigned long flags;
	int ret;

	might_sleep();
	ret = msi_table_check(table);
	if (ret)
		return ret;
	if (!icookie)
		return -EINVAL;

	msi_table_lock(table);
	desc = xa_load(&table->store, index);
	if (!desc || !desc->irq) {
		msi_table_unlock(table);
		return -ENOENT;
	}
	if (table->ops->check_cookie) {
		ret = table->ops->check_cookie(table, desc, icookie);
		if (ret) {
			msi_table_unlock(table);
			return ret;
		}
	}
	idesc = irq_get_desc_lock(desc->irq, &flags, 0);
	if (WARN_ON_ONCE(!idesc)) {
		msi_table_unlock(table);
		return -EINVAL;
	}
	table->ops->mask(table, desc);
	desc->data.icookie = *icookie;
	msi_table_rewrite_entry(table, idesc, desc);
	irq_put_desc_unlock(idesc, flags);
	msi_table_unlock(table);
	return 0;
}
EXPORT_SYMBOL_GPL(msi_table_set_cookie);

/**
 * msi_table_drvdata - The creator's data of a device defined MSI table
 * @table:	The table
 *
 * Return: &msi_table_info.data as passed to msi_create_table().
 */
void *msi_table_drvdata(struct msi_table *table)
{
	return table->data;
}
EXPORT_SYMBOL_GPL(msi_table_drvdata);

/**
 * msi_table_dev - The device of an MSI table
 * @table:	The table
 *
 * For a store callback which needs the device's state but has no entry
 * to find it from, as &msi_table_ops.mask_free.
 *
 * Context: Any context.
 * Return: The device which owns @table.
 */
struct device *msi_table_dev(struct msi_table *table)
{
	return table->dev;
}
EXPORT_SYMBOL_GPL(msi_table_dev);
