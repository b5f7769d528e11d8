/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register interface of the simulated VSN1000 sensor. This is the
 * "datasheet": the driver knows the hardware only through these offsets and
 * bits, the accessors below and the interrupt it raises.
 */
#ifndef _VSENSOR_HW_H
#define _VSENSOR_HW_H

#include <linux/types.h>

#define VSN_REG_ID		0x00	/* RO: VSN_ID_MAGIC */
#define VSN_REG_VERSION		0x04	/* RO: firmware version, 0xMMmmpppp */
#define VSN_REG_CTRL		0x08	/* RW: VSN_CTRL_* */
#define VSN_REG_STATUS		0x0c	/* RO: VSN_STATUS_* */
#define VSN_REG_RATE		0x10	/* RW: sample rate in Hz */
#define VSN_REG_CHANNELS	0x14	/* RO: number of channels */
#define VSN_REG_FIFO_DEPTH	0x18	/* RO: FIFO capacity, records */
#define VSN_REG_FIFO_LEVEL	0x1c	/* RO: records in the FIFO */
#define VSN_REG_FIFO_WM		0x20	/* RW: watermark interrupt level */
#define VSN_REG_IRQ_STATUS	0x24	/* RW1C: VSN_IRQ_* pending */
#define VSN_REG_IRQ_MASK	0x28	/* RW: VSN_IRQ_* enabled */
#define VSN_REG_FIFO_LOST	0x2c	/* RO, clear on read: FIFO overflows */
#define VSN_REG_RATE_MAX	0x30	/* RO: highest sample rate, Hz */
#define VSN_REG_TX_DEPTH	0x34	/* RO: stimulus FIFO capacity, records */
#define VSN_REG_TX_LEVEL	0x38	/* RO: stimulus records queued */
#define VSN_REG_FIFO_DATA	0x40	/* RO: pops the FIFO one word a read */
#define VSN_REG_TX_DATA		0x44	/* WO: one stimulus word a write */
#define VSN_REG_WAVEFORM	0x80	/* RW: VSN_WAVE_*; others ignored */
#define VSN_REG_AMPLITUDE	0x84	/* RW: peak value, <= VSN_AMPLITUDE_MAX */
#define VSN_REG_FREQUENCY	0x88	/* RW: waveform frequency, mHz */
#define VSN_REG_WINDOW_SIZE	0x100

#define VSN_ID_MAGIC		0x56534e31	/* "VSN1" */

#define VSN_CTRL_ENABLE		BIT(0)	/* sample while set */
#define VSN_CTRL_FIFO_RESET	BIT(1)	/* self-clearing: empty the FIFO */

#define VSN_STATUS_RUNNING	BIT(0)

#define VSN_WAVE_SINE		1	/* reset value */
#define VSN_WAVE_SQUARE		2
#define VSN_WAVE_RAMP		3
#define VSN_WAVE_NOISE		4
#define VSN_AMPLITUDE_MAX	1000000	/* larger writes are ignored */
#define VSN_FREQUENCY_MIN	1	/* mHz; writes outside are ignored */
#define VSN_FREQUENCY_MAX	1000000	/* mHz */

#define VSN_IRQ_WATERMARK	BIT(0)	/* FIFO level >= FIFO_WM */
#define VSN_IRQ_OVERFLOW	BIT(1)	/* FIFO was full: samples lost */
#define VSN_IRQ_TX_SPACE	BIT(2)	/* stimulus FIFO drained to half */

/*
 * A FIFO record is read as VSN_FIFO_HDR_WORDS + channels words from
 * FIFO_DATA: the hardware sequence number, flags, the timestamp
 * (CLOCK_MONOTONIC ns, low word first), then one signed value per channel.
 * Reading the last word pops the record.
 */
#define VSN_FIFO_WORD_SEQ	0
#define VSN_FIFO_WORD_FLAGS	1
#define VSN_FIFO_WORD_TS_LO	2
#define VSN_FIFO_WORD_TS_HI	3
#define VSN_FIFO_HDR_WORDS	4

#define VSN_FIFO_FLAG_STIMULUS	BIT(0)	/* measured a stimulus record */

/*
 * Stimulus (loopback): a record of one word per channel written to TX_DATA
 * is what the sensor measures at its next sample instead of its waveform.
 */

struct vsensor_hw;

/* Bus-side life cycle (bus.c owns the hardware of each slot). */
struct vsensor_hw *vsensor_hw_create(const char *name, u32 nr_channels,
				     u32 fifo_depth, u32 rate_max);
void vsensor_hw_destroy(struct vsensor_hw *hw);

/* What the driver may use: register access and its interrupt line. */
u32 vsensor_hw_readl(struct vsensor_hw *hw, u32 reg);
void vsensor_hw_writel(struct vsensor_hw *hw, u32 reg, u32 val);
void vsensor_hw_connect_irq(struct vsensor_hw *hw,
			    void (*handler)(void *data), void *data);
void vsensor_hw_disconnect_irq(struct vsensor_hw *hw);

#endif /* _VSENSOR_HW_H */
