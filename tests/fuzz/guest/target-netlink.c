// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "netlink": every command of family "vsensor": random
 * attributes, types, lengths, nesting, flags, versions; dumps; events
 * listened to.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"

static int nl_fd = -1, nl_events = -1, family = -1;

/* Random attributes, some nested, some with lying lengths. */
static size_t random_attrs(char *buf, size_t max, int depth)
{
	size_t off = 0;
	unsigned int i, n = below(6);

	for (i = 0; i < n; i++) {
		uint16_t type = chance(85) ? (uint16_t)below(VSENSOR_A_MAX + 3) :
				(uint16_t)rnd();
		unsigned char data[64];
		uint16_t len;
		struct nlattr *a;

		switch (below(6)) {
		case 0: {
			uint32_t v = chance(50) ? HOTPLUG_BASE + 4 + below(8) :
				     interesting_u32();

			len = 4;
			memcpy(data, &v, 4);
			break;
		}
		case 1: {
			uint64_t v = chance(50) ? below(64) : rnd();

			len = 8;
			memcpy(data, &v, 8);
			break;
		}
		case 2:
			len = (uint16_t)snprintf((char *)data, sizeof(data),
						 "FUZZ%u", below(100)) +
			      (chance(70) ? 1 : 0);
			break;
		case 3:
			if (depth < 3 && off + NLA_HDRLEN < max) {
				size_t inner;

				a = (struct nlattr *)(buf + off);
				inner = random_attrs(buf + off + NLA_HDRLEN,
						     max - off - NLA_HDRLEN,
						     depth + 1);
				a->nla_type = type | (chance(70) ? NLA_F_NESTED : 0);
				a->nla_len = (uint16_t)(NLA_HDRLEN + inner);
				off += NLA_HDRLEN + NLA_ALIGN(inner);
				continue;
			}
			/* fall through */
		default:
			len = (uint16_t)below(sizeof(data) + 1);
			fill_random(data, len);
			break;
		}
		a = nl_put_attr(buf, &off, max, type, data, len);
		if (a && chance(5))	/* a length that lies */
			a->nla_len = (uint16_t)(chance(50) ? below(NLA_HDRLEN) :
						a->nla_len + below(64));
	}
	return off;
}

/* Read what the kernel answers (acks, dump parts) without blocking long. */
static void drain(int fd, int timeout_ms)
{
	char buf[16384];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (poll(&pfd, 1, timeout_ms) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		long len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (len <= 0)
			break;
		for (; NLMSG_OK(h, (unsigned long)len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				errno = -e->error;
				count(e->error ? -1 : 0);
				if (e->error == -ENOMEM || e->error > 0 ||
				    e->error < -133)
					anomaly("netlink answered %d", e->error);
			} else if (h->nlmsg_type == NLMSG_DONE) {
				count(0);
			}
		}
		timeout_ms = 0;
	}
}

static void fuzz_netlink_one(void)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[1024];
	} req;
	size_t off;

	memset(&req, 0, sizeof(req));
	off = random_attrs(req.buf, sizeof(req.buf), 0);
	req.n.nlmsg_type = chance(95) ? (uint16_t)family : (uint16_t)rnd();
	req.n.nlmsg_flags = NLM_F_REQUEST | (chance(80) ? NLM_F_ACK : 0) |
			    (chance(25) ? NLM_F_DUMP : 0);
	if (chance(5))
		req.n.nlmsg_flags = (uint16_t)rnd();
	req.n.nlmsg_seq = (uint32_t)rnd();
	req.g.cmd = chance(90) ? (uint8_t)below(VSENSOR_CMD_MAX + 3) :
		    (uint8_t)rnd();
	req.g.version = chance(90) ? VSENSOR_GENL_VERSION : (uint8_t)rnd();
	req.n.nlmsg_len = (uint32_t)(NLMSG_LENGTH(GENL_HDRLEN) + off);
	if (chance(3))	/* a header that lies about the length */
		req.n.nlmsg_len = (uint32_t)below(sizeof(req));
	count(send(nl_fd, &req, req.n.nlmsg_len, 0));
	drain(nl_fd, 20);
	drain(nl_events, 0);
}

static void netlink_init(void)
{
	int group = -1;

	nl_fd = nl_open();
	nl_events = nl_open();
	family = nl_resolve(nl_fd, VSENSOR_GENL_NAME, &group);
	if (family < 0) {
		fprintf(stderr, "vsensor-fuzz: no family %s\n", VSENSOR_GENL_NAME);
		exit(1);
	}
	if (group >= 0)
		setsockopt(nl_events, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			   &group, sizeof(group));
}

static void netlink_round(void)
{
	int i;

	for (i = 0; i < 16; i++) {
		fuzz_netlink_one();
		stats->iterations++;
	}
}

const struct fuzz_target target_netlink = {
	.name = "netlink",
	.init = netlink_init,
	.round = netlink_round,
};
