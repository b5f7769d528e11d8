// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated VSN1000 in the kernel: the platform of the model core
 * (vsn-core.c, which holds the registers, FIFOs, waveforms and the DMA
 * walk): the register window, whose reads cost a bus round trip
 * (bus_read_ns), the sampler's hrtimer, the clock, interrupts through the
 * platform's irq chip, and the lock. The DMA timing and the IOMMU are in
 * hw-dma.c.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "fault.h"
#include "hw-priv.h"
#include "irq.h"

static unsigned int bus_read_ns = 1000;
module_param(bus_read_ns, uint, 0644);
MODULE_PARM_DESC(bus_read_ns,
		 "simulated cost of one register read, ns (an uncached PCIe read is about 1000)");

/*
 * A broken device, for the driver's register checks: a device created while
 * inject_reg is a global register offset reads inject_reg_value there.
 */
static int inject_reg = -1;
module_param(inject_reg, int, 0600);
MODULE_PARM_DESC(inject_reg,
		 "global register that devices created from now on misreport (-1: none)");

static unsigned int inject_reg_value;
module_param(inject_reg_value, uint, 0600);
MODULE_PARM_DESC(inject_reg_value, "what inject_reg reads as");

/* The core's platform: the clock, interrupts, memory, randomness. */
static u64 vsn_now_ns(void *ctx)
{
	return ktime_get_ns();
}

static void vsn_fire(void *ctx, unsigned int vec)
{
	struct vsensor_hw *hw = ctx;

	lockdep_assert_held(&hw->lock);
	vsensor_irq_fire(vsensor_irq_vec(hw->vecs, vec));
}

static u32 vsn_random(void *ctx)
{
	return get_random_u32();
}

/*
 * A register access in D3: a real device would master-abort or return
 * all-ones. Whoever drives it forgot to resume it first: say so loudly.
 */
static void vsn_d3_access(void *ctx, u32 reg, bool write)
{
	struct vsensor_hw *hw = ctx;

	lockdep_assert_held(&hw->lock);
	WARN_ONCE(1, "%s: register 0x%03x %s in D3\n", hw->name, reg,
		  write ? "written" : "read");
}

static const struct vsn_platform_ops vsn_kernel_ops = {
	.now_ns = vsn_now_ns,
	.fire = vsn_fire,
	.dma_read = vsn_dma_read,
	.dma_write = vsn_dma_write,
	.random = vsn_random,
	.dma_arm = vsn_dma_arm,
	.d3_access = vsn_d3_access,
};

static void __vsn_timer_start(struct vsensor_hw *hw)
{
	lockdep_assert_held(&hw->lock);
	hrtimer_start(&hw->timer, ns_to_ktime(vsn_core_tick_ns(&hw->core)),
		      HRTIMER_MODE_REL);
}

static enum hrtimer_restart vsn_timer_fn(struct hrtimer *timer)
{
	struct vsensor_hw *hw = container_of(timer, struct vsensor_hw, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;

	spin_lock_irqsave(&hw->lock, flags);
	if (vsn_core_tick(&hw->core)) {
		hrtimer_forward_now(timer,
				    ns_to_ktime(vsn_core_tick_ns(&hw->core)));
		ret = HRTIMER_RESTART;
	}
	spin_unlock_irqrestore(&hw->lock, flags);
	return ret;
}

/* inject_reg: a global register that answers what it should not. */
static bool __vsn_bad_reg(const struct vsensor_hw *hw, u32 reg)
{
	const struct vsn_core *c = &hw->core;

	if (reg != hw->bad_reg ||
	    (reg >= VSN_REG_QUEUE(0) && reg < VSN_REG_WINDOW_SIZE(c->nr_queues)))
		return false;
	return c->power == VSN_POWER_D0 || reg == VSN_REG_POWER;
}

/* A non-posted read: the CPU stalls for the bus round trip. */
u32 vsensor_hw_readl(struct vsensor_hw *hw, u32 reg)
{
	unsigned long flags;
	u32 val;

	ndelay(READ_ONCE(bus_read_ns));
	spin_lock_irqsave(&hw->lock, flags);
	if (__vsn_bad_reg(hw, reg))
		val = hw->bad_reg_value;
	else
		val = vsn_core_read(&hw->core, reg);
	spin_unlock_irqrestore(&hw->lock, flags);
	return val;
}
EXPORT_SYMBOL_NS_GPL(vsensor_hw_readl, VSENSOR_SIM);

/* For the bus's sysfs: how often the driver touched the device in D3. */
u32 vsensor_hw_d3_accesses(struct vsensor_hw *hw)
{
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&hw->lock, flags);
	n = hw->core.d3_accesses;
	spin_unlock_irqrestore(&hw->lock, flags);
	return n;
}

/* A posted write: it costs the CPU nothing. */
void vsensor_hw_writel(struct vsensor_hw *hw, u32 reg, u32 val)
{
	unsigned long flags;
	unsigned int act;

	spin_lock_irqsave(&hw->lock, flags);
	act = vsn_core_write(&hw->core, reg, val);
	if (act & VSN_CORE_SAMPLER_START)
		__vsn_timer_start(hw);
	spin_unlock_irqrestore(&hw->lock, flags);

	/* The sampler stopped: wait for a running tick outside its lock. */
	if (act & VSN_CORE_SAMPLER_STOP)
		hrtimer_cancel(&hw->timer);
	/*
	 * A new rate, or back in D0: the next tick comes a period from now.
	 * Stop the timer first (never restart it under a running tick,
	 * which forwards it), then start it if the sampler is still on.
	 */
	if (act & VSN_CORE_SAMPLER_REARM) {
		hrtimer_cancel(&hw->timer);
		spin_lock_irqsave(&hw->lock, flags);
		if (vsn_core_sampling(&hw->core))
			__vsn_timer_start(hw);
		spin_unlock_irqrestore(&hw->lock, flags);
	}
}
EXPORT_SYMBOL_NS_GPL(vsensor_hw_writel, VSENSOR_SIM);

struct vsensor_hw *vsensor_hw_create(struct device *dev, const char *name,
				     u32 nr_channels, u32 fifo_depth,
				     u32 rate_max, u32 nr_queues,
				     struct vsensor_irq_vec *vecs)
{
	struct vsensor_hw *hw;
	unsigned int i;

	if (!nr_channels || nr_channels > VSN_MAX_VALUES ||
	    !is_power_of_2(fifo_depth) || !rate_max ||
	    !nr_queues || nr_queues > VSN_MAX_QUEUES)
		return ERR_PTR(-EINVAL);

	hw = vsensor_fault_alloc(kzalloc(sizeof(*hw), GFP_KERNEL));
	if (!hw)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&hw->lock);
	hrtimer_init(&hw->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hw->timer.function = vsn_timer_fn;
	hw->dev = dev;
	hw->name = name;
	hw->vecs = vecs;
	hw->bad_reg = READ_ONCE(inject_reg);
	hw->bad_reg_value = READ_ONCE(inject_reg_value);
	hw->core.ops = &vsn_kernel_ops;
	hw->core.ctx = hw;
	hw->core.nr_channels = nr_channels;
	hw->core.fifo_depth = fifo_depth;
	hw->core.rate_max = rate_max;
	hw->core.nr_queues = nr_queues;
	hw->core.tx = kcalloc(VSN1000_TX_DEPTH, sizeof(*hw->core.tx),
			      GFP_KERNEL);
	if (!hw->core.tx)
		goto err_destroy;
	for (i = 0; i < nr_queues; i++) {
		hw->core.q[i].fifo =
			vsensor_fault_alloc(kcalloc(fifo_depth,
						    sizeof(*hw->core.q[i].fifo),
						    GFP_KERNEL));
		if (!hw->core.q[i].fifo)
			goto err_destroy;
		vsn_dma_init(hw, i);
	}
	if (vsn_iommu_create(hw))
		goto err_destroy;
	vsn_core_reset(&hw->core);
	return hw;

err_destroy:
	vsensor_hw_destroy(hw);
	return ERR_PTR(-ENOMEM);
}

void vsensor_hw_destroy(struct vsensor_hw *hw)
{
	unsigned int i;

	if (!hw)
		return;
	hrtimer_cancel(&hw->timer);
	for (i = 0; i < hw->core.nr_queues; i++) {
		if (hw->core.q[i].fifo)
			vsn_dma_stop(hw, i);
		kfree(hw->core.q[i].fifo);
	}
	vsn_iommu_destroy(hw);
	kfree(hw->core.tx);
	kfree(hw);
}
