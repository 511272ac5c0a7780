// SPDX-License-Identifier: (GPL-2.0 OR BSD-3-Clause)
/*
 * KUnit tests of NTB/msi without NTB hardware. Included by msi.c, for
 * struct ntb_msi.
 *
 * The test NTB device has one peer and two memory windows and records
 * the translations it is asked to set. Its PCI device, whose MSI-X
 * interrupts NTB/msi hands out, is one which the suite binds a driver of
 * its own to: QEMU's vmxnet3 (15ad:07b0), which has an MSI-X table and
 * whose Linux driver a test kernel does not build. The suite's driver
 * takes the first vmxnet3 which no driver holds, and nothing else;
 * without one the cases skip.
 *
 * The peer's memory window is a buffer here, where a real NTB maps the
 * peer's window through the bridge: ntb_msi_init(), which maps it, needs
 * NTB hardware and is not tested.
 */
#include <kunit/test.h>
#include <linux/interrupt.h>

#define NTBT_VENDOR		0x15ad
#define NTBT_DEVICE		0x07b0
#define NTBT_VECTORS		2
#define NTBT_ADDR_ALIGN		0x100000
#define NTBT_SIZE_ALIGN		0x1000
#define NTBT_SIZE_MAX		0x10000
#define NTBT_PEER_MW_PHYS	0x480000000ULL
#define NTBT_PEER_MW_SIZE	0x100000
/* The part of the peer's window which the test backs with memory */
#define NTBT_PEER_MW_BACKED	SZ_32K

/* The PCI device bound to the suite's driver, from suite_init to exit */
static struct pci_dev *ntbt_pdev;

static int ntbt_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	if (ntbt_pdev)
		return -ENODEV;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ntbt_pdev = pdev;
	return 0;
}

static void ntbt_pci_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
	ntbt_pdev = NULL;
}

static const struct pci_device_id ntbt_pci_ids[] = {
	{ PCI_DEVICE(NTBT_VENDOR, NTBT_DEVICE) },
	{ }
};

static struct pci_driver ntbt_pci_driver = {
	.name		= "ntb_msi_kunit",
	.id_table	= ntbt_pci_ids,
	.probe		= ntbt_pci_probe,
	.remove		= ntbt_pci_remove,
	.driver.probe_type = PROBE_FORCE_SYNCHRONOUS,
};

struct ntbt {
	struct ntb_dev		ntb;
	u32			*peer_mw;
	/* The last translation set */
	int			trans_pidx;
	int			trans_widx;
	dma_addr_t		trans_addr;
	resource_size_t		trans_size;
	unsigned int		changed;
	/* An interrupt the test requested itself, or 0 */
	unsigned int		own_irq;
	/*
	 * What a peer sends for each interrupt requested: NTB/msi keeps a
	 * pointer to it, and rewrites it in the message write hook, until
	 * exit() releases the NTB device's devres
	 */
	struct ntb_msi_desc	nd[2];
};

static struct ntbt *ntb_to_ntbt(struct ntb_dev *ntb)
{
	return container_of(ntb, struct ntbt, ntb);
}

static u64 ntbt_link_is_up(struct ntb_dev *ntb, enum ntb_speed *speed,
			   enum ntb_width *width)
{
	return BIT_ULL(0);
}

static int ntbt_mw_count(struct ntb_dev *ntb, int pidx)
{
	return 2;
}

static int ntbt_mw_get_align(struct ntb_dev *ntb, int pidx, int widx,
			     resource_size_t *addr_align,
			     resource_size_t *size_align,
			     resource_size_t *size_max)
{
	if (addr_align)
		*addr_align = NTBT_ADDR_ALIGN;
	if (size_align)
		*size_align = NTBT_SIZE_ALIGN;
	if (size_max)
		*size_max = NTBT_SIZE_MAX;
	return 0;
}

static int ntbt_mw_set_trans(struct ntb_dev *ntb, int pidx, int widx,
			     dma_addr_t addr, resource_size_t size)
{
	struct ntbt *t = ntb_to_ntbt(ntb);

	t->trans_pidx = pidx;
	t->trans_widx = widx;
	t->trans_addr = addr;
	t->trans_size = size;
	return 0;
}

static int ntbt_peer_mw_count(struct ntb_dev *ntb)
{
	return 2;
}

/* Peer window n is at NTBT_PEER_MW_PHYS + n * NTBT_PEER_MW_SIZE */
static int ntbt_peer_mw_get_addr(struct ntb_dev *ntb, int widx,
				 phys_addr_t *base, resource_size_t *size)
{
	if (base)
		*base = NTBT_PEER_MW_PHYS + widx * NTBT_PEER_MW_SIZE;
	if (size)
		*size = NTBT_PEER_MW_SIZE;
	return 0;
}

static const struct ntb_dev_ops ntbt_ops = {
	.link_is_up		= ntbt_link_is_up,
	.mw_count		= ntbt_mw_count,
	.mw_get_align		= ntbt_mw_get_align,
	.mw_set_trans		= ntbt_mw_set_trans,
	.peer_mw_count		= ntbt_peer_mw_count,
	.peer_mw_get_addr	= ntbt_peer_mw_get_addr,
};

static void ntbt_desc_changed(void *ctx)
{
	struct ntbt *t = ctx;

	t->changed++;
}

/* The last reference: the NTB device's devres is released, then it */
static void ntbt_release(struct device *dev)
{
	kfree(ntb_to_ntbt(dev_ntb(dev)));
}

static irqreturn_t ntbt_irq(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static int ntb_msi_test_suite_init(struct kunit_suite *suite)
{
	return pci_register_driver(&ntbt_pci_driver);
}

/* Unbinding frees the vectors and the device's MSI data */
static void ntb_msi_test_suite_exit(struct kunit_suite *suite)
{
	pci_unregister_driver(&ntbt_pci_driver);
}

static int ntb_msi_test_init(struct kunit *test)
{
	struct ntbt *t;

	if (!ntbt_pdev)
		kunit_skip(test, "no vmxnet3 (15ad:07b0) free for the test's driver");

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->ntb.pdev = ntbt_pdev;
	t->ntb.ops = &ntbt_ops;
	t->ntb.topo = NTB_TOPO_B2B_USD;
	t->ntb.ctx = t;
	device_initialize(&t->ntb.dev);
	t->ntb.dev.release = ntbt_release;
	/* From here on exit() undoes what is set up */
	test->priv = t;
	KUNIT_ASSERT_EQ(test, dev_set_name(&t->ntb.dev, "ntb-msi-test"), 0);

	t->peer_mw = kunit_kzalloc(test, NTBT_PEER_MW_BACKED, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->peer_mw);

	/* What ntb_msi_init() sets up, with the peer's window in memory */
	t->ntb.msi = kunit_kzalloc(test, struct_size(t->ntb.msi, peer_mws, 1),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->ntb.msi);
	t->ntb.msi->desc_changed = ntbt_desc_changed;
	t->ntb.msi->peer_mws[0] = (u32 __iomem __force *)t->peer_mw;
	return 0;
}

static void ntb_msi_test_exit(struct kunit *test)
{
	struct ntbt *t = test->priv;

	if (!t)
		return;
	if (t->own_irq)
		free_irq(t->own_irq, t);
	/* Releases what ntbm_msi_request_threaded_irq() left, and frees t */
	put_device(&t->ntb.dev);
	pci_free_irq_vectors(ntbt_pdev);
}

/* The device's MSI-X vectors, none with a handler */
static void ntbt_enable_msix(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, pci_alloc_irq_vectors(ntbt_pdev, NTBT_VECTORS,
						    NTBT_VECTORS, PCI_IRQ_MSIX),
			NTBT_VECTORS);
}

static u64 ntbt_msg_addr(struct msi_desc *desc)
{
	return desc->msg.address_lo + ((u64)desc->msg.address_hi << 32);
}

static int ntbt_request(struct ntbt *t, struct ntb_msi_desc *nd)
{
	return ntbm_msi_request_threaded_irq(&t->ntb, ntbt_irq, NULL, "ntb-msi-test",
					     t, nd);
}

/*
 * Without MSI or MSI-X enabled there is nothing to hand out: first on a
 * device which never had either (no MSI data at all, as the suite's
 * binding is new), then on one whose vectors were freed again.
 */
static void ntb_msi_test_no_irqs(struct kunit *test)
{
	struct ntbt *t = test->priv;
	struct ntb_msi_desc *nd = &t->nd[0];

	KUNIT_ASSERT_NULL(test, pci_msi_table(ntbt_pdev));
	KUNIT_EXPECT_EQ(test, ntb_msi_setup_mws(&t->ntb), -ENODEV);
	KUNIT_EXPECT_EQ(test, ntbt_request(t, nd), -ENODEV);

	ntbt_enable_msix(test);
	pci_free_irq_vectors(ntbt_pdev);
	KUNIT_ASSERT_NOT_NULL(test, pci_msi_table(ntbt_pdev));
	KUNIT_EXPECT_EQ(test, ntb_msi_setup_mws(&t->ntb), -ENODEV);
	KUNIT_EXPECT_EQ(test, ntbt_request(t, nd), -ENODEV);

	KUNIT_EXPECT_EQ(test, t->trans_size, 0);
	KUNIT_EXPECT_EQ(test, t->changed, 0);
}

/* The memory window covers the first interrupt's message address */
static void ntb_msi_test_setup_mws(struct kunit *test)
{
	struct ntbt *t = test->priv;
	u64 base;

	ntbt_enable_msix(test);
	base = ALIGN_DOWN(ntbt_msg_addr(irq_get_msi_desc(pci_irq_vector(ntbt_pdev, 0))),
			  NTBT_ADDR_ALIGN);

	KUNIT_ASSERT_EQ(test, ntb_msi_setup_mws(&t->ntb), 0);
	/* Peer 0 uses the highest memory window */
	KUNIT_EXPECT_EQ(test, t->trans_pidx, 0);
	KUNIT_EXPECT_EQ(test, t->trans_widx, 1);
	KUNIT_EXPECT_EQ(test, t->trans_addr, base);
	/* 32K rounded up to the size alignment, at least the maximum size */
	KUNIT_EXPECT_EQ(test, t->trans_size, NTBT_SIZE_MAX);
	KUNIT_EXPECT_EQ(test, t->ntb.msi->base_addr, base);
	KUNIT_EXPECT_EQ(test, t->ntb.msi->end_addr, base + SZ_32K);
}

/*
 * Requesting an interrupt walks the PCI table for the first entry
 * without a handler, here the second one, and computes the message a
 * peer sends: the offset in the memory window and the data. The
 * descriptor write hook recomputes it, and freeing removes the hook.
 */
static void ntb_msi_test_request_irq(struct kunit *test)
{
	struct ntbt *t = test->priv;
	struct ntb_msi_desc *nd = &t->nd[0], *nd2 = &t->nd[1];
	struct msi_desc *expect;
	phys_addr_t peer_addr;
	int irq;

	ntbt_enable_msix(test);
	KUNIT_ASSERT_EQ(test, request_irq(pci_irq_vector(ntbt_pdev, 0), ntbt_irq, 0,
					  "ntb-msi-test-own", t), 0);
	t->own_irq = pci_irq_vector(ntbt_pdev, 0);
	expect = irq_get_msi_desc(pci_irq_vector(ntbt_pdev, 1));
	KUNIT_ASSERT_NOT_NULL(test, expect);
	KUNIT_ASSERT_EQ(test, ntb_msi_setup_mws(&t->ntb), 0);
	/*
	 * The window is the first 32K of the first message's 1M aligned
	 * address: on the test machines (APIC IDs below 8, no remapping
	 * in the plain boot) the second message is inside it too.
	 */
	if (ntbt_msg_addr(expect) - t->ntb.msi->base_addr >= SZ_32K)
		kunit_skip(test, "the second message is outside the window on this machine");

	irq = ntbt_request(t, nd);
	KUNIT_ASSERT_EQ(test, irq, expect->irq);
	KUNIT_EXPECT_TRUE(test, irq_has_action(irq));
	KUNIT_EXPECT_EQ(test, nd->addr_offset, ntbt_msg_addr(expect) - t->ntb.msi->base_addr);
	KUNIT_EXPECT_EQ(test, nd->data, expect->msg.data);
	KUNIT_EXPECT_TRUE(test, expect->write_msi_msg == ntb_msi_write_msg);

	/* Every entry has a handler now */
	KUNIT_EXPECT_EQ(test, ntbt_request(t, nd2), -ENODEV);

	/* The peer's view: where to write, and what the trigger writes */
	KUNIT_ASSERT_EQ(test, ntb_msi_peer_addr(&t->ntb, 0, nd, &peer_addr), 0);
	KUNIT_EXPECT_EQ(test, peer_addr, NTBT_PEER_MW_PHYS + NTBT_PEER_MW_SIZE + nd->addr_offset);
	KUNIT_ASSERT_LT(test, nd->addr_offset, NTBT_PEER_MW_BACKED);
	KUNIT_ASSERT_EQ(test, ntb_msi_peer_trigger(&t->ntb, 0, nd), 0);
	KUNIT_EXPECT_EQ(test, t->peer_mw[nd->addr_offset / 4], nd->data);

	/*
	 * A rewritten message goes through the hook to the client. Written
	 * here without the interrupt descriptor's lock, which a driver
	 * must not do: nothing fires this vector.
	 */
	nd->data = ~expect->msg.data;
	pci_write_msi_msg(irq, &expect->msg);
	KUNIT_EXPECT_EQ(test, t->changed, 1);
	KUNIT_EXPECT_EQ(test, nd->data, expect->msg.data);

	ntbm_msi_free_irq(&t->ntb, irq, t);
	KUNIT_EXPECT_FALSE(test, irq_has_action(irq));
	KUNIT_EXPECT_NULL(test, expect->write_msi_msg);
	KUNIT_EXPECT_NULL(test, expect->write_msi_msg_data);
	/* The entry is free again, and the next request takes it */
	KUNIT_EXPECT_EQ(test, ntbt_request(t, nd2), irq);
}

/* A message outside the memory window is not handed out */
static void ntb_msi_test_outside_window(struct kunit *test)
{
	struct ntbt *t = test->priv;
	unsigned int i;

	ntbt_enable_msix(test);
	KUNIT_ASSERT_EQ(test, ntb_msi_setup_mws(&t->ntb), 0);
	/* The window now ends below every message address */
	t->ntb.msi->end_addr = t->ntb.msi->base_addr;
	KUNIT_EXPECT_EQ(test, ntbt_request(t, &t->nd[0]), -ENODEV);
	for (i = 0; i < NTBT_VECTORS; i++) {
		int irq = pci_irq_vector(ntbt_pdev, i);

		KUNIT_EXPECT_FALSE(test, irq_has_action(irq));
		KUNIT_EXPECT_NULL(test, irq_get_msi_desc(irq)->write_msi_msg);
	}
	KUNIT_EXPECT_EQ(test, t->changed, 0);
}

/* Without ntb_msi_init() nothing is done */
static void ntb_msi_test_no_init(struct kunit *test)
{
	struct ntbt *t = test->priv;
	struct ntb_msi_desc *nd = &t->nd[0];
	phys_addr_t addr = 0;

	ntbt_enable_msix(test);
	t->ntb.msi = NULL;
	KUNIT_EXPECT_EQ(test, ntb_msi_setup_mws(&t->ntb), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntbt_request(t, nd), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntb_msi_peer_trigger(&t->ntb, 0, nd), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->trans_size, 0);
	KUNIT_EXPECT_FALSE(test, irq_has_action(pci_irq_vector(ntbt_pdev, 0)));
	/* The peer address needs no MSI context, only the peer window */
	KUNIT_EXPECT_EQ(test, ntb_msi_peer_addr(&t->ntb, 0, nd, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, NTBT_PEER_MW_PHYS + NTBT_PEER_MW_SIZE);
}

/* ntb_msi_test_no_irqs needs the suite's new binding: it comes first */
static struct kunit_case ntb_msi_test_cases[] = {
	KUNIT_CASE(ntb_msi_test_no_irqs),
	KUNIT_CASE(ntb_msi_test_setup_mws),
	KUNIT_CASE(ntb_msi_test_request_irq),
	KUNIT_CASE(ntb_msi_test_outside_window),
	KUNIT_CASE(ntb_msi_test_no_init),
	{ }
};

static struct kunit_suite ntb_msi_test_suite = {
	.name		= "ntb_msi",
	.suite_init	= ntb_msi_test_suite_init,
	.suite_exit	= ntb_msi_test_suite_exit,
	.init		= ntb_msi_test_init,
	.exit		= ntb_msi_test_exit,
	.test_cases	= ntb_msi_test_cases,
};

kunit_test_suite(ntb_msi_test_suite);
