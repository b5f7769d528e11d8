// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "vsensor": device get/new/del/set, session
 * get/revoke, and on the multicast group "events" the events of notify.c,
 * whose listener this is (notify.c keeps their order and defers those of
 * atomic context; this file only builds the messages). Commands and
 * attributes are in the uapi header; every operation that changes state
 * needs CAP_NET_ADMIN (GENL_ADMIN_PERM); policies are strict, per operation.
 */
#include <net/genetlink.h>

#include "vsensor.h"

enum {
	VSENSOR_NL_MCGRP_EVENTS,
};

static const struct genl_multicast_group vsensor_nl_mcgrps[] = {
	[VSENSOR_NL_MCGRP_EVENTS] = { .name = VSENSOR_GENL_MCGRP_EVENTS },
};

static struct genl_family vsensor_nl_family;

static const struct nla_policy vsensor_nl_dev_id_policy[] = {
	[VSENSOR_A_DEV_ID] = NLA_POLICY_MAX(NLA_U32, VSENSOR_DEV_ID_MAX),
};

static const struct nla_policy vsensor_nl_dev_new_policy[] = {
	[VSENSOR_A_DEV_ID] = NLA_POLICY_MAX(NLA_U32, VSENSOR_DEV_ID_MAX),
	[VSENSOR_A_DEV_SERIAL] = { .type = NLA_NUL_STRING,
				   .len = VSENSOR_SERIAL_LEN - 1 },
};

static const struct nla_policy vsensor_nl_session_revoke_policy[] = {
	[VSENSOR_A_SESSION_ID] = NLA_POLICY_MIN(NLA_U64, 1),
};

/* DEVICE_SET: built at init from the settings table (settings.c). */
static struct netlink_range_validation vsensor_nl_set_range[VSENSOR_NR_SETTINGS];
static struct nla_policy vsensor_nl_dev_set_policy[VSENSOR_A_MAX + 1];

static void vsensor_nl_build_set_policy(void)
{
	const struct vsensor_setting *set;
	unsigned int i;

	/* struct nla_policy has const members: copy, do not assign */
	memcpy(&vsensor_nl_dev_set_policy[VSENSOR_A_DEV_ID],
	       &vsensor_nl_dev_id_policy[VSENSOR_A_DEV_ID],
	       sizeof(struct nla_policy));
	for (i = 0; i < VSENSOR_NR_SETTINGS; i++) {
		const struct nla_policy pol =
			NLA_POLICY_FULL_RANGE(NLA_U32, &vsensor_nl_set_range[i]);

		set = &vsensor_settings[i];
		vsensor_nl_set_range[i].min = set->min;
		vsensor_nl_set_range[i].max = set->max;
		memcpy(&vsensor_nl_dev_set_policy[set->nla], &pol, sizeof(pol));
	}
}

/* The device id attribute, required: 0 or -EINVAL with the extack set. */
static int vsensor_nl_dev_id(struct genl_info *info, u32 *id)
{
	if (!info->attrs[VSENSOR_A_DEV_ID]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VSENSOR_A_DEV_ID);
		NL_SET_ERR_MSG(info->extack, "missing device id");
		return -EINVAL;
	}
	*id = nla_get_u32(info->attrs[VSENSOR_A_DEV_ID]);
	return 0;
}

static struct vsensor_dev *vsensor_nl_get_dev(struct genl_info *info)
{
	struct vsensor_dev *vdev;
	u32 id;

	if (vsensor_nl_dev_id(info, &id))
		return ERR_PTR(-EINVAL);
	vdev = vsensor_dev_get_by_id(id);
	if (!vdev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSENSOR_A_DEV_ID],
				    "no such device");
		return ERR_PTR(-ENOENT);
	}
	return vdev;
}

/* Device attributes; the settings and registers only while online. */
static int vsensor_nl_put_device(struct sk_buff *skb, struct vsensor_dev *vdev)
{
	const struct vsensor_info *info = &vdev->info;
	bool online = READ_ONCE(vdev->online);
	u32 fw = 0, rate = 0, val[VSENSOR_NR_SETTINGS];
	unsigned int i;

	if (nla_put_u32(skb, VSENSOR_A_DEV_ID, info->id) ||
	    nla_put_string(skb, VSENSOR_A_DEV_SERIAL, info->serial) ||
	    nla_put_string(skb, VSENSOR_A_DEV_MODEL, info->model) ||
	    nla_put_u8(skb, VSENSOR_A_DEV_ONLINE, online) ||
	    nla_put_u32(skb, VSENSOR_A_DEV_CHANNELS, info->nr_channels))
		return -EMSGSIZE;
	if (!online)
		return 0;

	/* from memory: a query does not wake a suspended device */
	mutex_lock(&vdev->cfg_lock);
	if (vsensor_dev_present(vdev)) {
		fw = vdev->fw_version;
		rate = vdev->rate;
	}
	mutex_unlock(&vdev->cfg_lock);
	if (nla_put_u32(skb, VSENSOR_A_DEV_FW_VERSION, fw) ||
	    nla_put_u32(skb, VSENSOR_A_DEV_SAMPLE_RATE, rate) ||
	    nla_put_u32(skb, VSENSOR_A_DEV_SESSIONS_OPEN,
			vsensor_dev_nr_sessions(vdev)))
		return -EMSGSIZE;
	if (vsensor_settings_get_all(vdev, val))
		return 0;
	for (i = 0; i < VSENSOR_NR_SETTINGS; i++)
		if (nla_put_u32(skb, vsensor_settings[i].nla, val[i]))
			return -EMSGSIZE;
	return 0;
}

static int vsensor_nl_fill_device(struct sk_buff *skb, struct vsensor_dev *vdev,
				  u32 portid, u32 seq, int flags, u8 cmd,
				  struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vsensor_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (vsensor_nl_put_device(skb, vdev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vsensor_nl_device_get_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct vsensor_dev *vdev;
	struct sk_buff *msg;
	int err;

	vdev = vsensor_nl_get_dev(info);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	msg = vsensor_fault_alloc(nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL));
	err = msg ? vsensor_nl_fill_device(msg, vdev, info->snd_portid,
					   info->snd_seq, 0,
					   VSENSOR_CMD_DEVICE_GET, NULL) :
		    -ENOMEM;
	vsensor_dev_put(vdev);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: index of the next device to dump. */
static int vsensor_nl_device_get_dumpit(struct sk_buff *skb,
					struct netlink_callback *cb)
{
	struct vsensor_dev *vdev;
	int err;

	cb->seq = vsensor_dev_generation();
	for (;; cb->args[0]++) {
		vdev = vsensor_dev_get_nth(cb->args[0]);
		if (!vdev)
			break;
		err = vsensor_nl_fill_device(skb, vdev,
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     VSENSOR_CMD_DEVICE_GET, cb);
		vsensor_dev_put(vdev);
		if (err)
			break;
	}
	return skb->len;
}

static int vsensor_nl_device_new_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct nlattr *serial_attr = info->attrs[VSENSOR_A_DEV_SERIAL];
	struct vsensor_bus_dev *bdev;
	const char *serial = NULL;
	u32 id;
	int err;

	err = vsensor_nl_dev_id(info, &id);
	if (err)
		return err;
	if (serial_attr) {
		serial = nla_data(serial_attr);
		if (!vsensor_serial_valid(serial)) {
			NL_SET_ERR_MSG_ATTR(info->extack, serial_attr,
					    "serial must be 1-31 of A-Z a-z 0-9 - _");
			return -EINVAL;
		}
	}
	bdev = vsensor_bus_dev_new(id, serial);
	if (IS_ERR(bdev)) {
		if (PTR_ERR(bdev) == -EEXIST)
			NL_SET_ERR_MSG(info->extack,
				       "device id or serial already in use");
		else
			NL_SET_ERR_MSG(info->extack, "cannot create the device");
		return PTR_ERR(bdev);
	}
	return 0;
}

static int vsensor_nl_device_del_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	u32 id;
	int err;

	err = vsensor_nl_dev_id(info, &id);
	if (err)
		return err;
	err = vsensor_bus_dev_del(id);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSENSOR_A_DEV_ID],
				    "no such device");
	return err;
}

/* Every value is checked (policy and table) before any is applied. */
static int vsensor_nl_device_set_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	u32 val[VSENSOR_NR_SETTINGS] = { 0 };
	const struct vsensor_setting *set;
	struct vsensor_dev *vdev;
	unsigned long mask = 0;
	struct nlattr *attr;
	unsigned int i;
	int err;

	for (i = 0; i < VSENSOR_NR_SETTINGS; i++) {
		set = &vsensor_settings[i];
		attr = info->attrs[set->nla];
		if (!attr)
			continue;
		val[i] = nla_get_u32(attr);
		if (val[i] < set->min || val[i] > set->max) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "value out of range");
			return -EINVAL;
		}
		mask |= BIT(i);
	}
	vdev = vsensor_nl_get_dev(info);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	if (!mask) {
		NL_SET_ERR_MSG(info->extack, "no setting given");
		err = -EINVAL;
	} else {
		err = vsensor_settings_apply(vdev, val, mask);
		if (err)
			NL_SET_ERR_MSG(info->extack, "device went away");
	}
	vsensor_dev_put(vdev);
	return err;
}

/* The session's configuration, one attribute per member, in a nest. */
static int vsensor_nl_put_config(struct sk_buff *skb,
				 const struct vsensor_config *cfg)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSENSOR_A_SESSION_CONFIG_NEST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VSENSOR_CONFIG_A_RATE_HZ, cfg->rate_hz) ||
	    nla_put_u32(skb, VSENSOR_CONFIG_A_CHANNEL_MASK, cfg->channel_mask) ||
	    nla_put_u32(skb, VSENSOR_CONFIG_A_WATERMARK, cfg->watermark) ||
	    nla_put_u32(skb, VSENSOR_CONFIG_A_RING_SIZE, cfg->ring_size) ||
	    nla_put_u32(skb, VSENSOR_CONFIG_A_CLOCK_ID, cfg->clock_id) ||
	    nla_put_u32(skb, VSENSOR_CONFIG_A_FLAGS, cfg->flags)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The session's counters, one attribute per member, in a nest. */
static int vsensor_nl_put_stats(struct sk_buff *skb,
				const struct vsensor_stats *st)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSENSOR_A_SESSION_STATS_NEST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VSENSOR_STATS_A_DELIVERED, st->delivered,
			      VSENSOR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSENSOR_STATS_A_DROPPED, st->dropped,
			      VSENSOR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSENSOR_STATS_A_OVERRUNS, st->overruns,
			      VSENSOR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSENSOR_STATS_A_WAKEUPS, st->wakeups,
			      VSENSOR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSENSOR_STATS_A_QUEUED, st->queued,
			      VSENSOR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VSENSOR_STATS_A_WRITTEN, st->written,
			      VSENSOR_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vsensor_nl_put_session(struct sk_buff *skb,
				  struct vsensor_session *s)
{
	struct vsensor_config cfg;
	struct vsensor_stats st;

	vsensor_session_get_config(s, &cfg);
	vsensor_session_get_stats(s, &st);
	if (nla_put_u64_64bit(skb, VSENSOR_A_SESSION_ID, s->id,
			      VSENSOR_A_PAD) ||
	    nla_put_u32(skb, VSENSOR_A_DEV_ID, s->vdev->info.id) ||
	    nla_put_u32(skb, VSENSOR_A_SESSION_PID, s->pid) ||
	    nla_put_string(skb, VSENSOR_A_SESSION_COMM, s->comm) ||
	    vsensor_nl_put_config(skb, &cfg) ||
	    vsensor_nl_put_stats(skb, &st))
		return -EMSGSIZE;
	return 0;
}

/*
 * Dump the sessions of one device from index @*idx, under its lock.
 * Returns -EMSGSIZE when the skb is full (@*idx is where to resume).
 */
static int vsensor_nl_dump_dev_sessions(struct sk_buff *skb,
					struct netlink_callback *cb,
					struct vsensor_dev *vdev, long *idx)
{
	struct vsensor_session *s;
	long i = 0;
	int err = 0;
	void *hdr;

	spin_lock_irq(&vdev->lock);
	list_for_each_entry(s, &vdev->sessions, dev_node) {
		if (i++ < *idx)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &vsensor_nl_family,
				  NLM_F_MULTI, VSENSOR_CMD_SESSION_GET);
		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (vsensor_nl_put_session(skb, s)) {
			genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		(*idx)++;
	}
	spin_unlock_irq(&vdev->lock);
	return err;
}

/* cb->args[0]: device index; cb->args[1]: session index in it. */
static int vsensor_nl_session_get_dumpit(struct sk_buff *skb,
					 struct netlink_callback *cb)
{
	struct vsensor_dev *vdev;
	int err;

	cb->seq = vsensor_dev_generation();
	for (;; cb->args[0]++, cb->args[1] = 0) {
		vdev = vsensor_dev_get_nth(cb->args[0]);
		if (!vdev)
			break;
		err = vsensor_nl_dump_dev_sessions(skb, cb, vdev, &cb->args[1]);
		vsensor_dev_put(vdev);
		if (err)
			break;
	}
	return skb->len;
}

static int vsensor_nl_session_revoke_doit(struct sk_buff *skb,
					  struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VSENSOR_A_SESSION_ID];
	struct vsensor_dev *vdev;
	bool found = false;
	unsigned long i;
	u64 id;

	if (!attr) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, VSENSOR_A_SESSION_ID);
		NL_SET_ERR_MSG(info->extack, "missing session id");
		return -EINVAL;
	}
	id = nla_get_u64(attr);
	for (i = 0; !found && (vdev = vsensor_dev_get_nth(i)); i++) {
		found = vsensor_session_revoke_id(vdev, id);
		vsensor_dev_put(vdev);
	}
	if (!found) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such session");
		return -ENOENT;
	}
	return 0;
}

static const struct genl_ops vsensor_nl_ops[] = {
	{
		.cmd = VSENSOR_CMD_DEVICE_GET,
		.doit = vsensor_nl_device_get_doit,
		.dumpit = vsensor_nl_device_get_dumpit,
		.policy = vsensor_nl_dev_id_policy,
		.maxattr = ARRAY_SIZE(vsensor_nl_dev_id_policy) - 1,
	},
	{
		.cmd = VSENSOR_CMD_DEVICE_NEW,
		.doit = vsensor_nl_device_new_doit,
		.policy = vsensor_nl_dev_new_policy,
		.maxattr = ARRAY_SIZE(vsensor_nl_dev_new_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VSENSOR_CMD_DEVICE_DEL,
		.doit = vsensor_nl_device_del_doit,
		.policy = vsensor_nl_dev_id_policy,
		.maxattr = ARRAY_SIZE(vsensor_nl_dev_id_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VSENSOR_CMD_DEVICE_SET,
		.doit = vsensor_nl_device_set_doit,
		.policy = vsensor_nl_dev_set_policy,
		.maxattr = ARRAY_SIZE(vsensor_nl_dev_set_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VSENSOR_CMD_SESSION_GET,
		.dumpit = vsensor_nl_session_get_dumpit,
	},
	{
		.cmd = VSENSOR_CMD_SESSION_REVOKE,
		.doit = vsensor_nl_session_revoke_doit,
		.policy = vsensor_nl_session_revoke_policy,
		.maxattr = ARRAY_SIZE(vsensor_nl_session_revoke_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family vsensor_nl_family = {
	.name = VSENSOR_GENL_NAME,
	.version = VSENSOR_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = vsensor_nl_ops,
	.n_ops = ARRAY_SIZE(vsensor_nl_ops),
	.mcgrps = vsensor_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vsensor_nl_mcgrps),
	/*
	 * No genl_mutex around the ops: each takes the lock of what it
	 * touches (the bus lock, the device list, cfg_lock), so a slow
	 * DEVICE_NEW probe does not stall every generic netlink family.
	 */
	.parallel_ops = true,
};

static bool vsensor_nl_listening(void)
{
	return genl_has_listeners(&vsensor_nl_family, &init_net,
				  VSENSOR_NL_MCGRP_EVENTS);
}

/* Device added, changed (with its attributes) or removed (identity only). */
static int vsensor_nl_put_device_event(struct sk_buff *msg,
				       const struct vsensor_event *ev)
{
	return vsensor_nl_put_device(msg, ev->vdev);
}

/* Session opened or closed. */
static int vsensor_nl_put_session_event(struct sk_buff *msg,
					const struct vsensor_event *ev)
{
	struct vsensor_session *s = ev->session;

	if (nla_put_u64_64bit(msg, VSENSOR_A_SESSION_ID, s->id,
			      VSENSOR_A_PAD) ||
	    nla_put_u32(msg, VSENSOR_A_DEV_ID, s->vdev->info.id) ||
	    nla_put_u32(msg, VSENSOR_A_SESSION_PID, s->pid) ||
	    nla_put_string(msg, VSENSOR_A_SESSION_COMM, s->comm))
		return -EMSGSIZE;
	return 0;
}

/* Raised in atomic context: the device, what was lost, and the detail. */
static int vsensor_nl_put_deferred_event(struct sk_buff *msg,
					 const struct vsensor_event *ev)
{
	if (nla_put_u32(msg, VSENSOR_A_DEV_ID, ev->vdev->info.id) ||
	    nla_put_u32(msg, VSENSOR_A_OVERRUN_LOST, ev->lost))
		return -EMSGSIZE;
	if (ev->cmd == VSENSOR_CMD_OVERRUN)
		return nla_put_u64_64bit(msg, VSENSOR_A_SESSION_ID,
					 ev->session_id, VSENSOR_A_PAD);
	return nla_put_u64_64bit(msg, VSENSOR_A_IOVA, ev->iova,
				 VSENSOR_A_PAD);
}

static const struct {
	u8 cmd;
	int (*put)(struct sk_buff *msg, const struct vsensor_event *ev);
} vsensor_nl_events[] = {
	{ VSENSOR_CMD_DEVICE_ADDED, vsensor_nl_put_device_event },
	{ VSENSOR_CMD_DEVICE_CHANGED, vsensor_nl_put_device_event },
	{ VSENSOR_CMD_DEVICE_REMOVED, vsensor_nl_put_device_event },
	{ VSENSOR_CMD_SESSION_OPENED, vsensor_nl_put_session_event },
	{ VSENSOR_CMD_SESSION_CLOSED, vsensor_nl_put_session_event },
	{ VSENSOR_CMD_OVERRUN, vsensor_nl_put_deferred_event },
	{ VSENSOR_CMD_IOMMU_FAULT, vsensor_nl_put_deferred_event },
};

/* An event of notify.c to the events group (process context). */
static void vsensor_nl_send_event(const struct vsensor_event *ev)
{
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	for (i = 0; i < ARRAY_SIZE(vsensor_nl_events); i++)
		if (vsensor_nl_events[i].cmd == ev->cmd)
			break;
	if (WARN_ON_ONCE(i == ARRAY_SIZE(vsensor_nl_events)))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &vsensor_nl_family, 0, ev->cmd);
	if (!hdr || vsensor_nl_events[i].put(msg, ev)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&vsensor_nl_family, msg, 0, VSENSOR_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
}

static const struct vsensor_listener vsensor_nl_listener = {
	.listening = vsensor_nl_listening,
	.send = vsensor_nl_send_event,
};

int vsensor_nl_init(void)
{
	int err;

	vsensor_nl_build_set_policy();
	err = genl_register_family(&vsensor_nl_family);
	if (err)
		return err;
	vsensor_notify_register(&vsensor_nl_listener);
	return 0;
}

void vsensor_nl_exit(void)
{
	vsensor_notify_unregister();
	genl_unregister_family(&vsensor_nl_family);
}
