/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IMS sample driver for QEMU's edu device: what its KUnit tests use.
 */
#ifndef _SAMPLES_MSI_EDU_IMS_H
#define _SAMPLES_MSI_EDU_IMS_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define EDU_IMS_SLOTS		8
/* Bit 0 of a slot's control word masks the entry */
#define EDU_IMS_CTRL_MASK	0x1

/* One slot of the message store, in system memory, read by the device */
struct edu_ims_slot {
	__le32	addr_lo;
	__le32	addr_hi;
	__le32	data;
	__le32	ctrl;
};

struct edu_ims;

struct edu_ims_entry {
	struct edu_ims	*edu;
	unsigned int	virq;
	/* Messages the device sent, and handler runs, since allocation */
	atomic_t	sent;
	atomic_t	handled;
	int		last_cpu;
	char		name[16];
};

struct edu_ims {
	struct pci_dev		*pdev;
	void __iomem		*mmio;
	bool			ims_only;
	/* The IMS table, NULL where the IMS policy refused it */
	struct msi_table	*table;
	struct edu_ims_slot	*store;
	dma_addr_t		store_dma;
	/* Serializes the device's DMA engine */
	struct mutex		dma_lock;
	struct completion	dma_done;
	unsigned int		msi_irq;
	atomic_t		msi_handled;
	atomic_t		fired;
	wait_queue_head_t	wq;
	struct edu_ims_entry	entries[EDU_IMS_SLOTS];
	/* The keep_firing mode: two entries fired in turn while bound */
	struct work_struct	fire_work;
	bool			firing;
	int			fire_index[2];
	unsigned int		fire_next;
	struct list_head	node;
};

struct edu_ims *edu_ims_find(bool ims_only);
int edu_ims_add(struct edu_ims *edu, unsigned int index);
void edu_ims_remove(struct edu_ims *edu, unsigned int index);
int edu_ims_fire(struct edu_ims *edu, unsigned int index);
bool edu_ims_wait(struct edu_ims *edu, unsigned int index, int handled);

#endif
