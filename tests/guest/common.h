/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the guest test programs (t-*.c). They run as root in
 * the QEMU guest against the real module and print TAP through Check.
 */
#ifndef VSENSOR_GUEST_COMMON_H
#define VSENSOR_GUEST_COMMON_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vsensor.h>

/*
 * The device the device tests use: /dev/vsensor0 (the in-kernel model's
 * first device), or $VSENSOR_TEST_DEV (t-pci-backend.sh: the PCI device).
 */
#define VT_DEV0 vt_dev0()
const char *vt_dev0(void);
/* its serial and id: $VSENSOR_TEST_SERIAL, $VSENSOR_TEST_ID with it */
const char *vt_dev0_serial(void);
unsigned int vt_dev0_id(void);
/* its name, vsensorN (N from vt_dev0_id()) */
const char *vt_dev0_name(void);
/*
 * Its device-global sysfs attributes, "DIR/@attr": DIR is $VSENSOR_TEST_SYSFS
 * (the PCI function's directory) or /sys/bus/vsensor/devices/vsensorN; and
 * the driver's debugfs files, /sys/kernel/debug/vsensor/vsensorN/@file.
 * Each returns one of a few static buffers used in turn.
 */
const char *vt_dev0_attr(const char *attr);
const char *vt_dev0_debugfs(const char *file);
/*
 * The backend under test: $VSENSOR_TEST_BACKEND, "sim" (the in-kernel
 * model, the default) or "pci" (the QEMU PCI device).
 */
bool vt_backend_pci(void);
/*
 * Add a test that needs the in-kernel model (the bus's new_device and
 * del_device, the model's fault knobs): on the PCI backend it is left out
 * with a TAP comment naming it and @why.
 */
#define vt_add_model_test(tc, tf, why)				\
	do {							\
		if (vt_backend_pci())				\
			vt_skip_model_test(#tf, why);		\
		else						\
			tcase_add_test(tc, tf);			\
	} while (0)
void vt_skip_model_test(const char *name, const char *why);
#define VT_SYSFS_DEV "/sys/bus/vsensor/devices/"

/* open() that fails the test on error */
int vt_open(const char *path, int flags);
/*
 * Read exactly @n records (several read() calls), failing after @timeout_ms
 * times vt_slow().
 */
void vt_read_exact(int fd, struct vsensor_record *recs, size_t n,
		   int timeout_ms);
/*
 * The session's ioctls, each failing the test unless it succeeds;
 * SET_CONFIG writes the configuration in effect back to @c.
 */
void vt_get_config(int fd, struct vsensor_config *c);
void vt_set_config(int fd, struct vsensor_config *c);
void vt_get_stats(int fd, struct vsensor_stats *st);
/* GET_CONFIG, @hz and (unless 0) @watermark, SET_CONFIG. */
void vt_set_rate(int fd, uint32_t hz, uint32_t watermark);
/* Read a sysfs attribute of device vsensorN into @buf, newline stripped. */
void vt_sysfs_get(unsigned int id, const char *attr, char *buf, size_t len);
uint64_t vt_now_ns(int clock_id);
/* Run a shell command, return its exit status (-1 if it did not exit). */
int vt_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Open device vsensorN through a node of our own (made from its sysfs dev
 * numbers), so a test does not wait for udev. Returns -1 with errno set
 * when the device is not there.
 */
int vt_open_bus_dev(unsigned int id, int flags);
/* Write @val to /sys/bus/vsensor/@file; returns 0 or -errno. */
int vt_bus_write(const char *file, const char *val);
/*
 * How many times slower than on Debian's kernel this guest runs: 1, or
 * VSENSOR_TEST_SLOW, which run-debug-suite sets for the KASAN, lockdep and
 * kmemleak kernel. Time limits are multiplied by it. A stress loop whose
 * length only amplifies what an exact detector of that kernel (kmemleak,
 * lockdep, KASAN) finds from one occurrence may be divided by it.
 */
unsigned int vt_slow(void);
/* kmemleak check of the debug kernel (guest/leakcheck.sh): begin, end */
#define VT_LEAKCHECK "/usr/libexec/vsensor/tests/leakcheck.sh"
/* Run @s with TAP output on stdout; returns the process exit status. */
int vt_run(Suite *s);

#endif
