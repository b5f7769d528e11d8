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
 *   vsensor-pcireg magic               VSN_ID_MAGIC of the datasheet
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The datasheet speaks the kernel's types; only its constants are used. */
#define BIT(n)	(1U << (n))
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint64_t dma_addr_t;
#include "../../kernel/sim/hw.h"

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
	{ "NR_QUEUES", VSN_REG_NR_QUEUES },
	{ "IOMMU_FAULTS", VSN_REG_IOMMU_FAULTS },
	{ "Q0_CTRL", VSN_REG_QUEUE(0) + VSN_Q_CTRL },
	{ "Q0_LEVEL", VSN_REG_QUEUE(0) + VSN_Q_LEVEL },
	{ "Q0_WM", VSN_REG_QUEUE(0) + VSN_Q_WM },
	{ "Q0_LOST", VSN_REG_QUEUE(0) + VSN_Q_LOST },
	{ "Q0_DATA", VSN_REG_QUEUE(0) + VSN_Q_DATA },
};

static int usage(void)
{
	fprintf(stderr, "usage: vsensor-pcireg DEVDIR REG [VALUE] | DEVDIR caps | magic\n");
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

static int reg_access(const char *devdir, const char *name, const char *value)
{
	volatile uint32_t *win;
	char path[512];
	int off, fd;

	off = reg_offset(name);
	if (off < 0) {
		fprintf(stderr, "vsensor-pcireg: unknown register %s\n", name);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/resource0", devdir);
	fd = open(path, value ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "vsensor-pcireg: %s: %s\n", path, strerror(errno));
		return 1;
	}
	win = mmap(NULL, REGS_SIZE, value ? PROT_READ | PROT_WRITE : PROT_READ,
		   MAP_SHARED, fd, 0);
	close(fd);
	if (win == MAP_FAILED) {
		fprintf(stderr, "vsensor-pcireg: mmap %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (value)
		win[off / 4] = strtoul(value, NULL, 0);
	else
		printf("0x%08x\n", win[off / 4]);
	munmap((void *)win, REGS_SIZE);
	return 0;
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
	if (argc == 3 && !strcmp(argv[2], "caps"))
		return caps(argv[1]);
	if (argc == 3 || argc == 4)
		return reg_access(argv[1], argv[2], argc == 4 ? argv[3] : NULL);
	return usage();
}
