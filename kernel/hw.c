// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated VSN1000 sensor: a register window, a sampling engine driven
 * by an hrtimer and a hardware FIFO with a watermark interrupt. The driver
 * reaches it only through vsensor_hw_readl()/vsensor_hw_writel() and the
 * interrupt handler it connects; nothing else in this file is visible.
 */
#include <linux/bug.h>
#include <linux/fixp-arith.h>
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vsensor.h>

#include "hw.h"

#define VSN_FW_VERSION		0x01000000	/* 1.0.0 */
#define VSN_TX_DEPTH		256
#define VSN_TICK_MIN_NS		(NSEC_PER_MSEC)	/* batch above 1 kHz */
#define VSN_WAVE_AMPLITUDE	1000	/* reset value */
#define VSN_WAVE_FREQ_MHZ	1000	/* reset value: 1 Hz */

struct vsn_fifo_rec {
	u32 seq;
	u32 flags;
	u64 ts;
	s32 value[VSENSOR_MAX_CHANNELS];
};

struct vsensor_hw {
	const char *name;
	u32 nr_channels;
	u32 fifo_depth;		/* power of two */
	u32 rate_max;

	/* protects everything below up to irq_lock: registers, FIFO, engine */
	spinlock_t lock;
	u32 ctrl, rate, fifo_wm, irq_status, irq_mask, fifo_lost;
	u32 wave, amplitude, freq_mhz;	/* waveform generator */
	struct vsn_fifo_rec *fifo;
	u32 fifo_head, fifo_tail;	/* free-running */
	u32 rd_word;			/* next FIFO_DATA word of the head */
	s32 (*tx)[VSENSOR_MAX_CHANNELS];	/* stimulus FIFO */
	u32 tx_head, tx_tail;		/* free-running */
	u32 wr_word;			/* next TX_DATA word of the tail */
	u32 seq;			/* hardware sample counter */
	u64 start_ns;			/* time of sample 0 since (re)start */
	u64 nr_since_start;		/* samples generated since start_ns */
	struct hrtimer timer;

	/* protects the interrupt line: handler and its data */
	spinlock_t irq_lock;
	void (*irq_handler)(void *data);
	void *irq_data;
};

static u32 vsn_fifo_level(const struct vsensor_hw *hw)
{
	return hw->fifo_head - hw->fifo_tail;
}

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

/* Measure: the next stimulus record if one is queued, else the waveform. */
static void vsn_measure(struct vsensor_hw *hw, struct vsn_fifo_rec *rec)
{
	const s32 *stim = NULL;
	u32 ch;

	if (vsn_tx_level(hw)) {
		stim = hw->tx[hw->tx_tail++ & (VSN_TX_DEPTH - 1)];
		rec->flags = VSN_FIFO_FLAG_STIMULUS;
		if (vsn_tx_level(hw) == VSN_TX_DEPTH / 2)
			hw->irq_status |= VSN_IRQ_TX_SPACE;
	}
	for (ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++) {
		if (ch >= hw->nr_channels)
			rec->value[ch] = 0;
		else
			rec->value[ch] = stim ? stim[ch] :
					 vsn_waveform(hw, rec->seq, ch);
	}
}

static void vsn_fifo_push(struct vsensor_hw *hw, u64 ts)
{
	struct vsn_fifo_rec *rec;
	u32 seq = hw->seq++;

	if (vsn_fifo_level(hw) == hw->fifo_depth) {
		hw->fifo_lost++;
		hw->irq_status |= VSN_IRQ_OVERFLOW;
		return;
	}
	rec = &hw->fifo[hw->fifo_head & (hw->fifo_depth - 1)];
	rec->seq = seq;
	rec->flags = 0;
	rec->ts = ts;
	vsn_measure(hw, rec);
	hw->fifo_head++;
}

/* Generate every sample due by @now; a long stall overflows the FIFO. */
static void __vsn_sample_until(struct vsensor_hw *hw, u64 now)
{
	u64 t;

	lockdep_assert_held(&hw->lock);
	while ((t = vsn_sample_time(hw, hw->nr_since_start)) <= now) {
		vsn_fifo_push(hw, t);
		hw->nr_since_start++;
	}
	if (vsn_fifo_level(hw) >= hw->fifo_wm)
		hw->irq_status |= VSN_IRQ_WATERMARK;
}

static u64 vsn_tick_ns(const struct vsensor_hw *hw)
{
	return max_t(u64, NSEC_PER_SEC / hw->rate, VSN_TICK_MIN_NS);
}

static void vsn_raise_irq(struct vsensor_hw *hw)
{
	unsigned long flags;

	spin_lock_irqsave(&hw->irq_lock, flags);
	if (hw->irq_handler)
		hw->irq_handler(hw->irq_data);
	spin_unlock_irqrestore(&hw->irq_lock, flags);
}

static enum hrtimer_restart vsn_timer_fn(struct hrtimer *timer)
{
	struct vsensor_hw *hw = container_of(timer, struct vsensor_hw, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;
	bool raise;

	spin_lock_irqsave(&hw->lock, flags);
	if (hw->ctrl & VSN_CTRL_ENABLE) {
		__vsn_sample_until(hw, ktime_get_ns());
		hrtimer_forward_now(timer, ns_to_ktime(vsn_tick_ns(hw)));
		ret = HRTIMER_RESTART;
	}
	raise = hw->irq_status & hw->irq_mask;
	spin_unlock_irqrestore(&hw->lock, flags);

	if (raise)
		vsn_raise_irq(hw);
	return ret;
}

static void __vsn_restart_clock(struct vsensor_hw *hw)
{
	hw->start_ns = ktime_get_ns() + NSEC_PER_SEC / hw->rate;
	hw->nr_since_start = 0;
}

static u32 __vsn_fifo_data(struct vsensor_hw *hw)
{
	const struct vsn_fifo_rec *rec;
	u32 word = hw->rd_word;
	u32 val;

	if (!vsn_fifo_level(hw))
		return ~0U;	/* an empty FIFO reads as all ones */
	rec = &hw->fifo[hw->fifo_tail & (hw->fifo_depth - 1)];
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
	if (++hw->rd_word == VSN_FIFO_HDR_WORDS + hw->nr_channels) {
		hw->rd_word = 0;
		hw->fifo_tail++;
	}
	return val;
}

u32 vsensor_hw_readl(struct vsensor_hw *hw, u32 reg)
{
	unsigned long flags;
	u32 val = 0;

	spin_lock_irqsave(&hw->lock, flags);
	switch (reg) {
	case VSN_REG_ID:
		val = VSN_ID_MAGIC;
		break;
	case VSN_REG_VERSION:
		val = VSN_FW_VERSION;
		break;
	case VSN_REG_CTRL:
		val = hw->ctrl;
		break;
	case VSN_REG_STATUS:
		val = (hw->ctrl & VSN_CTRL_ENABLE) ? VSN_STATUS_RUNNING : 0;
		break;
	case VSN_REG_RATE:
		val = hw->rate;
		break;
	case VSN_REG_CHANNELS:
		val = hw->nr_channels;
		break;
	case VSN_REG_FIFO_DEPTH:
		val = hw->fifo_depth;
		break;
	case VSN_REG_FIFO_LEVEL:
		val = vsn_fifo_level(hw);
		break;
	case VSN_REG_FIFO_WM:
		val = hw->fifo_wm;
		break;
	case VSN_REG_IRQ_STATUS:
		val = hw->irq_status;
		break;
	case VSN_REG_IRQ_MASK:
		val = hw->irq_mask;
		break;
	case VSN_REG_FIFO_LOST:
		val = hw->fifo_lost;
		hw->fifo_lost = 0;
		break;
	case VSN_REG_RATE_MAX:
		val = hw->rate_max;
		break;
	case VSN_REG_TX_DEPTH:
		val = VSN_TX_DEPTH;
		break;
	case VSN_REG_TX_LEVEL:
		val = vsn_tx_level(hw);
		break;
	case VSN_REG_FIFO_DATA:
		val = __vsn_fifo_data(hw);
		break;
	case VSN_REG_WAVEFORM:
		val = hw->wave;
		break;
	case VSN_REG_AMPLITUDE:
		val = hw->amplitude;
		break;
	case VSN_REG_FREQUENCY:
		val = hw->freq_mhz;
		break;
	default:
		val = ~0U;	/* unimplemented registers float high */
		break;
	}
	spin_unlock_irqrestore(&hw->lock, flags);
	return val;
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

static void __vsn_write_ctrl(struct vsensor_hw *hw, u32 val)
{
	bool was_on = hw->ctrl & VSN_CTRL_ENABLE;

	if (val & VSN_CTRL_FIFO_RESET) {
		hw->fifo_tail = hw->fifo_head;
		hw->rd_word = 0;
		hw->tx_tail = hw->tx_head;
		hw->wr_word = 0;
	}
	hw->ctrl = val & VSN_CTRL_ENABLE;
	if (!was_on && (val & VSN_CTRL_ENABLE)) {
		__vsn_restart_clock(hw);
		hrtimer_start(&hw->timer, ns_to_ktime(vsn_tick_ns(hw)),
			      HRTIMER_MODE_REL);
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

void vsensor_hw_writel(struct vsensor_hw *hw, u32 reg, u32 val)
{
	unsigned long flags;
	bool stopped = false;

	spin_lock_irqsave(&hw->lock, flags);
	switch (reg) {
	case VSN_REG_CTRL:
		stopped = (hw->ctrl & VSN_CTRL_ENABLE) &&
			  !(val & VSN_CTRL_ENABLE);
		__vsn_write_ctrl(hw, val);
		break;
	case VSN_REG_RATE:
		hw->rate = clamp_t(u32, val, 1, hw->rate_max);
		__vsn_restart_clock(hw);
		break;
	case VSN_REG_FIFO_WM:
		hw->fifo_wm = clamp_t(u32, val, 1, hw->fifo_depth);
		break;
	case VSN_REG_IRQ_STATUS:
		hw->irq_status &= ~val;
		break;
	case VSN_REG_IRQ_MASK:
		hw->irq_mask = val & (VSN_IRQ_WATERMARK | VSN_IRQ_OVERFLOW |
				      VSN_IRQ_TX_SPACE);
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
		break;	/* read-only or unimplemented: ignored */
	}
	spin_unlock_irqrestore(&hw->lock, flags);

	/* The engine is off: wait for a running tick outside the lock it takes. */
	if (stopped)
		hrtimer_cancel(&hw->timer);
}

void vsensor_hw_connect_irq(struct vsensor_hw *hw,
			    void (*handler)(void *data), void *data)
{
	spin_lock_irq(&hw->irq_lock);
	hw->irq_handler = handler;
	hw->irq_data = data;
	spin_unlock_irq(&hw->irq_lock);
}

/* After this returns the handler is not running and will not run again. */
void vsensor_hw_disconnect_irq(struct vsensor_hw *hw)
{
	vsensor_hw_connect_irq(hw, NULL, NULL);
}

struct vsensor_hw *vsensor_hw_create(const char *name, u32 nr_channels,
				     u32 fifo_depth, u32 rate_max)
{
	struct vsensor_hw *hw;

	if (!nr_channels || nr_channels > VSENSOR_MAX_CHANNELS ||
	    !is_power_of_2(fifo_depth) || !rate_max)
		return ERR_PTR(-EINVAL);

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&hw->lock);
	spin_lock_init(&hw->irq_lock);
	hrtimer_init(&hw->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hw->timer.function = vsn_timer_fn;
	hw->name = name;
	hw->nr_channels = nr_channels;
	hw->fifo_depth = fifo_depth;
	hw->rate_max = rate_max;
	hw->rate = min_t(u32, 100, rate_max);
	hw->fifo_wm = 1;
	hw->wave = VSN_WAVE_SINE;
	hw->amplitude = VSN_WAVE_AMPLITUDE;
	hw->freq_mhz = VSN_WAVE_FREQ_MHZ;
	hw->fifo = kcalloc(fifo_depth, sizeof(*hw->fifo), GFP_KERNEL);
	hw->tx = kcalloc(VSN_TX_DEPTH, sizeof(*hw->tx), GFP_KERNEL);
	if (!hw->fifo || !hw->tx) {
		vsensor_hw_destroy(hw);
		return ERR_PTR(-ENOMEM);
	}
	return hw;
}

void vsensor_hw_destroy(struct vsensor_hw *hw)
{
	if (!hw)
		return;
	hrtimer_cancel(&hw->timer);
	kfree(hw->tx);
	kfree(hw->fifo);
	kfree(hw);
}
