/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the MSI core (msi.c) and the MSI tables (msi_table.c).
 */
#ifndef _KERNEL_IRQ_MSI_INTERNAL_H
#define _KERNEL_IRQ_MSI_INTERNAL_H

#include <linux/bug.h>
#include <linux/msi.h>

static inline bool msi_desc_match(struct msi_desc *desc,
				  enum msi_desc_filter filter)
{
	switch (filter) {
	case MSI_DESC_ALL:
		return true;
	case MSI_DESC_NOTASSOCIATED:
		return !desc->irq;
	case MSI_DESC_ASSOCIATED:
		return !!desc->irq;
	}
	WARN_ON_ONCE(1);
	return false;
}

struct msi_desc *msi_alloc_desc(struct device *dev, int nvec,
				const struct irq_affinity_desc *affinity);
void msi_free_desc(struct msi_desc *desc);

#ifdef CONFIG_GENERIC_MSI_IRQ_DOMAIN
#define VIRQ_CAN_RESERVE	0x01
#define VIRQ_ACTIVATE		0x02

int msi_init_virq(struct irq_domain *domain, int virq, unsigned int vflags);
unsigned int msi_domain_virq_flags(struct irq_domain *domain, struct device *dev);
int msi_domain_add_desc_sysfs(struct irq_domain *domain, struct device *dev,
			      struct msi_desc *desc);
void msi_domain_del_desc_sysfs(struct device *dev, struct msi_desc *desc);
void msi_destroy_device_tables(struct msi_device_data *md);
#else
static inline void msi_destroy_device_tables(struct msi_device_data *md)
{
	xa_destroy(&md->tables);
}
#endif

#endif /* _KERNEL_IRQ_MSI_INTERNAL_H */
