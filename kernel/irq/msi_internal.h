/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MSI core's per device state: a device's MSI tables. Private to
 * kernel/irq/, users see struct msi_table as an opaque handle.
 */
#ifndef _KERNEL_IRQ_MSI_INTERNAL_H
#define _KERNEL_IRQ_MSI_INTERNAL_H

#include <linux/msi_api.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>

/* Invalid Xarray index which is outside of any searchable range */
#define MSI_XA_MAX_INDEX	(ULONG_MAX - 1)

struct device;
struct irq_affinity_desc;
struct irq_domain;
struct msi_domain_template;
struct msi_table_ops;

/**
 * struct msi_table - One interrupt message store of a device
 * @dev:	The device the table belongs to
 * @id:		The table's id; MSI_DEFAULT_DOMAIN for the default table.
 *		Upstream's domid arguments name a table by this id.
 * @lock:	Serializes allocation, free and iteration of this table
 * @store:	The table's MSI descriptors, indexed by msi_desc::msi_index
 * @domain:	The table's per device MSI domain or a global MSI domain
 *		(default table of legacy setups); NULL until one is created
 * @iter_idx:	Index the descriptor iterators resume from
 * @rcu:	Frees the table after a grace period
 * @ops:	Driver tables: the message store's callbacks
 * @data:	Driver tables: the creator's data
 * @devm:	Driver tables: made by devm_msi_create_table(), so that
 *		its devres destroys it and msi_destroy_table() refuses it
 */
struct msi_table {
	struct device			*dev;
	unsigned int			id;
	struct mutex			lock;	/* Guards store, domain, iter_idx */
	struct xarray			store;
	struct irq_domain		*domain;
	unsigned long			iter_idx;
	struct rcu_head			rcu;
	const struct msi_table_ops	*ops;
	void				*data;
	bool				devm;
};

/**
 * struct msi_device_data - MSI per device data
 * @properties:	MSI properties which are interesting to drivers
 * @mutex:	Guards the set of tables (@tables), not their content
 * @tables:	The device's tables, indexed by msi_table::id
 * @dflt:	The default table, which lives as long as this data
 */
struct msi_device_data {
	unsigned long		properties;
	struct mutex		mutex;	/* Guards tables */
	struct xarray		tables;
	struct msi_table	*dflt;
};

/* msi.c: the set of tables of a device */
struct msi_table *msi_table_alloc_empty(struct device *dev);
void msi_table_free_empty(struct msi_table *table);
int msi_device_add_table(struct device *dev, struct msi_table *table);
void msi_device_remove_table(struct msi_table *table);
int msi_table_shutdown(struct msi_table *table);
struct msi_map msi_table_alloc_locked(struct msi_table *table, unsigned int index,
				      const union msi_instance_cookie *icookie,
				      const struct irq_affinity_desc *affdesc);
int msi_table_alloc_range_locked(struct msi_table *table, unsigned int first,
				 unsigned int last);
int msi_table_free_range_locked(struct msi_table *table, unsigned int first,
				unsigned int last);
int __msi_create_device_irq_domain(struct device *dev, unsigned int domid,
				   const struct msi_domain_template *template,
				   unsigned int hwsize, void *domain_data,
				   void *chip_data);

#endif /* _KERNEL_IRQ_MSI_INTERNAL_H */
