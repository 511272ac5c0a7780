// SPDX-License-Identifier: GPL-2.0
/*
 * MSI tables: the interrupt message stores of a device.
 *
 * Each table holds the MSI descriptors of one message store, indexed by
 * their position in the store, protected by the table's own lock.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/lockdep.h>
#include <linux/msi.h>
#include <linux/msi_table.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "internals.h"
#include "msi_internal.h"

/**
 * dev_msi_table - Get the default MSI table of a device
 * @dev:	The device
 *
 * The default table is the message store which the bus defines for the
 * device: the PCI MSI or MSI-X table, or the platform MSI table.
 *
 * Return: the default table, or %NULL if @dev has no MSI data (yet).
 */
struct msi_table *dev_msi_table(struct device *dev)
{
	if (!dev || !dev->msi.data)
		return NULL;
	return &dev->msi.data->deftable;
}
EXPORT_SYMBOL_GPL(dev_msi_table);

/**
 * msi_get_virq - Return the Linux interrupt number of an MSI table entry
 * @table:	The table to look at, may be %NULL
 * @index:	The index of the entry in the table (0-based)
 *
 * Takes no lock and does not sleep, so it can be called from any
 * context, including with the table locked. The descriptors are freed
 * after an RCU grace period, which keeps the one looked at alive until
 * its interrupt number has been read. A lookup racing with the
 * allocation or the free of the same entry returns either the old or the
 * new state; callers serialize that against their own use of the entry.
 * The table itself must stay alive for the call, which its owner ensures
 * by not destroying it concurrently.
 *
 * Return: The Linux interrupt number on success (> 0), 0 if @table is
 * %NULL or the entry has no interrupt.
 */
unsigned int msi_get_virq(struct msi_table *table, unsigned int index)
{
	struct device *dev;
	struct msi_desc *desc;
	unsigned int virq = 0;
	bool pcimsi = false;

	if (!table)
		return 0;

	/*
	 * PCI-MSI has only one descriptor for multiple interrupts, at
	 * index 0. PCI-MSIX and all other tables use a descriptor per
	 * interrupt.
	 */
	dev = table->dev;
	if (table == dev_msi_table(dev) && dev_is_pci(dev))
		pcimsi = to_pci_dev(dev)->msi_enabled;

	rcu_read_lock();
	desc = xa_load(&table->store, pcimsi ? 0 : index);
	if (desc) {
		virq = READ_ONCE(desc->irq);
		if (virq && pcimsi)
			virq = index < desc->nvec_used ? virq + index : 0;
	}
	rcu_read_unlock();
	return virq;
}
EXPORT_SYMBOL_GPL(msi_get_virq);

/**
 * msi_table_lock - Lock the descriptors of an MSI table
 * @table:	The table to lock
 *
 * Serializes allocation, free and iteration of the table's descriptors.
 * Other tables of the same device are not affected. Must be called from
 * process context.
 */
void msi_table_lock(struct msi_table *table)
{
	mutex_lock(&table->lock);
}
EXPORT_SYMBOL_GPL(msi_table_lock);

/**
 * msi_table_unlock - Unlock the descriptors of an MSI table
 * @table:	The table to unlock
 */
void msi_table_unlock(struct msi_table *table)
{
	/* Invalidate the index which was cached by the iterator */
	table->iter_idx = table->max_index;
	mutex_unlock(&table->lock);
}
EXPORT_SYMBOL_GPL(msi_table_unlock);

static struct msi_desc *msi_table_find_desc(struct msi_table *table,
					    enum msi_desc_filter filter)
{
	struct msi_desc *desc;

	xa_for_each_range(&table->store, table->iter_idx, desc,
			  table->iter_idx, table->max_index) {
		if (msi_desc_match(desc, filter))
			return desc;
	}
	table->iter_idx = table->max_index;
	return NULL;
}

/**
 * msi_table_first_desc - Get the first MSI descriptor of a table
 * @table:	The table to operate on
 * @filter:	Descriptor state filter
 *
 * Must be called with the table locked, see msi_table_lock().
 *
 * Return: Pointer to the first MSI descriptor matching the search
 *	   criteria, %NULL if none found.
 */
struct msi_desc *msi_table_first_desc(struct msi_table *table,
				      enum msi_desc_filter filter)
{
	lockdep_assert_held(&table->lock);

	table->iter_idx = 0;
	return msi_table_find_desc(table, filter);
}
EXPORT_SYMBOL_GPL(msi_table_first_desc);

/**
 * msi_table_next_desc - Get the next MSI descriptor of a table
 * @table:	The table to operate on
 * @filter:	Descriptor state filter
 *
 * The first invocation of msi_table_next_desc() has to be preceded by a
 * successful invocation of msi_table_first_desc(). Consecutive invocations
 * are only valid if the previous one was successful. All these operations
 * have to be done within the same locked region of the table.
 *
 * Return: Pointer to the next MSI descriptor matching the search
 *	   criteria, %NULL if none found.
 */
struct msi_desc *msi_table_next_desc(struct msi_table *table,
				     enum msi_desc_filter filter)
{
	lockdep_assert_held(&table->lock);

	if (table->iter_idx >= table->max_index)
		return NULL;

	table->iter_idx++;
	return msi_table_find_desc(table, filter);
}
EXPORT_SYMBOL_GPL(msi_table_next_desc);

#ifdef CONFIG_GENERIC_MSI_IRQ_DOMAIN
/*
 * A driver created table with the irq domain which represents it. The
 * domain is a child of the parent handed to msi_create_table(), its chip
 * forwards to the table's message store callbacks.
 */
struct msi_table_domain {
	struct msi_table	table;
	struct msi_domain_info	info;
	struct msi_domain_ops	ops;
	struct irq_chip		chip;
	struct fwnode_handle	*fwnode;
};

/* The default table uses the device's MSI domain */
static struct irq_domain *msi_table_irq_domain(struct msi_table *table)
{
	return table->domain ?: dev_get_msi_domain(table->dev);
}

static bool msi_table_is_default(struct msi_table *table)
{
	return table->flags & MSI_TABLE_DEFAULT;
}

/* The highest index which entries can be allocated at */
static unsigned int msi_table_last_index(struct msi_table *table)
{
	return table->hwsize ? table->hwsize - 1 : table->max_index;
}

static struct msi_table *irqd_to_msi_table(struct irq_data *d)
{
	struct msi_domain_info *info = d->domain->host_data;

	return info->data;
}

static void msi_table_irq_mask(struct irq_data *d)
{
	struct msi_table *table = irqd_to_msi_table(d);

	table->ops->mask(table, irq_data_get_msi_desc(d));
}

static void msi_table_irq_unmask(struct irq_data *d)
{
	struct msi_table *table = irqd_to_msi_table(d);

	table->ops->unmask(table, irq_data_get_msi_desc(d));
}

static void msi_table_irq_write_msg(struct irq_data *d, struct msi_msg *msg)
{
	struct msi_table *table = irqd_to_msi_table(d);
	struct msi_desc *desc = irq_data_get_msi_desc(d);

	desc->msg = *msg;
	table->ops->write_msg(table, desc, msg);
}

/* The hardware interrupt number in the table's domain is the index */
static void msi_table_set_desc(msi_alloc_info_t *arg, struct msi_desc *desc)
{
	arg->desc = desc;
	arg->hwirq = desc->msi_index;
}

static int msi_table_check_info(const struct msi_table_info *info)
{
	const struct msi_table_ops *ops = info->ops;

	if (!info->name || !ops || !ops->write_msg || !ops->mask || !ops->unmask)
		return -EINVAL;
	if (info->flags & ~MSI_TABLE_DRIVER_FLAGS)
		return -EINVAL;
	if (info->hwsize > MSI_TABLE_MAX_INDEX + 1)
		return -EINVAL;
	return 0;
}

static int msi_table_create_domain(struct msi_table_domain *td,
				   struct irq_domain *parent)
{
	struct msi_table *table = &td->table;
	char *name;

	td->chip.name = table->name;
	td->chip.irq_mask = msi_table_irq_mask;
	td->chip.irq_unmask = msi_table_irq_unmask;
	td->chip.irq_write_msi_msg = msi_table_irq_write_msg;
	/* Which of ack and eoi is used depends on the flow handler */
	td->chip.irq_ack = irq_chip_ack_parent;
	td->chip.irq_eoi = irq_chip_eoi_parent;
	td->chip.irq_retrigger = irq_chip_retrigger_hierarchy;
	/* Message signalled: nothing to mask for threaded oneshot handlers */
	td->chip.flags = IRQCHIP_SKIP_SET_WAKE | IRQCHIP_ONESHOT_SAFE;

	td->ops.set_desc = msi_table_set_desc;

	td->info.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS;
	td->info.ops = &td->ops;
	td->info.chip = &td->chip;
	if (table->bus_ops && table->bus_ops->handler) {
		td->info.handler = table->bus_ops->handler;
		td->info.handler_name = table->bus_ops->handler_name;
	} else {
		td->info.handler = handle_edge_irq;
		td->info.handler_name = "edge";
	}
	td->info.data = table;

	/* The domain's name must be unique: "<device>-<table>-<id>" */
	name = kasprintf(GFP_KERNEL, "%s-%s", dev_name(table->dev), table->name);
	if (!name)
		return -ENOMEM;
	td->fwnode = irq_domain_alloc_named_id_fwnode(name, table->id);
	kfree(name);
	if (!td->fwnode)
		return -ENOMEM;

	table->domain = msi_create_irq_domain(td->fwnode, &td->info, parent);
	if (!table->domain) {
		irq_domain_free_fwnode(td->fwnode);
		return -ENOMEM;
	}
	return 0;
}

/**
 * msi_create_table - Create an MSI table for a device
 * @dev:	The device which owns the message store
 * @parent:	The parent irq domain, e.g. the interrupt remapping or the
 *		vector domain which serves the device's MSI domain
 * @info:	Description of the table and its message store
 *
 * Creates a table with its own irq domain, a child of @parent, and its
 * own lock. Entries are allocated with msi_table_alloc() or
 * msi_table_alloc_range() and freed with msi_table_free() or
 * msi_table_free_range().
 *
 * The table lives in the device's MSI data, a device managed resource:
 * call this with a driver bound to @dev, in probe or later. A table which
 * the driver has not destroyed with msi_destroy_table() when it unbinds
 * is destroyed then, and must not be used afterwards.
 *
 * Context: process context, may sleep.
 * Return: the new table, or an ERR_PTR(): -EINVAL for invalid arguments,
 * -ENOMEM when memory or the irq domain could not be allocated.
 */
struct msi_table *msi_create_table(struct device *dev,
				   struct irq_domain *parent,
				   const struct msi_table_info *info)
{
	struct msi_table_domain *td;
	struct msi_table *table;
	int ret;

	if (!dev || !parent || !info)
		return ERR_PTR(-EINVAL);
	ret = msi_table_check_info(info);
	if (ret)
		return ERR_PTR(ret);

	ret = msi_setup_device_data(dev);
	if (ret)
		return ERR_PTR(ret);

	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td)
		return ERR_PTR(-ENOMEM);

	table = &td->table;
	table->dev = dev;
	table->hwsize = info->hwsize;
	table->max_index = info->hwsize ? info->hwsize - 1 : MSI_TABLE_MAX_INDEX;
	table->flags = info->flags;
	table->name = info->name;
	table->ops = info->ops;
	table->bus_ops = info->bus_ops;
	table->data = info->data;
	xa_init_flags(&table->store, XA_FLAGS_ALLOC);
	mutex_init(&table->lock);

	ret = xa_alloc(&dev->msi.data->tables, &table->id, table, xa_limit_32b,
		       GFP_KERNEL);
	if (ret)
		goto free;

	ret = msi_table_create_domain(td, parent);
	if (ret)
		goto erase;
	return table;

erase:
	xa_erase(&dev->msi.data->tables, table->id);
free:
	mutex_destroy(&table->lock);
	kfree(td);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(msi_create_table);

static bool msi_table_has_requested_irqs(struct msi_table *table,
					 unsigned int first, unsigned int last)
{
	struct msi_desc *desc;
	unsigned long idx;

	xa_for_each_range(&table->store, idx, desc, first, last) {
		if (desc->irq && irq_has_action(desc->irq))
			return true;
	}
	return false;
}

/* Remove a descriptor from the table and free its interrupt */
static void msi_table_erase_desc(struct msi_table *table, struct msi_desc *desc,
				 bool prepared)
{
	struct irq_data *irqd;

	xa_erase(&table->store, desc->msi_index);
	if (desc->irq) {
		if (msi_table_is_default(table))
			msi_domain_del_desc_sysfs(table->dev, desc);
		irqd = irq_domain_get_irq_data(msi_table_irq_domain(table),
					       desc->irq);
		if (irqd && irqd_is_activated(irqd))
			irq_domain_deactivate_irq(irqd);
		irq_domain_free_irqs(desc->irq, 1);
		WRITE_ONCE(desc->irq, 0);
	}
	if (prepared && table->ops && table->ops->release_desc)
		table->ops->release_desc(table, desc);
	msi_free_desc(desc);
}

static void msi_table_erase_range(struct msi_table *table, unsigned int first,
				  unsigned int last)
{
	struct msi_desc *desc;
	unsigned long idx;

	xa_for_each_range(&table->store, idx, desc, first, last) {
		msi_table_erase_desc(table, desc, true);
		cond_resched();
	}
}

/*
 * Free all entries and mark the table dying, so that allocations fail
 * from here on, unless an interrupt of the table is still requested.
 */
static int msi_table_empty(struct msi_table *table)
{
	int ret = 0;

	msi_table_lock(table);
	if (msi_table_has_requested_irqs(table, 0, table->max_index)) {
		ret = -EBUSY;
	} else {
		table->flags |= MSI_TABLE_DYING;
		msi_table_erase_range(table, 0, table->max_index);
	}
	msi_table_unlock(table);
	return ret;
}

/* Empty the table and free it, unless an interrupt is still requested */
static int msi_table_destroy(struct msi_table *table)
{
	struct msi_table_domain *td = container_of(table, struct msi_table_domain, table);
	int ret;

	ret = msi_table_empty(table);
	if (ret)
		return ret;

	xa_erase(&table->dev->msi.data->tables, table->id);
	irq_domain_remove(table->domain);
	irq_domain_free_fwnode(td->fwnode);
	xa_destroy(&table->store);
	mutex_destroy(&table->lock);
	kfree(td);
	return 0;
}

static bool msi_table_is_driver_table(struct msi_table *table)
{
	return table && !msi_table_is_default(table);
}

/* Driver tables, and default tables which the bus lets allocate */
static bool msi_table_allocatable(struct msi_table *table)
{
	return table && (!msi_table_is_default(table) ||
			 READ_ONCE(table->flags) & MSI_TABLE_ALLOC_DYN);
}

/**
 * msi_table_can_alloc - Tell whether entries of a table can be allocated
 * @table:	The table, may be %NULL
 *
 * Entries of a driver created table can be allocated and freed one by
 * one until the table is destroyed. Entries of a default table can be
 * allocated and freed one by one where the bus and the parent domain
 * support it, e.g. PCI/MSI-X while MSI-X is enabled.
 *
 * Return: true if msi_table_alloc() and msi_table_free() can be used on
 * @table.
 */
bool msi_table_can_alloc(struct msi_table *table)
{
	return msi_table_allocatable(table) &&
	       !(READ_ONCE(table->flags) & MSI_TABLE_DYING);
}
EXPORT_SYMBOL_GPL(msi_table_can_alloc);

/*
 * Allocations are refused once the table is being destroyed, and on a
 * default table once the bus has revoked them, e.g. when MSI-X was
 * disabled after the unlocked check in the caller.
 */
static bool msi_table_is_dying(struct msi_table *table)
{
	lockdep_assert_held(&table->lock);
	return table->flags & MSI_TABLE_DYING || !msi_table_allocatable(table);
}

/**
 * msi_destroy_table - Destroy an MSI table
 * @table:	The table to destroy
 *
 * Frees the interrupts and descriptors of all entries, the table's irq
 * domain and the table itself. All interrupts of the table must have
 * been freed with free_irq() before.
 *
 * Context: process context, may sleep.
 * Return: 0 on success, -EINVAL for %NULL, the default table or a device
 * managed table, -EBUSY if an interrupt of the table is still requested.
 * On error the table is unchanged.
 */
int msi_destroy_table(struct msi_table *table)
{
	if (!msi_table_is_driver_table(table) || table->flags & MSI_TABLE_MANAGED)
		return -EINVAL;

	return msi_table_destroy(table);
}
EXPORT_SYMBOL_GPL(msi_destroy_table);

/*
 * Called when the MSI data of a device is released: destroy the tables
 * which the driver did not destroy. A table with requested interrupts
 * is a driver bug; it is leaked rather than freed under a live handler.
 */
void msi_destroy_device_tables(struct msi_device_data *md)
{
	struct msi_table *table;
	unsigned long id;

	xa_for_each(&md->tables, id, table)
		WARN_ON_ONCE(msi_table_destroy(table));
	xa_destroy(&md->tables);
}

static void devm_msi_destroy_table(void *table)
{
	WARN_ON_ONCE(msi_table_destroy(table));
}

/**
 * devm_msi_create_table - Create a device managed MSI table
 * @dev:	The device which owns the message store
 * @parent:	The parent irq domain
 * @info:	Description of the table and its message store
 *
 * Same as msi_create_table(), but the table is destroyed when the driver
 * is unbound from @dev. The table must not be passed to
 * msi_destroy_table().
 *
 * Context: process context, may sleep.
 * Return: the new table, or an ERR_PTR() as for msi_create_table().
 */
struct msi_table *devm_msi_create_table(struct device *dev,
					struct irq_domain *parent,
					const struct msi_table_info *info)
{
	struct msi_table *table;
	int ret;

	table = msi_create_table(dev, parent, info);
	if (IS_ERR(table))
		return table;

	ret = devm_add_action_or_reset(dev, devm_msi_destroy_table, table);
	if (ret)
		return ERR_PTR(ret);
	table->flags |= MSI_TABLE_MANAGED;
	return table;
}
EXPORT_SYMBOL_GPL(devm_msi_create_table);

/* Allocate the interrupt of a descriptor which is in the table */
static int msi_table_alloc_irq(struct msi_table *table, struct msi_desc *desc)
{
	struct irq_domain *domain = msi_table_irq_domain(table);
	struct msi_domain_info *info = domain->host_data;
	struct device *dev = table->dev;
	msi_alloc_info_t arg = { };
	struct irq_data *irqd;
	unsigned int vflags;
	int virq, ret;

	ret = msi_domain_prepare_irqs(domain, dev, 1, &arg);
	if (ret)
		return ret;

	if (table->bus_ops && table->bus_ops->prepare) {
		ret = table->bus_ops->prepare(table, desc, &arg);
		if (ret)
			return ret;
	}
	info->ops->set_desc(&arg, desc);

	virq = __irq_domain_alloc_irqs(domain, -1, 1, dev_to_node(dev), &arg,
				       false, desc->affinity);
	if (virq < 0)
		return virq;

	irq_set_msi_desc(virq, desc);
	irq_debugfs_copy_devname(virq, dev);
	/*
	 * Driver tables do not use reservation mode: the entry is masked
	 * by its store until the interrupt is requested and gets its
	 * final target then, or right here with MSI_TABLE_ACTIVATE_EARLY.
	 * A default table entry is set up as the bus sets up all others.
	 */
	if (msi_table_is_default(table))
		vflags = msi_domain_virq_flags(domain, dev);
	else
		vflags = table->flags & MSI_TABLE_ACTIVATE_EARLY ? VIRQ_ACTIVATE : 0;
	ret = msi_init_virq(domain, virq, vflags);
	if (ret)
		goto free;
	if (msi_table_is_default(table)) {
		ret = msi_domain_add_desc_sysfs(domain, dev, desc);
		if (ret)
			goto deactivate;
	}
	return 0;

deactivate:
	msi_domain_del_desc_sysfs(dev, desc);
	/* msi_init_virq() may have activated it: undo that before the free */
	irqd = irq_domain_get_irq_data(domain, virq);
	if (irqd_is_activated(irqd))
		irq_domain_deactivate_irq(irqd);
free:
	irq_domain_free_irqs(virq, 1);
	WRITE_ONCE(desc->irq, 0);
	return ret;
}

/*
 * @desc is in the table: let the store prepare it and allocate its
 * interrupt. On failure @desc is removed from the table and freed.
 */
static int msi_table_setup_desc(struct msi_table *table, struct msi_desc *desc)
{
	int ret;

	if (table->ops && table->ops->prepare_desc) {
		ret = table->ops->prepare_desc(table, desc);
		if (ret) {
			msi_table_erase_desc(table, desc, false);
			return ret;
		}
	}
	ret = msi_table_alloc_irq(table, desc);
	if (ret)
		msi_table_erase_desc(table, desc, true);
	return ret;
}

/*
 * Add @desc at @index, or at the lowest free index for MSI_ANY_INDEX, let
 * the store prepare it and allocate its interrupt. On failure the table
 * is as before and @desc is freed.
 */
static int msi_table_add_desc(struct msi_table *table, struct msi_desc *desc,
			      unsigned int index)
{
	int ret;

	lockdep_assert_held(&table->lock);

	if (index == MSI_ANY_INDEX) {
		ret = xa_alloc(&table->store, &desc->msi_index, desc,
			       XA_LIMIT(0, msi_table_last_index(table)),
			       GFP_KERNEL);
		/* xa_alloc() reports a full range as -EBUSY */
		if (ret == -EBUSY)
			ret = -ENOSPC;
	} else {
		desc->msi_index = index;
		ret = xa_insert(&table->store, index, desc, GFP_KERNEL);
	}
	if (ret) {
		msi_free_desc(desc);
		return ret;
	}
	return msi_table_setup_desc(table, desc);
}

/**
 * msi_table_alloc - Allocate one entry of an MSI table
 * @table:	The table to allocate from
 * @index:	The index of the entry, or %MSI_ANY_INDEX for the lowest
 *		free index
 * @cookie:	Optional per entry data for the store callbacks, copied to
 *		&msi_desc.cookie. Must be %NULL for a default table.
 * @affinity:	Optional affinity for the interrupt
 *
 * Adds a descriptor at @index, calls the store's prepare_desc() callback
 * and allocates the interrupt. Entries can be allocated at any time
 * after the table has been created, while other entries of the table
 * are in use. Entries of a default table can be allocated where
 * msi_table_can_alloc() says so, up to its hardware size.
 *
 * Context: process context, may sleep. Takes the table lock.
 * Return: the index and the Linux interrupt number of the entry. On
 * failure both members hold the error code: -EINVAL for an invalid
 * table, a table which does not allow allocation or an index beyond the
 * table's size, -EBUSY if the entry at @index is already allocated,
 * -ENOSPC if there is no free index, -ENODEV if the table is being
 * destroyed or the bus revoked allocation meanwhile, -ENOMEM or the
 * error of the prepare_desc() callback or of the parent domain
 * otherwise. On failure the table is unchanged.
 */
struct msi_map msi_table_alloc(struct msi_table *table, unsigned int index,
			       const union msi_entry_cookie *cookie,
			       const struct irq_affinity_desc *affinity)
{
	struct msi_map map = { };
	struct msi_desc *desc;
	int ret;

	if (!msi_table_allocatable(table) ||
	    (index != MSI_ANY_INDEX && index > msi_table_last_index(table))) {
		ret = -EINVAL;
		goto fail;
	}
	/* The bus owns the per entry data of a default table's descriptors */
	if (cookie && msi_table_is_default(table)) {
		ret = -EINVAL;
		goto fail;
	}

	desc = msi_alloc_desc(table->dev, 1, affinity);
	if (!desc) {
		ret = -ENOMEM;
		goto fail;
	}
	if (cookie)
		desc->cookie = *cookie;

	msi_table_lock(table);
	if (msi_table_is_dying(table)) {
		msi_free_desc(desc);
		ret = -ENODEV;
	} else {
		ret = msi_table_add_desc(table, desc, index);
	}
	if (!ret) {
		map.index = desc->msi_index;
		map.virq = desc->irq;
	}
	msi_table_unlock(table);
	if (!ret)
		return map;
fail:
	map.index = ret;
	map.virq = ret;
	return map;
}
EXPORT_SYMBOL_GPL(msi_table_alloc);

/**
 * msi_table_free - Free one entry of an MSI table
 * @table:	The table to free from
 * @index:	The index of the entry
 *
 * Frees the interrupt of the entry, calls the store's release_desc()
 * callback and frees the descriptor. The interrupt must have been freed
 * with free_irq() before.
 *
 * Context: process context, may sleep. Takes the table lock.
 * Return: 0 on success, -EINVAL for an invalid table or index, -ENOENT
 * if the entry is not allocated, -EBUSY if its interrupt is still
 * requested. On error the table is unchanged.
 */
int msi_table_free(struct msi_table *table, unsigned int index)
{
	struct msi_desc *desc;
	int ret = 0;

	if (!msi_table_allocatable(table) || index > msi_table_last_index(table))
		return -EINVAL;

	msi_table_lock(table);
	desc = xa_load(&table->store, index);
	if (!desc)
		ret = -ENOENT;
	else if (msi_table_has_requested_irqs(table, index, index))
		ret = -EBUSY;
	else
		msi_table_erase_desc(table, desc, true);
	msi_table_unlock(table);
	return ret;
}
EXPORT_SYMBOL_GPL(msi_table_free);

static int msi_table_check_range(struct msi_table *table, unsigned int first,
				 unsigned int last)
{
	if (!msi_table_allocatable(table))
		return -EINVAL;
	if (first > last || last > msi_table_last_index(table))
		return -EINVAL;
	return 0;
}

/**
 * msi_table_alloc_range - Allocate the entries of a range of an MSI table
 * @table:	The table to allocate from
 * @first:	First index of the range
 * @last:	Last index of the range (inclusive)
 *
 * Allocates a descriptor and an interrupt for each index from @first to
 * @last. Either all entries are allocated or none.
 *
 * Context: process context, may sleep. Takes the table lock.
 * Return: 0 on success, -EINVAL for an invalid table or range, -EBUSY if
 * an entry in the range is already allocated, -ENODEV if the table is
 * being destroyed, -ENOMEM or the error of the store's prepare_desc()
 * callback or of the parent domain otherwise.
 */
int msi_table_alloc_range(struct msi_table *table, unsigned int first,
			  unsigned int last)
{
	unsigned long idx = first;
	struct msi_desc *desc;
	unsigned int i;
	int ret;

	ret = msi_table_check_range(table, first, last);
	if (ret)
		return ret;

	msi_table_lock(table);
	if (msi_table_is_dying(table)) {
		ret = -ENODEV;
		goto unlock;
	}
	if (xa_find(&table->store, &idx, last, XA_PRESENT)) {
		ret = -EBUSY;
		goto unlock;
	}

	for (i = first; i <= last; i++) {
		desc = msi_alloc_desc(table->dev, 1, NULL);
		if (!desc) {
			ret = -ENOMEM;
			break;
		}
		ret = msi_table_add_desc(table, desc, i);
		if (ret)
			break;
		cond_resched();
	}
	if (ret && i > first)
		msi_table_erase_range(table, first, i - 1);
unlock:
	msi_table_unlock(table);
	return ret;
}
EXPORT_SYMBOL_GPL(msi_table_alloc_range);

/**
 * msi_table_free_range - Free the entries of a range of an MSI table
 * @table:	The table to free from
 * @first:	First index of the range
 * @last:	Last index of the range (inclusive)
 *
 * Frees the interrupts and descriptors of all allocated entries from
 * @first to @last. Indices in the range which are not allocated are
 * skipped. The interrupts must have been freed with free_irq() before.
 *
 * Context: process context, may sleep. Takes the table lock.
 * Return: 0 on success, -EINVAL for an invalid table or range, -EBUSY if
 * an interrupt in the range is still requested, in which case nothing
 * is freed.
 */
int msi_table_free_range(struct msi_table *table, unsigned int first,
			 unsigned int last)
{
	int ret;

	ret = msi_table_check_range(table, first, last);
	if (ret)
		return ret;

	msi_table_lock(table);
	if (msi_table_has_requested_irqs(table, first, last))
		ret = -EBUSY;
	else
		msi_table_erase_range(table, first, last);
	msi_table_unlock(table);
	return ret;
}
EXPORT_SYMBOL_GPL(msi_table_free_range);

/* Rewrite the entry's last message and its mask state into the store */
static void msi_table_restore_desc(struct msi_table *table, struct msi_desc *desc)
{
	struct irq_data *irqd;
	struct irq_desc *irqdesc;
	unsigned long flags;

	/* Serializes against affinity changes, which write the message */
	irqdesc = irq_get_desc_lock(desc->irq, &flags, 0);
	if (!irqdesc)
		return;
	irqd = irq_desc_get_irq_data(irqdesc);
	/* Masked, so the entry does not fire with a half written message */
	table->ops->mask(table, desc);
	table->ops->write_msg(table, desc, &desc->msg);
	if (!irqd_irq_masked(irqd))
		table->ops->unmask(table, desc);
	irq_put_desc_unlock(irqdesc, flags);
}

/**
 * msi_table_restore - Rewrite the message store of an MSI table
 * @table:	The driver created table to restore
 *
 * Writes the message and the mask state of every allocated entry into
 * the message store again: the entry's cached message (&msi_desc.msg,
 * the last one the core wrote, all zero if its interrupt was never
 * activated or has been deactivated) and the mask state of its
 * interrupt. Each entry is masked while its message is written. For a
 * device which lost its store's content, e.g. in a function reset or a
 * power transition, as pci_restore_msi_state() does for the MSI-X table.
 *
 * Context: process context, may sleep. Takes the table lock and the
 * interrupt descriptor lock of each entry, so it is serialized against
 * the allocation and free of entries and against affinity changes.
 * Return: 0 on success, -EINVAL for %NULL or a default table, whose
 * store the bus restores, -ENODEV if the table is being destroyed.
 */
int msi_table_restore(struct msi_table *table)
{
	struct msi_desc *desc;
	int ret = 0;

	if (!msi_table_is_driver_table(table))
		return -EINVAL;

	msi_table_lock(table);
	if (table->flags & MSI_TABLE_DYING) {
		ret = -ENODEV;
	} else {
		msi_table_for_each_desc(desc, table, MSI_DESC_ASSOCIATED)
			msi_table_restore_desc(table, desc);
	}
	msi_table_unlock(table);
	return ret;
}
EXPORT_SYMBOL_GPL(msi_table_restore);
#endif /* CONFIG_GENERIC_MSI_IRQ_DOMAIN */
