/*
 * Tests of lib/netlink.c that need no kernel: parsing "KEY VALUE" device
 * settings, waveform and event names, a clean refusal when the family
 * does not exist (the host has no vsensor module), and reading the nests
 * of SESSION_GET replies built here with libnl. The file includes
 * netlink.c, as fuzz-netlink does, to reach the parser and its tables.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "../../lib/netlink.c"
#include "unit.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct good_setting {
	const char *key, *value;
	unsigned int attr;
	uint32_t val;
} good_settings[] = {
	{ "waveform", "sine", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_SINE },
	{ "waveform", "square", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_SQUARE },
	{ "waveform", "ramp", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_RAMP },
	{ "waveform", "noise", VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_NOISE },
	{ "amplitude", "0", VSENSOR_A_DEV_AMPLITUDE, 0 },
	{ "amplitude", "4294967295", VSENSOR_A_DEV_AMPLITUDE, UINT32_MAX },
	/* ranges are the kernel's to check, so its message is the one seen */
	{ "amplitude", "2000000", VSENSOR_A_DEV_AMPLITUDE, 2000000 },
	{ "frequency_mhz", "250", VSENSOR_A_DEV_FREQUENCY, 250 },
};

static const struct bad_setting {
	const char *key, *value;
} bad_settings[] = {
	{ "waveform", "Sine" },
	{ "waveform", "" },
	{ "waveform", "1" },
	{ "amplitude", "" },
	{ "amplitude", "-1" },
	{ "amplitude", "+1" },
	{ "amplitude", " 1" },
	{ "amplitude", "1x" },
	{ "amplitude", "4294967296" },
	{ "amplitude", "0x10" },
	{ "frequency", "1" },
	{ "channels", "2" },
	{ "", "1" },
	{ NULL, "1" },
	{ "amplitude", NULL },
};

START_TEST(test_setting_good)
{
	const struct good_setting *t = &good_settings[_i];
	struct vsensor_nl_setting set = { 0, 0 };

	ck_assert_int_eq(vsensor_nl_setting_parse(t->key, t->value, &set), 0);
	ck_assert_uint_eq(set.attr, t->attr);
	ck_assert_uint_eq(set.value, t->val);
}
END_TEST

START_TEST(test_setting_bad)
{
	const struct bad_setting *t = &bad_settings[_i];
	struct vsensor_nl_setting set;

	errno = 0;
	ck_assert_int_eq(vsensor_nl_setting_parse(t->key, t->value, &set), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(vsensor_waveform_name(VSENSOR_WAVEFORM_SINE), "sine");
	ck_assert_str_eq(vsensor_waveform_name(VSENSOR_WAVEFORM_NOISE), "noise");
	ck_assert_ptr_null(vsensor_waveform_name(0));
	ck_assert_ptr_null(vsensor_waveform_name(VSENSOR_WAVEFORM_MAX + 1));
	ck_assert_str_eq(vsensor_nl_event_name(VSENSOR_CMD_DEVICE_ADDED),
			 "device-added");
	ck_assert_str_eq(vsensor_nl_event_name(VSENSOR_CMD_IOMMU_FAULT),
			 "iommu-fault");
	ck_assert_ptr_null(vsensor_nl_event_name(VSENSOR_CMD_DEVICE_GET));
	ck_assert_ptr_null(vsensor_nl_event_name(VSENSOR_CMD_MAX + 1));
	ck_assert_ptr_null(vsensor_nl_get_error(NULL));
	vsensor_nl_close(NULL);
}
END_TEST

/*
 * The uapi enums start at 1, notifications follow the requests, new
 * attributes come last and the retired binary ones keep their numbers.
 */
START_TEST(test_uapi_numbers)
{
	ck_assert_int_eq(VSENSOR_CMD_DEVICE_GET, 1);
	ck_assert_int_eq(VSENSOR_A_PAD, 1);
	ck_assert_int_eq(VSENSOR_WAVEFORM_SINE, 1);
	ck_assert_int_eq(VSENSOR_CMD_IOMMU_FAULT, VSENSOR_CMD_MAX);
	ck_assert_int_eq(VSENSOR_A_SESSION_CONFIG_BINARY, 16);
	ck_assert_int_eq(VSENSOR_A_SESSION_STATS_BINARY, 17);
	ck_assert_int_eq(VSENSOR_A_IOVA, 19);
	ck_assert_int_eq(VSENSOR_A_SESSION_CONFIG_NEST, 20);
	ck_assert_int_eq(VSENSOR_A_SESSION_STATS_NEST, VSENSOR_A_MAX);
	ck_assert_int_eq(VSENSOR_CONFIG_A_RATE_HZ, 1);
	ck_assert_int_eq(VSENSOR_CONFIG_A_FLAGS, VSENSOR_CONFIG_A_MAX);
	ck_assert_int_eq(VSENSOR_STATS_A_PAD, 1);
	ck_assert_int_eq(VSENSOR_STATS_A_WRITTEN, VSENSOR_STATS_A_MAX);
}
END_TEST

/* Without the module the family is not there: NULL and ENOENT. */
START_TEST(test_open_without_module)
{
	struct vsensor_nl *nl = vsensor_nl_open();

	if (nl) {
		vsensor_nl_close(nl);
		return;	/* a host with vsensor loaded */
	}
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/*
 * A failure keeps its errno: with no file descriptor left, socket() fails
 * with EMFILE, and so does the open (it was ECONNREFUSED whatever the cause).
 */
START_TEST(test_open_keeps_errno)
{
	struct rlimit saved, none;
	struct vsensor_nl *nl;
	int err;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
	none = saved;
	none.rlim_cur = 0;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
	errno = 0;
	nl = vsensor_nl_open();
	err = errno;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &saved), 0);
	ck_assert_ptr_null(nl);
	ck_assert_int_eq(err, EMFILE);
}
END_TEST

/* ---- the nests of SESSION_GET ---- */

/* The table of each nest against its struct and policy. */
static const struct nest_check {
	const struct nest_table *table;
	size_t struct_size, members;	/* the bytes before reserved[] */
} nest_checks[] = {
	{ &config_nest, sizeof(struct vsensor_config),
	  offsetof(struct vsensor_config, reserved) },
	{ &stats_nest, sizeof(struct vsensor_stats),
	  offsetof(struct vsensor_stats, reserved) },
};

/*
 * Every member before reserved[] has exactly one attribute, whose policy
 * type has the member's size; nothing else is filled.
 */
START_TEST(test_nest_table)
{
	const struct nest_check *c = &nest_checks[_i];
	const struct nest_table *t = c->table;
	unsigned char used[sizeof(struct vsensor_stats)] = { 0 };
	size_t i;
	int type;

	ck_assert_uint_eq(t->struct_size, c->struct_size);
	ck_assert_uint_le(c->members, sizeof(used));
	ck_assert_int_le(t->maxtype, NEST_MAXTYPE);
	ck_assert_uint_eq(t->fields[0].size, 0);
	for (type = 1; type <= t->maxtype; type++) {
		const struct nest_field *f = &t->fields[type];

		if (!f->size) {
			ck_assert_int_eq(t->policy[type].type, NLA_UNSPEC);
			continue;
		}
		ck_assert_int_eq(t->policy[type].type,
				 f->size == 4 ? NLA_U32 : NLA_U64);
		ck_assert(f->size == 4 || f->size == 8);
		ck_assert_uint_le(f->offset + f->size, c->members);
		for (i = f->offset; i < f->offset + f->size; i++) {
			ck_assert_msg(!used[i], "byte %zu filled twice", i);
			used[i] = 1;
		}
	}
	for (i = 0; i < c->members; i++)
		ck_assert_msg(used[i], "byte %zu not filled", i);
}
END_TEST

#define NEST_UNKNOWN	30	/* an attribute type from a future kernel */

/* Faults a case puts into the message it builds. */
enum {
	F_CONFIG_PARTIAL = 1 << 0,	/* config: rate and flags only */
	F_CONFIG_SHORT = 1 << 1,	/* config: a 2-byte RING_SIZE */
	F_STATS_SHORT = 1 << 2,		/* stats: a 4-byte DELIVERED */
	F_NO_NESTS = 1 << 3,		/* as in SESSION_OPENED */
	F_BINARY = 1 << 4,		/* the retired binary attributes too */
};

static const struct vsensor_config nest_cfg = {
	.rate_hz = 250,
	.channel_mask = 0x9,
	.watermark = 17,
	.ring_size = 4096,
	.clock_id = VSENSOR_CLOCK_BOOTTIME,
	.flags = VSENSOR_CONFIG_F_BUSY_POLL,
};

static const struct vsensor_stats nest_st = {
	.delivered = 0x100000001ULL,
	.dropped = 2,
	.overruns = 3,
	.wakeups = 0xfffffffffffffffeULL,
	.queued = 5,
	.written = 6,
};

static void put_config(struct nl_msg *msg, unsigned int faults)
{
	struct nlattr *nest = nla_nest_start(msg, VSENSOR_A_SESSION_CONFIG_NEST);
	uint16_t half = 0x1234;

	ck_assert_ptr_nonnull(nest);
	/* unknown attributes anywhere in the nest are skipped */
	ck_assert_int_eq(nla_put_u64(msg, NEST_UNKNOWN, 0x5a5a5a5a5a5a5a5aULL), 0);
	ck_assert_int_eq(nla_put_u32(msg, VSENSOR_CONFIG_A_RATE_HZ,
				     nest_cfg.rate_hz), 0);
	if (!(faults & F_CONFIG_PARTIAL)) {
		ck_assert_int_eq(nla_put_u32(msg, VSENSOR_CONFIG_A_CHANNEL_MASK,
					     nest_cfg.channel_mask), 0);
		ck_assert_int_eq(nla_put_u32(msg, VSENSOR_CONFIG_A_WATERMARK,
					     nest_cfg.watermark), 0);
		if (faults & F_CONFIG_SHORT)
			ck_assert_int_eq(nla_put(msg, VSENSOR_CONFIG_A_RING_SIZE,
						 sizeof(half), &half), 0);
		else
			ck_assert_int_eq(nla_put_u32(msg, VSENSOR_CONFIG_A_RING_SIZE,
						     nest_cfg.ring_size), 0);
		ck_assert_int_eq(nla_put_u32(msg, VSENSOR_CONFIG_A_CLOCK_ID,
					     nest_cfg.clock_id), 0);
	}
	ck_assert_int_eq(nla_put_u32(msg, VSENSOR_CONFIG_A_FLAGS,
				     nest_cfg.flags), 0);
	ck_assert_int_eq(nla_put_u32(msg, VSENSOR_CONFIG_A_MAX + 1, 77), 0);
	ck_assert_int_eq(nla_nest_end(msg, nest), 0);
}

static void put_stats(struct nl_msg *msg, unsigned int faults)
{
	struct nlattr *nest = nla_nest_start(msg, VSENSOR_A_SESSION_STATS_NEST);
	static const struct {
		int type;
		uint64_t val;
	} vals[] = {
		{ VSENSOR_STATS_A_DELIVERED, nest_st.delivered },
		{ VSENSOR_STATS_A_DROPPED, nest_st.dropped },
		{ VSENSOR_STATS_A_OVERRUNS, nest_st.overruns },
		{ VSENSOR_STATS_A_WAKEUPS, nest_st.wakeups },
		{ VSENSOR_STATS_A_QUEUED, nest_st.queued },
		{ VSENSOR_STATS_A_WRITTEN, nest_st.written },
	};
	size_t i;

	ck_assert_ptr_nonnull(nest);
	/* the kernel's alignment padding, as on architectures that need it */
	ck_assert_int_eq(nla_put(msg, VSENSOR_STATS_A_PAD, 0, NULL), 0);
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		if (i == 0 && (faults & F_STATS_SHORT))
			ck_assert_int_eq(nla_put_u32(msg, vals[i].type, 1), 0);
		else
			ck_assert_int_eq(nla_put_u64(msg, vals[i].type,
						     vals[i].val), 0);
		if (i == 2)
			ck_assert_int_eq(nla_put_string(msg, NEST_UNKNOWN,
							"future"), 0);
	}
	ck_assert_int_eq(nla_nest_end(msg, nest), 0);
}

/* A SESSION_GET dump message of session 42, with @faults. */
static struct nl_msg *session_msg(unsigned int faults)
{
	struct nl_msg *msg = nlmsg_alloc();

	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20,
					  0, NLM_F_MULTI, VSENSOR_CMD_SESSION_GET,
					  VSENSOR_GENL_VERSION));
	ck_assert_int_eq(nla_put_u64(msg, VSENSOR_A_SESSION_ID, 42), 0);
	ck_assert_int_eq(nla_put_u32(msg, VSENSOR_A_DEV_ID, 3), 0);
	ck_assert_int_eq(nla_put_u32(msg, VSENSOR_A_SESSION_PID, 1234), 0);
	ck_assert_int_eq(nla_put_string(msg, VSENSOR_A_SESSION_COMM, "reader"), 0);
	if (faults & F_BINARY) {
		ck_assert_int_eq(nla_put(msg, VSENSOR_A_SESSION_CONFIG_BINARY,
					 sizeof(nest_cfg), &nest_cfg), 0);
		ck_assert_int_eq(nla_put(msg, VSENSOR_A_SESSION_STATS_BINARY,
					 sizeof(nest_st), &nest_st), 0);
	}
	if (!(faults & F_NO_NESTS)) {
		put_config(msg, faults);
		put_stats(msg, faults);
	}
	return msg;
}

static int copy_session(const struct vsensor_nl_session *s, void *data)
{
	memcpy(data, s, sizeof(*s));
	return 0;
}

static const struct nest_case {
	const char *what;
	unsigned int faults;
	int config, stats;	/* 1: as sent, 0: all zero */
} nest_cases[] = {
	{ "both nests whole", 0, 1, 1 },
	{ "config without 3 members", F_CONFIG_PARTIAL, -1, 1 },
	{ "a short u32: config is malformed", F_CONFIG_SHORT, 0, 1 },
	{ "a short u64: stats are malformed", F_STATS_SHORT, 1, 0 },
	{ "no nests", F_NO_NESTS, 0, 0 },
	{ "binary attributes are not read", F_BINARY | F_NO_NESTS, 0, 0 },
	{ "binary attributes beside the nests", F_BINARY, 1, 1 },
};

/*
 * A message through the dump's path (on_valid, the session list parser):
 * the public structs hold exactly what the nests said, the reserved
 * members and whatever was missing zero.
 */
START_TEST(test_session_nests)
{
	const struct nest_case *c = &nest_cases[_i];
	struct vsensor_nl_session got;
	struct list_ctx ctx = { .session_fn = copy_session, .data = &got };
	struct vsensor_nl_req req = { .parse = parse_list_session, .arg = &ctx };
	struct vsensor_config cfg = { 0 };
	struct vsensor_stats st = { 0 };
	struct nl_msg *msg = session_msg(c->faults);

	memset(&got, 0xa5, sizeof(got));
	ck_assert_int_eq(on_valid(msg, &req), NL_OK);
	nlmsg_free(msg);
	ck_assert_uint_eq(got.id, 42);
	ck_assert_uint_eq(got.dev_id, 3);
	ck_assert_uint_eq(got.pid, 1234);
	ck_assert_str_eq(got.comm, "reader");
	if (c->config == 1)
		cfg = nest_cfg;
	if (c->config == -1) {
		cfg.rate_hz = nest_cfg.rate_hz;
		cfg.flags = nest_cfg.flags;
	}
	if (c->stats)
		st = nest_st;
	ck_assert_msg(!memcmp(&got.config, &cfg, sizeof(cfg)),
		      "%s: config differs", c->what);
	ck_assert_msg(!memcmp(&got.stats, &st, sizeof(st)),
		      "%s: stats differ", c->what);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("netlink");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_setting_good, 0, ARRAY_SIZE(good_settings));
	tcase_add_loop_test(tc, test_setting_bad, 0, ARRAY_SIZE(bad_settings));
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_uapi_numbers);
	tcase_add_test(tc, test_open_without_module);
	tcase_add_test(tc, test_open_keeps_errno);
	tcase_add_loop_test(tc, test_nest_table, 0, ARRAY_SIZE(nest_checks));
	tcase_add_loop_test(tc, test_session_nests, 0, ARRAY_SIZE(nest_cases));
	suite_add_tcase(suite, tc);

	return unit_run(suite);
}
