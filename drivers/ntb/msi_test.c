// SPDX-License-Identifier: (GPL-2.0 OR BSD-3-Clause)
/*
 * KUnit tests of NTB/msi without NTB hardware. Included by msi.c, for
 * struct ntb_msi.
 *
 * The test NTB device has one peer and two memory windows and records
 * the translations it is asked to set. Its MSI-X interrupts are those of
 * the NVMe controller of the QEMU test machine (QEMU's 1b36:0010, MSI-X
 * enabled by the nvme driver; elsewhere the tests skip): the tests walk
 * its MSI table and request a spare MSI-X entry allocated for the test,
 * never one of the nvme driver's. The peer's memory window is a buffer
 * here, where a real NTB maps the peer's window through the bridge;
 * ntb_msi_init(), which maps it, needs NTB hardware and is not tested.
 */
#include <kunit/test.h>

#define NTBT_ADDR_ALIGN		0x100000
#define NTBT_SIZE_ALIGN		0x1000
#define NTBT_SIZE_MAX		0x10000
#define NTBT_PEER_MW_PHYS	0x480000000ULL
#define NTBT_PEER_MW_SIZE	0x100000
/* The part of the peer's window which the test backs with memory */
#define NTBT_PEER_MW_BACKED	SZ_32K

struct ntbt {
	struct ntb_dev		ntb;
	u32			*peer_mw;
	/* The last translation set */
	int			trans_pidx;
	int			trans_widx;
	dma_addr_t		trans_addr;
	resource_size_t		trans_size;
	unsigned int		changed;
	/* A spare MSI-X entry of the PCI device, or -1 */
	int			spare;
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

static struct pci_dev *ntbt_find_pci_dev(void)
{
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(PCI_VENDOR_ID_REDHAT, 0x0010, pdev))) {
		if (pdev->msix_enabled && pdev->dev.driver)
			return pdev;
	}
	return NULL;
}

static int ntb_msi_test_init(struct kunit *test)
{
	struct ntbt *t;

	struct pci_dev *pdev;

	pdev = ntbt_find_pci_dev();
	if (!pdev)
		kunit_skip(test, "needs QEMU's NVMe controller with MSI-X enabled");

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		pci_dev_put(pdev);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->spare = -1;
	t->ntb.pdev = pdev;
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

	struct pci_dev *pdev;
	int spare;

	if (!t)
		return;
	pdev = t->ntb.pdev;
	spare = t->spare;
	/* Releases what ntbm_msi_request_threaded_irq() left, and frees t */
	put_device(&t->ntb.dev);
	if (spare >= 0)
		msi_table_free(pci_msi_table(pdev), spare);
	pci_dev_put(pdev);
}

static u64 ntbt_msg_addr(struct msi_desc *desc)
{
	return desc->msg.address_lo + ((u64)desc->msg.address_hi << 32);
}

/* The memory window covers the first interrupt's message address */
static void ntb_msi_test_setup_mws(struct kunit *test)
{
	struct ntbt *t = test->priv;
	struct msi_table *table = pci_msi_table(t->ntb.pdev);
	struct msi_desc *desc;
	u64 addr;

	KUNIT_ASSERT_NOT_NULL(test, table);
	msi_table_lock(table);
	desc = msi_table_first_desc(table, MSI_DESC_ASSOCIATED);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	addr = ntbt_msg_addr(desc);
	msi_table_unlock(table);

	KUNIT_ASSERT_EQ(test, ntb_msi_setup_mws(&t->ntb), 0);
	/* Peer 0 uses the highest memory window */
	KUNIT_EXPECT_EQ(test, t->trans_pidx, 0);
	KUNIT_EXPECT_EQ(test, t->trans_widx, 1);
	KUNIT_EXPECT_EQ(test, t->trans_addr, ALIGN_DOWN(addr, NTBT_ADDR_ALIGN));
	/* 32K rounded up to the size alignment, at least the maximum size */
	KUNIT_EXPECT_EQ(test, t->trans_size, NTBT_SIZE_MAX);
	KUNIT_EXPECT_EQ(test, t->ntb.msi->base_addr, ALIGN_DOWN(addr, NTBT_ADDR_ALIGN));
	KUNIT_EXPECT_EQ(test, t->ntb.msi->end_addr, t->ntb.msi->base_addr + SZ_32K);
}

static irqreturn_t ntbt_irq(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

/*
 * Allocate a spare MSI-X entry. It must be the only entry without a
 * handler, so the walk can only hand out the spare entry and never one
 * of the nvme driver's vectors. Returns its descriptor.
 */
static struct msi_desc *ntbt_add_spare(struct kunit *test, struct ntbt *t)
{
	struct msi_table *table = pci_msi_table(t->ntb.pdev);
	struct msi_desc *desc, *spare = NULL;
	unsigned int nfree = 0;
	struct msi_map map;

	KUNIT_ASSERT_TRUE_MSG(test, msi_table_can_alloc(table),
			      "the device's MSI-X table must allow allocation");
	map = msi_table_alloc(table, MSI_ANY_INDEX, NULL, NULL);
	KUNIT_ASSERT_GE(test, map.index, 0);
	t->spare = map.index;

	msi_table_lock(table);
	msi_table_for_each_desc(desc, table, MSI_DESC_ASSOCIATED) {
		if (irq_has_action(desc->irq))
			continue;
		nfree++;
		if (desc->msi_index == t->spare)
			spare = desc;
	}
	msi_table_unlock(table);
	KUNIT_ASSERT_EQ_MSG(test, nfree, 1, "the nvme driver left vectors unused");
	KUNIT_ASSERT_NOT_NULL(test, spare);
	return spare;
}

/*
 * Requesting an interrupt walks the PCI table for the first entry
 * without a handler and computes the message a peer sends: the offset in
 * the memory window and the data. The descriptor write hook recomputes it.
 */
static void ntb_msi_test_request_irq(struct kunit *test)
{
	struct ntbt *t = test->priv;
	struct ntb_msi_desc nd = { };
	struct msi_desc *expect;
	phys_addr_t peer_addr;
	u64 addr;
	int irq;

	expect = ntbt_add_spare(test, t);
	KUNIT_ASSERT_EQ(test, ntb_msi_setup_mws(&t->ntb), 0);

	irq = ntbm_msi_request_threaded_irq(&t->ntb, ntbt_irq, NULL, "ntb-msi-test",
					    t, &nd);
	KUNIT_ASSERT_EQ(test, irq, expect->irq);
	KUNIT_EXPECT_TRUE(test, irq_has_action(irq));

	addr = ntbt_msg_addr(expect);
	KUNIT_EXPECT_EQ(test, nd.addr_offset, addr - t->ntb.msi->base_addr);
	KUNIT_EXPECT_EQ(test, nd.data, expect->msg.data);
	KUNIT_EXPECT_TRUE(test, expect->write_msi_msg == ntb_msi_write_msg);

	/* The peer's view: where to write, and what the trigger writes */
	KUNIT_ASSERT_EQ(test, ntb_msi_peer_addr(&t->ntb, 0, &nd, &peer_addr), 0);
	KUNIT_EXPECT_EQ(test, peer_addr, NTBT_PEER_MW_PHYS + NTBT_PEER_MW_SIZE + nd.addr_offset);
	KUNIT_ASSERT_LT(test, nd.addr_offset, NTBT_PEER_MW_BACKED);
	KUNIT_ASSERT_EQ(test, ntb_msi_peer_trigger(&t->ntb, 0, &nd), 0);
	KUNIT_EXPECT_EQ(test, t->peer_mw[nd.addr_offset / 4], nd.data);

	/* A rewritten message goes through the hook to the client */
	nd.data = ~expect->msg.data;
	pci_write_msi_msg(irq, &expect->msg);
	KUNIT_EXPECT_EQ(test, t->changed, 1);
	KUNIT_EXPECT_EQ(test, nd.data, expect->msg.data);

	ntbm_msi_free_irq(&t->ntb, irq, t);
	KUNIT_EXPECT_FALSE(test, irq_has_action(irq));
	KUNIT_EXPECT_NULL(test, expect->write_msi_msg);
	KUNIT_EXPECT_NULL(test, expect->write_msi_msg_data);
}

/* A message outside the memory window is not handed out */
static void ntb_msi_test_outside_window(struct kunit *test)
{
	struct ntbt *t = test->priv;
	struct ntb_msi_desc nd = { };
	struct msi_desc *free;

	free = ntbt_add_spare(test, t);
	KUNIT_ASSERT_EQ(test, ntb_msi_setup_mws(&t->ntb), 0);
	/* The window now ends below every message address */
	t->ntb.msi->end_addr = t->ntb.msi->base_addr;
	KUNIT_EXPECT_EQ(test, ntbm_msi_request_threaded_irq(&t->ntb, ntbt_irq, NULL,
							    "ntb-msi-test", t, &nd),
			-ENODEV);
	KUNIT_EXPECT_FALSE(test, irq_has_action(free->irq));
	KUNIT_EXPECT_NULL(test, free->write_msi_msg);
	KUNIT_EXPECT_EQ(test, t->changed, 0);
}

/* Without ntb_msi_init() nothing is done */
static void ntb_msi_test_no_init(struct kunit *test)
{
	struct ntbt *t = test->priv;
	struct ntb_msi_desc nd = { };
	phys_addr_t addr = 0;

	t->ntb.msi = NULL;
	KUNIT_EXPECT_EQ(test, ntb_msi_setup_mws(&t->ntb), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntbm_msi_request_threaded_irq(&t->ntb, ntbt_irq, NULL,
							    "ntb-msi-test", t, &nd),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ntb_msi_peer_trigger(&t->ntb, 0, &nd), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->trans_size, 0);
	/* The peer address needs no MSI context, only the peer window */
	KUNIT_EXPECT_EQ(test, ntb_msi_peer_addr(&t->ntb, 0, &nd, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, NTBT_PEER_MW_PHYS + NTBT_PEER_MW_SIZE);
}

static struct kunit_case ntb_msi_test_cases[] = {
	KUNIT_CASE(ntb_msi_test_setup_mws),
	KUNIT_CASE(ntb_msi_test_request_irq),
	KUNIT_CASE(ntb_msi_test_outside_window),
	KUNIT_CASE(ntb_msi_test_no_init),
	{ }
};

static struct kunit_suite ntb_msi_test_suite = {
	.name		= "ntb_msi",
	.init		= ntb_msi_test_init,
	.exit		= ntb_msi_test_exit,
	.test_cases	= ntb_msi_test_cases,
};

kunit_test_suite(ntb_msi_test_suite);
