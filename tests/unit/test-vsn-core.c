// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kernel/sim/vsn-core.c, the VSN1000 model core shared by the
 * in-kernel model and the QEMU device, on a fake platform: a clock the test
 * sets, recorded interrupts, and a guest memory with one hole.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "vsn-core.h"
#include "unit.h"

#define MEM_BASE	0x10000ULL
#define MEM_SIZE	0x4000
#define HOLE		(MEM_BASE + 0x2000)	/* one unmapped page */
#define NQ		2

static struct vsn_core core;
static s32 tx[VSN1000_TX_DEPTH][VSN_MAX_VALUES];
static struct vsn_fifo_rec fifo[NQ][VSN1000_FIFO_DEPTH];
static uint8_t mem[MEM_SIZE];
static u64 now;
static unsigned int fired[VSN_NR_VECTORS(VSN_MAX_QUEUES)];
static unsigned int armed_q, armed_nr, armed, d3;

static u64 fake_now(void *ctx)
{
	return now;
}

static void fake_fire(void *ctx, unsigned int vec)
{
	fired[vec]++;
}

static int fake_access(u64 iova, u32 len, u64 *fault)
{
	if (iova < MEM_BASE || iova + len > MEM_BASE + MEM_SIZE) {
		*fault = iova;
		return -1;
	}
	if (iova + len > HOLE && iova < HOLE + 0x1000) {
		*fault = iova < HOLE ? HOLE : iova;
		return -1;
	}
	return 0;
}

static int fake_read(void *ctx, u64 iova, void *buf, u32 len, u64 *fault)
{
	if (fake_access(iova, len, fault))
		return -1;
	memcpy(buf, mem + (iova - MEM_BASE), len);
	return 0;
}

static int fake_write(void *ctx, u64 iova, const void *buf, u32 len, u64 *fault)
{
	if (fake_access(iova, len, fault))
		return -1;
	memcpy(mem + (iova - MEM_BASE), buf, len);
	return 0;
}

static u32 fake_random(void *ctx)
{
	return 12345;
}

static void fake_arm(void *ctx, unsigned int q, u32 nr)
{
	armed_q = q;
	armed_nr = nr;
	armed++;
}

static void fake_d3(void *ctx, u32 reg, bool write)
{
	d3++;
}

static const struct vsn_platform_ops ops = {
	.now_ns = fake_now,
	.fire = fake_fire,
	.dma_read = fake_read,
	.dma_write = fake_write,
	.random = fake_random,
	.dma_arm = fake_arm,
	.d3_access = fake_d3,
};

static void setup(void)
{
	unsigned int i;

	memset(&core, 0, sizeof(core));
	memset(mem, 0, sizeof(mem));
	memset(fired, 0, sizeof(fired));
	now = 1000000000ULL;
	armed = d3 = 0;
	core.ops = &ops;
	core.nr_channels = VSN1000_CHANNELS;
	core.fifo_depth = VSN1000_FIFO_DEPTH;
	core.rate_max = VSN1000_RATE_MAX;
	core.nr_queues = NQ;
	core.tx = tx;
	core.stale_iova = HOLE;
	for (i = 0; i < NQ; i++)
		core.q[i].fifo = fifo[i];
	vsn_core_reset(&core);
}

static u32 rd(u32 reg)
{
	return vsn_core_read(&core, reg);
}

static unsigned int wr(u32 reg, u32 val)
{
	return vsn_core_write(&core, reg, val);
}

#define Q0(off)	(VSN_REG_QUEUE(0) + (off))

/* Enable queue 0 and the sampler at @rate, then let @ns pass. */
static void sample(u32 rate, u64 ns)
{
	wr(VSN_REG_RATE, rate);
	wr(Q0(VSN_Q_CTRL), VSN_Q_CTRL_ENABLE);
	ck_assert_uint_eq(wr(VSN_REG_CTRL, VSN_CTRL_ENABLE), VSN_CORE_SAMPLER_START);
	now += ns;
	ck_assert(vsn_core_tick(&core));
}

START_TEST(test_reset_values)
{
	ck_assert_uint_eq(rd(VSN_REG_ID), VSN_ID_MAGIC);
	ck_assert_uint_eq(rd(VSN_REG_VERSION), VSN1000_FW_VERSION);
	ck_assert_uint_eq(rd(VSN_REG_RATE), VSN1000_RATE_RESET);
	ck_assert_uint_eq(rd(VSN_REG_TX_DEPTH), VSN1000_TX_DEPTH);
	ck_assert_uint_eq(rd(VSN_REG_NR_QUEUES), NQ);
	ck_assert_uint_eq(rd(Q0(VSN_Q_WM)), 1);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), 0xffffffff);
	ck_assert_uint_eq(rd(VSN_REG_QUEUE(NQ)), 0xffffffff);
	ck_assert_uint_eq(rd(0x3c), 0xffffffff);
}
END_TEST

START_TEST(test_clamping_and_rw1c)
{
	wr(VSN_REG_RATE, 0);
	ck_assert_uint_eq(rd(VSN_REG_RATE), 1);
	wr(VSN_REG_RATE, 1000000);
	ck_assert_uint_eq(rd(VSN_REG_RATE), VSN1000_RATE_MAX);
	wr(Q0(VSN_Q_WM), 0);
	ck_assert_uint_eq(rd(Q0(VSN_Q_WM)), 1);
	wr(Q0(VSN_Q_WM), 9999);
	ck_assert_uint_eq(rd(Q0(VSN_Q_WM)), VSN1000_FIFO_DEPTH);
	wr(VSN_REG_WAVEFORM, 5);
	ck_assert_uint_eq(rd(VSN_REG_WAVEFORM), VSN_WAVE_SINE);
	wr(VSN_REG_FREQUENCY, 0);
	ck_assert_uint_eq(rd(VSN_REG_FREQUENCY), VSN1000_FREQ_RESET);
	wr(VSN_REG_IRQ_MASK, 0xffffffff);
	ck_assert_uint_eq(rd(VSN_REG_IRQ_MASK), VSN_IRQ_TX_SPACE | VSN_IRQ_ERR_MASK);
	core.irq_status = VSN_IRQ_OVERFLOW | VSN_IRQ_IOMMU_FAULT;
	wr(VSN_REG_IRQ_STATUS, VSN_IRQ_OVERFLOW);
	ck_assert_uint_eq(rd(VSN_REG_IRQ_STATUS), VSN_IRQ_IOMMU_FAULT);
}
END_TEST

START_TEST(test_time_latches_high_word)
{
	now = 0x123456789aULL;
	ck_assert_uint_eq(rd(VSN_REG_TIME_LO), 0x3456789a);
	now = 0x990000000ULL;
	ck_assert_uint_eq(rd(VSN_REG_TIME_HI), 0x12);
	ck_assert_uint_eq(rd(VSN_REG_TIME_LO), 0x90000000);
	ck_assert_uint_eq(rd(VSN_REG_TIME_HI), 0x9);
}
END_TEST

/* 1 kHz for 10 ms: samples 0..9, each the core's sine, timestamps exact. */
START_TEST(test_sampling_and_pio_records)
{
	u64 start = now + 1000000;
	u32 i, ch;

	sample(1000, 10 * 1000000);
	ck_assert_uint_eq(rd(Q0(VSN_Q_LEVEL)), 10);
	ck_assert_uint_eq(rd(VSN_REG_QUEUE(1) + VSN_Q_LEVEL), 0);
	ck_assert_uint_eq(rd(Q0(VSN_Q_STATUS)), VSN_Q_IRQ_WATERMARK);
	for (i = 0; i < 10; i++) {
		u64 ts;

		ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), i);
		ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), 0);
		ts = rd(Q0(VSN_Q_DATA));
		ts |= (u64)rd(Q0(VSN_Q_DATA)) << 32;
		ck_assert_uint_eq(ts, start + i * 1000000ULL);
		for (ch = 0; ch < VSN1000_CHANNELS; ch++)
			ck_assert_int_eq((s32)rd(Q0(VSN_Q_DATA)),
					 vsn_core_waveform(&core, i, ch));
	}
	ck_assert_uint_eq(rd(Q0(VSN_Q_LEVEL)), 0);
}
END_TEST

/* Values of fixp_sin32() * 1000 >> 31 at 0, 90, 180, 270 degrees, etc. */
START_TEST(test_waveforms)
{
	core.rate = 360;
	core.freq_mhz = 1000;	/* one degree a sample */
	core.amplitude = 1000;
	ck_assert_int_eq(vsn_core_waveform(&core, 0, 0), 0);
	ck_assert_int_eq(vsn_core_waveform(&core, 0, 1), 999);
	ck_assert_int_eq(vsn_core_waveform(&core, 30, 0), 499);
	ck_assert_int_eq(vsn_core_waveform(&core, 210, 0), -500);
	ck_assert_int_eq(vsn_core_waveform(&core, 0, 3), -1000);
	core.wave = VSN_WAVE_SQUARE;
	ck_assert_int_eq(vsn_core_waveform(&core, 179, 0), 1000);
	ck_assert_int_eq(vsn_core_waveform(&core, 180, 0), -1000);
	core.wave = VSN_WAVE_RAMP;
	ck_assert_int_eq(vsn_core_waveform(&core, 0, 0), -1000);
	ck_assert_int_eq(vsn_core_waveform(&core, 359, 0), 1000);
	ck_assert_int_eq(vsn_core_waveform(&core, 180, 0), 2);
}
END_TEST

START_TEST(test_overflow_and_lost)
{
	wr(VSN_REG_IRQ_MASK, VSN_IRQ_OVERFLOW);
	sample(1000, 300 * 1000000ULL);
	ck_assert_uint_eq(rd(Q0(VSN_Q_LEVEL)), VSN1000_FIFO_DEPTH);
	ck_assert_uint_eq(rd(Q0(VSN_Q_LOST)), 300 - VSN1000_FIFO_DEPTH);
	ck_assert_uint_eq(rd(Q0(VSN_Q_LOST)), 0);
	ck_assert_uint_eq(rd(VSN_REG_IRQ_STATUS), VSN_IRQ_OVERFLOW);
	ck_assert_uint_eq(fired[VSN_VEC_ERR(NQ)], 1);
	ck_assert_uint_eq(wr(VSN_REG_CTRL, VSN_CTRL_FIFO_RESET),
			  VSN_CORE_SAMPLER_STOP);
	ck_assert_uint_eq(rd(Q0(VSN_Q_LEVEL)), 0);
	ck_assert(!vsn_core_tick(&core));
}
END_TEST

START_TEST(test_stimulus_loopback)
{
	u32 i;

	for (i = 0; i < 8; i++)
		wr(VSN_REG_TX_DATA, i * 11);
	wr(VSN_REG_TX_DATA, 99);	/* the start of a third record */
	ck_assert_uint_eq(rd(VSN_REG_TX_LEVEL), 2);
	sample(1000, 3 * 1000000);
	ck_assert_uint_eq(rd(VSN_REG_TX_LEVEL), 0);
	for (i = 0; i < 2; i++) {
		rd(Q0(VSN_Q_DATA));
		ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), VSN_FIFO_FLAG_STIMULUS);
		rd(Q0(VSN_Q_DATA));
		rd(Q0(VSN_Q_DATA));
		ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), i * 44);
		ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), i * 44 + 11);
		ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), i * 44 + 22);
		ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), i * 44 + 33);
	}
	rd(Q0(VSN_Q_DATA));
	ck_assert_uint_eq(rd(Q0(VSN_Q_DATA)), 0);	/* measured again */
}
END_TEST

START_TEST(test_d3)
{
	wr(VSN_REG_IRQ_MASK, VSN_IRQ_OVERFLOW);
	sample(1000, 1000000);
	wr(VSN_REG_POWER, VSN_POWER_D3);
	ck_assert_uint_eq(rd(VSN_REG_ID), 0xffffffff);
	ck_assert_uint_eq(wr(VSN_REG_RATE, 5), 0);
	ck_assert_uint_eq(d3, 2);
	ck_assert_uint_eq(core.d3_accesses, 2);
	wr(VSN_REG_POWER, 1);	/* D1: ignored */
	ck_assert_uint_eq(rd(VSN_REG_POWER), VSN_POWER_D3);
	ck_assert(!vsn_core_tick(&core));	/* the clock is gated */
	core.irq_status |= VSN_IRQ_OVERFLOW;
	ck_assert_uint_eq(wr(VSN_REG_POWER, VSN_POWER_D0), VSN_CORE_SAMPLER_REARM);
	ck_assert_uint_eq(fired[VSN_VEC_ERR(NQ)], 1);	/* pending in D3 */
	ck_assert_uint_eq(rd(VSN_REG_RATE), 1000);
}
END_TEST

/* Descriptor table at MEM_BASE, buffers after it; two of 3 records each. */
static void put_desc(unsigned int d, u64 addr, u32 len, bool own)
{
	struct vsn_dma_desc desc = {
		.addr = htole64(addr),
		.len = htole32(len),
		.ctrl = htole32(own ? VSN_DESC_OWN : 0),
	};

	memcpy(mem + d * sizeof(desc), &desc, sizeof(desc));
}

static struct vsn_dma_desc get_desc(unsigned int d)
{
	struct vsn_dma_desc desc;

	memcpy(&desc, mem + d * sizeof(desc), sizeof(desc));
	return desc;
}

static void dma_setup(unsigned int count)
{
	wr(Q0(VSN_Q_DESC_LO), (u32)MEM_BASE);
	wr(Q0(VSN_Q_DESC_HI), 0);
	wr(Q0(VSN_Q_DESC_COUNT), count);
	wr(Q0(VSN_Q_MASK), VSN_Q_IRQ_DMA_DONE);
}

#define REC	sizeof(struct vsn_dma_rec)

START_TEST(test_dma_walk)
{
	struct vsn_dma_rec rec;
	struct vsn_dma_desc desc;

	sample(1000, 10 * 1000000);
	put_desc(0, MEM_BASE + 0x1000, 3 * REC + 10, true);
	put_desc(1, MEM_BASE + 0x1800, 3 * REC, true);
	put_desc(2, MEM_BASE + 0x1c00, 3 * REC, false);
	dma_setup(3);
	wr(Q0(VSN_Q_DMA_START), 8);
	ck_assert_uint_eq(armed, 1);
	ck_assert_uint_eq(armed_nr, 8);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_STATUS)), VSN_DMA_BUSY);
	wr(Q0(VSN_Q_DMA_START), 8);	/* ignored while busy */
	ck_assert_uint_eq(armed, 1);
	vsn_core_dma_complete(&core, 0);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_DONE)), 6);	/* desc 2 not owned */
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_STATUS)), 0);
	ck_assert_uint_eq(rd(Q0(VSN_Q_STATUS)) & VSN_Q_IRQ_DMA_DONE, VSN_Q_IRQ_DMA_DONE);
	ck_assert_uint_eq(fired[0], 1);
	ck_assert_uint_eq(rd(Q0(VSN_Q_LEVEL)), 4);
	desc = get_desc(0);
	ck_assert_uint_eq(le32toh(desc.done), 3 * REC);
	ck_assert_uint_eq(le32toh(desc.status), VSN_DESC_ST_DONE);
	ck_assert_uint_eq(le32toh(desc.ctrl) & VSN_DESC_OWN, 0);
	ck_assert_uint_eq(le32toh(get_desc(2).ctrl), 0);
	ck_assert_uint_eq(le32toh(get_desc(2).status), 0);
	memcpy(&rec, mem + 0x1800 + 2 * REC, sizeof(rec));
	ck_assert_uint_eq(le32toh(rec.seq), 5);
	ck_assert_uint_eq(le64toh(rec.timestamp), 1000000000ULL + 6 * 1000000);
	ck_assert_int_eq((s32)le32toh(rec.value[1]), vsn_core_waveform(&core, 5, 1));
	ck_assert_uint_eq(le32toh(rec.value[VSN1000_CHANNELS]), 0);
	ck_assert_uint_eq(rd(VSN_REG_IOMMU_FAULTS), 0);
}
END_TEST

START_TEST(test_dma_fault_and_debug_registers)
{
	sample(1000, 10 * 1000000);
	wr(VSN_REG_IRQ_MASK, VSN_IRQ_IOMMU_FAULT);
	put_desc(0, MEM_BASE + 0x1000, 4 * REC, true);
	put_desc(1, MEM_BASE + 0x1800, 4 * REC, true);
	dma_setup(2);
	wr(VSN_REG_DBG_DMA_FAULTS, 1);
	wr(VSN_REG_DBG_DMA_IOVA_LO, (u32)HOLE + 0x40);
	ck_assert_uint_eq(rd(VSN_REG_DBG_DMA_IOVA_LO), (u32)HOLE + 0x40);
	wr(Q0(VSN_Q_DMA_START), 8);
	vsn_core_dma_complete(&core, 0);
	ck_assert_uint_eq(rd(VSN_REG_DBG_DMA_FAULTS), 0);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_STATUS)), VSN_DMA_ERROR);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_DONE)), 0);
	ck_assert_uint_eq(rd(VSN_REG_IOMMU_FAULTS), 1);
	ck_assert_uint_eq(rd(VSN_REG_FAULT_IOVA_LO), (u32)HOLE + 0x40);
	ck_assert_uint_eq(rd(VSN_REG_FAULT_IOVA_HI), 0);
	ck_assert_uint_eq(rd(VSN_REG_IRQ_STATUS), VSN_IRQ_IOMMU_FAULT);
	ck_assert_uint_eq(fired[VSN_VEC_ERR(NQ)], 1);
	ck_assert_uint_eq(le32toh(get_desc(0).status), VSN_DESC_ST_DONE | VSN_DESC_ST_FAULT);
	ck_assert_uint_eq(le32toh(get_desc(0).done), 0);
	ck_assert_uint_eq(le32toh(get_desc(1).ctrl), VSN_DESC_OWN);	/* untouched */
	ck_assert_uint_eq(rd(Q0(VSN_Q_LEVEL)), 9);	/* the record is lost */

	/* the next transfer goes where the descriptors say */
	put_desc(0, MEM_BASE + 0x1000, 4 * REC, true);
	wr(Q0(VSN_Q_DMA_START), 8);
	vsn_core_dma_complete(&core, 0);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_DONE)), 8);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_STATUS)), 0);
	ck_assert_uint_eq(rd(VSN_REG_IOMMU_FAULTS), 1);
}
END_TEST

START_TEST(test_dma_descriptor_fault)
{
	sample(1000, 2 * 1000000);
	wr(Q0(VSN_Q_DESC_LO), (u32)HOLE);
	wr(Q0(VSN_Q_DESC_COUNT), 1);
	wr(Q0(VSN_Q_DMA_START), 2);
	vsn_core_dma_complete(&core, 0);
	ck_assert_uint_eq(rd(Q0(VSN_Q_DMA_STATUS)), VSN_DMA_ERROR);
	ck_assert_uint_eq(rd(VSN_REG_IOMMU_FAULTS), 1);
	ck_assert_uint_eq(rd(VSN_REG_FAULT_IOVA_LO), (u32)HOLE);
	ck_assert_uint_eq(rd(Q0(VSN_Q_LEVEL)), 2);	/* nothing moved */
	vsn_core_dma_abort(&core, 0);
}
END_TEST

static Suite *vsn_core_suite(void)
{
	Suite *s = suite_create("vsn-core");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_reset_values);
	tcase_add_test(tc, test_clamping_and_rw1c);
	tcase_add_test(tc, test_time_latches_high_word);
	tcase_add_test(tc, test_sampling_and_pio_records);
	tcase_add_test(tc, test_waveforms);
	tcase_add_test(tc, test_overflow_and_lost);
	tcase_add_test(tc, test_stimulus_loopback);
	tcase_add_test(tc, test_d3);
	tcase_add_test(tc, test_dma_walk);
	tcase_add_test(tc, test_dma_fault_and_debug_registers);
	tcase_add_test(tc, test_dma_descriptor_fault);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(vsn_core_suite());
}
