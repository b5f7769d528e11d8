// SPDX-License-Identifier: GPL-2.0
/*
 * Guest tests of the edges of read(), write() and ioctl(): lengths 0, 1,
 * one record and huge; user buffers that are NULL, unmapped, kernel
 * addresses or that end in the middle of a record (-EFAULT, and nothing
 * consumed: the next read returns the record the failed one would have);
 * every ioctl with NULL, unmapped and kernel-space pointers (-EFAULT).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define PAGE		4096
#define KERNEL_PTR	((void *)0xffffffff81000000UL)

static unsigned char *pages;	/* page 0 read-write, page 1 unmapped */

static void *map_anon(size_t len)
{
	/* cppcheck-suppress invalidFunctionArg ; anonymous maps take fd -1 */
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void *unmapped(void)
{
	return pages + PAGE;
}

static void setup(void)
{
	pages = map_anon(2 * PAGE);
	ck_assert_ptr_ne(pages, MAP_FAILED);
	ck_assert_int_eq(munmap(pages + PAGE, PAGE), 0);
}

static void teardown(void)
{
	munmap(pages, PAGE);
}

/* A session at 1 kHz, so records queue up quickly. */
static int open_fast(int flags)
{
	int fd = vt_open(VT_DEV0, O_RDWR | flags);

	vt_set_rate(fd, 1000, 0);
	return fd;
}

static uint64_t queued(int fd)
{
	struct vsensor_stats st;

	vt_get_stats(fd, &st);
	return st.queued;
}

static void wait_queued(int fd, uint64_t n)
{
	int i;

	for (i = 0; i < 500 && queued(fd) < n; i++)
		usleep(10 * 1000);
	ck_assert_uint_ge(queued(fd), n);
}

static uint64_t next_seq(int fd)
{
	struct vsensor_record rec;

	vt_read_exact(fd, &rec, 1, 5000);
	return rec.seq;
}

START_TEST(test_read_lengths)
{
	struct vsensor_record recs[4];
	int fd = open_fast(O_NONBLOCK);

	wait_queued(fd, 4);
	ck_assert_int_eq(read(fd, recs, 0), 0);
	ck_assert_int_eq(read(fd, recs, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(read(fd, recs, sizeof(recs[0]) - 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(read(fd, recs, sizeof(recs[0])), sizeof(recs[0]));
	/* one and a half records: one */
	ck_assert_int_eq(read(fd, recs, sizeof(recs[0]) * 3 / 2),
			 sizeof(recs[0]));
	close(fd);
}
END_TEST

/* A huge count takes what is queued and never writes past it. */
START_TEST(test_read_huge)
{
	size_t len = 1 << 20;
	unsigned char *buf = map_anon(len);
	int fd = open_fast(O_NONBLOCK);
	size_t i, ring = 1024 * sizeof(struct vsensor_record);
	ssize_t r;

	ck_assert_ptr_ne(buf, MAP_FAILED);
	memset(buf, 0xa5, len);
	wait_queued(fd, 8);
	/* past the end of the address space: the VFS refuses it */
	ck_assert_int_eq(read(fd, buf, SIZE_MAX / 2), -1);
	ck_assert_int_eq(errno, EFAULT);
	r = read(fd, buf, 1UL << 30);	/* 1 GiB: the buffer is 1 MiB */
	ck_assert_int_gt(r, 0);
	ck_assert_int_eq(r % sizeof(struct vsensor_record), 0);
	ck_assert_uint_le((size_t)r, ring);
	/* one assertion: each ck_assert_* is a message to the Check parent */
	for (i = (size_t)r; i < len && buf[i] == 0xa5; i++)
		;
	ck_assert_msg(i == len, "byte %zu past the %zd read changed", i, r);
	close(fd);
	munmap(buf, len);
}
END_TEST

/* A bad buffer is -EFAULT and consumes nothing. */
static void check_read_fault(void *buf, size_t len, uint64_t need)
{
	int fd = open_fast(O_NONBLOCK);
	uint64_t seq = next_seq(fd), before;

	wait_queued(fd, need);
	before = queued(fd);
	ck_assert_int_eq(read(fd, buf, len), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_uint_ge(queued(fd), before);
	ck_assert_uint_eq(next_seq(fd), seq + 1);
	close(fd);
}

START_TEST(test_read_unmapped)
{
	check_read_fault(unmapped(), sizeof(struct vsensor_record), 2);
}
END_TEST

START_TEST(test_read_null)
{
	check_read_fault(NULL, sizeof(struct vsensor_record), 2);
}
END_TEST

START_TEST(test_read_kernel)
{
	check_read_fault(KERNEL_PTR, sizeof(struct vsensor_record), 2);
}
END_TEST

/* The buffer holds one and a half records before the hole. */
START_TEST(test_read_straddling)
{
	size_t rec = sizeof(struct vsensor_record);

	check_read_fault(pages + PAGE - rec - rec / 2, 2 * rec, 3);
}
END_TEST

static uint64_t written(int fd)
{
	struct vsensor_stats st;

	vt_get_stats(fd, &st);
	return st.written;
}

START_TEST(test_write_lengths)
{
	struct vsensor_record rec = { .value = { 1, 2, 3, 4 } };
	int fd = open_fast(O_NONBLOCK);

	ck_assert_int_eq(write(fd, &rec, 0), 0);
	ck_assert_int_eq(write(fd, &rec, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(write(fd, &rec, sizeof(rec) - 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(write(fd, &rec, sizeof(rec)), sizeof(rec));
	ck_assert_uint_eq(written(fd), 1);
	close(fd);
}
END_TEST

/* A huge write of valid records stops at a full FIFO (O_NONBLOCK). */
START_TEST(test_write_huge)
{
	size_t len = 1 << 20;
	void *buf = map_anon(len);
	int fd = open_fast(O_NONBLOCK);
	ssize_t r;

	ck_assert_ptr_ne(buf, MAP_FAILED);
	r = write(fd, buf, len);
	ck_assert_int_gt(r, 0);
	ck_assert_int_lt(r, len);
	ck_assert_int_eq(r % sizeof(struct vsensor_record), 0);
	ck_assert_uint_eq(written(fd), r / sizeof(struct vsensor_record));
	close(fd);
	munmap(buf, len);
}
END_TEST

START_TEST(test_write_bad_buffers)
{
	void *bad[] = { NULL, unmapped(), KERNEL_PTR };
	size_t rec = sizeof(struct vsensor_record), i;
	int fd = open_fast(O_NONBLOCK);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(write(fd, bad[i], rec), -1);
		ck_assert_int_eq(errno, EFAULT);
	}
	ck_assert_uint_eq(written(fd), 0);
	/* one good record before the hole: that one is taken */
	memset(pages + PAGE - rec, 0, rec);
	ck_assert_int_eq(write(fd, pages + PAGE - rec, 2 * rec), rec);
	ck_assert_uint_eq(written(fd), 1);
	close(fd);
}
END_TEST

START_TEST(test_ioctl_bad_pointers)
{
	static const unsigned long cmds[] = {
		VSENSOR_IOC_GET_INFO, VSENSOR_IOC_GET_CONFIG,
		VSENSOR_IOC_SET_CONFIG, VSENSOR_IOC_GET_STATS,
	};
	void *bad[] = { NULL, unmapped(), KERNEL_PTR,
			pages + PAGE - 8 };	/* runs into the hole */
	struct vsensor_config before, after;
	int fd = open_fast(0);
	size_t c, i;

	vt_get_config(fd, &before);
	memset(pages + PAGE - 8, 0, 8);
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			errno = 0;
			ck_assert_msg(ioctl(fd, cmds[c], bad[i]) == -1 &&
				      errno == EFAULT,
				      "ioctl %#lx with %p: %s", cmds[c], bad[i],
				      strerror(errno));
		}
	vt_get_config(fd, &after);
	ck_assert_mem_eq(&before, &after, sizeof(before));
	/* FLUSH takes no argument: any pointer is fine */
	ck_assert_int_eq(ioctl(fd, VSENSOR_IOC_FLUSH, KERNEL_PTR), 0);
	close(fd);
}
END_TEST

static Suite *boundary_suite(void)
{
	Suite *s = suite_create("boundary");
	TCase *tc = tcase_create("boundary");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_read_lengths);
	tcase_add_test(tc, test_read_huge);
	tcase_add_test(tc, test_read_unmapped);
	tcase_add_test(tc, test_read_null);
	tcase_add_test(tc, test_read_kernel);
	tcase_add_test(tc, test_read_straddling);
	tcase_add_test(tc, test_write_lengths);
	tcase_add_test(tc, test_write_huge);
	tcase_add_test(tc, test_write_bad_buffers);
	tcase_add_test(tc, test_ioctl_bad_pointers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vt_run(boundary_suite());
}
