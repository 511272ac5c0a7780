/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI device of the MSI table benchmarks: QEMU's virtio-rng-pci with
 * BENCH_VECTORS MSI-X vectors, which the benchmark kernel has no driver
 * for. Both modules take it the same way, so the default table lookups
 * of the base and the patched kernel run on the same MSI-X table.
 */
#ifndef _MSI_BENCH_PCI_H
#define _MSI_BENCH_PCI_H

#include <linux/pci.h>

static struct pci_dev *bench_pdev;

static int bench_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	/* One device is enough; QEMU is started with one */
	if (bench_pdev)
		return -EBUSY;
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

#endif /* _MSI_BENCH_PCI_H */
