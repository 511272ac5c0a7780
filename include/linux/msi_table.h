/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI tables: the interrupt message stores of a device.
 *
 * A message signalled interrupt is a device writing DATA to ADDRESS. The
 * place where the device finds that pair is its interrupt message store:
 * the PCI MSI capability, the MSI-X table, or a device specific store
 * (IMS). Each store is represented by a struct msi_table which holds the
 * MSI descriptors of the store, indexed by their position in the store.
 */
#ifndef _LINUX_MSI_TABLE_H
#define _LINUX_MSI_TABLE_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct device;
struct irq_affinity_desc;
struct irq_domain;
struct msi_desc;
struct msi_msg;
struct msi_table;
struct msi_table_bus_ops;

/*
 * Filter values for the MSI descriptor iterators and accessor functions.
 */
enum msi_desc_filter {
	/* All descriptors */
	MSI_DESC_ALL,
	/* Descriptors which have no interrupt associated */
	MSI_DESC_NOTASSOCIATED,
	/* Descriptors which have an interrupt associated */
	MSI_DESC_ASSOCIATED,
};

/**
 * union msi_entry_cookie - Per entry data of a driver defined message store
 * @value:	A plain value, e.g. a queue number or a PASID
 * @ptr:	A pointer, e.g. to a queue context
 * @iobase:	An I/O memory address, e.g. of a queue's message store
 *
 * The cookie is handed to msi_table_alloc() and stored in the entry's
 * descriptor (&msi_desc.cookie), where the store callbacks find it.
 */
union msi_entry_cookie {
	u64		value;
	void		*ptr;
	void __iomem	*iobase;
};

/**
 * struct msi_map - Index and interrupt number of an MSI table entry
 * @index:	The index of the entry in its table, or a negative error code
 * @virq:	The Linux interrupt number of the entry, or a negative error
 *		code
 */
struct msi_map {
	int	index;
	int	virq;
};

/* Let msi_table_alloc() pick the first free index */
#define MSI_ANY_INDEX		UINT_MAX

/* Highest index of a table which has no hardware size limit */
#define MSI_TABLE_MAX_INDEX	((unsigned int)INT_MAX - 1)

/**
 * struct msi_table_ops - Callbacks of a driver defined message store
 * @write_msg:		Write @msg into the store entry of @desc. Mandatory.
 *			An all zero message is written when the interrupt
 *			is deactivated.
 * @mask:		Mask the store entry of @desc. Mandatory.
 * @unmask:		Unmask the store entry of @desc. Mandatory.
 * @prepare_desc:	Optional: called with the table locked when an entry
 *			has been added to the table, before its interrupt is
 *			allocated. A non-zero return fails the allocation.
 * @release_desc:	Optional: called with the table locked when an
 *			entry is removed from the table, after its interrupt
 *			has been freed. Also called when the allocation
 *			fails after a successful @prepare_desc.
 *
 * @write_msg, @mask and @unmask are mostly called with the interrupt
 * descriptor lock held and interrupts disabled, @write_msg also from the
 * allocation and free of an entry with the table locked: they must not
 * sleep.
 */
struct msi_table_ops {
	void	(*write_msg)(struct msi_table *table, struct msi_desc *desc,
			     const struct msi_msg *msg);
	void	(*mask)(struct msi_table *table, struct msi_desc *desc);
	void	(*unmask)(struct msi_table *table, struct msi_desc *desc);
	int	(*prepare_desc)(struct msi_table *table, struct msi_desc *desc);
	void	(*release_desc)(struct msi_table *table, struct msi_desc *desc);
};

/* Flags for struct msi_table_info and struct msi_table */
/* Activate at allocation, i.e. write the message before request_irq() */
#define MSI_TABLE_ACTIVATE_EARLY	BIT(0)
/*
 * Set by bus code on a default table: its entries can be allocated and
 * freed one by one, e.g. PCI/MSI-X after the device has been enabled
 */
#define MSI_TABLE_ALLOC_DYN		BIT(28)
/* Set by the core: the table is being destroyed */
#define MSI_TABLE_DYING			BIT(29)
/* Set by the core: the table is device managed */
#define MSI_TABLE_MANAGED		BIT(30)
/* Set by the core: the table is the device's default table */
#define MSI_TABLE_DEFAULT		BIT(31)

/* Flags a driver may pass in struct msi_table_info::flags */
#define MSI_TABLE_DRIVER_FLAGS		(MSI_TABLE_ACTIVATE_EARLY)

/**
 * struct msi_table_info - Description of a driver defined MSI table
 * @name:	Name of the table, used for the irq chip and the irq domain.
 *		Must stay valid for the lifetime of the table.
 * @hwsize:	Number of entries of the message store. 0 for a store
 *		without a size limit, which allows indices up to
 *		%MSI_TABLE_MAX_INDEX.
 * @flags:	MSI_TABLE_* flags out of %MSI_TABLE_DRIVER_FLAGS
 * @ops:	The callbacks of the message store
 * @bus_ops:	Set by bus code which creates tables for drivers, e.g. to
 *		tell the parent domain the requester ID; %NULL otherwise
 * @data:	Driver data, available as &msi_table.data in the callbacks
 */
struct msi_table_info {
	const char			*name;
	unsigned int			hwsize;
	unsigned long			flags;
	const struct msi_table_ops	*ops;
	const struct msi_table_bus_ops	*bus_ops;
	void				*data;
};

/**
 * struct msi_table - One interrupt message store of a device
 * @dev:	The device which owns the table
 * @domain:	The irq domain of the table. %NULL for the default table,
 *		which uses the device's MSI domain.
 * @store:	The table's MSI descriptors, indexed by their position in
 *		the message store
 * @lock:	Serializes allocation, free and iteration of @store
 * @iter_idx:	Index where the descriptor iterators continue
 * @max_index:	Highest index the table can hold
 * @hwsize:	Number of entries of the message store, 0 if unlimited.
 *		Allocations are limited to it.
 * @flags:	MSI_TABLE_* flags
 * @id:		Identifier of the table among the device's tables
 * @name:	Name of the table
 * @ops:	The callbacks of the message store
 * @bus_ops:	The bus callbacks, or %NULL
 * @data:	Driver data
 */
struct msi_table {
	struct device			*dev;
	struct irq_domain		*domain;
	struct xarray			store;
	struct mutex			lock;	/* Protects store, iter_idx */
	unsigned long			iter_idx;
	unsigned int			max_index;
	unsigned int			hwsize;
	unsigned long			flags;
	u32				id;
	const char			*name;
	const struct msi_table_ops	*ops;
	const struct msi_table_bus_ops	*bus_ops;
	void				*data;
};

struct msi_table *dev_msi_table(struct device *dev);

struct msi_table *msi_create_table(struct device *dev,
				   struct irq_domain *parent,
				   const struct msi_table_info *info);
struct msi_table *devm_msi_create_table(struct device *dev,
					struct irq_domain *parent,
					const struct msi_table_info *info);
int msi_destroy_table(struct msi_table *table);

bool msi_table_can_alloc(struct msi_table *table);

struct msi_map msi_table_alloc(struct msi_table *table, unsigned int index,
			       const union msi_entry_cookie *cookie,
			       const struct irq_affinity_desc *affinity);
int msi_table_free(struct msi_table *table, unsigned int index);
int msi_table_alloc_range(struct msi_table *table, unsigned int first,
			  unsigned int last);
int msi_table_free_range(struct msi_table *table, unsigned int first,
			 unsigned int last);
int msi_table_restore(struct msi_table *table);

unsigned int msi_get_virq(struct msi_table *table, unsigned int index);

void msi_table_lock(struct msi_table *table);
void msi_table_unlock(struct msi_table *table);

struct msi_desc *msi_table_first_desc(struct msi_table *table,
				      enum msi_desc_filter filter);
struct msi_desc *msi_table_next_desc(struct msi_table *table,
				     enum msi_desc_filter filter);

/**
 * msi_table_for_each_desc - Iterate the MSI descriptors of a table
 * @desc:	struct msi_desc pointer used as iterator
 * @table:	The table to iterate
 * @filter:	Filter for descriptor selection
 *
 * The loop must be protected by a msi_table_lock()/msi_table_unlock()
 * pair. It is safe to remove the retrieved descriptor in the loop.
 */
#define msi_table_for_each_desc(desc, table, filter)			\
	for ((desc) = msi_table_first_desc((table), (filter)); (desc);	\
	     (desc) = msi_table_next_desc((table), (filter)))

#endif /* _LINUX_MSI_TABLE_H */
