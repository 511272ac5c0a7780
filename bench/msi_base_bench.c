// SPDX-License-Identifier: GPL-2.0
/*
 * The 6.1 path of the MSI table benchmarks, built against the unpatched
 * base: msi_get_virq(dev, index) on the MSI-X vectors of the benchmark's
 * PCI device against a bare xa_load() on the same xarray, then again
 * while another thread holds the device's MSI descriptor lock, which
 * msi_get_virq() takes in 6.1; and the sizes of the MSI structures.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/msi.h>

#include "bench.h"
#include "bench_pci.h"

static unsigned long bench_sink;

static int bench_hold(void *data)
{
	struct device *dev = data;

	while (!kthread_should_stop()) {
		msi_lock_descs(dev);
		udelay(BENCH_HOLD_US);
		msi_unlock_descs(dev);
		cond_resched();
	}
	return 0;
}

static int bench_lookup(void *data)
{
	struct device *dev = data;
	struct xarray *store = &dev->msi.data->__store;
	struct bench_stat floor = { }, get = { }, held = { };
	struct task_struct *holder;
	unsigned long sink = 0;
	unsigned int i;
	int s;

	if (num_online_cpus() < 2)
		return -ENODEV;
	for (i = 0; i < BENCH_VECTORS; i++) {
		if (!msi_get_virq(dev, i))
			return -ENXIO;
	}

	/* Interleaved, so that both see the same noise */
	for (s = 0; s < BENCH_SAMPLES; s++) {
		bench_add(&floor, BENCH_LOOP_PS(sink, i, BENCH_BURST,
						(unsigned long)xa_load(store, i % BENCH_VECTORS)));
		bench_add(&get, BENCH_LOOP_PS(sink, i, BENCH_BURST,
					      msi_get_virq(dev, i % BENCH_VECTORS)));
	}

	holder = bench_thread(bench_hold, dev, 1, "msi-bench-hold");
	if (IS_ERR(holder))
		return PTR_ERR(holder);
	wake_up_process(holder);
	/* Each call may wait for the holder: the clock costs nothing here */
	for (s = 0; s < BENCH_SAMPLES; s++)
		bench_add(&held, BENCH_LOOP_PS(sink, i, BENCH_BURST_BLOCKING,
					       msi_get_virq(dev, i % BENCH_VECTORS)));
	kthread_stop(holder);
	bench_sink = sink;

	bench_report_ps("base.lookup.msix.xa_load", &floor);
	bench_report_ps("base.lookup.msix.msi_get_virq", &get);
	bench_report_ps("base.lookup.msix.msi_get_virq_locked", &held);
	return 0;
}

static int __init bench_init(void)
{
	int ret;

	ret = pci_register_driver(&bench_pci_driver);
	if (ret)
		return ret;
	if (!bench_pdev) {
		pr_err("msi-bench: no virtio-rng-pci device with %d MSI-X vectors\n",
		       BENCH_VECTORS);
		pci_unregister_driver(&bench_pci_driver);
		return -ENODEV;
	}

	bench_value("base.sizeof.msi_desc", sizeof(struct msi_desc), "bytes");
	bench_value("base.sizeof.msi_device_data", sizeof(struct msi_device_data), "bytes");

	ret = bench_run_on(0, bench_lookup, &bench_pdev->dev);
	if (ret)
		pr_err("msi-bench: lookup failed: %d\n", ret);
	pr_info("msi-bench: done\n");
	return 0;
}
module_init(bench_init);

static void __exit bench_exit(void)
{
	pci_unregister_driver(&bench_pci_driver);
}
module_exit(bench_exit);

MODULE_DESCRIPTION("Benchmark of the 6.1 MSI descriptor lookup");
MODULE_LICENSE("GPL");
