// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "revoke": a read, write or poll blocked in one
 * thread, its session revoked from another (SESSION_REVOKE): it must end
 * within 2 s (ENODEV or a whole count, POLLHUP).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"

static int nl_fd = -1, family = -1;

/* The id of this process's only session, from a SESSION_GET dump; 0: none. */
static uint64_t my_session_id(int fd)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} req = { 0 };
	char buf[16384];
	uint64_t id = 0;
	long len;

	req.n.nlmsg_type = (uint16_t)family;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	req.g.cmd = VSENSOR_CMD_SESSION_GET;
	req.g.version = VSENSOR_GENL_VERSION;
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return 0;
	while ((len = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, (unsigned long)len); h = NLMSG_NEXT(h, len)) {
			struct nlattr *a;
			uint64_t sid = 0;
			uint32_t pid = 0;
			int rem;

			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR)
				return id;
			a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			rem = (int)h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN;
			     rem -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
				if (a->nla_type == VSENSOR_A_SESSION_ID)
					memcpy(&sid, (char *)a + NLA_HDRLEN, 8);
				else if (a->nla_type == VSENSOR_A_SESSION_PID)
					memcpy(&pid, (char *)a + NLA_HDRLEN, 4);
			}
			if (pid == (uint32_t)getpid())
				id = sid;
		}
	}
	return id;
}

/* SESSION_REVOKE @id; 0 or the negative errno of the answer. */
static int revoke_session(int fd, uint64_t id)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[16];
	} req = { 0 };
	char buf[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	size_t off = 0;
	long len;

	nl_put_attr(req.buf, &off, sizeof(req.buf), VSENSOR_A_SESSION_ID, &id, 8);
	req.n.nlmsg_type = (uint16_t)family;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.n.nlmsg_len = (uint32_t)(NLMSG_LENGTH(GENL_HDRLEN) + off);
	req.g.cmd = VSENSOR_CMD_SESSION_REVOKE;
	req.g.version = VSENSOR_GENL_VERSION;
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < (long)NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	    h->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
}

enum blocked_op { B_READ, B_WRITE, B_POLL, NR_BLOCKED };

static const char * const blocked_names[NR_BLOCKED] = { "read", "write", "poll" };

struct blocked {
	int fd;
	enum blocked_op op;
	long ret;
	int err;
	short revents;
	int done;
};

#define BLOCKED_RECS	1000	/* 10 s of stimulus at 100 Hz */

static void *blocked_call(void *p)
{
	static __thread struct vsensor_record recs[BLOCKED_RECS];
	struct blocked *b = p;
	struct pollfd pfd = { .fd = b->fd, .events = POLLIN };

	memset(recs, 0, sizeof(recs));
	if (b->op == B_READ)
		b->ret = read(b->fd, recs, sizeof(recs));
	else if (b->op == B_WRITE)
		b->ret = write(b->fd, recs, sizeof(recs));
	else
		b->ret = poll(&pfd, 1, 5000);
	b->err = errno;
	b->revents = pfd.revents;
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * How the blocked call ended after a revoke: is it what the ABI says? A
 * read or write may have completed just before the revoke took effect (the
 * device may run far faster than this session, for another one), but a
 * write the revoke cut short ends with ENODEV, never a partial count.
 */
static bool revoked_answer_ok(const struct blocked *b)
{
	if (b->op == B_POLL)
		return b->ret == 1 && (b->revents & (POLLHUP | POLLERR)) ==
				      (POLLHUP | POLLERR);
	if (b->op == B_WRITE && b->ret == (long)sizeof(struct vsensor_record) *
					   BLOCKED_RECS)
		return true;
	if (b->op == B_READ && b->ret > 0)
		return true;
	return b->ret == -1 && b->err == ENODEV;
}

static void revoke_init(void)
{
	int group;

	nl_fd = nl_open();
	family = nl_resolve(nl_fd, VSENSOR_GENL_NAME, &group);
	if (family < 0)
		exit(1);
}

static void revoke_round(void)
{
	struct blocked b = { .op = (enum blocked_op)below(NR_BLOCKED) };
	struct vsensor_record rec = { 0 };
	struct vsensor_config c = { 0 };
	int i, err, fd = open_device(O_RDWR | O_NONBLOCK);
	double t0;
	pthread_t t;

	if (fd < 0) {
		count(-1);
		return;
	}
	b.fd = fd;
	c.rate_hz = b.op == B_WRITE ? 100 : 1 + below(10);
	c.channel_mask = 0xf;
	c.ring_size = 1024;
	c.watermark = 300 + below(700);	/* the reader sleeps for long */
	c.clock_id = 1;
	c.flags = chance(30) ? VSENSOR_CONFIG_F_BUSY_POLL : 0;
	if (ioctl(b.fd, VSENSOR_IOC_SET_CONFIG, &c)) {
		count(-1);
		goto out_close;
	}
	if (b.op == B_WRITE)	/* fill the transmit FIFO: the write blocks */
		for (i = 0; i < 1000 && write(b.fd, &rec, sizeof(rec)) > 0; i++)
			;
	fcntl(b.fd, F_SETFL, 0);
	pthread_create(&t, NULL, blocked_call, &b);
	usleep(10000 + below(40000));
	if (__atomic_load_n(&b.done, __ATOMIC_ACQUIRE)) {
		pthread_join(t, NULL);	/* not blocked (device gone...) */
		count(b.ret);
		goto out_close;
	}
	err = revoke_session(nl_fd, my_session_id(nl_fd));
	t0 = now();
	/* "at once", with room for a guest under TCG and eight more workers */
	while (!__atomic_load_n(&b.done, __ATOMIC_ACQUIRE) && now() - t0 < 2 * slow)
		usleep(1000);
	if (!err && !__atomic_load_n(&b.done, __ATOMIC_ACQUIRE))
		anomaly("blocked %s still running %.0f s after its session's revoke",
			blocked_names[b.op], 2 * slow);
	/* revoke refused (device or session gone meanwhile): cut it short */
	while (!__atomic_load_n(&b.done, __ATOMIC_ACQUIRE)) {
		pthread_kill(t, SIGUSR1);
		usleep(10000);
	}
	pthread_join(t, NULL);
	count(b.ret);
	if (!err && !revoked_answer_ok(&b))
		anomaly("blocked %s after its session's revoke: %ld %s revents %#x",
			blocked_names[b.op], b.ret, strerror(b.err), b.revents);
out_close:
	close(b.fd);
	stats->iterations++;
}

const struct fuzz_target target_revoke = {
	.name = "revoke",
	.init = revoke_init,
	.round = revoke_round,
};
