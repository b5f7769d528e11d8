// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz: generic netlink by hand, for the netlink and revoke targets:
 * a socket, attributes, and a family's id and multicast group.
 */
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"

/* An attribute at @off in @buf (of @max bytes); NULL if it does not fit. */
struct nlattr *nl_put_attr(char *buf, size_t *off, size_t max, uint16_t type,
			   const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(buf + *off);

	if (*off + NLA_HDRLEN + NLA_ALIGN(len) > max)
		return NULL;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	*off += NLA_HDRLEN + NLA_ALIGN(len);
	return a;
}

/* The id of family @name (-1: none) and its first multicast group. */
int nl_resolve(int fd, const char *name, int *group)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[64];
	} req = { 0 };
	char reply[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)reply;
	struct nlattr *a, *g, *gg;
	size_t off = 0;
	int len, rem, id = -1;

	nl_put_attr(req.buf, &off, sizeof(req.buf), CTRL_ATTR_FAMILY_NAME, name,
		 (uint16_t)strlen(name) + 1);
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_len = (uint32_t)(NLMSG_LENGTH(GENL_HDRLEN) + off);
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return -1;
	len = (int)recv(fd, reply, sizeof(reply), 0);
	if (len <= 0 || h->nlmsg_type != GENL_ID_CTRL)
		return -1;
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	rem = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (; rem >= NLA_HDRLEN; rem -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			id = *(uint16_t *)((char *)a + NLA_HDRLEN);
		if (a->nla_type != (CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED) &&
		    a->nla_type != CTRL_ATTR_MCAST_GROUPS)
			continue;
		g = (struct nlattr *)((char *)a + NLA_HDRLEN);
		gg = (struct nlattr *)((char *)g + NLA_HDRLEN);
		/* first group: the only one, "events"; its id follows */
		for (int r = g->nla_len - NLA_HDRLEN; r >= NLA_HDRLEN;
		     r -= NLA_ALIGN(gg->nla_len),
		     gg = (struct nlattr *)((char *)gg + NLA_ALIGN(gg->nla_len)))
			if (gg->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				*group = *(int *)((char *)gg + NLA_HDRLEN);
	}
	return id;
}

/* A generic netlink socket with extended and capped acks. */
int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	if (fd >= 0) {
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	}
	return fd;
}
