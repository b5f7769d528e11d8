/*
 * libvsensor: control and events through the generic netlink family
 * "vsensor" (libnl-genl-3). Requests carry the kernel's extended ack, so a
 * refusal comes with the kernel's own message (vsensor_nl_get_error()).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* a dump the kernel flagged inconsistent is retried this many times */
#define VSENSOR_NL_DUMP_TRIES	3

struct vsensor_nl {
	struct nl_sock *sock;	/* requests: replies checked by sequence */
	struct nl_sock *events;	/* notifications, from vsensor_nl_subscribe() */
	int family;
	int events_group;
	char error[256];	/* extack message of the last refusal */
};

/* A device as the kernel describes it; settings are 0 when offline. */
struct vsensor_nl_device {
	uint32_t id;
	char serial[VSENSOR_SERIAL_LEN];
	char model[VSENSOR_MODEL_LEN];
	bool online;
	uint32_t fw_version;		/* 0xMMmmpppp */
	uint32_t channels;
	uint32_t sample_rate;
	uint32_t sessions_open;
	uint32_t waveform;		/* enum vsensor_waveform */
	uint32_t amplitude;
	uint32_t frequency_mhz;
};

/* A session: who opened it, its configuration and counters. */
struct vsensor_nl_session {
	uint64_t id;
	uint32_t dev_id;
	uint32_t pid;
	char comm[16];
	struct vsensor_config config;	/* zero in notifications */
	struct vsensor_stats stats;	/* zero in notifications */
};

/* A notification of the "events" group; flat, so a copy is a memcpy. */
struct vsensor_nl_event {
	unsigned int cmd;		/* VSENSOR_CMD_DEVICE_ADDED ... */
	struct vsensor_nl_device device;	/* device events: what is known */
	struct vsensor_nl_session session;	/* session and overrun events */
	uint64_t iova;			/* IOMMU_FAULT */
	uint32_t lost;			/* notifications lost before this one */
};

/* One request in flight: its reply parser and how it ended. */
struct vsensor_nl_req {
	struct vsensor_nl *nl;
	int (*parse)(struct nlattr **tb, void *arg);
	void *arg;
	int done;
	int stopped;		/* @parse asked to stop: the rest is drained */
	int err;		/* -errno from the kernel, or 0 */
};

static const char * const waveform_names[] = {
	[VSENSOR_WAVEFORM_SINE] = "sine",
	[VSENSOR_WAVEFORM_SQUARE] = "square",
	[VSENSOR_WAVEFORM_RAMP] = "ramp",
	[VSENSOR_WAVEFORM_NOISE] = "noise",
};

static const char * const event_names[] = {
	[VSENSOR_CMD_DEVICE_ADDED] = "device-added",
	[VSENSOR_CMD_DEVICE_REMOVED] = "device-removed",
	[VSENSOR_CMD_DEVICE_CHANGED] = "device-changed",
	[VSENSOR_CMD_SESSION_OPENED] = "session-opened",
	[VSENSOR_CMD_SESSION_CLOSED] = "session-closed",
	[VSENSOR_CMD_OVERRUN] = "overrun",
	[VSENSOR_CMD_IOMMU_FAULT] = "iommu-fault",
};

const char *vsensor_waveform_name(uint32_t waveform)
{
	if (waveform >= sizeof(waveform_names) / sizeof(waveform_names[0]))
		return NULL;
	return waveform_names[waveform];
}

const char *vsensor_nl_event_name(unsigned int cmd)
{
	if (cmd >= sizeof(event_names) / sizeof(event_names[0]))
		return NULL;
	return event_names[cmd];
}

int vsensor_nl_setting_parse(const char *key, const char *value,
			     struct vsensor_nl_setting *setting)
{
	uint64_t val;
	uint32_t i;

	if (!key || !value || !setting)
		goto err_inval;
	if (!strcmp(key, "waveform")) {
		setting->attr = VSENSOR_A_DEV_WAVEFORM;
		for (i = VSENSOR_WAVEFORM_SINE; i <= VSENSOR_WAVEFORM_MAX; i++) {
			if (!strcmp(value, waveform_names[i])) {
				setting->value = i;
				return 0;
			}
		}
		goto err_inval;
	}
	if (!strcmp(key, "amplitude"))
		setting->attr = VSENSOR_A_DEV_AMPLITUDE;
	else if (!strcmp(key, "frequency_mhz"))
		setting->attr = VSENSOR_A_DEV_FREQUENCY;
	else
		goto err_inval;
	if (!vsensor_parse_u64(value, 0, UINT32_MAX, &val)) {
		setting->value = (uint32_t)val;
		return 0;
	}
err_inval:
	errno = EINVAL;
	return -1;
}

static struct nla_policy attr_policy[VSENSOR_A_MAX + 1] = {
	[VSENSOR_A_DEV_ID] = { .type = NLA_U32 },
	[VSENSOR_A_DEV_SERIAL] = { .type = NLA_STRING },
	[VSENSOR_A_DEV_MODEL] = { .type = NLA_STRING },
	[VSENSOR_A_DEV_ONLINE] = { .type = NLA_U8 },
	[VSENSOR_A_DEV_FW_VERSION] = { .type = NLA_U32 },
	[VSENSOR_A_DEV_CHANNELS] = { .type = NLA_U32 },
	[VSENSOR_A_DEV_SAMPLE_RATE] = { .type = NLA_U32 },
	[VSENSOR_A_DEV_SESSIONS_OPEN] = { .type = NLA_U32 },
	[VSENSOR_A_DEV_WAVEFORM] = { .type = NLA_U32 },
	[VSENSOR_A_DEV_AMPLITUDE] = { .type = NLA_U32 },
	[VSENSOR_A_DEV_FREQUENCY] = { .type = NLA_U32 },
	[VSENSOR_A_SESSION_ID] = { .type = NLA_U64 },
	[VSENSOR_A_SESSION_PID] = { .type = NLA_U32 },
	[VSENSOR_A_SESSION_COMM] = { .type = NLA_STRING },
	[VSENSOR_A_OVERRUN_LOST] = { .type = NLA_U32 },
	[VSENSOR_A_IOVA] = { .type = NLA_U64 },
	[VSENSOR_A_SESSION_CONFIG_NEST] = { .type = NLA_NESTED },
	[VSENSOR_A_SESSION_STATS_NEST] = { .type = NLA_NESTED },
};

/*
 * A nest of a SESSION_GET reply, read into the struct the ioctls fill: its
 * attributes' policy, and where each one's value goes (offset and size of
 * the member; size 0: none). Attributes beyond @maxtype are ignored, so a
 * newer kernel may send more; a missing one leaves its member 0.
 */
struct nest_field {
	size_t offset;
	size_t size;
};

struct nest_table {
	int maxtype;
	const struct nla_policy *policy;
	const struct nest_field *fields;
	size_t struct_size;
};

#define NEST_FIELD(type, member) \
	{ offsetof(type, member), sizeof(((type *)0)->member) }
#define CONFIG_FIELD(member)	NEST_FIELD(struct vsensor_config, member)
#define STATS_FIELD(member)	NEST_FIELD(struct vsensor_stats, member)

static const struct nla_policy config_policy[VSENSOR_CONFIG_A_MAX + 1] = {
	[VSENSOR_CONFIG_A_RATE_HZ] = { .type = NLA_U32 },
	[VSENSOR_CONFIG_A_CHANNEL_MASK] = { .type = NLA_U32 },
	[VSENSOR_CONFIG_A_WATERMARK] = { .type = NLA_U32 },
	[VSENSOR_CONFIG_A_RING_SIZE] = { .type = NLA_U32 },
	[VSENSOR_CONFIG_A_CLOCK_ID] = { .type = NLA_U32 },
	[VSENSOR_CONFIG_A_FLAGS] = { .type = NLA_U32 },
};

static const struct nest_field config_fields[VSENSOR_CONFIG_A_MAX + 1] = {
	[VSENSOR_CONFIG_A_RATE_HZ] = CONFIG_FIELD(rate_hz),
	[VSENSOR_CONFIG_A_CHANNEL_MASK] = CONFIG_FIELD(channel_mask),
	[VSENSOR_CONFIG_A_WATERMARK] = CONFIG_FIELD(watermark),
	[VSENSOR_CONFIG_A_RING_SIZE] = CONFIG_FIELD(ring_size),
	[VSENSOR_CONFIG_A_CLOCK_ID] = CONFIG_FIELD(clock_id),
	[VSENSOR_CONFIG_A_FLAGS] = CONFIG_FIELD(flags),
};

static const struct nest_table config_nest = {
	.maxtype = VSENSOR_CONFIG_A_MAX,
	.policy = config_policy,
	.fields = config_fields,
	.struct_size = sizeof(struct vsensor_config),
};

static const struct nla_policy stats_policy[VSENSOR_STATS_A_MAX + 1] = {
	[VSENSOR_STATS_A_DELIVERED] = { .type = NLA_U64 },
	[VSENSOR_STATS_A_DROPPED] = { .type = NLA_U64 },
	[VSENSOR_STATS_A_OVERRUNS] = { .type = NLA_U64 },
	[VSENSOR_STATS_A_WAKEUPS] = { .type = NLA_U64 },
	[VSENSOR_STATS_A_QUEUED] = { .type = NLA_U64 },
	[VSENSOR_STATS_A_WRITTEN] = { .type = NLA_U64 },
};

static const struct nest_field stats_fields[VSENSOR_STATS_A_MAX + 1] = {
	[VSENSOR_STATS_A_DELIVERED] = STATS_FIELD(delivered),
	[VSENSOR_STATS_A_DROPPED] = STATS_FIELD(dropped),
	[VSENSOR_STATS_A_OVERRUNS] = STATS_FIELD(overruns),
	[VSENSOR_STATS_A_WAKEUPS] = STATS_FIELD(wakeups),
	[VSENSOR_STATS_A_QUEUED] = STATS_FIELD(queued),
	[VSENSOR_STATS_A_WRITTEN] = STATS_FIELD(written),
};

static const struct nest_table stats_nest = {
	.maxtype = VSENSOR_STATS_A_MAX,
	.policy = stats_policy,
	.fields = stats_fields,
	.struct_size = sizeof(struct vsensor_stats),
};

/* the largest maxtype of the nest tables */
#define NEST_MAXTYPE	VSENSOR_STATS_A_MAX
_Static_assert(VSENSOR_CONFIG_A_MAX <= NEST_MAXTYPE, "NEST_MAXTYPE too small");

static uint32_t get_u32(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u32(tb[attr]) : 0;
}

static void get_string(struct nlattr **tb, int attr, char *buf, size_t len)
{
	if (tb[attr])
		nla_strlcpy(buf, tb[attr], len);
}

static void parse_device(struct nlattr **tb, struct vsensor_nl_device *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->id = get_u32(tb, VSENSOR_A_DEV_ID);
	get_string(tb, VSENSOR_A_DEV_SERIAL, dev->serial, sizeof(dev->serial));
	get_string(tb, VSENSOR_A_DEV_MODEL, dev->model, sizeof(dev->model));
	dev->online = tb[VSENSOR_A_DEV_ONLINE] &&
		      nla_get_u8(tb[VSENSOR_A_DEV_ONLINE]);
	dev->fw_version = get_u32(tb, VSENSOR_A_DEV_FW_VERSION);
	dev->channels = get_u32(tb, VSENSOR_A_DEV_CHANNELS);
	dev->sample_rate = get_u32(tb, VSENSOR_A_DEV_SAMPLE_RATE);
	dev->sessions_open = get_u32(tb, VSENSOR_A_DEV_SESSIONS_OPEN);
	dev->waveform = get_u32(tb, VSENSOR_A_DEV_WAVEFORM);
	dev->amplitude = get_u32(tb, VSENSOR_A_DEV_AMPLITUDE);
	dev->frequency_mhz = get_u32(tb, VSENSOR_A_DEV_FREQUENCY);
}

/*
 * @nest (may be NULL) into @out, as @t says. A malformed nest (an attribute
 * shorter than its policy allows) leaves all of @out 0, as an absent one.
 */
static void parse_nest(struct nlattr *nest, const struct nest_table *t,
		       void *out)
{
	struct nlattr *tb[NEST_MAXTYPE + 1];
	int type;

	memset(out, 0, t->struct_size);
	if (!nest || nla_parse_nested(tb, t->maxtype, nest, t->policy) < 0)
		return;
	for (type = 1; type <= t->maxtype; type++)
		if (tb[type] && t->fields[type].size)
			memcpy((char *)out + t->fields[type].offset,
			       nla_data(tb[type]), t->fields[type].size);
}

static void parse_session(struct nlattr **tb, struct vsensor_nl_session *s)
{
	memset(s, 0, sizeof(*s));
	if (tb[VSENSOR_A_SESSION_ID])
		s->id = nla_get_u64(tb[VSENSOR_A_SESSION_ID]);
	s->dev_id = get_u32(tb, VSENSOR_A_DEV_ID);
	s->pid = get_u32(tb, VSENSOR_A_SESSION_PID);
	get_string(tb, VSENSOR_A_SESSION_COMM, s->comm, sizeof(s->comm));
	parse_nest(tb[VSENSOR_A_SESSION_CONFIG_NEST], &config_nest, &s->config);
	parse_nest(tb[VSENSOR_A_SESSION_STATS_NEST], &stats_nest, &s->stats);
}

/* The attributes of a vsensor message, or NULL if it is malformed. */
static struct nlattr **msg_attrs(struct nl_msg *msg, struct nlattr **tb,
				 unsigned int *cmd)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (genlmsg_parse(nlh, 0, tb, VSENSOR_A_MAX, attr_policy) < 0)
		return NULL;
	if (cmd)
		*cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	return tb;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct vsensor_nl_req *req = arg;
	struct nlattr *tb[VSENSOR_A_MAX + 1];

	/*
	 * NL_STOP would end only this batch of a dump: the next read would
	 * start with later records. Skip the rest instead, up to NLMSG_DONE,
	 * so the walk stops and the socket is ready for the next request.
	 */
	if (req->stopped || !msg_attrs(msg, tb, NULL))
		return NL_SKIP;
	if (req->parse && req->parse(tb, req->arg))
		req->stopped = 1;
	return NL_OK;
}

/* Keep the kernel's extack message (NETLINK_CAP_ACK: it follows the header). */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct vsensor_nl_req *req = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct nlattr *tlvs[NLMSGERR_ATTR_MAX + 1];
	int len;

	(void)who;
	req->err = err->error;
	req->done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)sizeof(*err);
	if (len > 0 &&
	    !nla_parse(tlvs, NLMSGERR_ATTR_MAX,
		       (struct nlattr *)((char *)err + sizeof(*err)), len, NULL) &&
	    tlvs[NLMSGERR_ATTR_MSG])
		nla_strlcpy(req->nl->error, tlvs[NLMSGERR_ATTR_MSG],
			    sizeof(req->nl->error));
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct vsensor_nl_req *req = arg;

	(void)msg;
	req->done = 1;
	return NL_STOP;
}

/*
 * The errno behind libnl's @err: @sys, the errno the failed call left,
 * when it is the one libnl translated into @err (a failed socket() is
 * EMFILE, not NLE_FAILURE); else the nearest errno to @err.
 */
static int nl_errno(int err, int sys)
{
	err = err < 0 ? -err : err;
	if (sys > 0 && nl_syserr2nlerr(sys) == err)
		return sys;
	switch (err) {
	case NLE_AGAIN:
	case NLE_DUMP_INTR:	/* the dump changed under us: try again */
		return EAGAIN;
	case NLE_INTR:
		return EINTR;
	case NLE_NOMEM:		/* most often a receive queue overrun */
		return ENOBUFS;
	case NLE_PERM:
		return EPERM;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_BAD_SOCK:
		return EBADF;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_INVAL:
		return EINVAL;
	case NLE_BUSY:
		return EBUSY;
	case NLE_NODEV:
		return ENODEV;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return EAFNOSUPPORT;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSG_OVERFLOW:
	case NLE_PARSE_ERR:
		return EPROTO;
	default:
		return EIO;
	}
}

/* Send @msg (consumed) and wait for its ack or the end of the dump. */
static int request(struct vsensor_nl *nl, struct nl_msg *msg,
		   int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	struct vsensor_nl_req req = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int err, sys;

	nl->error[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		errno = ENOMEM;
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);
	errno = 0;
	err = nl_send_auto(nl->sock, msg);
	sys = errno;
	nlmsg_free(msg);
	while (err >= 0 && !req.done) {
		errno = 0;
		err = nl_recvmsgs(nl->sock, cb);
		sys = errno;
	}
	nl_cb_put(cb);
	if (req.err) {
		errno = -req.err;
		return -1;
	}
	if (err < 0) {
		errno = nl_errno(err, sys);
		return -1;
	}
	return 0;
}

static struct nl_msg *new_msg(struct vsensor_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg) {
		errno = ENOMEM;
		return NULL;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, VSENSOR_GENL_VERSION)) {
		nlmsg_free(msg);
		errno = ENOMEM;
		return NULL;
	}
	return msg;
}

struct vsensor_nl *vsensor_nl_open(void)
{
	struct vsensor_nl *nl;
	int one = 1, err;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return NULL;
	nl->sock = nl_socket_alloc();
	if (!nl->sock) {
		err = ENOMEM;
		goto err_free;
	}
	errno = 0;
	err = genl_connect(nl->sock);
	if (err) {
		err = nl_errno(err, errno);
		goto err_free;
	}
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sock, VSENSOR_GENL_NAME);
	nl->events_group = genl_ctrl_resolve_grp(nl->sock, VSENSOR_GENL_NAME,
						 VSENSOR_GENL_MCGRP_EVENTS);
	/* the family missing (module not loaded) is ENOENT */
	err = nl->family < 0 ? nl->family : nl->events_group;
	if (err < 0) {
		err = nl_errno(err, 0);
		goto err_free;
	}
	return nl;

err_free:
	vsensor_nl_close(nl);
	errno = err;
	return NULL;
}

void vsensor_nl_close(struct vsensor_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->events);
	nl_socket_free(nl->sock);
	free(nl);
}

const char *vsensor_nl_get_error(struct vsensor_nl *nl)
{
	return nl && nl->error[0] ? nl->error : NULL;
}

/* A request about one device: @cmd with VSENSOR_A_DEV_ID. */
static struct nl_msg *dev_msg(struct vsensor_nl *nl, uint8_t cmd,
			      unsigned int id)
{
	struct nl_msg *msg = new_msg(nl, cmd, 0);

	if (msg && nla_put_u32(msg, VSENSOR_A_DEV_ID, id)) {
		nlmsg_free(msg);
		errno = EMSGSIZE;
		return NULL;
	}
	return msg;
}

int vsensor_nl_device_new(struct vsensor_nl *nl, unsigned int id,
			  const char *serial)
{
	struct nl_msg *msg = dev_msg(nl, VSENSOR_CMD_DEVICE_NEW, id);

	if (!msg)
		return -1;
	if (serial && nla_put_string(msg, VSENSOR_A_DEV_SERIAL, serial)) {
		nlmsg_free(msg);
		errno = EMSGSIZE;
		return -1;
	}
	return request(nl, msg, NULL, NULL);
}

int vsensor_nl_device_del(struct vsensor_nl *nl, unsigned int id)
{
	struct nl_msg *msg = dev_msg(nl, VSENSOR_CMD_DEVICE_DEL, id);

	return msg ? request(nl, msg, NULL, NULL) : -1;
}

static int parse_one_device(struct nlattr **tb, void *arg)
{
	parse_device(tb, arg);
	return 0;
}

struct vsensor_nl_device *vsensor_nl_device_get(struct vsensor_nl *nl,
						unsigned int id)
{
	struct vsensor_nl_device *dev;
	struct nl_msg *msg;
	int err;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	msg = dev_msg(nl, VSENSOR_CMD_DEVICE_GET, id);
	if (!msg || request(nl, msg, parse_one_device, dev))
		goto err_free_dev;
	return dev;

err_free_dev:
	err = errno;
	free(dev);
	errno = err;
	return NULL;
}

void vsensor_nl_device_free(struct vsensor_nl_device *dev)
{
	free(dev);
}

uint32_t vsensor_nl_device_get_id(const struct vsensor_nl_device *dev)
{
	return dev->id;
}

const char *vsensor_nl_device_get_serial(const struct vsensor_nl_device *dev)
{
	return dev->serial;
}

const char *vsensor_nl_device_get_model(const struct vsensor_nl_device *dev)
{
	return dev->model;
}

bool vsensor_nl_device_is_online(const struct vsensor_nl_device *dev)
{
	return dev->online;
}

uint32_t vsensor_nl_device_get_fw_version(const struct vsensor_nl_device *dev)
{
	return dev->fw_version;
}

uint32_t
vsensor_nl_device_get_num_channels(const struct vsensor_nl_device *dev)
{
	return dev->channels;
}

uint32_t vsensor_nl_device_get_sample_rate(const struct vsensor_nl_device *dev)
{
	return dev->sample_rate;
}

uint32_t
vsensor_nl_device_get_num_sessions(const struct vsensor_nl_device *dev)
{
	return dev->sessions_open;
}

uint32_t vsensor_nl_device_get_waveform(const struct vsensor_nl_device *dev)
{
	return dev->waveform;
}

uint32_t vsensor_nl_device_get_amplitude(const struct vsensor_nl_device *dev)
{
	return dev->amplitude;
}

uint32_t
vsensor_nl_device_get_frequency_mhz(const struct vsensor_nl_device *dev)
{
	return dev->frequency_mhz;
}

uint64_t vsensor_nl_session_get_id(const struct vsensor_nl_session *s)
{
	return s->id;
}

uint32_t vsensor_nl_session_get_dev_id(const struct vsensor_nl_session *s)
{
	return s->dev_id;
}

uint32_t vsensor_nl_session_get_pid(const struct vsensor_nl_session *s)
{
	return s->pid;
}

const char *vsensor_nl_session_get_comm(const struct vsensor_nl_session *s)
{
	return s->comm;
}

const struct vsensor_config *
vsensor_nl_session_get_config(const struct vsensor_nl_session *s)
{
	return &s->config;
}

const struct vsensor_stats *
vsensor_nl_session_get_stats(const struct vsensor_nl_session *s)
{
	return &s->stats;
}

struct list_ctx {
	int (*dev_fn)(const struct vsensor_nl_device *dev, void *data);
	int (*session_fn)(const struct vsensor_nl_session *s, void *data);
	void *data;
};

static int parse_list_device(struct nlattr **tb, void *arg)
{
	struct list_ctx *ctx = arg;
	struct vsensor_nl_device dev;

	parse_device(tb, &dev);
	return ctx->dev_fn(&dev, ctx->data);
}

static int parse_list_session(struct nlattr **tb, void *arg)
{
	struct list_ctx *ctx = arg;
	struct vsensor_nl_session s;

	parse_session(tb, &s);
	return ctx->session_fn(&s, ctx->data);
}

/* A dump; retried while the kernel flags it inconsistent (EAGAIN). */
static int dump(struct vsensor_nl *nl, uint8_t cmd,
		int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	int tries, ret = -1;

	for (tries = 0; tries < VSENSOR_NL_DUMP_TRIES; tries++) {
		struct nl_msg *msg = new_msg(nl, cmd, NLM_F_DUMP);

		if (!msg)
			return -1;
		ret = request(nl, msg, parse, arg);
		if (!ret || errno != EAGAIN)
			break;
	}
	return ret;
}

int vsensor_nl_device_list(struct vsensor_nl *nl,
			   int (*fn)(const struct vsensor_nl_device *dev,
				     void *data), void *data)
{
	struct list_ctx ctx = { .dev_fn = fn, .data = data };

	return dump(nl, VSENSOR_CMD_DEVICE_GET, parse_list_device, &ctx);
}

int vsensor_nl_device_set(struct vsensor_nl *nl, unsigned int id,
			  const struct vsensor_nl_setting *settings, size_t n)
{
	struct nl_msg *msg = dev_msg(nl, VSENSOR_CMD_DEVICE_SET, id);
	size_t i;

	if (!msg)
		return -1;
	for (i = 0; i < n; i++) {
		if (nla_put_u32(msg, (int)settings[i].attr, settings[i].value)) {
			nlmsg_free(msg);
			errno = EMSGSIZE;
			return -1;
		}
	}
	return request(nl, msg, NULL, NULL);
}

int vsensor_nl_session_list(struct vsensor_nl *nl,
			    int (*fn)(const struct vsensor_nl_session *s,
				      void *data), void *data)
{
	struct list_ctx ctx = { .session_fn = fn, .data = data };

	return dump(nl, VSENSOR_CMD_SESSION_GET, parse_list_session, &ctx);
}

int vsensor_nl_session_revoke(struct vsensor_nl *nl, uint64_t id)
{
	struct nl_msg *msg = new_msg(nl, VSENSOR_CMD_SESSION_REVOKE, 0);

	if (!msg)
		return -1;
	if (nla_put_u64(msg, VSENSOR_A_SESSION_ID, id)) {
		nlmsg_free(msg);
		errno = EMSGSIZE;
		return -1;
	}
	return request(nl, msg, NULL, NULL);
}

/*
 * Events come on a socket of their own: notifications carry no sequence
 * number of ours, and the request socket keeps checking its replies.
 */
int vsensor_nl_subscribe(struct vsensor_nl *nl)
{
	int err;

	if (nl->events)
		return 0;
	nl->events = nl_socket_alloc();
	if (!nl->events) {
		errno = ENOMEM;
		return -1;
	}
	nl_socket_disable_seq_check(nl->events);
	errno = 0;
	err = genl_connect(nl->events);
	if (!err)
		err = nl_socket_add_membership(nl->events, nl->events_group);
	if (err) {
		err = nl_errno(err, errno);
		nl_socket_free(nl->events);
		nl->events = NULL;
		errno = err;
		return -1;
	}
	return 0;
}

/* The events socket once subscribed (what vsensor_nl_event_read() reads). */
int vsensor_nl_get_fd(struct vsensor_nl *nl)
{
	return nl_socket_get_fd(nl->events ? nl->events : nl->sock);
}

struct event_ctx {
	int (*fn)(const struct vsensor_nl_event *ev, void *data);
	void *data;
	int stopped;		/* @fn returned non-zero */
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VSENSOR_A_MAX + 1];
	struct event_ctx *ctx = arg;
	struct vsensor_nl_event ev;

	if (ctx->stopped)
		return NL_SKIP;
	memset(&ev, 0, sizeof(ev));
	if (!msg_attrs(msg, tb, &ev.cmd) || !vsensor_nl_event_name(ev.cmd))
		return NL_SKIP;
	parse_device(tb, &ev.device);
	parse_session(tb, &ev.session);
	if (tb[VSENSOR_A_IOVA])
		ev.iova = nla_get_u64(tb[VSENSOR_A_IOVA]);
	ev.lost = get_u32(tb, VSENSOR_A_OVERRUN_LOST);
	ctx->stopped = ctx->fn(&ev, ctx->data) != 0;
	return ctx->stopped ? NL_STOP : NL_OK;
}

unsigned int vsensor_nl_event_get_cmd(const struct vsensor_nl_event *ev)
{
	return ev->cmd;
}

const struct vsensor_nl_device *
vsensor_nl_event_get_device(const struct vsensor_nl_event *ev)
{
	return &ev->device;
}

const struct vsensor_nl_session *
vsensor_nl_event_get_session(const struct vsensor_nl_event *ev)
{
	return &ev->session;
}

uint64_t vsensor_nl_event_get_iova(const struct vsensor_nl_event *ev)
{
	return ev->iova;
}

uint32_t vsensor_nl_event_get_lost(const struct vsensor_nl_event *ev)
{
	return ev->lost;
}

struct vsensor_nl_event *vsensor_nl_event_copy(const struct vsensor_nl_event *ev)
{
	struct vsensor_nl_event *copy = malloc(sizeof(*copy));

	if (copy)
		memcpy(copy, ev, sizeof(*copy));
	return copy;
}

void vsensor_nl_event_free(struct vsensor_nl_event *ev)
{
	free(ev);
}

/* Notifications are not answers: their sequence numbers mean nothing. */
static int on_any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int vsensor_nl_event_read(struct vsensor_nl *nl,
			  int (*fn)(const struct vsensor_nl_event *ev,
				    void *data), void *data)
{
	struct event_ctx ctx = { .fn = fn, .data = data };
	struct nl_cb *cb;
	int err, sys;

	if (!nl->events) {
		errno = EINVAL;
		return -1;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		errno = ENOMEM;
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &ctx);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_any_seq, NULL);
	errno = 0;
	err = nl_recvmsgs(nl->events, cb);
	sys = errno;
	nl_cb_put(cb);
	if (err < 0) {
		errno = nl_errno(err, sys);
		return -1;
	}
	return ctx.stopped;
}
