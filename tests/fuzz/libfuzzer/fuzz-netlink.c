// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: libvsensor's parsing of what the kernel sends on the
 * "vsensor" family (lib/netlink.c): replies to DEVICE_GET, dump parts of
 * DEVICE_GET and SESSION_GET (with its config and stats nests),
 * notifications, and error messages with an extended ack. The input is one netlink message; its length field is set
 * to the input's length, as the socket layer guarantees.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/netlink.c"

static int on_dev(const struct vsensor_nl_device *dev, void *data)
{
	(void)data;
	return strnlen(dev->serial, sizeof(dev->serial)) == sizeof(dev->serial);
}

/* The nests fill members only: the reserved space stays zero. */
static int on_session(const struct vsensor_nl_session *s, void *data)
{
	static const struct vsensor_nl_session zero;

	(void)data;
	if (memcmp(s->config.reserved, zero.config.reserved,
		   sizeof(zero.config.reserved)) ||
	    memcmp(s->stats.reserved, zero.stats.reserved,
		   sizeof(zero.stats.reserved)))
		abort();
	return strnlen(s->comm, sizeof(s->comm)) == sizeof(s->comm);
}

static int on_ev(const struct vsensor_nl_event *ev, void *data)
{
	(void)data;
	if (!vsensor_nl_event_name(ev->cmd))
		abort();
	return 0;
}

static void run_error(uint8_t *buf, size_t size)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct vsensor_nl nl = { 0 };
	struct vsensor_nl_req req = { .nl = &nl };

	if (size < NLMSG_HDRLEN + sizeof(struct nlmsgerr))
		return;
	nlh->nlmsg_type = NLMSG_ERROR;
	on_error(NULL, (struct nlmsgerr *)(buf + NLMSG_HDRLEN), &req);
	if (strnlen(nl.error, sizeof(nl.error)) == sizeof(nl.error))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct list_ctx list = { .dev_fn = on_dev, .session_fn = on_session };
	struct event_ctx ev = { .fn = on_ev };
	struct vsensor_nl_device dev;	/* netlink.c is included: not opaque here */
	struct vsensor_nl_req req = { 0 };
	struct nlmsghdr *nlh;
	struct nl_msg *msg;
	uint8_t *buf;

	if (size < NLMSG_HDRLEN + GENL_HDRLEN || size > 65535)
		return 0;
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_len = (uint32_t)size;
	msg = nlmsg_convert(nlh);
	if (msg) {
		req.parse = parse_one_device;
		req.arg = &dev;
		on_valid(msg, &req);
		req.parse = parse_list_device;
		req.arg = &list;
		on_valid(msg, &req);
		req.parse = parse_list_session;
		on_valid(msg, &req);
		on_event(msg, &ev);
		nlmsg_free(msg);
	}
	run_error(buf, size);
	free(buf);
	return 0;
}
