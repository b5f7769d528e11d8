// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-bench ROW: run one row of the benchmark table (see bench.h and
 * docs/BENCHMARKS.md). `vsensor-bench host` prints the host's calibration
 * figures for `calib` to compare with.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define CAL_ROUNDS	21
#define CAL_CALLS	2000
#define CAL_COPIES	200
#define CAL_BYTES	65536

static char cal_src[CAL_BYTES], cal_dst[CAL_BYTES];

/* Median ns of one getppid() and of one 64 KiB memcpy. */
static void calib_measure(double *ppid, double *copy)
{
	uint64_t p[CAL_ROUNDS], c[CAL_ROUNDS], t0;

	memset(cal_src, 0x5a, sizeof(cal_src));
	for (int r = 0; r < CAL_ROUNDS; r++) {
		t0 = bn_now();
		for (int i = 0; i < CAL_CALLS; i++)
			(void)getppid();
		p[r] = (bn_now() - t0) / CAL_CALLS;
		t0 = bn_now();
		for (int i = 0; i < CAL_COPIES; i++) {
			memcpy(cal_dst, cal_src, sizeof(cal_dst));
			/* the copy must happen: the compiler sees a use */
			__asm__ volatile("" : : "r"(cal_dst) : "memory");
		}
		c[r] = (bn_now() - t0) / CAL_COPIES;
	}
	*ppid = (double)bn_pct(p, CAL_ROUNDS, 50);
	*copy = (double)bn_pct(c, CAL_ROUNDS, 50);
}

#if defined(__x86_64__)
/*
 * The instructions behind B2's two reads, timed in user mode (the emulator
 * runs them alike in the kernel): copy_to_user() of one 64-byte record is
 * one `rep movsb` (x86-64 Linux 6.1 on a CPU with ERMS and without FSRM,
 * as QEMU's "max" CPU is), /dev/zero's 16-byte clear_user() two 8-byte
 * stores. Median ns of each.
 */
static void calib_copy_insns(double *movsb, double *stores)
{
	uint64_t m[CAL_ROUNDS], st[CAL_ROUNDS], t0;

	for (int r = 0; r < CAL_ROUNDS; r++) {
		t0 = bn_now();
		for (int i = 0; i < CAL_CALLS; i++) {
			void *d = cal_dst, *src = cal_src;
			size_t n = 64;

			__asm__ volatile("rep movsb"
					 : "+D"(d), "+S"(src), "+c"(n) : : "memory");
		}
		m[r] = (bn_now() - t0) * 1000 / CAL_CALLS;	/* ps */
		t0 = bn_now();
		for (int i = 0; i < CAL_CALLS; i++) {
			void *d = cal_dst;
			size_t n = 2;

			__asm__ volatile("0: movq $0, (%0)\n\t"
					 "addq $8, %0\n\t"
					 "decq %1\n\t"
					 "jnz 0b"
					 : "+r"(d), "+r"(n) : : "memory");
		}
		st[r] = (bn_now() - t0) * 1000 / CAL_CALLS;
	}
	*movsb = (double)bn_pct(m, CAL_ROUNDS, 50) / 1000;
	*stores = (double)bn_pct(st, CAL_ROUNDS, 50) / 1000;
}
#endif

static int bench_host(void)
{
	double p, c;

	calib_measure(&p, &c);
	printf("%.1f %.1f\n", p, c);
	return 0;
}

/* calib [HOST_GETPPID_NS HOST_MEMCPY_NS] */
int bench_calib(int argc, char **argv)
{
	double p, c, hp = argc > 1 ? atof(argv[0]) : 0;
	double hc = argc > 1 ? atof(argv[1]) : 0;

	calib_measure(&p, &c);
	bn_row("CAL", "getppid, guest vs host (slowdown)", bn_fmt("%.0f ns", p),
	       hp > 0 ? bn_fmt("%.0f ns", hp) : "not given", hp > 0 ? p / hp : NAN,
	       BN_REPORT, 0);
	bn_row("CAL", "64 KiB memcpy, guest vs host (slowdown)",
	       bn_fmt("%.1f us", c / 1e3),
	       hc > 0 ? bn_fmt("%.1f us", hc / 1e3) : "not given",
	       hc > 0 ? c / hc : NAN, BN_REPORT, 0);
#if defined(__x86_64__)
	calib_copy_insns(&p, &c);
	bn_row("CAL", "rep movsb 64 B (a record's copy_to_user) vs 2 x 8 B stores (/dev/zero's 16 B clear)",
	       bn_fmt("%.1f ns", p), bn_fmt("%.1f ns", c), p / c, BN_REPORT, 0);
	bn_note("CAL: under TCG a rep movsb iterates per byte: the 64-byte record copy costs %.0f ns more than /dev/zero's clear, in B2 and in every 64-byte ioctl struct of B6",
		p - c);
#endif
	return 0;
}

struct row {
	const char *name;
	int (*fn)(void);
};

static const struct row rows[] = {
	{ "b1", bench_b1 }, { "b2", bench_b2 }, { "b3", bench_b3 },
	{ "b4", bench_b4 }, { "b5", bench_b5 }, { "b6", bench_b6 },
	{ "b7", bench_b7 }, { "b8", bench_b8 }, { "b9", bench_b9 },
	{ "b10", bench_b10 }, { "b11", bench_b11 }, { "mem", bench_mem },
	{ "p1", bench_p1 }, { "p3", bench_p3 }, { "p4", bench_p4 },
	{ "d1", bench_d1 }, { "d2", bench_d2 },
	{ "v1", bench_v1 }, { "v2", bench_v2 }, { "v3", bench_v3 },
};

static void usage(FILE *f)
{
	fputs("usage: vsensor-bench host | calib [HOST_GETPPID_NS HOST_MEMCPY_NS] | ROW\n"
	      "The device under test is /dev/vsensor0 unless VSENSOR_BENCH_DEV names\n"
	      "another (VSENSOR_BENCH_SYSFS, VSENSOR_BENCH_DEBUGFS: its directories).\n"
	      "rows:", f);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(f, " %s", rows[i].name);
	fputc('\n', f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	bn_devs_init();
	if (!strcmp(argv[1], "host"))
		return bench_host();
	if (!strcmp(argv[1], "calib"))
		return bench_calib(argc - 2, argv + 2);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (!strcmp(argv[1], rows[i].name))
			return rows[i].fn();
	usage(stderr);
	return 1;
}
