/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsensor-fuzz: what the targets share: the target type, the random
 * stream, the accounting of answers and anomalies, the pointers a program
 * may pass, and the values on the edges of the ABI.
 */
#ifndef VSENSOR_FUZZ_H
#define VSENSOR_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vsensor.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE		4096
#define HOTPLUG_BASE	200	/* ids the hotplug worker adds and removes */
#define HOTPLUG_IDS	4

/* One entry point of the module, fuzzed by its own worker process. */
struct fuzz_target {
	const char *name;
	void (*init)(void);	/* once in the worker, before the rounds; or NULL */
	void (*round)(void);	/* one round, run until the time is up */
};

extern const struct fuzz_target target_ioctl, target_io, target_sysfs,
	target_bus, target_netlink, target_hotplug, target_revoke,
	target_threads, target_busypoll;

/* What a worker did, shared with the parent. */
struct fuzz_stats {
	uint64_t iterations;
	uint64_t anomalies;
	uint64_t errnos[134];	/* by errno, 0 = success */
};

/* This worker's stats (its slot of the parent's shared array). */
extern struct fuzz_stats *stats;
extern uint64_t seed;
/*
 * The time limits of the targets are for Debian's kernel; VSENSOR_TEST_SLOW
 * (set by the debug suite: KASAN and lockdep under TCG) multiplies them.
 */
extern double slow;

/* In a new worker process: its name, stats and random stream; signals, buffers. */
void fuzz_worker_start(const char *name, struct fuzz_stats *slot, uint64_t stream);
void *map_anon(size_t len, int flags);
double now(void);

/* the random stream of this worker */
uint64_t rnd(void);
uint32_t below(uint32_t n);
bool chance(unsigned int percent);
void fill_random(void *buf, size_t len);

/* accounting: an undocumented answer, and every answer by errno */
void anomaly(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void count(long ret);

/* Pointers a program may pass by mistake or on purpose. */
enum ptr_kind { P_OK, P_NULL, P_UNMAPPED, P_KERNEL, P_RO, P_EDGE, NR_PTR };

void *pick_ptr(enum ptr_kind kind, size_t len);
enum ptr_kind pick_kind(void);

int open_device(int flags);
void write_file(const char *path, const char *val, size_t len);
/* A blocking call is cut short after @ms by SIGALRM (EINTR). */
void arm_alarm(unsigned int ms);

/* values on the edges of the ABI (values.c) */
uint32_t interesting_u32(void);
void random_config(struct vsensor_config *c);
size_t pick_value(char *buf, size_t size);

/* generic netlink, for the netlink and revoke targets (genl.c) */
struct nlattr;

int nl_open(void);
int nl_resolve(int fd, const char *name, int *group);
struct nlattr *nl_put_attr(char *buf, size_t *off, size_t max, uint16_t type,
			   const void *data, uint16_t len);

#endif
