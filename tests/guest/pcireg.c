// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-pcireg: the VSN1000 PCI device seen from userspace with no driver,
 * for tests/guest/t-pci.sh. Register names and offsets come from the
 * datasheet (kernel/sim/hw.h), so the test checks the device against it.
 *
 *   vsensor-pcireg DEVDIR REG [VALUE]  read (print 0x%08x) or write REG
 *                                      through DEVDIR/resource0 (mmap)
 *   vsensor-pcireg DEVDIR caps         the MSI-X and PCIe capabilities from
 *                                      DEVDIR/config: "msix VECTORS TABLE_BAR
 *                                      PBA_BAR" and "pcie TYPE"
 *   vsensor-pcireg DEVDIR time         the device clock (TIME_LO, then the
 *                                      TIME_HI it latched), ns
 *   vsensor-pcireg DEVDIR rate Q MS    queue Q's level rise over MS ms of
 *                                      the device clock, in samples/s
 *   vsensor-pcireg DEVDIR records Q N  pop N whole records of queue Q by PIO
 *                                      (Q_DATA), one a line: "seq flags
 *                                      timestamp value..."
 *   vsensor-pcireg DEVDIR check Q N    pop N records and check them against
 *                                      the model core (kernel/sim/vsn-core.c,
 *                                      built into this program) configured
 *                                      as the device is: consecutive seq,
 *                                      each value the core's waveform;
 *                                      prints "records N gaps G bad B
 *                                      stimulus S", exit 1 unless G = B = 0
 *   vsensor-pcireg magic               VSN_ID_MAGIC of the datasheet
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The model core and the datasheet, as QEMU builds them (tests/Makefile). */
#include "vsn-core.h"

#define REGS_SIZE	4096	/* BAR 0 */

static const struct {
	const char *name;
	unsigned int off;
} regs[] = {
	{ "ID", VSN_REG_ID },
	{ "VERSION", VSN_REG_VERSION },
	{ "CTRL", VSN_REG_CTRL },
	{ "STATUS", VSN_REG_STATUS },
	{ "RATE", VSN_REG_RATE },
	{ "CHANNELS", VSN_REG_CHANNELS },
	{ "FIFO_DEPTH", VSN_REG_FIFO_DEPTH },
	{ "POWER", VSN_REG_POWER },
	{ "IRQ_STATUS", VSN_REG_IRQ_STATUS },
	{ "IRQ_MASK", VSN_REG_IRQ_MASK },
	{ "RATE_MAX", VSN_REG_RATE_MAX },
	{ "TX_DEPTH", VSN_REG_TX_DEPTH },
	{ "TX_LEVEL", VSN_REG_TX_LEVEL },
	{ "TX_DATA", VSN_REG_TX_DATA },
	{ "WAVEFORM", VSN_REG_WAVEFORM },
	{ "AMPLITUDE", VSN_REG_AMPLITUDE },
	{ "FREQUENCY", VSN_REG_FREQUENCY },
	{ "TIME_LO", VSN_REG_TIME_LO },
	{ "TIME_HI", VSN_REG_TIME_HI },
	{ "NR_QUEUES", VSN_REG_NR_QUEUES },
	{ "IOMMU_FAULTS", VSN_REG_IOMMU_FAULTS },
	{ "FAULT_IOVA_LO", VSN_REG_FAULT_IOVA_LO },
	{ "FAULT_IOVA_HI", VSN_REG_FAULT_IOVA_HI },
	{ "DBG_DMA_FAULTS", VSN_REG_DBG_DMA_FAULTS },
	{ "DBG_DMA_IOVA_LO", VSN_REG_DBG_DMA_IOVA_LO },
	{ "DBG_DMA_IOVA_HI", VSN_REG_DBG_DMA_IOVA_HI },
#define QREGS(q) \
	{ "Q" #q "_CTRL", VSN_REG_QUEUE(q) + VSN_Q_CTRL }, \
	{ "Q" #q "_LEVEL", VSN_REG_QUEUE(q) + VSN_Q_LEVEL }, \
	{ "Q" #q "_WM", VSN_REG_QUEUE(q) + VSN_Q_WM }, \
	{ "Q" #q "_STATUS", VSN_REG_QUEUE(q) + VSN_Q_STATUS }, \
	{ "Q" #q "_MASK", VSN_REG_QUEUE(q) + VSN_Q_MASK }, \
	{ "Q" #q "_LOST", VSN_REG_QUEUE(q) + VSN_Q_LOST }, \
	{ "Q" #q "_DATA", VSN_REG_QUEUE(q) + VSN_Q_DATA }, \
	{ "Q" #q "_DESC_LO", VSN_REG_QUEUE(q) + VSN_Q_DESC_LO }, \
	{ "Q" #q "_DESC_HI", VSN_REG_QUEUE(q) + VSN_Q_DESC_HI }, \
	{ "Q" #q "_DESC_COUNT", VSN_REG_QUEUE(q) + VSN_Q_DESC_COUNT }, \
	{ "Q" #q "_DMA_START", VSN_REG_QUEUE(q) + VSN_Q_DMA_START }, \
	{ "Q" #q "_DMA_DONE", VSN_REG_QUEUE(q) + VSN_Q_DMA_DONE }, \
	{ "Q" #q "_DMA_STATUS", VSN_REG_QUEUE(q) + VSN_Q_DMA_STATUS }
	QREGS(0),
	QREGS(1),
#undef QREGS
};

static int usage(void)
{
	fprintf(stderr, "usage: vsensor-pcireg DEVDIR REG [VALUE] | DEVDIR caps | DEVDIR time |\n"
		"       DEVDIR rate Q MS | DEVDIR records Q N | DEVDIR check Q N | magic\n");
	return 1;
}

static int reg_offset(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (!strcmp(regs[i].name, name))
			return regs[i].off;
	return -1;
}

/* BAR 0 of DEVDIR, mapped read-write; NULL after a message. */
static volatile uint32_t *map_regs(const char *devdir)
{
	volatile uint32_t *win;
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/resource0", devdir);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "vsensor-pcireg: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	win = mmap(NULL, REGS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (win == MAP_FAILED) {
		fprintf(stderr, "vsensor-pcireg: mmap %s: %s\n", path, strerror(errno));
		return NULL;
	}
	return win;
}

static uint32_t rd(const volatile uint32_t *win, unsigned int off)
{
	return win[off / 4];
}

static int reg_access(volatile uint32_t *win, const char *name, const char *value)
{
	int off = reg_offset(name);

	if (off < 0) {
		fprintf(stderr, "vsensor-pcireg: unknown register %s\n", name);
		return 1;
	}
	if (value)
		win[off / 4] = strtoul(value, NULL, 0);
	else
		printf("0x%08x\n", rd(win, off));
	return 0;
}

/* The device clock: TIME_LO latches the high word into TIME_HI. */
static uint64_t dev_time(const volatile uint32_t *win)
{
	uint32_t lo = rd(win, VSN_REG_TIME_LO);

	return (uint64_t)rd(win, VSN_REG_TIME_HI) << 32 | lo;
}

static int rate(const volatile uint32_t *win, unsigned int q, unsigned int ms)
{
	unsigned int level = VSN_REG_QUEUE(q) + VSN_Q_LEVEL;
	uint64_t t0, t1;
	uint32_t l0, l1;

	t0 = dev_time(win);
	l0 = rd(win, level);
	usleep(ms * 1000);
	t1 = dev_time(win);
	l1 = rd(win, level);
	if (t1 <= t0 || l1 < l0) {
		fprintf(stderr, "vsensor-pcireg: time %llu..%llu level %u..%u\n",
			(unsigned long long)t0, (unsigned long long)t1, l0, l1);
		return 1;
	}
	printf("%llu\n", (unsigned long long)((uint64_t)(l1 - l0) * 1000000000ULL /
					      (t1 - t0)));
	return 0;
}

/* Pop one whole record of queue @q by PIO. */
static void pop_record(const volatile uint32_t *win, unsigned int q, unsigned int channels,
		       struct vsn_fifo_rec *rec)
{
	unsigned int data = VSN_REG_QUEUE(q) + VSN_Q_DATA, ch;
	uint32_t lo;

	memset(rec, 0, sizeof(*rec));
	rec->seq = rd(win, data);
	rec->flags = rd(win, data);
	lo = rd(win, data);
	rec->ts = (uint64_t)rd(win, data) << 32 | lo;
	for (ch = 0; ch < channels; ch++)
		rec->value[ch] = (int32_t)rd(win, data);
}

/*
 * A core configured as the device is, to compute what it must have
 * measured (the core's waveform needs no platform).
 */
static void core_like(const volatile uint32_t *win, struct vsn_core *c)
{
	memset(c, 0, sizeof(*c));
	c->nr_channels = rd(win, VSN_REG_CHANNELS);
	c->rate = rd(win, VSN_REG_RATE);
	c->wave = rd(win, VSN_REG_WAVEFORM);
	c->amplitude = rd(win, VSN_REG_AMPLITUDE);
	c->freq_mhz = rd(win, VSN_REG_FREQUENCY);
}

static int records(const volatile uint32_t *win, unsigned int q, unsigned int n, bool check)
{
	unsigned int level = rd(win, VSN_REG_QUEUE(q) + VSN_Q_LEVEL);
	unsigned int i, ch, gaps = 0, bad = 0, stim = 0;
	struct vsn_fifo_rec rec;
	struct vsn_core core;
	uint32_t next = 0;

	core_like(win, &core);
	if (level < n || core.nr_channels > VSN_MAX_VALUES) {
		fprintf(stderr, "vsensor-pcireg: queue %u holds %u records, not %u\n",
			q, level, n);
		return 1;
	}
	for (i = 0; i < n; i++) {
		pop_record(win, q, core.nr_channels, &rec);
		if (!check) {
			printf("%u %u %llu", rec.seq, rec.flags, (unsigned long long)rec.ts);
			for (ch = 0; ch < core.nr_channels; ch++)
				printf(" %d", rec.value[ch]);
			printf("\n");
			continue;
		}
		if (i && rec.seq != next)
			gaps++;
		next = rec.seq + 1;
		if (rec.flags & VSN_FIFO_FLAG_STIMULUS) {
			stim++;
			continue;
		}
		for (ch = 0; ch < core.nr_channels; ch++) {
			int32_t want = vsn_core_waveform(&core, rec.seq, ch);

			if (rec.value[ch] == want)
				continue;
			if (bad++ < 5)
				fprintf(stderr, "# seq %u channel %u: %d, the core says %d\n",
					rec.seq, ch, rec.value[ch], want);
		}
	}
	if (check)
		printf("records %u gaps %u bad %u stimulus %u\n", n, gaps, bad, stim);
	return check && (gaps || bad);
}

/* Walk the capability list of the config space (standard part). */
static int caps(const char *devdir)
{
	uint8_t cfg[256];
	unsigned int pos, n = 0;
	char path[512];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/config", devdir);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "vsensor-pcireg: %s: %s\n", path, strerror(errno));
		return 1;
	}
	len = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	if (len != sizeof(cfg)) {
		fprintf(stderr, "vsensor-pcireg: %s: short read\n", path);
		return 1;
	}
	if (!(cfg[0x06] & 0x10))	/* status: capabilities list */
		return 0;
	for (pos = cfg[0x34] & ~3U; pos && n < 48; pos = cfg[pos + 1] & ~3U, n++) {
		if (pos > sizeof(cfg) - 12)
			break;
		if (cfg[pos] == 0x11) {		/* MSI-X */
			unsigned int ctrl = cfg[pos + 2] | cfg[pos + 3] << 8;

			printf("msix %u %u %u\n", (ctrl & 0x7ff) + 1,
			       cfg[pos + 4] & 7U, cfg[pos + 8] & 7U);
		} else if (cfg[pos] == 0x10) {	/* PCI Express */
			printf("pcie %u\n", (cfg[pos + 2] >> 4) & 0xfU);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "magic")) {
		printf("0x%08x\n", VSN_ID_MAGIC);
		return 0;
	}
	volatile uint32_t *win;
	int ret;

	if (argc == 3 && !strcmp(argv[2], "caps"))
		return caps(argv[1]);
	if (argc < 3 || argc > 5)
		return usage();
	win = map_regs(argv[1]);
	if (!win)
		return 1;
	if (argc == 3 && !strcmp(argv[2], "time")) {
		printf("%llu\n", (unsigned long long)dev_time(win));
		ret = 0;
	} else if (argc == 5 && !strcmp(argv[2], "rate")) {
		ret = rate(win, atoi(argv[3]), atoi(argv[4]));
	} else if (argc == 5 && !strcmp(argv[2], "records")) {
		ret = records(win, atoi(argv[3]), atoi(argv[4]), false);
	} else if (argc == 5 && !strcmp(argv[2], "check")) {
		ret = records(win, atoi(argv[3]), atoi(argv[4]), true);
	} else if (argc <= 4) {
		ret = reg_access(win, argv[2], argc == 4 ? argv[3] : NULL);
	} else {
		ret = usage();
	}
	munmap((void *)win, REGS_SIZE);
	return ret;
}
