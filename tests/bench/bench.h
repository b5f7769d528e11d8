/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsensor-bench: benchmarks of the driver next to the kernel's own peers
 * (/dev/zero, pipes, evdev fed by uinput, udev). Each row measures ours
 * and its baseline in the same run, interleaved, and prints one table line.
 * Reports only: nothing here fails because a machine is slow.
 */
#ifndef VSENSOR_BENCH_H
#define VSENSOR_BENCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vsensor.h>

#define BN_RATE_MAX	100000

/*
 * A device the rows run on: its node, the directory of its sysfs
 * attributes (the bus device's: /sys/bus/vsensor/devices/vsensorN/ for the
 * in-kernel model, the PCI function's for the PCI device) and its debugfs
 * directory, each ending in '/' where a directory.
 */
struct bn_dev {
	char node[64];
	char sysfs[256];
	char debugfs[256];
};

/*
 * The device under test: the in-kernel model's /dev/vsensor0 unless the
 * environment names another (VSENSOR_BENCH_DEV=/dev/vsensorN; its sysfs and
 * debugfs directories follow from the name, or VSENSOR_BENCH_SYSFS and
 * VSENSOR_BENCH_DEBUGFS give them). The rows use the current device, the
 * device under test until bn_dev_use() picks another.
 */
extern struct bn_dev bn_dut, bn_model;
void bn_devs_init(void);
void bn_dev_use(const struct bn_dev *d);
const struct bn_dev *bn_dev_cur(void);
/* true if the device under test is not the model's vsensor0 */
bool bn_dut_is_other(void);
/* Paths of the current device's sysfs attribute and debugfs file @name. */
const char *bn_sys(const char *name);
const char *bn_dbg(const char *name);

/*
 * The PCI address (0000:01:00.0) of the device under test, from its sysfs
 * directory; exits if it is not a PCI function.
 */
const char *bn_dut_pci_addr(void);

/* a row's target: ratio at most or at least this, or report only */
enum bn_goal { BN_REPORT, BN_AT_MOST, BN_AT_LEAST };

uint64_t bn_now(void);				/* CLOCK_MONOTONIC, ns */
void bn_sleep_ms(unsigned int ms);
/* Sort @v and return its @p-th percentile (0..100). */
uint64_t bn_pct(uint64_t *v, size_t n, double p);
double bn_pctd(double *v, size_t n, double p);
/* Run the calling thread on @cpu only, or on every CPU if @cpu < 0. */
void bn_pin(int cpu);
/* Process CPU time (user + system) of the caller, ns. */
uint64_t bn_cpu_self(void);
/* CPU time every CPU spent busy (not idle), from /proc/stat, ns. */
uint64_t bn_cpu_all(void);

/*
 * One line of the table: row id, what, ours, baseline (already formatted
 * with units), the ratio ours/baseline and the goal on it. Printed as
 * "ROW<TAB>id<TAB>what<TAB>ours<TAB>baseline<TAB>ratio<TAB>target<TAB>met".
 */
void bn_row(const char *id, const char *what, const char *ours,
	    const char *base, double ratio, enum bn_goal goal, double target);
/* Same, with a yes/no verdict of the caller's own (target in words). */
void bn_row_check(const char *id, const char *what, const char *ours,
		  const char *base, double ratio, const char *target, int met);
/* A "# " comment line: how a figure was obtained, or what limits it. */
void bn_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the error and exit 1. */
void bn_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* snprintf into a static ring of buffers, for row cells. */
const char *bn_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* sysfs / debugfs / procfs values; bn_put exits on failure. */
void bn_put(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int bn_try_put(const char *path, const char *val);
long long bn_get(const char *path);
void bn_get_str(const char *path, char *buf, size_t len);
int bn_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Stall watch: a thread that sleeps 1 ms at a time and keeps the longest
 * oversleep, i.e. how long this (emulated, shared) machine stopped running
 * us. A sensor FIFO holds 256 samples: a stall longer than that loses some
 * whatever the driver does.
 */
struct bn_stall {
	pthread_t thread;
	atomic_bool stop;
	uint64_t max_ns;
};
void bn_stall_start(struct bn_stall *st);
uint64_t bn_stall_stop(struct bn_stall *st);	/* longest stall, ns */

/*
 * Latency, sample to the process: the time of receipt (CLOCK_MONOTONIC)
 * minus the record's timestamp (the sample's, in CLOCK_MONOTONIC). One
 * definition for every latency row, whichever driver delivered it.
 */
uint64_t bn_rec_latency(const struct vsensor_record *r);

/*
 * The latency rows' runs (B4, B5, P4, V1, V2): 100 Hz, the rate a session
 * opens with, so the model's sampling timer fires on the sample times (a
 * RATE write restarts the sample clock but not the timer, kernel/sim/hw.c,
 * so after a rate change samples wait up to a timer period in the model);
 * watermark 1; BN_LAT_ROUNDS chunks of BN_LAT_CHUNK samples a mode.
 */
#define BN_LAT_RATE	100
#define BN_LAT_CHUNK	100
#define BN_LAT_ROUNDS	5
#define BN_LAT_N	(BN_LAT_CHUNK * BN_LAT_ROUNDS)

/* One way of reading, measured chunk by chunk: latencies, records, CPU. */
struct bn_lat_mode {
	uint64_t lat[BN_LAT_N];
	uint64_t recs;		/* records read, the skipped ones included */
	uint64_t cpu_self;	/* the reader's user + system time, ns */
	uint64_t cpu_all;	/* both CPUs' busy time, ns */
	uint64_t wall;		/* ns */
};
/*
 * Chunk @round of @m: a session on the current device (BN_LAT_RATE,
 * watermark 1, config @flags) opened on CPU 0, read by blocking one-record
 * reads on @read_cpu.
 */
void bn_lat_session_chunk(struct bn_lat_mode *m, int round, uint32_t flags,
			  int read_cpu);
/* Rows "@what latency p50" and "p99" (sorts the latencies), report only. */
void bn_lat_rows(const char *id, const char *what, struct bn_lat_mode *ours,
		 struct bn_lat_mode *base);
/* Rows "@what: reader CPU per record" and "system CPU per record". */
void bn_lat_cpu_rows(const char *id, const char *what,
		     const struct bn_lat_mode *ours,
		     const struct bn_lat_mode *base);

/*
 * A DMA stream's round (D1, V3): records/s delivered, records moved by
 * DMA and by PIO, lost, and per record moved by DMA: system CPU, the
 * reader's CPU and the bottom half's time; records per transfer.
 */
struct bn_dma_round {
	double recs_s, cpu_ns, self_ns, bh_ns, per_xfer;
	uint64_t recs, lost, pio;
};
/* One round of @ms: poll() + 64 KiB read() of the session @fd. */
void bn_dma_round(int fd, unsigned int ms, struct bn_dma_round *r);
/* The current device's RATE_MAX register (debugfs registers). */
unsigned int bn_rate_max(void);
/*
 * D1's stream setting on the current device: every record moved by the
 * DMA engine (transfer_mode dma; the top half's PIO paths, headroom and
 * the fast path, off); @saved (16 bytes) keeps the transfer mode that
 * bn_dma_only_end() puts back, with both paths on again.
 */
void bn_dma_only_begin(char saved[16]);
void bn_dma_only_end(const char saved[16]);

/* A session on the current device with this configuration (all channels). */
int bn_session(int flags, uint32_t rate, uint32_t wm, uint32_t ring,
	       uint32_t cfg_flags);
void bn_config(int fd, uint32_t rate, uint32_t wm, uint32_t ring,
	       uint32_t cfg_flags);
void bn_stats(int fd, struct vsensor_stats *st);
/* Wait until at least @n records are queued in the session (or @ms pass). */
uint64_t bn_wait_queued(int fd, uint64_t n, unsigned int ms);

/*
 * evdev through uinput: a device with one EV_MSC/MSC_RAW event; with
 * @big_ring also enough multitouch axes that evdev gives its clients a ring
 * of 16384 events, so packets of up to 500 events pass whole.
 */
struct bn_uinput {
	int ufd;		/* /dev/uinput */
	char node[64];		/* /dev/input/eventN (ours, made with mknod) */
};
void bn_uinput_create(struct bn_uinput *u, const char *name, bool big_ring);
void bn_uinput_destroy(struct bn_uinput *u);
int bn_uinput_open(const struct bn_uinput *u);
/* Write one packet: @n MSC_RAW events and a SYN_REPORT. */
void bn_uinput_packet(const struct bn_uinput *u, unsigned int n, int value);

/* the rows; each returns 0, or 1 if it could not run */
int bench_calib(int argc, char **argv);
int bench_b1(void);
int bench_b2(void);
int bench_b3(void);
int bench_b4(void);
int bench_b5(void);
int bench_b6(void);
int bench_b7(void);
int bench_b8(void);
int bench_b9(void);
int bench_b10(void);
int bench_b11(void);
int bench_mem(void);
int bench_p1(void);
int bench_p3(void);
int bench_p4(void);
int bench_d1(void);
int bench_d2(void);
int bench_v1(void);
int bench_v2(void);
int bench_v3(void);

#endif
