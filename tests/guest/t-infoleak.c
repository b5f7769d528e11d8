// SPDX-License-Identifier: GPL-2.0
/*
 * Guest tests against information leaks: user buffers are filled with a
 * pattern, then every GET ioctl (with the exact struct size, larger sizes
 * and a smaller one), SET_CONFIG, read() and the netlink replies must
 * write exactly the documented bytes: reserved fields, string tails, the
 * tail of a larger struct and masked-out channel values are zero, and no
 * byte past what the call returns changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

#define PATTERN		0xa5
#define SLACK		256	/* pattern bytes after every buffer */

static unsigned char buf[8192];

static void fill(void)
{
	memset(buf, PATTERN, sizeof(buf));
}

static void assert_zero(const void *p, size_t len, const char *what)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		ck_assert_msg(!b[i], "%s: byte %zu is %#x", what, i, b[i]);
}

static void assert_untouched(size_t from, size_t to, const char *what)
{
	size_t i;

	for (i = from; i < to; i++)
		ck_assert_msg(buf[i] == PATTERN, "%s: byte %zu past the struct changed",
			      what, i);
}

/* A NUL-terminated string filling its array with zeros after the NUL. */
static void assert_string(const char *s, size_t len, const char *what)
{
	size_t n = strnlen(s, len);

	ck_assert_msg(n < len, "%s not terminated", what);
	assert_zero(s + n, len - n, what);
}

/* The same ioctl as @cmd with size @size. */
static unsigned long resize(unsigned long cmd, size_t size)
{
	return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size);
}

static void check_info(const struct vsensor_info *info)
{
	assert_string(info->model, sizeof(info->model), "model");
	assert_string(info->serial, sizeof(info->serial), "serial");
	assert_zero(info->reserved, sizeof(info->reserved), "info reserved");
	ck_assert_uint_eq(info->abi_version, VSENSOR_ABI_VERSION);
	ck_assert_uint_eq(info->record_size, sizeof(struct vsensor_record));
}

static void check_config(const struct vsensor_config *cfg)
{
	assert_zero(cfg->reserved, sizeof(cfg->reserved), "config reserved");
	ck_assert_uint_eq(cfg->flags & ~VSENSOR_CONFIG_F_BUSY_POLL, 0);
}

static void check_stats(const struct vsensor_stats *st)
{
	assert_zero(st->reserved, sizeof(st->reserved), "stats reserved");
}

/* @cmd at its own size, @extra bytes larger, and 4 bytes smaller. */
static void check_get(int fd, unsigned long cmd, size_t size,
		      void (*check)(const void *), const char *what)
{
	static const size_t extras[] = { 0, 4, 64, 1000 };
	size_t i;

	for (i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		fill();
		ck_assert_int_eq(ioctl(fd, resize(cmd, size + extras[i]), buf), 0);
		check(buf);
		assert_zero(buf + size, extras[i], what);
		assert_untouched(size + extras[i], size + extras[i] + SLACK, what);
	}
	/* below the first published size: refused, nothing written */
	fill();
	ck_assert_int_eq(ioctl(fd, resize(cmd, size - 4), buf), -1);
	ck_assert_int_eq(errno, EINVAL);
	assert_untouched(0, size + SLACK, what);
}

static void check_info_v(const void *p) { check_info(p); }
static void check_config_v(const void *p) { check_config(p); }
static void check_stats_v(const void *p) { check_stats(p); }

START_TEST(test_get_ioctls)
{
	int fd = vt_open(VT_DEV0, O_RDONLY);

	check_get(fd, VSENSOR_IOC_GET_INFO, sizeof(struct vsensor_info),
		  check_info_v, "GET_INFO");
	check_get(fd, VSENSOR_IOC_GET_CONFIG, sizeof(struct vsensor_config),
		  check_config_v, "GET_CONFIG");
	check_get(fd, VSENSOR_IOC_GET_STATS, sizeof(struct vsensor_stats),
		  check_stats_v, "GET_STATS");
	close(fd);
}
END_TEST

/* SET_CONFIG writes back the effective configuration, and its tail. */
START_TEST(test_set_config)
{
	int fd = vt_open(VT_DEV0, O_RDONLY);
	size_t size = sizeof(struct vsensor_config), extra = 64;
	struct vsensor_config *cfg = (struct vsensor_config *)buf;

	fill();
	memset(buf, 0, size + extra);
	cfg->rate_hz = 10;
	cfg->channel_mask = 1;
	cfg->watermark = 1;
	cfg->ring_size = 100;	/* rounded up: the kernel writes 128 */
	cfg->clock_id = VSENSOR_CLOCK_MONOTONIC;
	ck_assert_int_eq(ioctl(fd, resize(VSENSOR_IOC_SET_CONFIG, size + extra),
			       buf), 0);
	ck_assert_uint_eq(cfg->ring_size, 128);
	check_config(cfg);
	assert_zero(buf + size, extra, "SET_CONFIG tail");
	assert_untouched(size + extra, size + extra + SLACK, "SET_CONFIG");
	close(fd);
}
END_TEST

/* Records: reserved zero, values of channels not asked for zero. */
START_TEST(test_records)
{
	struct vsensor_config cfg;
	struct vsensor_record *recs = (struct vsensor_record *)buf;
	int fd = vt_open(VT_DEV0, O_RDONLY), i;
	ssize_t r;

	vt_get_config(fd, &cfg);
	cfg.rate_hz = 1000;
	cfg.channel_mask = 0x5;
	cfg.watermark = 4;
	vt_set_config(fd, &cfg);
	fill();
	r = read(fd, buf, 8 * sizeof(*recs));
	ck_assert_int_ge(r, 4 * (ssize_t)sizeof(*recs));
	for (i = 0; i < r / (ssize_t)sizeof(*recs); i++) {
		ck_assert_uint_eq(recs[i].reserved, 0);
		ck_assert_uint_eq(recs[i].channel_mask, 0x5);
		ck_assert_int_eq(recs[i].value[1], 0);
		ck_assert_int_eq(recs[i].value[3], 0);
		assert_zero(&recs[i].value[4], 4 * sizeof(recs[i].value[0]),
			    "values of channels the device lacks");
		ck_assert_uint_eq(recs[i].flags & ~(VSENSOR_RECORD_F_DROPPED |
						    VSENSOR_RECORD_F_INJECTED |
						    VSENSOR_RECORD_F_CONFIG), 0);
		if (!(recs[i].flags & VSENSOR_RECORD_F_DROPPED))
			ck_assert_uint_eq(recs[i].dropped, 0);
	}
	assert_untouched((size_t)r, (size_t)r + SLACK, "read");
	close(fd);
}
END_TEST

/* ---- netlink: every attribute's padding zero, session nests exact ---- */

static int nl_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static ssize_t nl_request(int fd, uint16_t type, uint8_t cmd, uint16_t flags,
			  const void *attrs, size_t alen)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char a[64];
	} req = { 0 };

	req.n.nlmsg_type = type;
	req.n.nlmsg_flags = NLM_F_REQUEST | flags;
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + alen;
	req.g.cmd = cmd;
	req.g.version = 1;
	if (alen)
		memcpy(req.a, attrs, alen);
	ck_assert_int_eq(send(fd, &req, req.n.nlmsg_len, 0), req.n.nlmsg_len);
	fill();
	return recv(fd, buf, sizeof(buf) - SLACK, 0);
}

/* Payload sizes of the attributes of a nest, by type; 0: none (PAD). */
static const uint16_t config_sizes[VSENSOR_CONFIG_A_MAX + 1] = {
	[VSENSOR_CONFIG_A_RATE_HZ] = 4,
	[VSENSOR_CONFIG_A_CHANNEL_MASK] = 4,
	[VSENSOR_CONFIG_A_WATERMARK] = 4,
	[VSENSOR_CONFIG_A_RING_SIZE] = 4,
	[VSENSOR_CONFIG_A_CLOCK_ID] = 4,
	[VSENSOR_CONFIG_A_FLAGS] = 4,
};

static const uint16_t stats_sizes[VSENSOR_STATS_A_MAX + 1] = {
	[VSENSOR_STATS_A_DELIVERED] = 8,
	[VSENSOR_STATS_A_DROPPED] = 8,
	[VSENSOR_STATS_A_OVERRUNS] = 8,
	[VSENSOR_STATS_A_WAKEUPS] = 8,
	[VSENSOR_STATS_A_QUEUED] = 8,
	[VSENSOR_STATS_A_WRITTEN] = 8,
};

/*
 * The attributes of a nest (@len bytes at @p): padding zero, only known
 * types, every member exactly once with exactly its size, empty PADs
 * between them. Their values go to @val, by type.
 */
static void check_nest(const unsigned char *p, int len, const uint16_t *sizes,
		       int maxtype, uint64_t *val)
{
	unsigned int seen = 0;
	int type;

	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int alen = NLA_ALIGN(a->nla_len);
		uint32_t v32;

		type = a->nla_type & NLA_TYPE_MASK;
		ck_assert_int_ge(a->nla_len, NLA_HDRLEN);
		ck_assert_int_le(alen, len);
		assert_zero(p + a->nla_len, alen - a->nla_len,
			    "nested attribute padding");
		ck_assert_msg(type >= 1 && type <= maxtype,
			      "unknown nested attribute %d", type);
		ck_assert_msg(a->nla_len - NLA_HDRLEN == sizes[type],
			      "nested attribute %d: %d bytes", type,
			      a->nla_len - NLA_HDRLEN);
		if (sizes[type]) {
			ck_assert_msg(!(seen & 1U << type),
				      "nested attribute %d twice", type);
			seen |= 1U << type;
		}
		if (sizes[type] == 4) {
			memcpy(&v32, p + NLA_HDRLEN, 4);
			val[type] = v32;
		} else if (sizes[type] == 8) {
			memcpy(&val[type], p + NLA_HDRLEN, 8);
		}
		p += alen;
		len -= alen;
	}
	ck_assert_int_eq(len, 0);
	for (type = 1; type <= maxtype; type++)
		ck_assert_msg(!sizes[type] || seen & 1U << type,
			      "nested attribute %d missing", type);
}

/* What the replies held. */
struct nl_seen {
	int serials;		/* DEV_SERIAL attributes */
	int sessions;		/* SESSION_GET messages (each with both nests) */
	int mine;		/* of them, this process's session */
	struct vsensor_config cfg;	/* this process's session */
	struct vsensor_stats st;
};

/* A SESSION_GET message's nests: the configuration and counters are sane. */
static void check_session(const uint64_t *c, const uint64_t *s, uint32_t pid,
			  struct nl_seen *seen)
{
	struct vsensor_config cfg = {
		.rate_hz = c[VSENSOR_CONFIG_A_RATE_HZ],
		.channel_mask = c[VSENSOR_CONFIG_A_CHANNEL_MASK],
		.watermark = c[VSENSOR_CONFIG_A_WATERMARK],
		.ring_size = c[VSENSOR_CONFIG_A_RING_SIZE],
		.clock_id = c[VSENSOR_CONFIG_A_CLOCK_ID],
		.flags = c[VSENSOR_CONFIG_A_FLAGS],
	};
	struct vsensor_stats st = {
		.delivered = s[VSENSOR_STATS_A_DELIVERED],
		.dropped = s[VSENSOR_STATS_A_DROPPED],
		.overruns = s[VSENSOR_STATS_A_OVERRUNS],
		.wakeups = s[VSENSOR_STATS_A_WAKEUPS],
		.queued = s[VSENSOR_STATS_A_QUEUED],
		.written = s[VSENSOR_STATS_A_WRITTEN],
	};

	check_config(&cfg);
	ck_assert_uint_ge(cfg.rate_hz, 1);
	ck_assert_uint_ne(cfg.channel_mask, 0);
	ck_assert_uint_eq(cfg.channel_mask >> VSENSOR_MAX_CHANNELS, 0);
	ck_assert_uint_ge(cfg.ring_size, 2);
	ck_assert_uint_eq(cfg.ring_size & (cfg.ring_size - 1), 0);
	ck_assert_uint_ge(cfg.watermark, 1);
	ck_assert_uint_le(cfg.watermark, cfg.ring_size);
	ck_assert(cfg.clock_id == VSENSOR_CLOCK_REALTIME ||
		  cfg.clock_id == VSENSOR_CLOCK_MONOTONIC ||
		  cfg.clock_id == VSENSOR_CLOCK_BOOTTIME);
	ck_assert_uint_le(st.queued, cfg.ring_size);
	ck_assert_uint_le(st.overruns, st.dropped);
	seen->sessions++;
	if (pid != (uint32_t)getpid())
		return;
	seen->mine++;
	seen->cfg = cfg;
	seen->st = st;
}

/*
 * Walk @len bytes of attributes: padding zero; the session's configuration
 * and counters come as nests only (the binary structs are never sent).
 */
static void check_attrs(const unsigned char *p, int len, struct nl_seen *seen)
{
	uint64_t c[VSENSOR_CONFIG_A_MAX + 1] = { 0 };
	uint64_t s[VSENSOR_STATS_A_MAX + 1] = { 0 };
	int nests = 0, type;
	uint32_t pid = 0;

	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int alen = NLA_ALIGN(a->nla_len);

		type = a->nla_type & NLA_TYPE_MASK;
		ck_assert_int_ge(a->nla_len, NLA_HDRLEN);
		ck_assert_int_le(alen, len);
		assert_zero(p + a->nla_len, alen - a->nla_len, "attribute padding");
		ck_assert_int_ne(type, VSENSOR_A_SESSION_CONFIG_BINARY);
		ck_assert_int_ne(type, VSENSOR_A_SESSION_STATS_BINARY);
		if (type == VSENSOR_A_SESSION_CONFIG_NEST ||
		    type == VSENSOR_A_SESSION_STATS_NEST) {
			ck_assert(a->nla_type & NLA_F_NESTED);
			nests++;
		}
		if (type == VSENSOR_A_SESSION_CONFIG_NEST)
			check_nest(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN,
				   config_sizes, VSENSOR_CONFIG_A_MAX, c);
		if (type == VSENSOR_A_SESSION_STATS_NEST)
			check_nest(p + NLA_HDRLEN, a->nla_len - NLA_HDRLEN,
				   stats_sizes, VSENSOR_STATS_A_MAX, s);
		if (type == VSENSOR_A_SESSION_PID)
			memcpy(&pid, p + NLA_HDRLEN, sizeof(pid));
		if (type == VSENSOR_A_DEV_SERIAL)
			seen->serials++;
		p += alen;
		len -= alen;
	}
	if (nests) {
		ck_assert_int_eq(nests, 2);
		check_session(c, s, pid, seen);
	}
}

static int family_id(int fd)
{
	unsigned char attr[16] = { 0 };
	struct nlattr *a = (struct nlattr *)attr;
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	const unsigned char *p;
	int len, id = -1;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(VSENSOR_GENL_NAME);
	memcpy(attr + NLA_HDRLEN, VSENSOR_GENL_NAME, sizeof(VSENSOR_GENL_NAME));
	ck_assert_int_gt(nl_request(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
				    attr, NLA_ALIGN(a->nla_len)), 0);
	p = (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	while (len >= NLA_HDRLEN) {
		a = (struct nlattr *)p;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			id = *(uint16_t *)(p + NLA_HDRLEN);
		p += NLA_ALIGN(a->nla_len);
		len -= NLA_ALIGN(a->nla_len);
	}
	ck_assert_int_gt(id, 0);
	return id;
}

/* Every message of one reply (or dump part): its attributes are clean. */
static int check_reply(ssize_t r, struct nl_seen *seen)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int done = 0;

	ck_assert_int_gt(r, 0);
	assert_untouched((size_t)r, (size_t)r + SLACK, "netlink reply");
	for (; NLMSG_OK(h, r); h = NLMSG_NEXT(h, r)) {
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
			done = 1;
			continue;
		}
		check_attrs((unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN,
			    h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), seen);
	}
	return done;
}

/* a macro, so that a failure names the counter */
#define assert_between(val, lo, hi)		\
	do {					\
		ck_assert_uint_ge(val, lo);	\
		ck_assert_uint_le(val, hi);	\
	} while (0)

START_TEST(test_netlink_replies)
{
	unsigned char attr[8] = { 0 };
	struct nlattr *a = (struct nlattr *)attr;
	int fd = nl_socket(), family = family_id(fd), dev = vt_open(VT_DEV0, O_RDONLY);
	struct vsensor_stats before, after;
	struct vsensor_config cfg = {
		.rate_hz = 500,
		.channel_mask = 0x6,
		.watermark = 5,
		.ring_size = 64,
		.clock_id = VSENSOR_CLOCK_BOOTTIME,
		.flags = VSENSOR_CONFIG_F_BUSY_POLL,
	};
	struct nl_seen seen = { 0 };
	uint32_t id = vt_dev0_id();
	int done;

	a->nla_type = VSENSOR_A_DEV_ID;
	a->nla_len = NLA_HDRLEN + 4;
	memcpy(attr + NLA_HDRLEN, &id, sizeof(id));
	check_reply(nl_request(fd, family, VSENSOR_CMD_DEVICE_GET, 0, attr,
			       sizeof(attr)), &seen);
	ck_assert_int_eq(seen.serials, 1);

	/* a configuration of our own, every member unlike the default */
	ck_assert_int_eq(ioctl(dev, VSENSOR_IOC_SET_CONFIG, &cfg), 0);
	ck_assert_int_eq(ioctl(dev, VSENSOR_IOC_GET_STATS, &before), 0);
	memset(&seen, 0, sizeof(seen));
	done = check_reply(nl_request(fd, family, VSENSOR_CMD_SESSION_GET,
				      NLM_F_DUMP, NULL, 0), &seen);
	while (!done) {
		fill();
		done = check_reply(recv(fd, buf, sizeof(buf) - SLACK, 0), &seen);
	}
	ck_assert_int_eq(ioctl(dev, VSENSOR_IOC_GET_STATS, &after), 0);
	ck_assert_int_ge(seen.sessions, 1);
	ck_assert_int_eq(seen.mine, 1);
	ck_assert_mem_eq(&seen.cfg, &cfg, sizeof(cfg));
	/* nothing read or written; the rest between GET_STATS before and after */
	ck_assert_uint_eq(seen.st.delivered, 0);
	ck_assert_uint_eq(seen.st.written, 0);
	assert_between(seen.st.dropped, before.dropped, after.dropped);
	assert_between(seen.st.overruns, before.overruns, after.overruns);
	assert_between(seen.st.wakeups, before.wakeups, after.wakeups);
	/* records that came in: queued, or dropped once the ring was full */
	assert_between(seen.st.queued + seen.st.dropped,
		       before.queued + before.dropped,
		       after.queued + after.dropped);
	close(dev);
	close(fd);
}
END_TEST

static Suite *infoleak_suite(void)
{
	Suite *s = suite_create("infoleak");
	TCase *tc = tcase_create("infoleak");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_get_ioctls);
	tcase_add_test(tc, test_set_config);
	tcase_add_test(tc, test_records);
	tcase_add_test(tc, test_netlink_replies);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vt_run(infoleak_suite());
}
