/*
 * Pins the ABI of <linux/vsensor.h>: the size, alignment and offset of every
 * struct and field, the constants and the ioctl numbers. Any change to the
 * layout fails here; changing this file means changing the ABI.
 */
#include <check.h>
#include <stddef.h>
#include <time.h>
#include <linux/vsensor.h>
#include "unit.h"

/* Offset, size and alignment of one field of struct @type. */
#define ck_assert_field(type, field, offset, size, align)			\
	do {									\
		ck_assert_uint_eq(offsetof(struct type, field), offset);	\
		ck_assert_uint_eq(sizeof(((struct type *)0)->field), size);	\
		ck_assert_uint_eq(_Alignof(__typeof__(((struct type *)0)->field)), \
				  align);					\
	} while (0)

#define ck_assert_struct(type, size, align)				\
	do {								\
		ck_assert_uint_eq(sizeof(struct type), size);		\
		ck_assert_uint_eq(_Alignof(struct type), align);	\
	} while (0)

START_TEST(test_record_layout)
{
	ck_assert_struct(vsensor_record, 64, 8);
	ck_assert_field(vsensor_record, seq, 0, 8, 8);
	ck_assert_field(vsensor_record, timestamp_ns, 8, 8, 8);
	ck_assert_field(vsensor_record, flags, 16, 4, 4);
	ck_assert_field(vsensor_record, channel_mask, 20, 4, 4);
	ck_assert_field(vsensor_record, dropped, 24, 4, 4);
	ck_assert_field(vsensor_record, reserved, 28, 4, 4);
	ck_assert_field(vsensor_record, value, 32, 32, 4);
	ck_assert_uint_eq(sizeof(((struct vsensor_record *)0)->value[0]), 4);
}
END_TEST

/* Values are signed: a negative sample stays negative. */
START_TEST(test_record_values_signed)
{
	struct vsensor_record record = { .value = { -1 } };

	ck_assert_int_lt(record.value[0], 0);
}
END_TEST

START_TEST(test_info_layout)
{
	ck_assert_struct(vsensor_info, 112, 4);
	ck_assert_field(vsensor_info, model, 0, 16, 1);
	ck_assert_field(vsensor_info, serial, 16, 32, 1);
	ck_assert_field(vsensor_info, abi_version, 48, 4, 4);
	ck_assert_field(vsensor_info, id, 52, 4, 4);
	ck_assert_field(vsensor_info, nr_channels, 56, 4, 4);
	ck_assert_field(vsensor_info, rate_min_hz, 60, 4, 4);
	ck_assert_field(vsensor_info, rate_max_hz, 64, 4, 4);
	ck_assert_field(vsensor_info, fifo_depth, 68, 4, 4);
	ck_assert_field(vsensor_info, record_size, 72, 4, 4);
	ck_assert_field(vsensor_info, ring_max, 76, 4, 4);
	ck_assert_field(vsensor_info, reserved, 80, 32, 4);
}
END_TEST

START_TEST(test_config_layout)
{
	ck_assert_struct(vsensor_config, 64, 4);
	ck_assert_field(vsensor_config, rate_hz, 0, 4, 4);
	ck_assert_field(vsensor_config, channel_mask, 4, 4, 4);
	ck_assert_field(vsensor_config, watermark, 8, 4, 4);
	ck_assert_field(vsensor_config, ring_size, 12, 4, 4);
	ck_assert_field(vsensor_config, clock_id, 16, 4, 4);
	ck_assert_field(vsensor_config, flags, 20, 4, 4);
	ck_assert_field(vsensor_config, reserved, 24, 40, 4);
}
END_TEST

START_TEST(test_stats_layout)
{
	ck_assert_struct(vsensor_stats, 128, 8);
	ck_assert_field(vsensor_stats, delivered, 0, 8, 8);
	ck_assert_field(vsensor_stats, dropped, 8, 8, 8);
	ck_assert_field(vsensor_stats, overruns, 16, 8, 8);
	ck_assert_field(vsensor_stats, wakeups, 24, 8, 8);
	ck_assert_field(vsensor_stats, queued, 32, 8, 8);
	ck_assert_field(vsensor_stats, written, 40, 8, 8);
	ck_assert_field(vsensor_stats, reserved, 48, 80, 8);
}
END_TEST

START_TEST(test_constants)
{
	ck_assert_int_eq(VSENSOR_ABI_VERSION, 1);
	ck_assert_str_eq(VSENSOR_NAME, "vsensor");
	ck_assert_int_eq(VSENSOR_MAX_CHANNELS, 8);
	ck_assert_int_eq(VSENSOR_MODEL_LEN, 16);
	ck_assert_int_eq(VSENSOR_SERIAL_LEN, 32);
	ck_assert_uint_eq(VSENSOR_RECORD_F_DROPPED, 0x1);
	ck_assert_uint_eq(VSENSOR_RECORD_F_INJECTED, 0x2);
	ck_assert_uint_eq(VSENSOR_RECORD_F_CONFIG, 0x4);
	ck_assert_uint_eq(VSENSOR_CONFIG_F_BUSY_POLL, 0x1);
	ck_assert_int_eq(VSENSOR_IOC_MAGIC, 0xbe);
}
END_TEST

/* The clock ids are clockid_t values; the kernel passes them on as they are. */
START_TEST(test_clock_ids)
{
	ck_assert_int_eq(VSENSOR_CLOCK_REALTIME, 0);
	ck_assert_int_eq(VSENSOR_CLOCK_MONOTONIC, 1);
	ck_assert_int_eq(VSENSOR_CLOCK_BOOTTIME, 7);
	ck_assert_int_eq(VSENSOR_CLOCK_REALTIME, CLOCK_REALTIME);
	ck_assert_int_eq(VSENSOR_CLOCK_MONOTONIC, CLOCK_MONOTONIC);
	ck_assert_int_eq(VSENSOR_CLOCK_BOOTTIME, CLOCK_BOOTTIME);
}
END_TEST

/* Direction, type, number and size, on every architecture. */
START_TEST(test_ioctl_fields)
{
	ck_assert_uint_eq(_IOC_DIR(VSENSOR_IOC_GET_INFO), _IOC_READ);
	ck_assert_uint_eq(_IOC_TYPE(VSENSOR_IOC_GET_INFO), 0xbe);
	ck_assert_uint_eq(_IOC_NR(VSENSOR_IOC_GET_INFO), 0);
	ck_assert_uint_eq(_IOC_SIZE(VSENSOR_IOC_GET_INFO), 112);

	ck_assert_uint_eq(_IOC_DIR(VSENSOR_IOC_GET_CONFIG), _IOC_READ);
	ck_assert_uint_eq(_IOC_TYPE(VSENSOR_IOC_GET_CONFIG), 0xbe);
	ck_assert_uint_eq(_IOC_NR(VSENSOR_IOC_GET_CONFIG), 1);
	ck_assert_uint_eq(_IOC_SIZE(VSENSOR_IOC_GET_CONFIG), 64);

	ck_assert_uint_eq(_IOC_DIR(VSENSOR_IOC_SET_CONFIG), _IOC_READ | _IOC_WRITE);
	ck_assert_uint_eq(_IOC_TYPE(VSENSOR_IOC_SET_CONFIG), 0xbe);
	ck_assert_uint_eq(_IOC_NR(VSENSOR_IOC_SET_CONFIG), 2);
	ck_assert_uint_eq(_IOC_SIZE(VSENSOR_IOC_SET_CONFIG), 64);

	ck_assert_uint_eq(_IOC_DIR(VSENSOR_IOC_GET_STATS), _IOC_READ);
	ck_assert_uint_eq(_IOC_TYPE(VSENSOR_IOC_GET_STATS), 0xbe);
	ck_assert_uint_eq(_IOC_NR(VSENSOR_IOC_GET_STATS), 3);
	ck_assert_uint_eq(_IOC_SIZE(VSENSOR_IOC_GET_STATS), 128);

	ck_assert_uint_eq(_IOC_DIR(VSENSOR_IOC_FLUSH), _IOC_NONE);
	ck_assert_uint_eq(_IOC_TYPE(VSENSOR_IOC_FLUSH), 0xbe);
	ck_assert_uint_eq(_IOC_NR(VSENSOR_IOC_FLUSH), 4);
	ck_assert_uint_eq(_IOC_SIZE(VSENSOR_IOC_FLUSH), 0);

	ck_assert_uint_eq(_IOC_DIR(VSENSOR_IOC_REWIND), _IOC_WRITE);
	ck_assert_uint_eq(_IOC_TYPE(VSENSOR_IOC_REWIND), 0xbe);
	ck_assert_uint_eq(_IOC_NR(VSENSOR_IOC_REWIND), 5);
	ck_assert_uint_eq(_IOC_SIZE(VSENSOR_IOC_REWIND), 8);
}
END_TEST

/*
 * The numbers themselves, worked out by hand for the asm-generic encoding
 * (x86, arm, arm64, riscv): dir << 30 | size << 16 | type << 8 | nr, with
 * read = 2, write = 1.
 */
START_TEST(test_ioctl_numbers)
{
	ck_assert_uint_eq(VSENSOR_IOC_GET_INFO, 0x8070be00);	/* 112 = 0x70 */
	ck_assert_uint_eq(VSENSOR_IOC_GET_CONFIG, 0x8040be01);	/* 64 = 0x40 */
	ck_assert_uint_eq(VSENSOR_IOC_SET_CONFIG, 0xc040be02);
	ck_assert_uint_eq(VSENSOR_IOC_GET_STATS, 0x8080be03);	/* 128 = 0x80 */
	ck_assert_uint_eq(VSENSOR_IOC_FLUSH, 0x0000be04);
	ck_assert_uint_eq(VSENSOR_IOC_REWIND, 0x4008be05);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("uapi");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, test_record_layout);
	tcase_add_test(tc, test_record_values_signed);
	tcase_add_test(tc, test_info_layout);
	tcase_add_test(tc, test_config_layout);
	tcase_add_test(tc, test_stats_layout);
	suite_add_tcase(suite, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_constants);
	tcase_add_test(tc, test_clock_ids);
	tcase_add_test(tc, test_ioctl_fields);
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
    defined(__arm__) || defined(__riscv)
	tcase_add_test(tc, test_ioctl_numbers);
#endif
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
