// SPDX-License-Identifier: GPL-2.0
/*
 * Guest tests of the generic netlink family "vsensor": the bad-input table
 * of every command (missing, wrong-type, out-of-range attributes: exact
 * errno and extack message, nothing changed), EPERM for non-root on every
 * mutating command, DEVICE_GET/SET through libvsensor, SESSION_GET and
 * SESSION_REVOKE (a writer blocked on a full transmit FIFO ends with ENODEV
 * at once; the revoked session no longer drives the rate or holds the
 * device awake), and a monitor that receives each notification once.
 * Requests are built by hand here so that any attribute can be malformed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vsensor/vsensor.h>

#include "common.h"

#define DEV_ID	40

struct attr {
	unsigned short type;
	unsigned short len;	/* payload bytes; 0 ends the list */
	unsigned char data[48];
};

#define U8(t, v)	{ (t), 1, { (v) } }
#define U32(t, v)	{ (t), 4, { (v) & 0xff, ((v) >> 8) & 0xff, \
				    ((v) >> 16) & 0xff, ((unsigned)(v) >> 24) & 0xff } }
#define U64(t, v)	{ (t), 8, { (v) & 0xff, ((v) >> 8) & 0xff, \
				    ((v) >> 16) & 0xff, ((v) >> 24) & 0xff } }
#define STR(t, s)	{ (t), sizeof(s), s }
#define RAW(t, s)	{ (t), sizeof(s) - 1, s }

/* Resolve the family id with CTRL_CMD_GETFAMILY on @fd. */
static int resolve_family(int fd)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[64];
	} req = { 0 };
	char reply[4096];
	struct nlattr *a;
	struct nlmsghdr *h;
	int len, rem;

	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	a = (struct nlattr *)req.buf;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(VSENSOR_GENL_NAME);
	memcpy((char *)a + NLA_HDRLEN, VSENSOR_GENL_NAME, sizeof(VSENSOR_GENL_NAME));
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(a->nla_len);
	ck_assert_int_eq(send(fd, &req, req.n.nlmsg_len, 0), req.n.nlmsg_len);
	len = recv(fd, reply, sizeof(reply), 0);
	h = (struct nlmsghdr *)reply;
	ck_assert_msg(len > 0 && h->nlmsg_type == GENL_ID_CTRL,
		      "family %s not found", VSENSOR_GENL_NAME);
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (; rem >= NLA_HDRLEN; rem -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(unsigned short *)((char *)a + NLA_HDRLEN);
	ck_abort_msg("no family id");
	return -1;
}

static int nl_socket(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
				    sizeof(one)), 0);
	ck_assert_int_eq(setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
				    sizeof(one)), 0);
	return fd;
}

/*
 * Send @cmd with @attrs (ends at len 0) as a request with an ack; returns
 * 0 or the kernel's -errno, its extack message in @msg.
 */
static int nl_do(uint8_t cmd, const struct attr *attrs, char *msg, size_t len)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[512];
	} req = { 0 };
	char reply[8192];
	struct nlmsghdr *h;
	struct nlattr *a;
	int fd = nl_socket(), family = resolve_family(fd), off = 0, r, err = 1;

	req.n.nlmsg_type = family;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.g.cmd = cmd;
	req.g.version = VSENSOR_GENL_VERSION;
	for (; attrs && attrs->len; attrs++) {
		a = (struct nlattr *)(req.buf + off);
		a->nla_type = attrs->type;
		a->nla_len = NLA_HDRLEN + attrs->len;
		memcpy((char *)a + NLA_HDRLEN, attrs->data, attrs->len);
		off += NLA_ALIGN(a->nla_len);
	}
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + off;
	ck_assert_int_eq(send(fd, &req, req.n.nlmsg_len, 0), req.n.nlmsg_len);
	msg[0] = '\0';
	while (err > 0) {
		r = recv(fd, reply, sizeof(reply), 0);
		ck_assert_int_gt(r, 0);
		for (h = (struct nlmsghdr *)reply; NLMSG_OK(h, (unsigned int)r);
		     h = NLMSG_NEXT(h, r)) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			int rem;

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			err = e->error;
			a = (struct nlattr *)(e + 1);
			rem = h->nlmsg_len - NLMSG_LENGTH(sizeof(*e));
			for (; rem >= NLA_HDRLEN; rem -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
				if (a->nla_type == NLMSGERR_ATTR_MSG)
					snprintf(msg, len, "%s",
						 (char *)a + NLA_HDRLEN);
			break;
		}
	}
	close(fd);
	return err;
}

struct bad_input {
	const char *what;
	uint8_t cmd;
	struct attr attrs[4];
	int err;
	const char *extack;
};

static const struct bad_input bad_inputs[] = {
	{ "get: no id", VSENSOR_CMD_DEVICE_GET, { { 0 } },
	  -EINVAL, "missing device id" },
	{ "get: id as u8", VSENSOR_CMD_DEVICE_GET,
	  { U8(VSENSOR_A_DEV_ID, 0) }, -EINVAL, "invalid attribute length" },
	{ "get: id 256", VSENSOR_CMD_DEVICE_GET,
	  { U32(VSENSOR_A_DEV_ID, 256) }, -ERANGE, "integer out of range" },
	{ "get: absent id", VSENSOR_CMD_DEVICE_GET,
	  { U32(VSENSOR_A_DEV_ID, 99) }, -ENOENT, "no such device" },
	{ "get: unknown attribute", VSENSOR_CMD_DEVICE_GET,
	  { U32(VSENSOR_A_DEV_ID, 0), U32(200, 1) }, -EINVAL,
	  "Unknown attribute type" },
	{ "new: no id", VSENSOR_CMD_DEVICE_NEW,
	  { STR(VSENSOR_A_DEV_SERIAL, "S1") }, -EINVAL, "missing device id" },
	{ "new: id 256", VSENSOR_CMD_DEVICE_NEW,
	  { U32(VSENSOR_A_DEV_ID, 256) }, -ERANGE, "integer out of range" },
	{ "new: id as u64", VSENSOR_CMD_DEVICE_NEW,
	  { U64(VSENSOR_A_DEV_ID, 41) }, -EINVAL, "invalid attribute length" },
	{ "new: serial too long", VSENSOR_CMD_DEVICE_NEW,
	  { U32(VSENSOR_A_DEV_ID, 41),
	    STR(VSENSOR_A_DEV_SERIAL, "0123456789012345678901234567890123") },
	  -EINVAL, "Attribute failed policy validation" },
	{ "new: serial without NUL", VSENSOR_CMD_DEVICE_NEW,
	  { U32(VSENSOR_A_DEV_ID, 41), RAW(VSENSOR_A_DEV_SERIAL, "ABCD") },
	  -EINVAL, "Attribute failed policy validation" },
	{ "new: serial with a slash", VSENSOR_CMD_DEVICE_NEW,
	  { U32(VSENSOR_A_DEV_ID, 41), STR(VSENSOR_A_DEV_SERIAL, "a/b") },
	  -EINVAL, "serial must be 1-31 of A-Z a-z 0-9 - _" },
	{ "new: empty serial", VSENSOR_CMD_DEVICE_NEW,
	  { U32(VSENSOR_A_DEV_ID, 41), STR(VSENSOR_A_DEV_SERIAL, "") },
	  -EINVAL, "serial must be 1-31 of A-Z a-z 0-9 - _" },
	{ "new: existing id", VSENSOR_CMD_DEVICE_NEW,
	  { U32(VSENSOR_A_DEV_ID, 0) }, -EEXIST,
	  "device id or serial already in use" },
	{ "new: existing serial", VSENSOR_CMD_DEVICE_NEW,
	  { U32(VSENSOR_A_DEV_ID, 41),
	    STR(VSENSOR_A_DEV_SERIAL, "VSN1000-000000") }, -EEXIST,
	  "device id or serial already in use" },
	{ "del: no id", VSENSOR_CMD_DEVICE_DEL, { { 0 } },
	  -EINVAL, "missing device id" },
	{ "del: id as string", VSENSOR_CMD_DEVICE_DEL,
	  { STR(VSENSOR_A_DEV_ID, "0") }, -EINVAL, "invalid attribute length" },
	{ "del: absent id", VSENSOR_CMD_DEVICE_DEL,
	  { U32(VSENSOR_A_DEV_ID, 99) }, -ENOENT, "no such device" },
	{ "set: no id", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_WAVEFORM, 2) }, -EINVAL, "missing device id" },
	{ "set: nothing to set", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 0) }, -EINVAL, "no setting given" },
	{ "set: absent id", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 99), U32(VSENSOR_A_DEV_WAVEFORM, 2) },
	  -ENOENT, "no such device" },
	{ "set: waveform 0", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 0), U32(VSENSOR_A_DEV_WAVEFORM, 0) },
	  -ERANGE, "integer out of range" },
	{ "set: waveform 5", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 0), U32(VSENSOR_A_DEV_WAVEFORM, 5) },
	  -ERANGE, "integer out of range" },
	{ "set: amplitude too high, with a good waveform",
	  VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 0), U32(VSENSOR_A_DEV_WAVEFORM, 2),
	    U32(VSENSOR_A_DEV_AMPLITUDE, 1000001) },
	  -ERANGE, "integer out of range" },
	{ "set: frequency 0, with a good amplitude", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 0), U32(VSENSOR_A_DEV_AMPLITUDE, 5),
	    U32(VSENSOR_A_DEV_FREQUENCY, 0) },
	  -ERANGE, "integer out of range" },
	{ "set: frequency as u8", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 0), U8(VSENSOR_A_DEV_FREQUENCY, 5) },
	  -EINVAL, "invalid attribute length" },
	{ "set: a read-only attribute", VSENSOR_CMD_DEVICE_SET,
	  { U32(VSENSOR_A_DEV_ID, 0), U32(VSENSOR_A_DEV_CHANNELS, 2) },
	  -EINVAL, "Unsupported attribute" },
	{ "revoke: no id", VSENSOR_CMD_SESSION_REVOKE, { { 0 } },
	  -EINVAL, "missing session id" },
	{ "revoke: id 0", VSENSOR_CMD_SESSION_REVOKE,
	  { U64(VSENSOR_A_SESSION_ID, 0) }, -ERANGE, "integer out of range" },
	{ "revoke: id as u32", VSENSOR_CMD_SESSION_REVOKE,
	  { U32(VSENSOR_A_SESSION_ID, 1) }, -EINVAL, "invalid attribute length" },
	{ "revoke: absent session", VSENSOR_CMD_SESSION_REVOKE,
	  { U64(VSENSOR_A_SESSION_ID, 0xfffff0) }, -ENOENT, "no such session" },
	{ "unknown command", 99, { { 0 } }, -EOPNOTSUPP, "" },
};

/* What a refused request must leave alone: devices and settings. */
static void snapshot(char *buf, size_t len)
{
	char w[32], a[32], f[32];
	FILE *p = popen("ls /sys/bus/vsensor/devices | tr '\\n' ' '", "re");

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(buf, (int)len / 2, p));
	pclose(p);
	vt_sysfs_get(0, "waveform", w, sizeof(w));
	vt_sysfs_get(0, "amplitude", a, sizeof(a));
	vt_sysfs_get(0, "frequency_mhz", f, sizeof(f));
	snprintf(buf + strlen(buf), len - strlen(buf), "| %s %s %s", w, a, f);
}

START_TEST(test_bad_input)
{
	const struct bad_input *t = &bad_inputs[_i];
	char before[256], after[256], msg[256];
	int err;

	snapshot(before, sizeof(before));
	err = nl_do(t->cmd, t->attrs, msg, sizeof(msg));
	ck_assert_msg(err == t->err, "%s: error %d (%s), expected %d", t->what,
		      err, msg, t->err);
	ck_assert_msg(!strcmp(msg, t->extack), "%s: extack \"%s\", expected \"%s\"",
		      t->what, msg, t->extack);
	snapshot(after, sizeof(after));
	ck_assert_str_eq(after, before);
}
END_TEST

/* Every command that changes state is refused to non-root with EPERM. */
START_TEST(test_eperm_for_non_root)
{
	static const struct {
		uint8_t cmd;
		struct attr attrs[3];
	} mutating[] = {
		{ VSENSOR_CMD_DEVICE_NEW, { U32(VSENSOR_A_DEV_ID, 42) } },
		{ VSENSOR_CMD_DEVICE_DEL, { U32(VSENSOR_A_DEV_ID, 0) } },
		{ VSENSOR_CMD_DEVICE_SET, { U32(VSENSOR_A_DEV_ID, 0),
					    U32(VSENSOR_A_DEV_WAVEFORM, 3) } },
		{ VSENSOR_CMD_SESSION_REVOKE, { U64(VSENSOR_A_SESSION_ID, 1) } },
	};
	char before[256], after[256], msg[256];
	pid_t pid;
	int st;
	size_t i;

	snapshot(before, sizeof(before));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		for (i = 0; i < sizeof(mutating) / sizeof(mutating[0]); i++)
			if (nl_do(mutating[i].cmd, mutating[i].attrs, msg,
				  sizeof(msg)) != -EPERM)
				_exit(1 + (int)i);
		/* reading is allowed */
		if (nl_do(VSENSOR_CMD_DEVICE_GET,
			  (struct attr[]){ U32(VSENSOR_A_DEV_ID, 0), { 0 } },
			  msg, sizeof(msg)))
			_exit(50);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "non-root child failed at step %d", WEXITSTATUS(st));
	snapshot(after, sizeof(after));
	ck_assert_str_eq(after, before);
}
END_TEST

/*
 * DEVICE_SET is all or nothing for readers too: with the ops running in
 * parallel (parallel_ops), a DEVICE_GET beside a setter that flips two
 * settings together in one request sees either pair, never a mix.
 */
static volatile int half_stop;

static void *half_setter(void *arg)
{
	static const struct vsensor_nl_setting pairs[2][2] = {
		{ { VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_SQUARE },
		  { VSENSOR_A_DEV_AMPLITUDE, 500 } },
		{ { VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_SINE },
		  { VSENSOR_A_DEV_AMPLITUDE, 1000 } },
	};
	struct vsensor_nl *nl = vsensor_nl_open();
	unsigned long *sets = arg;

	if (!nl)
		return NULL;
	while (!half_stop)
		if (!vsensor_nl_device_set(nl, DEV_ID, pairs[*sets & 1], 2))
			(*sets)++;
	vsensor_nl_close(nl);
	return NULL;
}

/* DEVICE_GET of @id, which must answer; vsensor_nl_device_free() it. */
static struct vsensor_nl_device *get_dev(struct vsensor_nl *nl, unsigned int id)
{
	struct vsensor_nl_device *dev = vsensor_nl_device_get(nl, id);

	ck_assert_msg(dev, "DEVICE_GET %u: %s", id, strerror(errno));
	return dev;
}

START_TEST(test_device_get_never_half)
{
	struct vsensor_nl *nl = vsensor_nl_open();
	struct vsensor_nl_device *dev;
	unsigned long sets = 0, gets = 0, half = 0;
	uint64_t end;
	pthread_t th;

	ck_assert_ptr_nonnull(nl);
	half_stop = 0;
	ck_assert_int_eq(pthread_create(&th, NULL, half_setter, &sets), 0);
	end = vt_now_ns(VSENSOR_CLOCK_MONOTONIC) + 2000000000ull;
	while (vt_now_ns(VSENSOR_CLOCK_MONOTONIC) < end) {
		dev = get_dev(nl, DEV_ID);
		gets++;
		if (!((vsensor_nl_device_get_waveform(dev) == VSENSOR_WAVEFORM_SQUARE &&
		       vsensor_nl_device_get_amplitude(dev) == 500) ||
		      (vsensor_nl_device_get_waveform(dev) == VSENSOR_WAVEFORM_SINE &&
		       vsensor_nl_device_get_amplitude(dev) == 1000)))
			half++;
		vsensor_nl_device_free(dev);
	}
	half_stop = 1;
	pthread_join(th, NULL);
	printf("# %lu sets, %lu gets, %lu half-applied\n", sets, gets, half);
	ck_assert_uint_gt(sets, 10);	/* 141 in 2 s on the debug kernel */
	ck_assert_uint_eq(half, 0);
	vsensor_nl_close(nl);
}
END_TEST

static void dev_setup(void)
{
	vt_bus_write("del_device", "40");
	ck_assert_int_eq(vt_bus_write("new_device", "40"), 0);
}

static void dev_teardown(void)
{
	vt_bus_write("del_device", "40");
}

START_TEST(test_device_get_set)
{
	static const struct vsensor_nl_setting set[] = {
		{ VSENSOR_A_DEV_WAVEFORM, VSENSOR_WAVEFORM_RAMP },
		{ VSENSOR_A_DEV_AMPLITUDE, 777 },
		{ VSENSOR_A_DEV_FREQUENCY, 2500 },
	};
	struct vsensor_nl *nl = vsensor_nl_open();
	struct vsensor_nl_device *dev;
	char buf[32];

	ck_assert_ptr_nonnull(nl);
	dev = get_dev(nl, DEV_ID);
	ck_assert_uint_eq(vsensor_nl_device_get_id(dev), DEV_ID);
	ck_assert_str_eq(vsensor_nl_device_get_serial(dev), "VSN1000-000040");
	ck_assert_str_eq(vsensor_nl_device_get_model(dev), "VSN1000");
	ck_assert(vsensor_nl_device_is_online(dev));
	ck_assert_uint_eq(vsensor_nl_device_get_fw_version(dev), 0x01010000);
	ck_assert_uint_eq(vsensor_nl_device_get_num_channels(dev), 4);
	ck_assert_uint_eq(vsensor_nl_device_get_num_sessions(dev), 0);
	ck_assert_uint_eq(vsensor_nl_device_get_waveform(dev), VSENSOR_WAVEFORM_SINE);
	ck_assert_uint_eq(vsensor_nl_device_get_amplitude(dev), 1000);
	ck_assert_uint_eq(vsensor_nl_device_get_frequency_mhz(dev), 1000);
	vsensor_nl_device_free(dev);

	ck_assert_int_eq(vsensor_nl_device_set(nl, DEV_ID, set, 3), 0);
	vt_sysfs_get(DEV_ID, "waveform", buf, sizeof(buf));
	ck_assert_str_eq(buf, "ramp");
	vt_sysfs_get(DEV_ID, "amplitude", buf, sizeof(buf));
	ck_assert_str_eq(buf, "777");
	vt_sysfs_get(DEV_ID, "frequency_mhz", buf, sizeof(buf));
	ck_assert_str_eq(buf, "2500");
	dev = get_dev(nl, DEV_ID);
	ck_assert_uint_eq(vsensor_nl_device_get_waveform(dev), VSENSOR_WAVEFORM_RAMP);
	ck_assert_uint_eq(vsensor_nl_device_get_amplitude(dev), 777);
	ck_assert_uint_eq(vsensor_nl_device_get_frequency_mhz(dev), 2500);
	vsensor_nl_device_free(dev);

	/* the library reports the kernel's refusal and its message */
	ck_assert_int_eq(vsensor_nl_device_del(nl, 99), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(vsensor_nl_get_error(nl), "no such device");
	vsensor_nl_close(nl);
}
END_TEST

/* Wait (5 s at most) until runtime PM has put the device in D3. */
#define WAIT_D3 "for i in $(seq 50); do " \
	"grep -qx D3 /sys/bus/vsensor/devices/vsensor%u/power_state && " \
	"exit 0; sleep 0.1; done; exit 1"

/*
 * DEVICE_SET and DEVICE_GET on a suspended device: the settings come from
 * the device, resumed for the access, the constants and the rate from
 * memory; the device refused no register access in D3 (it counts those,
 * and says so in the kernel log).
 */
START_TEST(test_device_in_d3)
{
	static const struct vsensor_nl_setting set[] = {
		{ VSENSOR_A_DEV_AMPLITUDE, 555 },
	};
	struct vsensor_nl *nl = vsensor_nl_open();
	struct vsensor_nl_device *dev;
	char buf[32];

	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(vt_bus_write("devices/vsensor40/power/autosuspend_delay_ms",
				      "100"), 0);
	ck_assert_int_eq(vt_sh(WAIT_D3, DEV_ID), 0);
	ck_assert_int_eq(vsensor_nl_device_set(nl, DEV_ID, set, 1), 0);
	ck_assert_int_eq(vt_sh(WAIT_D3, DEV_ID), 0);
	dev = get_dev(nl, DEV_ID);
	ck_assert_uint_eq(vsensor_nl_device_get_fw_version(dev), 0x01010000);
	ck_assert_uint_eq(vsensor_nl_device_get_sample_rate(dev), 100);
	ck_assert_uint_eq(vsensor_nl_device_get_amplitude(dev), 555);
	ck_assert_uint_eq(vsensor_nl_device_get_waveform(dev), VSENSOR_WAVEFORM_SINE);
	vsensor_nl_device_free(dev);
	vt_sysfs_get(DEV_ID, "d3_accesses", buf, sizeof(buf));
	ck_assert_str_eq(buf, "0");
	vsensor_nl_close(nl);
}
END_TEST

static int count_dev(const struct vsensor_nl_device *dev, void *data)
{
	unsigned int *seen = data;

	if (vsensor_nl_device_get_id(dev) == 0)
		seen[0]++;
	if (vsensor_nl_device_get_id(dev) == DEV_ID)
		seen[1]++;
	return 0;
}

START_TEST(test_device_dump)
{
	struct vsensor_nl *nl = vsensor_nl_open();
	unsigned int seen[2] = { 0, 0 };

	ck_assert_int_eq(vsensor_nl_device_list(nl, count_dev, seen), 0);
	ck_assert_uint_eq(seen[0], 1);
	ck_assert_uint_eq(seen[1], 1);
	vsensor_nl_close(nl);
}
END_TEST

static int stop_at_first(const struct vsensor_nl_device *dev, void *data)
{
	unsigned int *calls = data;

	(void)dev;
	(*calls)++;
	return 1;
}

/*
 * A non-zero return stops the walk: no more calls, a clean 0, and the
 * same handle answers the next request (the dump was drained).
 */
START_TEST(test_device_dump_stop)
{
	struct vsensor_nl *nl = vsensor_nl_open();
	unsigned int seen[2] = { 0, 0 }, calls = 0;
	struct vsensor_nl_device *dev;

	ck_assert_int_eq(vsensor_nl_device_list(nl, stop_at_first, &calls), 0);
	ck_assert_uint_eq(calls, 1);
	dev = get_dev(nl, DEV_ID);
	ck_assert_uint_eq(vsensor_nl_device_get_id(dev), DEV_ID);
	vsensor_nl_device_free(dev);
	ck_assert_int_eq(vsensor_nl_device_list(nl, count_dev, seen), 0);
	ck_assert_uint_eq(seen[0], 1);
	ck_assert_uint_eq(seen[1], 1);
	vsensor_nl_close(nl);
}
END_TEST

/* What the tests check of a session, kept past the callback. */
struct session_seen {
	uint64_t id;
	uint32_t pid;
	char comm[16];
	struct vsensor_config config;
};

struct sessions {
	unsigned int n;
	struct session_seen s[8];
};

static int collect_session(const struct vsensor_nl_session *s, void *data)
{
	struct sessions *all = data;

	struct session_seen *seen;

	if (vsensor_nl_session_get_dev_id(s) != DEV_ID || all->n >= 8)
		return 0;
	seen = &all->s[all->n++];
	seen->id = vsensor_nl_session_get_id(s);
	seen->pid = vsensor_nl_session_get_pid(s);
	snprintf(seen->comm, sizeof(seen->comm), "%s",
		 vsensor_nl_session_get_comm(s));
	seen->config = *vsensor_nl_session_get_config(s);
	return 0;
}

START_TEST(test_sessions_and_revoke)
{
	struct vsensor_nl *nl = vsensor_nl_open();
	struct sessions all = { 0 };
	struct vsensor_config cfg;
	struct vsensor_record rec;
	struct pollfd pfd;
	uint64_t last;
	int a, b;

	a = vt_open_bus_dev(DEV_ID, O_RDWR);
	b = vt_open_bus_dev(DEV_ID, O_RDWR);
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	vt_set_rate(b, 250, 0);
	ck_assert_int_eq(vsensor_nl_session_list(nl, collect_session, &all), 0);
	ck_assert_uint_eq(all.n, 2);
	ck_assert_uint_gt(all.s[1].id, all.s[0].id);
	ck_assert_uint_eq(all.s[0].pid, (unsigned int)getpid());
	ck_assert_str_eq(all.s[0].comm, "t-netlink");
	ck_assert_uint_eq(all.s[0].config.rate_hz, 100);
	ck_assert_uint_eq(all.s[1].config.rate_hz, 250);
	ck_assert_uint_eq(all.s[1].config.ring_size, 1024);

	/* revoke a: cut off at once; b goes on */
	ck_assert_int_eq(vsensor_nl_session_revoke(nl, all.s[0].id), 0);
	ck_assert_int_eq(read(a, &rec, sizeof(rec)), -1);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(ioctl(a, VSENSOR_IOC_GET_CONFIG, &cfg), -1);
	ck_assert_int_eq(errno, ENODEV);
	memset(&rec, 0, sizeof(rec));
	ck_assert_int_eq(write(a, &rec, sizeof(rec)), -1);
	ck_assert_int_eq(errno, ENODEV);
	pfd = (struct pollfd){ .fd = a, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 100), 1);
	ck_assert_int_eq(pfd.revents, POLLHUP | POLLERR);
	ck_assert_int_eq(read(b, &rec, sizeof(rec)), sizeof(rec));
	vt_get_config(b, &cfg);
	close(a);
	close(b);

	/* ids only grow */
	last = all.s[1].id;
	a = vt_open_bus_dev(DEV_ID, O_RDWR);
	all.n = 0;
	ck_assert_int_eq(vsensor_nl_session_list(nl, collect_session, &all), 0);
	ck_assert_uint_eq(all.n, 1);
	ck_assert_uint_gt(all.s[0].id, last);
	close(a);
	vsensor_nl_close(nl);
}
END_TEST

/* The id of the only session open on DEV_ID. */
static uint64_t only_session_id(struct vsensor_nl *nl)
{
	struct sessions all = { 0 };

	ck_assert_int_eq(vsensor_nl_session_list(nl, collect_session, &all), 0);
	ck_assert_uint_eq(all.n, 1);
	return all.s[0].id;
}

struct blocked_writer {
	int fd;
	ssize_t ret;
	int err;
	int done;
};

static void *blocked_write(void *p)
{
	static struct vsensor_record recs[600];
	struct blocked_writer *w = p;

	w->ret = write(w->fd, recs, sizeof(recs));
	w->err = errno;
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A writer blocked on a full transmit FIFO when its session is revoked:
 * the write ends with ENODEV at once. (It used to go on injecting its
 * stimulus, unkillable, until the whole buffer was in: 6 s at 100 Hz.)
 */
START_TEST(test_revoke_blocked_write)
{
	struct vsensor_nl *nl = vsensor_nl_open();
	struct blocked_writer w = { 0 };
	struct vsensor_record rec = { 0 };
	uint64_t t0, took;
	pthread_t t;
	int i;

	w.fd = vt_open_bus_dev(DEV_ID, O_RDWR | O_NONBLOCK);
	ck_assert_int_ge(w.fd, 0);
	vt_set_rate(w.fd, 100, 0);	/* the sensor takes 100 stimuli a second */
	for (i = 0; i < 1000 && write(w.fd, &rec, sizeof(rec)) > 0; i++)
		;
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fcntl(w.fd, F_SETFL, 0), 0);
	pthread_create(&t, NULL, blocked_write, &w);
	usleep(300000);
	ck_assert_int_eq(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 0);
	t0 = vt_now_ns(CLOCK_MONOTONIC);
	ck_assert_int_eq(vsensor_nl_session_revoke(nl, only_session_id(nl)), 0);
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE) &&
	       vt_now_ns(CLOCK_MONOTONIC) - t0 < 3000000000ull * vt_slow())
		usleep(1000);
	took = vt_now_ns(CLOCK_MONOTONIC) - t0;
	printf("# blocked write after the revoke: returned %zd (%s) after %.1f ms\n",
	       w.ret, w.done && w.ret < 0 ? strerror(w.err) : "-", took / 1e6);
	ck_assert_msg(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE),
		      "the blocked write is still running 3 s after the revoke");
	ck_assert_uint_lt(took, 500000000ull * vt_slow());
	ck_assert_int_eq(w.ret, -1);
	ck_assert_int_eq(w.err, ENODEV);
	pthread_join(t, NULL);
	close(w.fd);
	vsensor_nl_close(nl);
}
END_TEST

static void dev_attr(const char *attr, char *buf, size_t len)
{
	vt_sysfs_get(DEV_ID, attr, buf, len);
}

/*
 * A revoked session leaves its queue: its rate no longer drives the
 * hardware and it no longer holds the device awake (runtime PM).
 */
START_TEST(test_revoke_detaches)
{
	struct vsensor_nl *nl = vsensor_nl_open();
	struct vsensor_config cfg;
	char buf[64];
	uint64_t id;
	int a, b, i;

	a = vt_open_bus_dev(DEV_ID, O_RDONLY);
	ck_assert_int_ge(a, 0);
	id = only_session_id(nl);
	b = vt_open_bus_dev(DEV_ID, O_RDONLY);
	ck_assert_int_ge(b, 0);
	/* b starts (its first ioctl) at the default 100 Hz */
	vt_get_config(b, &cfg);
	vt_set_rate(a, 1000, 0);
	dev_attr("sample_rate", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1000");

	ck_assert_int_eq(vsensor_nl_session_revoke(nl, id), 0);
	dev_attr("sample_rate", buf, sizeof(buf));
	ck_assert_msg(!strcmp(buf, "100"),
		      "sample_rate %s after the 1000 Hz session's revoke", buf);
	dev_attr("sessions_open", buf, sizeof(buf));
	ck_assert_str_eq(buf, "2");	/* still open, like a revoked evdev client */

	/* b closes: the revoked a alone must not keep the device awake */
	close(b);
	for (i = 0; i < 40; i++) {
		usleep(100000 * vt_slow());
		dev_attr("power/runtime_status", buf, sizeof(buf));
		if (!strcmp(buf, "suspended"))
			break;
	}
	ck_assert_msg(!strcmp(buf, "suspended"),
		      "runtime_status %s 4 s after the last live session closed",
		      buf);
	close(a);
	vsensor_nl_close(nl);
}
END_TEST

struct seen {
	unsigned int count[VSENSOR_CMD_MAX + 1];
	uint64_t overrun_session;
};

static int count_event(const struct vsensor_nl_event *ev, void *data)
{
	struct seen *seen = data;

	unsigned int cmd = vsensor_nl_event_get_cmd(ev);

	if (vsensor_nl_device_get_id(vsensor_nl_event_get_device(ev)) == DEV_ID &&
	    cmd <= VSENSOR_CMD_MAX)
		seen->count[cmd]++;
	if (cmd == VSENSOR_CMD_OVERRUN)
		seen->overrun_session =
			vsensor_nl_session_get_id(vsensor_nl_event_get_session(ev));
	return 0;
}

static void drain_events(struct vsensor_nl *nl, struct seen *seen, int ms)
{
	struct pollfd pfd = { .fd = vsensor_nl_get_fd(nl), .events = POLLIN };

	while (poll(&pfd, 1, ms) == 1)
		ck_assert_int_eq(vsensor_nl_event_read(nl, count_event, seen), 0);
}

/* Each kind of notification, exactly once per event. */
START_TEST(test_monitor)
{
	struct vsensor_nl *mon = vsensor_nl_open();
	struct vsensor_config cfg;
	struct seen seen = { 0 };
	int fd;

	ck_assert_ptr_nonnull(mon);
	vt_bus_write("del_device", "40");
	ck_assert_int_eq(vsensor_nl_subscribe(mon), 0);
	ck_assert_int_eq(vt_bus_write("new_device", "40"), 0);
	ck_assert_int_eq(vt_sh("echo square > " VT_SYSFS_DEV "vsensor40/waveform"), 0);
	fd = vt_open_bus_dev(DEV_ID, O_RDWR);
	ck_assert_int_ge(fd, 0);
	vt_get_config(fd, &cfg);
	cfg.rate_hz = 1000;
	cfg.ring_size = 2;
	vt_set_config(fd, &cfg);
	usleep(300 * 1000);	/* the ring overflows once and stays full */
	close(fd);
	ck_assert_int_eq(vt_bus_write("del_device", "40"), 0);
	drain_events(mon, &seen, 500);

	ck_assert_uint_eq(seen.count[VSENSOR_CMD_DEVICE_ADDED], 1);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_DEVICE_CHANGED], 1);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_SESSION_OPENED], 1);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_OVERRUN], 1);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_SESSION_CLOSED], 1);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_DEVICE_REMOVED], 1);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_IOMMU_FAULT], 0);
	ck_assert_uint_gt(seen.overrun_session, 0);
	vsensor_nl_close(mon);
}
END_TEST

/*
 * Events on their own socket: requests on a subscribed handle keep working
 * while notifications wait, and an empty non-blocking read is EAGAIN.
 */
START_TEST(test_subscribed_requests)
{
	struct vsensor_nl *nl = vsensor_nl_open();
	struct vsensor_nl_device *dev;
	struct seen seen = { 0 };
	int fd;

	ck_assert_ptr_nonnull(nl);
	vt_bus_write("del_device", "40");
	ck_assert_int_eq(vsensor_nl_event_read(nl, count_event, &seen), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vsensor_nl_subscribe(nl), 0);
	fd = vsensor_nl_get_fd(nl);
	ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
	ck_assert_int_eq(vsensor_nl_event_read(nl, count_event, &seen), -1);
	ck_assert_int_eq(errno, EAGAIN);
	/* a notification is queued before the reply to the next request */
	ck_assert_int_eq(vt_bus_write("new_device", "40"), 0);
	dev = get_dev(nl, DEV_ID);
	ck_assert_uint_eq(vsensor_nl_device_get_id(dev), DEV_ID);
	vsensor_nl_device_free(dev);
	ck_assert_int_eq(vsensor_nl_device_del(nl, DEV_ID), 0);
	drain_events(nl, &seen, 500);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_DEVICE_ADDED], 1);
	ck_assert_uint_eq(seen.count[VSENSOR_CMD_DEVICE_REMOVED], 1);
	vsensor_nl_close(nl);
}
END_TEST

/*
 * DEVICE_SET racing the addition and the removal: the events group hears
 * of device 40 only in the order ADDED, CHANGED..., REMOVED, and nothing
 * between its REMOVED and the next ADDED. Setter threads hammer the device
 * through their own handles while it is created and deleted again.
 */
#define ORDER_ROUNDS	40
#define ORDER_SETTERS	3

struct order {
	int present;			/* ADDED seen, REMOVED not yet */
	unsigned int added, removed, changed;
	unsigned int changed_absent;	/* CHANGED while not present */
	unsigned int bad_pairs;		/* ADDED twice, REMOVED twice */
};

static volatile int order_stop;

static void *order_setter(void *arg)
{
	const struct vsensor_nl_setting set[] = {
		{ VSENSOR_A_DEV_AMPLITUDE, 0 },
	};
	struct vsensor_nl *nl = vsensor_nl_open();
	unsigned long *calls = arg;
	struct vsensor_nl_setting one[1];

	if (!nl)
		return NULL;
	while (!order_stop) {
		one[0] = set[0];
		one[0].value = (uint32_t)(*calls % 1000);
		vsensor_nl_device_set(nl, DEV_ID, one, 1);
		(*calls)++;
	}
	vsensor_nl_close(nl);
	return NULL;
}

static int order_event(const struct vsensor_nl_event *ev, void *data)
{
	struct order *o = data;

	if (vsensor_nl_device_get_id(vsensor_nl_event_get_device(ev)) != DEV_ID)
		return 0;
	switch (vsensor_nl_event_get_cmd(ev)) {
	case VSENSOR_CMD_DEVICE_ADDED:
		o->added++;
		o->bad_pairs += o->present;
		o->present = 1;
		break;
	case VSENSOR_CMD_DEVICE_REMOVED:
		o->removed++;
		o->bad_pairs += !o->present;
		o->present = 0;
		break;
	case VSENSOR_CMD_DEVICE_CHANGED:
		o->changed++;
		o->changed_absent += !o->present;
		break;
	}
	return 0;
}

/* Read events for @ms, however many keep coming. */
static void order_drain(struct vsensor_nl *mon, struct order *o, int ms)
{
	struct pollfd pfd = { .fd = vsensor_nl_get_fd(mon), .events = POLLIN };
	uint64_t end = vt_now_ns(VSENSOR_CLOCK_MONOTONIC) + ms * 1000000ull;

	while (vt_now_ns(VSENSOR_CLOCK_MONOTONIC) < end) {
		if (poll(&pfd, 1, 10) == 1)
			ck_assert_msg(vsensor_nl_event_read(mon, order_event, o) == 0,
				      "event read: %s", strerror(errno));
	}
}

START_TEST(test_no_change_outside_life)
{
	unsigned long calls[ORDER_SETTERS] = { 0 };
	pthread_t th[ORDER_SETTERS];
	struct vsensor_nl *mon = vsensor_nl_open();
	struct order o = { 0 };
	int i, rcvbuf = 8 << 20;

	ck_assert_ptr_nonnull(mon);
	vt_bus_write("del_device", "40");
	ck_assert_int_eq(vsensor_nl_subscribe(mon), 0);
	ck_assert_int_eq(setsockopt(vsensor_nl_get_fd(mon), SOL_SOCKET,
				    SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)), 0);
	order_stop = 0;
	for (i = 0; i < ORDER_SETTERS; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, order_setter,
						&calls[i]), 0);
	for (i = 0; i < ORDER_ROUNDS; i++) {
		ck_assert_int_eq(vt_bus_write("new_device", "40"), 0);
		order_drain(mon, &o, 20);
		ck_assert_int_eq(vt_bus_write("del_device", "40"), 0);
		order_drain(mon, &o, 5);
	}
	order_stop = 1;
	for (i = 0; i < ORDER_SETTERS; i++)
		pthread_join(th[i], NULL);
	/* nothing new comes now: read what is queued until a quiet 500 ms */
	{
		struct pollfd pfd = { .fd = vsensor_nl_get_fd(mon),
				      .events = POLLIN };

		while (poll(&pfd, 1, 500) == 1)
			ck_assert_msg(vsensor_nl_event_read(mon, order_event,
							    &o) == 0,
				      "event read: %s", strerror(errno));
	}
	printf("# %d rounds, %lu+%lu+%lu sets: %u added, %u changed, %u removed, "
	       "%u changes outside the device's life\n", ORDER_ROUNDS,
	       calls[0], calls[1], calls[2], o.added, o.changed, o.removed,
	       o.changed_absent);
	ck_assert_uint_eq(o.added, ORDER_ROUNDS);
	ck_assert_uint_eq(o.removed, ORDER_ROUNDS);
	ck_assert_uint_eq(o.bad_pairs, 0);
	ck_assert_uint_gt(o.changed, 0);
	ck_assert_uint_eq(o.changed_absent, 0);
	vsensor_nl_close(mon);
}
END_TEST

/* What a monitor gave, read until @want or 10 s (times the guest's slowness). */
struct mon_seen {
	unsigned int added, removed, overflows, nl_added, nl_removed, nl_changed;
	char serial_added[32];
	char devnode[32];
	char serial_removed[32];
};

static void mon_collect(struct vsensor_monitor *mon, struct mon_seen *seen,
			int (*done)(const struct mon_seen *seen))
{
	struct pollfd pfd = { .fd = vsensor_monitor_get_fd(mon), .events = POLLIN };
	uint64_t end = vt_now_ns(VSENSOR_CLOCK_MONOTONIC) +
		       10000000000ull * vt_slow();
	struct vsensor_monitor_event *ev;

	while (!done(seen) && vt_now_ns(VSENSOR_CLOCK_MONOTONIC) < end) {
		poll(&pfd, 1, 100);
		while ((ev = vsensor_monitor_read(mon))) {
			const struct vsensor_nl_event *nl_ev =
				vsensor_monitor_event_get_nl_event(ev);
			const char *name = vsensor_monitor_event_get_name(ev);

			switch (vsensor_monitor_event_get_type(ev)) {
			case VSENSOR_MONITOR_EVENT_DEVICE_ADDED:
				if (strcmp(name, "vsensor40"))
					break;
				seen->added++;
				snprintf(seen->serial_added, sizeof(seen->serial_added),
					 "%s", vsensor_monitor_event_get_serial(ev));
				snprintf(seen->devnode, sizeof(seen->devnode), "%s",
					 vsensor_monitor_event_get_devnode(ev));
				break;
			case VSENSOR_MONITOR_EVENT_DEVICE_REMOVED:
				if (strcmp(name, "vsensor40"))
					break;
				seen->removed++;
				snprintf(seen->serial_removed,
					 sizeof(seen->serial_removed), "%s",
					 vsensor_monitor_event_get_serial(ev));
				break;
			case VSENSOR_MONITOR_EVENT_OVERFLOW:
				seen->overflows++;
				break;
			case VSENSOR_MONITOR_EVENT_NETLINK:
				ck_assert_ptr_null(name);
				if (vsensor_nl_device_get_id(vsensor_nl_event_get_device(nl_ev)) != DEV_ID)
					break;
				switch (vsensor_nl_event_get_cmd(nl_ev)) {
				case VSENSOR_CMD_DEVICE_ADDED:
					seen->nl_added++;
					break;
				case VSENSOR_CMD_DEVICE_REMOVED:
					seen->nl_removed++;
					break;
				case VSENSOR_CMD_DEVICE_CHANGED:
					seen->nl_changed++;
					break;
				}
				break;
			default:
				ck_abort_msg("unknown monitor event type %d",
					     vsensor_monitor_event_get_type(ev));
			}
			vsensor_monitor_event_free(ev);
		}
		ck_assert_int_eq(errno, EAGAIN);
	}
}

static int added_both(const struct mon_seen *seen)
{
	return seen->added && seen->nl_added;
}

static int removed_both(const struct mon_seen *seen)
{
	return seen->removed && seen->nl_removed;
}

/* udev's node and the family's notification, through one fd. */
START_TEST(test_monitor_object)
{
	struct vsensor_monitor *mon;
	struct mon_seen seen = { 0 };

	vt_bus_write("del_device", "40");
	/* udev has sent what came before: the monitor sees only what follows */
	ck_assert_int_eq(vt_sh("udevadm settle"), 0);
	ck_assert_ptr_null(vsensor_monitor_new(1 << 1));
	ck_assert_int_eq(errno, EINVAL);
	mon = vsensor_monitor_new(VSENSOR_MONITOR_NONBLOCK);
	ck_assert_ptr_nonnull(mon);
	ck_assert_ptr_null(vsensor_monitor_read(mon));
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(vt_bus_write("new_device", "40"), 0);
	mon_collect(mon, &seen, added_both);
	ck_assert_uint_eq(seen.added, 1);
	ck_assert_uint_eq(seen.nl_added, 1);
	ck_assert_str_eq(seen.serial_added, "VSN1000-000040");
	ck_assert_str_eq(seen.devnode, "/dev/vsensor40");
	/* what the monitor saw can be opened by serial */
	vsensor_session_close(vsensor_session_open("VSN1000-000040", 0));
	ck_assert_int_eq(vt_bus_write("del_device", "40"), 0);
	mon_collect(mon, &seen, removed_both);
	ck_assert_uint_eq(seen.removed, 1);
	ck_assert_uint_eq(seen.nl_removed, 1);
	/* the udev rule keeps the serial in the node's properties */
	ck_assert_str_eq(seen.serial_removed, "VSN1000-000040");
	ck_assert_uint_eq(seen.overflows, 0);
	vsensor_monitor_free(mon);
	vsensor_monitor_free(NULL);
}
END_TEST

/* Shrink the receive queue of the generic netlink sockets above @first_fd. */
static unsigned int shrink_genl_sockets(int first_fd)
{
	int fd, proto, domain, size = 1;	/* the kernel's minimum */
	socklen_t len;
	unsigned int n = 0;

	for (fd = first_fd; fd < first_fd + 64; fd++) {
		len = sizeof(domain);
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) ||
		    domain != AF_NETLINK)
			continue;
		len = sizeof(proto);
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) ||
		    proto != NETLINK_GENERIC)
			continue;
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
					    sizeof(size)), 0);
		n++;
	}
	return n;
}

static int changed_after_overflow(const struct mon_seen *seen)
{
	return seen->overflows && seen->nl_changed;
}

/*
 * Notifications lost on the events socket (ENOBUFS) become one OVERFLOW
 * event, and the monitor goes on with the next notification.
 */
START_TEST(test_monitor_overflow)
{
	static const struct vsensor_nl_setting set[] = {
		{ VSENSOR_A_DEV_AMPLITUDE, 100 },
	};
	struct vsensor_nl *nl = vsensor_nl_open();
	struct mon_seen seen = { 0 };
	struct vsensor_monitor *mon;
	int first_fd = dup(0), i;

	ck_assert_ptr_nonnull(nl);
	ck_assert_int_ge(first_fd, 0);
	close(first_fd);
	vt_bus_write("del_device", "40");
	ck_assert_int_eq(vt_bus_write("new_device", "40"), 0);
	/* udev has sent what came before: the monitor sees only what follows */
	ck_assert_int_eq(vt_sh("udevadm settle"), 0);
	mon = vsensor_monitor_new(VSENSOR_MONITOR_NONBLOCK);
	ck_assert_ptr_nonnull(mon);
	/* the request socket and the events socket of the monitor */
	ck_assert_uint_eq(shrink_genl_sockets(first_fd), 2);
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(vsensor_nl_device_set(nl, DEV_ID, set, 1), 0);
	mon_collect(mon, &seen, changed_after_overflow);
	printf("# 200 changes: %u read, %u overflow events\n", seen.nl_changed,
	       seen.overflows);
	ck_assert_uint_ge(seen.overflows, 1);
	ck_assert_uint_lt(seen.nl_changed, 200);
	/* after the overflow, the monitor goes on */
	ck_assert_int_eq(vt_bus_write("del_device", "40"), 0);
	mon_collect(mon, &seen, removed_both);
	ck_assert_uint_eq(seen.nl_removed, 1);
	ck_assert_uint_eq(seen.removed, 1);
	vsensor_monitor_free(mon);
	vsensor_nl_close(nl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netlink");
	TCase *bad = tcase_create("bad-input");
	TCase *ops = tcase_create("operations");
	TCase *rev = tcase_create("revoke");
	TCase *mon = tcase_create("monitor");

	tcase_add_loop_test(bad, test_bad_input, 0,
			    sizeof(bad_inputs) / sizeof(bad_inputs[0]));
	tcase_add_test(bad, test_eperm_for_non_root);
	suite_add_tcase(s, bad);
	tcase_set_timeout(ops, 30);
	tcase_add_checked_fixture(ops, dev_setup, dev_teardown);
	tcase_add_test(ops, test_device_get_set);
	tcase_add_test(ops, test_device_get_never_half);
	tcase_add_test(ops, test_device_dump);
	tcase_add_test(ops, test_device_dump_stop);
	tcase_add_test(ops, test_sessions_and_revoke);
	tcase_add_test(ops, test_device_in_d3);
	suite_add_tcase(s, ops);
	tcase_set_timeout(rev, 30);
	tcase_add_checked_fixture(rev, dev_setup, dev_teardown);
	tcase_add_test(rev, test_revoke_blocked_write);
	tcase_add_test(rev, test_revoke_detaches);
	suite_add_tcase(s, rev);
	tcase_set_timeout(mon, 120);
	tcase_add_test(mon, test_monitor);
	tcase_add_test(mon, test_subscribed_requests);
	tcase_add_test(mon, test_no_change_outside_life);
	tcase_add_test(mon, test_monitor_object);
	tcase_add_test(mon, test_monitor_overflow);
	suite_add_tcase(s, mon);
	return vt_run(s);
}
