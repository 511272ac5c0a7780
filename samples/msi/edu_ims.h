/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IMS sample driver for QEMU's edu device: its state, and the calls
 * which allocate, fire and free its IMS entries.
 */
#ifndef _SAMPLES_MSI_EDU_IMS_H
#define _SAMPLES_MSI_EDU_IMS_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/pci-ims.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define EDU_PCI_VENDOR		0x1234
#define EDU_PCI_DEVICE		0x11e8

/* Slots of the IMS store, in the common IMS array layout (<linux/pci-ims.h>) */
#define EDU_IMS_SLOTS		8

/*
 * How long a waiter gives a message or a DMA: each DMA of the device
 * takes 100 ms of guest time, and a QEMU TCG guest on a loaded host may
 * not run for seconds. Generous, as only a failure ever waits this long.
 */
#define EDU_IMS_WAIT_MS		10000

struct edu_ims;
struct msi_table;
struct pci_dev;
struct pci_driver;

/**
 * struct edu_ims_entry - An IMS entry of the device, while it is allocated
 * @edu:	The device
 * @virq:	The entry's interrupt, 0 while the entry is not allocated
 * @sent:	Messages the device sent for the entry since its allocation
 * @handled:	Handler runs since the entry's allocation
 * @last_cpu:	The CPU of the last handler run, -1 before the first
 * @delivered:	Completed once per handler run
 * @name:	The interrupt's name
 */
struct edu_ims_entry {
	struct edu_ims		*edu;
	unsigned int		virq;
	atomic_t		sent;
	atomic_t		handled;
	int			last_cpu;
	struct completion	delivered;
	char			name[20];
};

/**
 * struct edu_ims - An edu device bound to the sample driver
 * @pdev:	The PCI device
 * @mmio:	BAR 0, the device's registers
 * @ims_only:	The device is named in the ims_only parameter: no MSI
 * @table:	The IMS table, %NULL where IMS was refused
 * @table_err:	Why there is no @table: the error of its creation
 * @array:	The IMS store: 8 slots in coherent system memory, which the
 *		IMS array store's callbacks write with writel()
 * @store_dma:	The store's address for the device's DMA engine
 * @dma_lock:	Serializes the device's DMA engine, which runs one copy
 * @dma_done:	Completed by the device's MSI when a copy is done
 * @msi_irq:	The device's MSI interrupt, 0 in the IMS only mode
 * @msi_handled: Runs of the MSI handler
 * @fired:	Messages sent for all IMS entries
 * @entries:	The IMS entries, at their index in @table
 * @fire_work:	The keep_firing mode: fires the two entries in turn
 * @firing:	The keep_firing mode is on; the tests leave such a device alone
 * @fire_index:	The keep_firing mode's two entries
 * @fire_next:	The keep_firing mode's next entry, in @fire_index
 */
struct edu_ims {
	struct pci_dev		*pdev;
	void __iomem		*mmio;
	bool			ims_only;
	struct msi_table	*table;
	int			table_err;
	struct pci_ims_array	array;
	dma_addr_t		store_dma;
	/* Held while the DMA engine runs a copy; the engine runs one at a time */
	struct mutex		dma_lock;
	struct completion	dma_done;
	unsigned int		msi_irq;
	atomic_t		msi_handled;
	atomic_t		fired;
	struct edu_ims_entry	entries[EDU_IMS_SLOTS];
	struct work_struct	fire_work;
	bool			firing;
	int			fire_index[2];
	unsigned int		fire_next;
};

/* Where slot @index is in the store */
static inline unsigned int edu_ims_slot_offset(unsigned int index)
{
	return index * PCI_IMS_ARRAY_ENTRY_SIZE;
}

bool edu_ims_only_named(struct pci_dev *pdev);
int edu_ims_add(struct edu_ims *edu, unsigned int index);
void edu_ims_remove(struct edu_ims *edu, unsigned int index);
int edu_ims_fire(struct edu_ims *edu, unsigned int index);
bool edu_ims_wait(struct edu_ims *edu, unsigned int index, unsigned int timeout_ms);
int edu_msi_ping(struct edu_ims *edu);

/* For the KUnit tests, in the same module */
extern struct pci_driver edu_ims_driver;

#endif /* _SAMPLES_MSI_EDU_IMS_H */
