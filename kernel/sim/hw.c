// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated VSN1000 sensor core: the register window, the sampling
 * engine (an hrtimer), the data queues' FIFOs with their watermark
 * interrupts, and the stimulus FIFO. Register reads cost a bus round trip
 * (bus_read_ns). The DMA engine and the IOMMU are in hw-dma.c.
 */
#include <linux/delay.h>
#include <linux/fixp-arith.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vsensor.h>

#include "fault.h"
#include "hw-priv.h"
#include "irq.h"

#define VSN_FW_VERSION		0x01010000	/* 1.1.0 */
#define VSN_TX_DEPTH		256
#define VSN_TICK_MIN_NS		(NSEC_PER_MSEC)	/* batch above 1 kHz */
#define VSN_WAVE_AMPLITUDE	1000	/* reset value */
#define VSN_WAVE_FREQ_MHZ	1000	/* reset value: 1 Hz */

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

static u64 vsn_sample_time(const struct vsensor_hw *hw, u64 n)
{
	return hw->start_ns + mul_u64_u32_div(n, NSEC_PER_SEC, hw->rate);
}

/* The waveform generator: sample @seq of channel @ch (90 degrees apart). */
static s32 vsn_waveform(const struct vsensor_hw *hw, u32 seq, u32 ch)
{
	s32 amp = (s32)hw->amplitude;
	u32 deg;

	deg = (u32)div_u64((u64)seq * 360 * hw->freq_mhz,
			   hw->rate * (u32)MSEC_PER_SEC);
	deg = (deg + ch * 90) % 360;
	switch (hw->wave) {
	case VSN_WAVE_SQUARE:
		return deg < 180 ? amp : -amp;
	case VSN_WAVE_RAMP:
		return (s32)div_s64((s64)amp * (2 * (s32)deg - 359), 359);
	case VSN_WAVE_NOISE:
		return (s32)(get_random_u32() % (2 * hw->amplitude + 1)) - amp;
	default:
		return (s32)(((s64)fixp_sin32(deg) * amp) >> 31);
	}
}

static u32 vsn_tx_level(const struct vsensor_hw *hw)
{
	return hw->tx_head - hw->tx_tail;
}

/*
 * A register access in D3: a real device would master-abort or return
 * all-ones. Whoever drives it forgot to resume it first: say so loudly.
 */
static void __vsn_d3_access(struct vsensor_hw *hw, u32 reg, bool write)
{
	lockdep_assert_held(&hw->lock);
	hw->d3_accesses++;
	WARN_ONCE(1, "%s: register 0x%03x %s in D3\n", hw->name, reg,
		  write ? "written" : "read");
}

/* Measure: the next stimulus record if one is queued, else the waveform. */
static void vsn_measure(struct vsensor_hw *hw, struct vsn_fifo_rec *rec)
{
	const s32 *stim = NULL;
	u32 ch;

	rec->seq = hw->seq++;
	rec->flags = 0;
	if (vsn_tx_level(hw)) {
		stim = hw->tx[hw->tx_tail++ & (VSN_TX_DEPTH - 1)];
		rec->flags = VSN_FIFO_FLAG_STIMULUS;
		if (vsn_tx_level(hw) == VSN_TX_DEPTH / 2)
			hw->irq_status |= VSN_IRQ_TX_SPACE;
	}
	for (ch = 0; ch < VSN_MAX_VALUES; ch++) {
		if (ch >= hw->nr_channels)
			rec->value[ch] = 0;
		else
			rec->value[ch] = stim ? stim[ch] :
					 vsn_waveform(hw, rec->seq, ch);
	}
}

static void vsn_queue_push(struct vsn_queue *q, const struct vsn_fifo_rec *rec)
{
	if (vsn_fifo_level(q) == q->hw->fifo_depth) {
		q->lost++;
		q->hw->irq_status |= VSN_IRQ_OVERFLOW;
		return;
	}
	q->fifo[q->head++ & (q->hw->fifo_depth - 1)] = *rec;
}

/* No enabled queue can take a sample. */
static bool vsn_queues_full(const struct vsensor_hw *hw)
{
	unsigned int i;

	for (i = 0; i < hw->nr_queues; i++)
		if ((hw->q[i].ctrl & VSN_Q_CTRL_ENABLE) &&
		    vsn_fifo_level(&hw->q[i]) < hw->fifo_depth)
			return false;
	return true;
}

/* Generate every sample due by @now into every enabled queue. */
static void __vsn_sample_until(struct vsensor_hw *hw, u64 now)
{
	struct vsn_fifo_rec rec;
	bool any = false;
	unsigned int i;
	u64 t;

	lockdep_assert_held(&hw->lock);
	while ((t = vsn_sample_time(hw, hw->nr_since_start)) <= now) {
		rec.ts = t;
		if (vsn_queues_full(hw)) {
			/* lost everywhere; a stimulus waits for the next one */
			rec.seq = hw->seq++;
		} else {
			vsn_measure(hw, &rec);
		}
		for (i = 0; i < hw->nr_queues; i++)
			if (hw->q[i].ctrl & VSN_Q_CTRL_ENABLE)
				vsn_queue_push(&hw->q[i], &rec);
		hw->nr_since_start++;
		any = true;
	}
	if (!any)
		return;
	for (i = 0; i < hw->nr_queues; i++) {
		struct vsn_queue *q = &hw->q[i];

		if ((q->ctrl & VSN_Q_CTRL_ENABLE) && vsn_fifo_level(q) >= q->wm)
			q->status |= VSN_Q_IRQ_WATERMARK;
	}
}

/* Signal every vector with an enabled cause pending (MSI-X: edge messages). */
static void __vsn_raise(struct vsensor_hw *hw)
{
	u32 pending = hw->irq_status & hw->irq_mask;
	unsigned int i;

	for (i = 0; i < hw->nr_queues; i++)
		if (hw->q[i].status & hw->q[i].mask)
			__vsn_fire(hw, i);
	if (pending & VSN_IRQ_TX_SPACE)
		__vsn_fire(hw, VSN_VEC_TX(hw->nr_queues));
	if (pending & VSN_IRQ_ERR_MASK)
		__vsn_fire(hw, VSN_VEC_ERR(hw->nr_queues));
}

static u64 vsn_tick_ns(const struct vsensor_hw *hw)
{
	return max_t(u64, NSEC_PER_SEC / hw->rate, VSN_TICK_MIN_NS);
}

static enum hrtimer_restart vsn_timer_fn(struct hrtimer *timer)
{
	struct vsensor_hw *hw = container_of(timer, struct vsensor_hw, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;

	spin_lock_irqsave(&hw->lock, flags);
	/* in D3 the sensor core's clock is gated: D0 starts it again */
	if ((hw->ctrl & VSN_CTRL_ENABLE) && hw->power == VSN_POWER_D0) {
		__vsn_sample_until(hw, ktime_get_ns());
		hrtimer_forward_now(timer, ns_to_ktime(vsn_tick_ns(hw)));
		ret = HRTIMER_RESTART;
	}
	__vsn_raise(hw);
	spin_unlock_irqrestore(&hw->lock, flags);
	return ret;
}

static void __vsn_restart_clock(struct vsensor_hw *hw)
{
	hw->start_ns = ktime_get_ns() + NSEC_PER_SEC / hw->rate;
	hw->nr_since_start = 0;
}

static u32 __vsn_q_data(struct vsn_queue *q)
{
	const struct vsn_fifo_rec *rec;
	u32 word = q->rd_word;
	u32 val;

	if (!vsn_fifo_level(q))
		return ~0U;	/* an empty FIFO reads as all ones */
	rec = &q->fifo[q->tail & (q->hw->fifo_depth - 1)];
	switch (word) {
	case VSN_FIFO_WORD_SEQ:
		val = rec->seq;
		break;
	case VSN_FIFO_WORD_FLAGS:
		val = rec->flags;
		break;
	case VSN_FIFO_WORD_TS_LO:
		val = lower_32_bits(rec->ts);
		break;
	case VSN_FIFO_WORD_TS_HI:
		val = upper_32_bits(rec->ts);
		break;
	default:
		val = (u32)rec->value[word - VSN_FIFO_HDR_WORDS];
		break;
	}
	if (++q->rd_word == VSN_FIFO_HDR_WORDS + q->hw->nr_channels) {
		q->rd_word = 0;
		q->tail++;
	}
	return val;
}

static u32 __vsn_q_readl(struct vsn_queue *q, u32 off)
{
	u32 val;

	switch (off) {
	case VSN_Q_CTRL:
		return q->ctrl;
	case VSN_Q_LEVEL:
		return vsn_fifo_level(q);
	case VSN_Q_WM:
		return q->wm;
	case VSN_Q_STATUS:
		return q->status;
	case VSN_Q_MASK:
		return q->mask;
	case VSN_Q_LOST:
		val = q->lost;
		q->lost = 0;
		return val;
	case VSN_Q_DATA:
		return __vsn_q_data(q);
	case VSN_Q_DESC_LO:
		return lower_32_bits(q->desc_iova);
	case VSN_Q_DESC_HI:
		return upper_32_bits(q->desc_iova);
	case VSN_Q_DESC_COUNT:
		return q->desc_count;
	case VSN_Q_DMA_DONE:
		return q->dma_done;
	case VSN_Q_DMA_STATUS:
		return q->dma_status;
	default:
		return ~0U;
	}
}

static u32 __vsn_readl(struct vsensor_hw *hw, u32 reg)
{
	u32 qi;

	if (reg >= VSN_REG_QUEUE(0) && reg < VSN_REG_WINDOW_SIZE(hw->nr_queues)) {
		qi = (reg - VSN_REG_QUEUE(0)) / (VSN_REG_QUEUE(1) - VSN_REG_QUEUE(0));
		return __vsn_q_readl(&hw->q[qi], reg - VSN_REG_QUEUE(qi));
	}
	if (reg == hw->bad_reg)
		return hw->bad_reg_value;
	switch (reg) {
	case VSN_REG_POWER:
		return hw->power;
	case VSN_REG_ID:
		return VSN_ID_MAGIC;
	case VSN_REG_VERSION:
		return VSN_FW_VERSION;
	case VSN_REG_CTRL:
		return hw->ctrl;
	case VSN_REG_STATUS:
		return (hw->ctrl & VSN_CTRL_ENABLE) ? VSN_STATUS_RUNNING : 0;
	case VSN_REG_RATE:
		return hw->rate;
	case VSN_REG_CHANNELS:
		return hw->nr_channels;
	case VSN_REG_FIFO_DEPTH:
		return hw->fifo_depth;
	case VSN_REG_IRQ_STATUS:
		return hw->irq_status;
	case VSN_REG_IRQ_MASK:
		return hw->irq_mask;
	case VSN_REG_RATE_MAX:
		return hw->rate_max;
	case VSN_REG_TX_DEPTH:
		return VSN_TX_DEPTH;
	case VSN_REG_TX_LEVEL:
		return vsn_tx_level(hw);
	case VSN_REG_NR_QUEUES:
		return hw->nr_queues;
	case VSN_REG_IOMMU_FAULTS:
		return hw->iommu_faults;
	case VSN_REG_FAULT_IOVA_LO:
		return lower_32_bits(hw->fault_iova);
	case VSN_REG_FAULT_IOVA_HI:
		return upper_32_bits(hw->fault_iova);
	case VSN_REG_WAVEFORM:
		return hw->wave;
	case VSN_REG_AMPLITUDE:
		return hw->amplitude;
	case VSN_REG_FREQUENCY:
		return hw->freq_mhz;
	default:
		return ~0U;	/* unimplemented registers float high */
	}
}

/* A non-posted read: the CPU stalls for the bus round trip. */
u32 vsensor_hw_readl(struct vsensor_hw *hw, u32 reg)
{
	unsigned long flags;
	u32 val;

	ndelay(READ_ONCE(bus_read_ns));
	spin_lock_irqsave(&hw->lock, flags);
	if (hw->power != VSN_POWER_D0 && reg != VSN_REG_POWER) {
		__vsn_d3_access(hw, reg, false);
		val = ~0U;
	} else {
		val = __vsn_readl(hw, reg);
	}
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
	n = hw->d3_accesses;
	spin_unlock_irqrestore(&hw->lock, flags);
	return n;
}

/* Returns true if the sampler's clock must start again (back in D0). */
static bool __vsn_write_power(struct vsensor_hw *hw, u32 val)
{
	bool wake = hw->power != VSN_POWER_D0 && val == VSN_POWER_D0;

	if (val != VSN_POWER_D0 && val != VSN_POWER_D3)
		return false;	/* D1, D2: not supported, ignored */
	hw->power = val;
	if (!wake)
		return false;
	__vsn_raise(hw);	/* what came up meanwhile */
	if (!(hw->ctrl & VSN_CTRL_ENABLE))
		return false;
	__vsn_restart_clock(hw);
	return true;
}

/* A stimulus record is queued when its last channel word is written. */
static void __vsn_tx_data(struct vsensor_hw *hw, u32 val)
{
	if (vsn_tx_level(hw) == VSN_TX_DEPTH)
		return;		/* writes to a full FIFO are lost */
	hw->tx[hw->tx_head & (VSN_TX_DEPTH - 1)][hw->wr_word] = (s32)val;
	if (++hw->wr_word == hw->nr_channels) {
		hw->wr_word = 0;
		hw->tx_head++;
	}
}

static void vsn_queue_reset(struct vsn_queue *q)
{
	q->tail = q->head;
	q->rd_word = 0;
}

/* Returns true if the sampler stopped (the caller cancels its timer). */
static bool __vsn_write_ctrl(struct vsensor_hw *hw, u32 val)
{
	bool was_on = hw->ctrl & VSN_CTRL_ENABLE;
	unsigned int i;

	if (val & VSN_CTRL_FIFO_RESET) {
		for (i = 0; i < hw->nr_queues; i++)
			vsn_queue_reset(&hw->q[i]);
		hw->tx_tail = hw->tx_head;
		hw->wr_word = 0;
	}
	hw->ctrl = val & VSN_CTRL_ENABLE;
	if (!was_on && (val & VSN_CTRL_ENABLE)) {
		__vsn_restart_clock(hw);
		hrtimer_start(&hw->timer, ns_to_ktime(vsn_tick_ns(hw)),
			      HRTIMER_MODE_REL);
	}
	return was_on && !(val & VSN_CTRL_ENABLE);
}

/* Disabling a queue stops its samples; a transfer in flight completes. */
static void __vsn_q_writel(struct vsn_queue *q, u32 off, u32 val)
{
	switch (off) {
	case VSN_Q_CTRL:
		if (!(q->ctrl & VSN_Q_CTRL_ENABLE) && (val & VSN_Q_CTRL_ENABLE))
			vsn_queue_reset(q);
		q->ctrl = val & VSN_Q_CTRL_ENABLE;
		break;
	case VSN_Q_WM:
		q->wm = clamp_t(u32, val, 1, q->hw->fifo_depth);
		break;
	case VSN_Q_STATUS:
		q->status &= ~val;
		break;
	case VSN_Q_MASK:
		q->mask = val & (VSN_Q_IRQ_WATERMARK | VSN_Q_IRQ_DMA_DONE);
		if (q->status & q->mask)
			__vsn_fire(q->hw, q->index);
		break;
	case VSN_Q_DESC_LO:
		q->desc_iova = (q->desc_iova & GENMASK_ULL(63, 32)) | val;
		break;
	case VSN_Q_DESC_HI:
		q->desc_iova = (u64)val << 32 | lower_32_bits(q->desc_iova);
		break;
	case VSN_Q_DESC_COUNT:
		q->desc_count = val;
		break;
	case VSN_Q_DMA_START:
		__vsn_dma_start(q, val);
		break;
	default:
		break;	/* read-only or unimplemented: ignored */
	}
}

/* Waveform registers ignore values outside their range. */
static void __vsn_write_wave(struct vsensor_hw *hw, u32 reg, u32 val)
{
	if (reg == VSN_REG_WAVEFORM && val >= VSN_WAVE_SINE &&
	    val <= VSN_WAVE_NOISE)
		hw->wave = val;
	else if (reg == VSN_REG_AMPLITUDE && val <= VSN_AMPLITUDE_MAX)
		hw->amplitude = val;
	else if (reg == VSN_REG_FREQUENCY && val >= VSN_FREQUENCY_MIN &&
		 val <= VSN_FREQUENCY_MAX)
		hw->freq_mhz = val;
}

/* A posted write: it costs the CPU nothing. */
void vsensor_hw_writel(struct vsensor_hw *hw, u32 reg, u32 val)
{
	bool stopped = false, rearm = false;
	unsigned long flags;
	u32 qi;

	spin_lock_irqsave(&hw->lock, flags);
	if (reg == VSN_REG_POWER) {
		rearm = __vsn_write_power(hw, val);
		goto out_unlock;
	}
	if (hw->power != VSN_POWER_D0) {
		__vsn_d3_access(hw, reg, true);
		goto out_unlock;
	}
	if (reg >= VSN_REG_QUEUE(0) && reg < VSN_REG_WINDOW_SIZE(hw->nr_queues)) {
		qi = (reg - VSN_REG_QUEUE(0)) / (VSN_REG_QUEUE(1) - VSN_REG_QUEUE(0));
		__vsn_q_writel(&hw->q[qi], reg - VSN_REG_QUEUE(qi), val);
		goto out_unlock;
	}
	switch (reg) {
	case VSN_REG_CTRL:
		stopped = __vsn_write_ctrl(hw, val);
		break;
	case VSN_REG_RATE:
		hw->rate = clamp_t(u32, val, 1, hw->rate_max);
		__vsn_restart_clock(hw);
		rearm = hw->ctrl & VSN_CTRL_ENABLE;
		break;
	case VSN_REG_IRQ_STATUS:
		hw->irq_status &= ~val;
		break;
	case VSN_REG_IRQ_MASK:
		hw->irq_mask = val & (VSN_IRQ_TX_SPACE | VSN_IRQ_ERR_MASK);
		__vsn_raise(hw);
		break;
	case VSN_REG_TX_DATA:
		__vsn_tx_data(hw, val);
		break;
	case VSN_REG_WAVEFORM:
	case VSN_REG_AMPLITUDE:
	case VSN_REG_FREQUENCY:
		__vsn_write_wave(hw, reg, val);
		break;
	default:
		break;
	}
out_unlock:
	spin_unlock_irqrestore(&hw->lock, flags);

	/* The sampler stopped: wait for a running tick outside its lock. */
	if (stopped)
		hrtimer_cancel(&hw->timer);
	/*
	 * A new rate: the next tick comes at the new period, not at the old
	 * one. Stop the timer first (never restart it under a running tick,
	 * which forwards it), then start it if the sampler is still on.
	 */
	if (rearm) {
		hrtimer_cancel(&hw->timer);
		spin_lock_irqsave(&hw->lock, flags);
		if (hw->ctrl & VSN_CTRL_ENABLE)
			hrtimer_start(&hw->timer, ns_to_ktime(vsn_tick_ns(hw)),
				      HRTIMER_MODE_REL);
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
	hw->nr_channels = nr_channels;
	hw->fifo_depth = fifo_depth;
	hw->rate_max = rate_max;
	hw->nr_queues = nr_queues;
	hw->bad_reg = READ_ONCE(inject_reg);
	hw->bad_reg_value = READ_ONCE(inject_reg_value);
	hw->rate = min_t(u32, 100, rate_max);
	hw->wave = VSN_WAVE_SINE;
	hw->amplitude = VSN_WAVE_AMPLITUDE;
	hw->freq_mhz = VSN_WAVE_FREQ_MHZ;
	hw->tx = kcalloc(VSN_TX_DEPTH, sizeof(*hw->tx), GFP_KERNEL);
	if (!hw->tx)
		goto err_destroy;
	for (i = 0; i < nr_queues; i++) {
		struct vsn_queue *q = &hw->q[i];

		q->hw = hw;
		q->index = i;
		q->wm = 1;
		q->fifo = vsensor_fault_alloc(kcalloc(fifo_depth, sizeof(*q->fifo),
						      GFP_KERNEL));
		if (!q->fifo)
			goto err_destroy;
		vsn_dma_init(q);
	}
	if (vsn_iommu_create(hw))
		goto err_destroy;
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
	for (i = 0; i < hw->nr_queues; i++) {
		if (hw->q[i].fifo)
			vsn_dma_stop(&hw->q[i]);
		kfree(hw->q[i].fifo);
	}
	vsn_iommu_destroy(hw);
	kfree(hw->tx);
	kfree(hw);
}
