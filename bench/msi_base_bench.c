// SPDX-License-Identifier: GPL-2.0
/*
 * The upstream path of the MSI table benchmarks, built against the
 * unpatched 6.12 base, on the MSI-X entries of the benchmark's PCI
 * device:
 *
 * - lookup: msi_get_virq(dev, index), which takes the device's MSI mutex,
 *   against a bare xa_load() of the same descriptors, alone and while
 *   another thread holds the mutex;
 * - lookups and frees while another thread allocates and frees MSI-X
 *   entries of the device, which holds the same mutex;
 * - the size of struct msi_desc.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/msi.h>

#include "bench.h"
#include "bench_pci.h"

struct bench_lookup {
	struct device	*dev;
	struct xarray	floor;
};

/*
 * A lookup may wait for the holder of the mutex: then the clock is read
 * every few lookups, as its reads cost nothing next to the waits.
 */
static u64 bench_lookup_probe(void *data, bool busy)
{
	unsigned int burst = busy ? BENCH_BURST_BLOCKING : BENCH_BURST;
	struct bench_lookup *l = data;
	struct bench_span span;
	unsigned long sink = 0;
	unsigned int i;

	bench_span_start(&span);
	do {
		for (i = 0; i < burst; i++)
			sink += msi_get_virq(l->dev, i % BENCH_VECTORS);
	} while (bench_span_more(&span, burst));
	bench_sink += sink;
	return bench_span_ps(&span);
}

static int bench_hold(void *data)
{
	struct device *dev = data;

	msi_lock_descs(dev);
	udelay(BENCH_HOLD_US);
	msi_unlock_descs(dev);
	return 0;
}

static int bench_lookup(struct bench_lookup *l)
{
	struct bench_bg holder = { .fn = bench_hold, .data = l->dev };
	struct bench_probe probes[] = {
		{ .fn = bench_floor_probe, .data = &l->floor },
		{ .fn = bench_lookup_probe, .data = l },
	};
	int ret;

	ret = bench_contend(probes, ARRAY_SIZE(probes), &holder);
	if (ret)
		return ret;
	bench_report_probe(&probes[0], "base.lookup.msix", "xa_load", "locked");
	bench_report_probe(&probes[1], "base.lookup.msix", "msi_get_virq", "locked");
	return 0;
}

static int bench_main(void *data)
{
	struct bench_lookup l = { .dev = &bench_pdev->dev };
	unsigned int virqs[BENCH_VECTORS], i;
	int ret;

	for (i = 0; i < BENCH_VECTORS; i++)
		virqs[i] = msi_get_virq(l.dev, i);
	ret = bench_floor_init(&l.floor, virqs);
	if (ret)
		return ret;

	ret = bench_lookup(&l);
	if (ret)
		pr_err("msi-bench: lookup failed: %d\n", ret);
	ret = bench_msix_contend("base", &l.floor, bench_lookup_probe, &l);
	if (ret)
		pr_err("msi-bench: contention failed: %d\n", ret);
	xa_destroy(&l.floor);
	return 0;
}

static int __init bench_init(void)
{
	int ret;

	ret = pci_register_driver(&bench_pci_driver);
	if (ret)
		return ret;
	if (!bench_pdev) {
		pr_err("msi-bench: no virtio-rng-pci device with %d MSI-X entries\n",
		       BENCH_MSIX_SIZE);
		pci_unregister_driver(&bench_pci_driver);
		return -ENODEV;
	}

	bench_value("base.sizeof.msi_desc", sizeof(struct msi_desc), "bytes");
	ret = bench_run(bench_main, NULL);
	if (ret)
		pr_err("msi-bench: failed: %d\n", ret);
	pr_info("msi-bench: done\n");
	return 0;
}
module_init(bench_init);

static void __exit bench_exit(void)
{
	pci_unregister_driver(&bench_pci_driver);
}
module_exit(bench_exit);

MODULE_DESCRIPTION("Benchmark of the upstream MSI descriptor lookup of Linux 6.12");
MODULE_LICENSE("GPL");
