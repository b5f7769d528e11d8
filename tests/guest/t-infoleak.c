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

/* ---- netlink: every attribute's padding zero, binary structs clean ---- */

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

/* Walk @len bytes of attributes: padding zero, checking binary structs. */
static void check_attrs(const unsigned char *p, int len, int *seen)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		int alen = NLA_ALIGN(a->nla_len);

		ck_assert_int_ge(a->nla_len, NLA_HDRLEN);
		ck_assert_int_le(alen, len);
		assert_zero(p + a->nla_len, alen - a->nla_len, "attribute padding");
		if ((a->nla_type & NLA_TYPE_MASK) == VSENSOR_A_SESSION_CONFIG) {
			ck_assert_int_eq(a->nla_len - NLA_HDRLEN,
					 sizeof(struct vsensor_config));
			check_config((const void *)(p + NLA_HDRLEN));
			(*seen)++;
		}
		if ((a->nla_type & NLA_TYPE_MASK) == VSENSOR_A_SESSION_STATS) {
			ck_assert_int_eq(a->nla_len - NLA_HDRLEN,
					 sizeof(struct vsensor_stats));
			check_stats((const void *)(p + NLA_HDRLEN));
			(*seen)++;
		}
		if ((a->nla_type & NLA_TYPE_MASK) == VSENSOR_A_DEV_SERIAL)
			(*seen)++;
		p += alen;
		len -= alen;
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
static int check_reply(ssize_t r, int *seen)
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

START_TEST(test_netlink_replies)
{
	unsigned char attr[8] = { 0 };
	struct nlattr *a = (struct nlattr *)attr;
	int fd = nl_socket(), family = family_id(fd), dev = vt_open(VT_DEV0, O_RDONLY);
	int seen = 0, done;

	a->nla_type = VSENSOR_A_DEV_ID;
	a->nla_len = NLA_HDRLEN + 4;	/* id 0: the payload is already 0 */
	check_reply(nl_request(fd, family, VSENSOR_CMD_DEVICE_GET, 0, attr,
			       sizeof(attr)), &seen);
	ck_assert_int_eq(seen, 1);

	seen = 0;
	done = check_reply(nl_request(fd, family, VSENSOR_CMD_SESSION_GET,
				      NLM_F_DUMP, NULL, 0), &seen);
	while (!done) {
		fill();
		done = check_reply(recv(fd, buf, sizeof(buf) - SLACK, 0), &seen);
	}
	ck_assert_int_ge(seen, 2);	/* our session's config and stats */
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
