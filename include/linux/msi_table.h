/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI tables: the interrupt message stores of a device.
 *
 * A message signalled interrupt is a device writing DATA to ADDRESS; the
 * place where the device finds that pair is an interrupt message store.
 * Each store of a device is a struct msi_table with its own MSI domain,
 * its own descriptor store and its own lock. Table 0 is the device's
 * default table (PCI MSI/MSI-X, platform MSI, MSI_DEFAULT_DOMAIN); the
 * tables created here hold device defined stores (IMS).
 */
#ifndef _LINUX_MSI_TABLE_H
#define _LINUX_MSI_TABLE_H

#include <linux/bits.h>
#include <linux/msi.h>
#include <linux/types.h>

struct device;
struct irq_affinity_desc;
struct msi_desc;
struct msi_domain_template;
struct msi_msg;
struct msi_table;

/**
 * struct msi_table_ops - Callbacks of a device defined message store
 * @write_msg:		Write @msg into the store entry of @desc. Mandatory.
 *			An all zero message is written when the interrupt
 *			is deactivated.
 * @mask:		Mask the store entry of @desc. Mandatory.
 * @unmask:		Unmask the store entry of @desc. Mandatory.
 * @prepare_desc:	Optional: called with the table locked when an entry
 *			was added, before its interrupt is allocated, e.g. to
 *			set up a queue context. A non-zero return fails the
 *			allocation with that error; it is where a store
 *			checks the cookie the entry is allocated with.
 * @release_desc:	Optional: called with the table locked when an entry
 *			is removed, after its interrupt is freed; also when
 *			the allocation fails after @prepare_desc succeeded.
 * @check_cookie:	Optional: called with the table locked by
 *			msi_table_set_cookie() before the entry's cookie
 *			changes to @icookie. A non-zero return fails the
 *			call with that error and leaves the entry as it was.
 * @mask_free:		Optional, for a store of &msi_table_info.hwsize
 *			slots: mask the slots @first to @last, which hold no
 *			entry. Called with the table locked when the table
 *			is created and by msi_table_restore(), as nothing
 *			says what firmware, a former driver or a reset left
 *			in a slot the table does not own. A store may skip a
 *			device it cannot write (msi_table_dev()), as for
 *			@write_msg.
 *
 * The entry's index in its table is &msi_desc.msi_index, the cookie
 * given to msi_table_alloc() is &msi_desc.data.icookie. An entry is
 * masked with @mask after @prepare_desc and before its interrupt exists.
 *
 * @write_msg, @mask and @unmask must not sleep. They are called with the
 * interrupt descriptor lock held and interrupts disabled, from process
 * context and from hard interrupt context: the flow handler masks and
 * unmasks an entry, and a parent may apply an affinity change in the
 * entry's next interrupt. @mask is also called with only the table
 * locked, before the entry's interrupt exists, and with
 * %MSI_TABLE_ACTIVATE_EARLY so is @write_msg, when the entry is
 * allocated and freed. @prepare_desc, @release_desc, @check_cookie and
 * @mask_free may sleep.
 */
struct msi_table_ops {
	void	(*write_msg)(struct msi_table *table, struct msi_desc *desc,
			     const struct msi_msg *msg);
	void	(*mask)(struct msi_table *table, struct msi_desc *desc);
	void	(*unmask)(struct msi_table *table, struct msi_desc *desc);
	int	(*prepare_desc)(struct msi_table *table, struct msi_desc *desc);
	void	(*release_desc)(struct msi_table *table, struct msi_desc *desc);
	int	(*check_cookie)(struct msi_table *table, struct msi_desc *desc,
				const union msi_instance_cookie *icookie);
	void	(*mask_free)(struct msi_table *table, unsigned int first,
			     unsigned int last);
};

/* Write the message at allocation instead of at request_irq() */
#define MSI_TABLE_ACTIVATE_EARLY	BIT(0)

/* The flags a creator may pass in &msi_table_info.flags */
#define MSI_TABLE_FLAGS			(MSI_TABLE_ACTIVATE_EARLY)

/**
 * struct msi_table_info - Description of a device defined MSI table
 * @name:	Name of the table; the core prefixes the parent's prefix and
 *		appends the device name, in a copy
 * @hwsize:	Number of entries of the message store, at most
 *		%MSI_MAX_TABLE_SIZE; 0 for a store without a size limit,
 *		which gets %MSI_MAX_TABLE_SIZE (not with
 *		&msi_table_ops.mask_free)
 * @flags:	MSI_TABLE_* flags out of %MSI_TABLE_FLAGS
 * @ops:	The callbacks of the message store
 * @data:	The creator's data, see msi_table_drvdata()
 */
struct msi_table_info {
	const char			*name;
	unsigned int			hwsize;
	unsigned long			flags;
	const struct msi_table_ops	*ops;
	void				*data;
};

struct msi_table *msi_create_table(struct device *dev,
				   const struct msi_domain_template *bus_template,
				   const struct msi_table_info *info);
struct msi_table *devm_msi_create_table(struct device *dev,
					const struct msi_domain_template *bus_template,
					const struct msi_table_info *info);
int msi_destroy_table(struct msi_table *table);
void *msi_table_drvdata(struct msi_table *table);
struct device *msi_table_dev(struct msi_table *table);

struct msi_map msi_table_alloc(struct msi_table *table, unsigned int index,
			       const union msi_instance_cookie *icookie,
			       const struct irq_affinity_desc *affdesc);
int msi_table_free(struct msi_table *table, unsigned int index);
int msi_table_alloc_range(struct msi_table *table, unsigned int first,
			  unsigned int last);
int msi_table_free_range(struct msi_table *table, unsigned int first,
			 unsigned int last);
int msi_table_restore(struct msi_table *table);
int msi_table_set_cookie(struct msi_table *table, unsigned int index,
			 const union msi_instance_cookie *icookie);

void msi_table_lock(struct msi_table *table);
void msi_table_unlock(struct msi_table *table);
struct msi_desc *msi_table_first_desc(struct msi_table *table,
				      enum msi_desc_filter filter);
struct msi_desc *msi_table_next_desc(struct msi_table *table,
				     enum msi_desc_filter filter);

#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit only: the number of MSI tables of @dev, the default one included */
unsigned int msi_device_count_tables(struct device *dev);
#endif

/**
 * msi_table_for_each_desc - Iterate the MSI descriptors of a table
 * @desc:	struct msi_desc pointer used as iterator
 * @table:	The table to iterate
 * @filter:	Filter for descriptor selection
 *
 * The loop must be protected by msi_table_lock()/msi_table_unlock().
 */
#define msi_table_for_each_desc(desc, table, filter)			\
	for ((desc) = msi_table_first_desc((table), (filter)); (desc);	\
	     (desc) = msi_table_next_desc((table), (filter)))

#endif /* _LINUX_MSI_TABLE_H */
