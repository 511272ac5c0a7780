/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI device of the MSI table benchmarks: QEMU's virtio-rng-pci with
 * an MSI-X table of BENCH_MSIX_SIZE entries, which the benchmark kernel
 * has no driver for. Both modules take it the same way, so the default
 * table figures of the base and the patched kernel are of the same MSI-X
 * table: BENCH_VECTORS entries allocated at probe for the lookups, the
 * others for dynamic allocation while they are looked up.
 */
#ifndef _MSI_BENCH_PCI_H
#define _MSI_BENCH_PCI_H

#include <linux/pci.h>

#include "bench.h"

/* The lookups' entries, then a batch each for a free sample and the background */
#define BENCH_MSIX_SIZE		(BENCH_VECTORS + 2 * BENCH_BATCH)

static struct pci_dev *bench_pdev;

static int bench_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	/* One device is enough; QEMU is started with one */
	if (bench_pdev)
		return -EBUSY;
	if (pci_msix_vec_count(pdev) < BENCH_MSIX_SIZE) {
		dev_err(&pdev->dev, "msi-bench: fewer than %d MSI-X entries\n",
			BENCH_MSIX_SIZE);
		return -ENOSPC;
	}
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, BENCH_VECTORS, BENCH_VECTORS, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(&pdev->dev, "msi-bench: %d MSI-X vectors: %d\n", BENCH_VECTORS, ret);
		pci_disable_device(pdev);
		return ret;
	}
	bench_pdev = pdev;
	return 0;
}

static void bench_pci_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
	bench_pdev = NULL;
}

static const struct pci_device_id bench_pci_ids[] = {
	/* virtio-rng, transitional and modern */
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1005) },
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1044) },
	{ }
};
MODULE_DEVICE_TABLE(pci, bench_pci_ids);

static struct pci_driver bench_pci_driver = {
	.name		= "msi-bench",
	.id_table	= bench_pci_ids,
	.probe		= bench_pci_probe,
	.remove		= bench_pci_remove,
};

/* Dynamic MSI-X: entries beyond the lookups' ones, one at a time */

static int bench_msix_alloc(struct bench_pool *pool, unsigned int slot)
{
	pool->map[slot] = pci_msix_alloc_irq_at(bench_pdev, MSI_ANY_INDEX, NULL);
	return pool->map[slot].index < 0 ? pool->map[slot].index : 0;
}

static void bench_msix_free(struct bench_pool *pool, unsigned int slot)
{
	pci_msix_free_irq(bench_pdev, pool->map[slot]);
}

static const struct bench_pool_ops bench_msix_pool_ops = {
	.alloc	= bench_msix_alloc,
	.free	= bench_msix_free,
};

/*
 * Lookups of the lookups' MSI-X entries with the module's @lookup probe
 * on @data, their floor on @floor, and frees of other entries, alone and
 * while another thread allocates and frees MSI-X entries of the device.
 * All are entries of the device's one MSI-X table: upstream serializes
 * them with the device's MSI mutex, which its msi_get_virq() takes too.
 */
static inline int bench_msix_contend(const char *kernel, struct xarray *floor,
				     u64 (*lookup)(void *data, bool busy), void *data)
{
	struct msi_map fmap[BENCH_BATCH], bgmap[BENCH_BATCH];
	struct bench_pool frees = { &bench_msix_pool_ops, NULL, fmap };
	struct bench_pool allocs = { &bench_msix_pool_ops, NULL, bgmap };
	struct bench_bg bg = { .fn = bench_pool_cycle, .data = &allocs };
	struct bench_probe probes[] = {
		{ .fn = bench_floor_probe, .data = floor },
		{ .fn = lookup, .data = data },
		{ .fn = bench_free_probe, .data = &frees },
	};
	char prefix[32];
	int ret;

	if (!pci_msix_can_alloc_dyn(bench_pdev))
		return -EOPNOTSUPP;
	ret = bench_contend(probes, ARRAY_SIZE(probes), &bg);
	if (ret)
		return ret;
	snprintf(prefix, sizeof(prefix), "%s.conc.msix", kernel);
	bench_report_probe(&probes[0], prefix, "xa_load", "busy");
	bench_report_probe(&probes[1], prefix, "lookup", "busy");
	bench_report_probe(&probes[2], prefix, "free", "busy");
	return 0;
}

#endif /* _MSI_BENCH_PCI_H */
