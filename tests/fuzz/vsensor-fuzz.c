// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz: throws random and structure-aware input at every entry
 * point of the vsensor module for a bounded time, from one printed seed:
 *
 *   ioctl    every ioctl of /dev/vsensorN: random numbers around the 0xBE
 *            magic, sizes and directions; random and nearly-valid structs;
 *            NULL, unmapped, read-only, page-straddling and kernel pointers
 *   io       read/write/poll of sessions: lengths 0, 1, a record, huge;
 *            bad buffers; random stimulus records; O_ASYNC; revokes
 *   sysfs    every writable file of the devices, their LED and power
 *            directories, the driver's bind/unbind, with random values
 *   bus      new_device/del_device with random and nearly-valid lines
 *   netlink  every command of family "vsensor": random attributes, types,
 *            lengths, nesting, flags, versions; dumps; events listened to
 *   hotplug  devices added and removed, sessions reading, all the while
 *   revoke   a read, write or poll blocked in one thread, its session
 *            revoked from another: it must end within 2 s (ENODEV or a
 *            whole count, POLLHUP)
 *   threads  SET_CONFIG, FLUSH, GET_STATS and O_NONBLOCK reads from one
 *            thread beside readers blocked on the same file: each returns
 *            at once (a blocked reader holds no lock they need)
 *   busypoll busy-polling and plain readers at 10-50 kHz with headroom
 *            pulls (a late bottom half) and the queue vectors moved
 *            between CPUs through /proc/irq: every record read is checked
 *            for values that cannot be (sequence, drop count, time, flags)
 *
 * One worker process per target runs in parallel, each with its own
 * stream of the seed. Results the ABI documents are checked (errno sets
 * of the ioctls, bad pointers give EFAULT): an undocumented answer is an
 * anomaly, printed with the seed and iteration, and fails the run. The
 * kernel's own reports are the guest lab's business.
 *
 * Usage: vsensor-fuzz [-t SECONDS] [-s SEED] [-v]
 * Environment: VSENSOR_FUZZ_TIME, VSENSOR_FUZZ_SEED (options win).
 * Exit status: 0 clean, 1 anomalies or a worker died, 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vsensor.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PAGE		4096
#define HOTPLUG_BASE	200	/* ids the hotplug worker adds and removes */
#define HOTPLUG_IDS	4
#define MAX_FILES	512
#define KERNEL_ADDR	0xffffffff81000000ULL

enum target {
	T_IOCTL,
	T_IO,
	T_SYSFS,
	T_BUS,
	T_NETLINK,
	T_HOTPLUG,
	T_REVOKE,
	T_THREADS,
	T_BUSYPOLL,
	NR_TARGETS,
};

static const char * const target_names[NR_TARGETS] = {
	"ioctl", "io", "sysfs", "bus", "netlink", "hotplug", "revoke",
	"threads", "busypoll",
};

/* Shared with the parent: what each worker did. */
struct stats {
	uint64_t iterations[NR_TARGETS];
	uint64_t anomalies[NR_TARGETS];
	uint64_t errnos[NR_TARGETS][134];	/* by errno, 0 = success */
};

static struct stats *stats;
static uint64_t seed;
/*
 * The time limits below are for Debian's kernel; VSENSOR_TEST_SLOW (set by
 * the debug suite: KASAN and lockdep under TCG) multiplies them.
 */
static double slow = 1;
static enum target me;
static bool verbose;
static volatile sig_atomic_t alarmed;

/* splitmix64: small, fast, reproducible from the seed */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static void fill_random(void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)rnd();
}

/* Values that sit on the edges of the ABI's ranges. */
static uint32_t interesting_u32(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 100, 255, 256, 1000, 1024,
		4096, 65535, 65536, 65537, 99999, 100000, 100001, 1000000,
		1000001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	return chance(70) ? v[below(ARRAY_SIZE(v))] : (uint32_t)rnd();
}

static void anomaly(const char *fmt, ...)
{
	va_list ap;

	stats->anomalies[me]++;
	fprintf(stderr, "vsensor-fuzz: %s anomaly (seed %" PRIu64 ", iteration %"
		PRIu64 "): ", target_names[me], seed, stats->iterations[me]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void count(long ret)
{
	int e = ret < 0 ? errno : 0;

	if (e >= 0 && e < (int)ARRAY_SIZE(stats->errnos[0]))
		stats->errnos[me][e]++;
}

/* Pointers a program may pass by mistake or on purpose. */
static unsigned char *buf_ok;		/* 4 pages read-write */
static unsigned char *buf_ro;		/* 1 page read-only */
static unsigned char *buf_gone;		/* 1 page, unmapped */
/* page 5 is read-write: P_EDGE pointers start there and run into buf_gone */

enum ptr_kind { P_OK, P_NULL, P_UNMAPPED, P_KERNEL, P_RO, P_EDGE, NR_PTR };

static void *pick_ptr(enum ptr_kind kind, size_t len)
{
	switch (kind) {
	case P_NULL:
		return NULL;
	case P_UNMAPPED:
		return buf_gone + below(PAGE);
	case P_KERNEL:
		return (void *)(uintptr_t)(KERNEL_ADDR + below(1 << 20));
	case P_RO:
		return buf_ro;
	case P_EDGE:	/* starts mapped, runs into the unmapped page */
		return buf_gone - 1 - below(len > 1 && len < PAGE ?
					    (uint32_t)len - 1 : PAGE - 1);
	default:
		return buf_ok + (chance(10) ? below(8) : 0);
	}
}

static enum ptr_kind pick_kind(void)
{
	return chance(60) ? P_OK : (enum ptr_kind)(1 + below(NR_PTR - 1));
}

static void *map_anon(size_t len, int flags)
{
	/* cppcheck-suppress invalidFunctionArg ; anonymous maps take fd -1 */
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
}

static void setup_buffers(void)
{
	unsigned char *m = map_anon(7 * PAGE, MAP_PRIVATE);

	if (m == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	buf_ok = m;
	buf_ro = m + 4 * PAGE;
	buf_gone = m + 6 * PAGE;
	munmap(buf_gone, PAGE);
	mprotect(buf_ro, PAGE, PROT_READ);
}

static int open_device(int flags)
{
	char path[64];
	unsigned int id;

	if (chance(50))
		id = below(2);
	else if (chance(80))
		id = HOTPLUG_BASE + below(HOTPLUG_IDS);
	else
		id = below(VSENSOR_DEV_ID_MAX + 1);
	snprintf(path, sizeof(path), "/dev/vsensor%u", id);
	return open(path, flags | O_CLOEXEC);
}

/* ---- ioctl ---- */

static const unsigned int known_ioctls[] = {
	VSENSOR_IOC_GET_INFO, VSENSOR_IOC_GET_CONFIG, VSENSOR_IOC_SET_CONFIG,
	VSENSOR_IOC_GET_STATS, VSENSOR_IOC_FLUSH, VSENSOR_IOC_REWIND,
};

static size_t min_size(unsigned int nr)
{
	switch (nr) {
	case 0:
		return sizeof(struct vsensor_info);
	case 1:
		return sizeof(struct vsensor_config);
	case 2:
		return offsetof(struct vsensor_config, reserved);
	case 3:
		return sizeof(struct vsensor_stats);
	case 5:
		return sizeof(__u64);
	default:
		return 0;
	}
}

static void random_config(struct vsensor_config *c)
{
	memset(c, 0, sizeof(*c));
	c->rate_hz = chance(50) ? 1 + below(1000) : interesting_u32();
	c->channel_mask = chance(60) ? 1 + below(15) : interesting_u32();
	c->ring_size = chance(50) ? 1U << below(17) : interesting_u32();
	c->watermark = chance(50) ? 1 + below(c->ring_size ? c->ring_size : 1)
				  : interesting_u32();
	c->clock_id = chance(80) ? (uint32_t[]){ 0, 1, 7 }[below(3)]
				 : interesting_u32();
	c->flags = chance(80) ? below(2) : interesting_u32();
	if (chance(10))
		c->reserved[below(10)] = interesting_u32();
}

/* The command: known ones as they are, or bent, or anything. */
static unsigned int pick_cmd(void)
{
	unsigned int known = known_ioctls[below(ARRAY_SIZE(known_ioctls))];
	unsigned int dir = _IOC_DIR(known), nr = _IOC_NR(known);
	unsigned int size = _IOC_SIZE(known);

	switch (below(6)) {
	case 0:
	case 1:
		return known;
	case 2:		/* other size: older or newer program */
		size = chance(50) ? below(size + 64) : below(1 << 14);
		break;
	case 3:		/* other direction */
		dir = below(4);
		break;
	case 4:		/* neighbouring numbers */
		nr = below(16);
		size = chance(50) ? size : below(512);
		break;
	default:
		return chance(50) ? (unsigned int)rnd() :
		       _IOC(below(4), VSENSOR_IOC_MAGIC + (int)below(3) - 1, below(256),
			    below(1 << 14));
	}
	return _IOC(dir, VSENSOR_IOC_MAGIC, nr, size);
}

/* Is @err an answer the ABI allows for @cmd with a @kind pointer? */
static bool ioctl_answer_ok(unsigned int cmd, enum ptr_kind kind, long ret,
			    int err)
{
	unsigned int nr = _IOC_NR(cmd), size = _IOC_SIZE(cmd);
	size_t i;

	if (ret < 0 && err == ENODEV)
		return true;
	for (i = 0; i < ARRAY_SIZE(known_ioctls); i++)
		if (_IOC_TYPE(cmd) == VSENSOR_IOC_MAGIC &&
		    nr == _IOC_NR(known_ioctls[i]) &&
		    _IOC_DIR(cmd) == _IOC_DIR(known_ioctls[i]))
			break;
	if (i == ARRAY_SIZE(known_ioctls))
		return ret < 0 && err == ENOTTY;
	/* FLUSH (none) and REWIND (a __u64) take no struct: exact sizes */
	if (size < min_size(nr) || ((nr == 4 || nr == 5) && size != min_size(nr)))
		return ret < 0 && err == EINVAL;
	if (nr == 4)
		return ret == 0;
	if (nr == 5) {		/* reads a number; any number is an answer */
		if (kind == P_NULL || kind == P_UNMAPPED || kind == P_KERNEL)
			return ret < 0 && err == EFAULT;
		return ret == 0 || err == ENODATA ||
		       (kind == P_EDGE && err == EFAULT);
	}
	if (kind == P_NULL || kind == P_UNMAPPED || kind == P_KERNEL ||
	    kind == P_EDGE)
		return ret < 0 && (err == EFAULT ||
				   (nr == 2 && (err == EINVAL || err == E2BIG)));
	if (kind == P_RO && nr != 2)	/* output to a read-only page */
		return ret < 0 && err == EFAULT;
	if (nr == 2)
		return ret == 0 || err == EINVAL || err == E2BIG ||
		       err == EFAULT || err == ENOMEM;
	return ret == 0;
}

static void fuzz_ioctl(int fd)
{
	unsigned int cmd = pick_cmd();
	enum ptr_kind kind = pick_kind();
	size_t size = _IOC_SIZE(cmd), fill = size < 3 * PAGE ? size : 3 * PAGE;
	bool wild = chance(3);
	void *arg;
	long ret;

	/* P_EDGE needs a struct that does not fit before the hole */
	if (kind == P_EDGE && size < 2)
		kind = P_OK;
	arg = pick_ptr(kind, size);
	if (kind == P_OK) {
		fill_random(arg, fill);
		if (chance(70))
			random_config(arg);
		if (chance(30) && fill > sizeof(struct vsensor_config))
			/* zero tail: a newer program's struct */
			memset((char *)arg + sizeof(struct vsensor_config), 0,
			       fill - sizeof(struct vsensor_config));
	}
	ret = ioctl(fd, cmd, wild ? (void *)(uintptr_t)rnd() : arg);
	count(ret);
	/* a valid buffer larger than 3 pages runs into the read-only page */
	if (!wild && (kind != P_OK || size <= 3 * PAGE) &&
	    !ioctl_answer_ok(cmd, kind, ret, errno))
		anomaly("ioctl %#x (dir %u nr %u size %zu) ptr kind %d: %ld %s",
			cmd, _IOC_DIR(cmd), _IOC_NR(cmd), size, kind, ret,
			ret < 0 ? strerror(errno) : "");
}

static void worker_ioctl(void)
{
	int fd = open_device(O_RDWR | O_NONBLOCK), i;

	if (fd < 0) {
		count(-1);
		return;
	}
	for (i = 0; i < 64; i++) {
		fuzz_ioctl(fd);
		stats->iterations[me]++;
	}
	close(fd);
}

/* ---- read, write, poll ---- */

static size_t pick_len(void)
{
	static const size_t lens[] = {
		0, 1, 63, 64, 65, 127, 128, 640, 4096, 3 * PAGE, 1 << 20,
		SIZE_MAX / 2, SIZE_MAX,
	};

	return lens[below(ARRAY_SIZE(lens))];
}

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* A blocking call is cut short after @ms by SIGALRM (EINTR). */
static void arm_alarm(unsigned int ms)
{
	struct itimerval it = { .it_value = { 0, (long)ms * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void fuzz_io_one(int fd)
{
	enum ptr_kind kind = pick_kind();
	size_t len = pick_len();
	struct vsensor_record rec[4];
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	void *p;
	long ret;

	switch (below(6)) {
	case 0:
	case 1:
		p = pick_ptr(kind, len);
		if (kind == P_OK && len > 3 * PAGE)
			len = 3 * PAGE;
		arm_alarm(50);
		ret = read(fd, p, len);
		arm_alarm(0);
		break;
	case 2:
		memset(rec, 0, sizeof(rec));
		if (chance(20))
			fill_random(rec, sizeof(rec));
		else
			rec[0].value[below(8)] = (int32_t)interesting_u32();
		p = kind == P_OK ? (void *)rec : pick_ptr(kind, len);
		if (kind == P_OK && len > sizeof(rec))
			len = sizeof(rec);
		arm_alarm(50);
		ret = write(fd, p, len);
		arm_alarm(0);
		break;
	case 3:
		ret = poll(&pfd, 1, below(20));
		break;
	case 4:
		ret = fcntl(fd, F_SETFL, chance(50) ? O_NONBLOCK :
			    O_ASYNC | O_NONBLOCK);
		if (!ret)
			ret = fcntl(fd, F_SETOWN, getpid());
		break;
	default: {
		struct vsensor_config c;

		random_config(&c);
		ret = ioctl(fd, chance(50) ? VSENSOR_IOC_FLUSH :
			    VSENSOR_IOC_SET_CONFIG, &c);
		break;
	}
	}
	count(ret);
	if (ret < 0 && (errno == EFAULT) && kind == P_OK)
		anomaly("EFAULT with a valid buffer of %zu bytes", len);
}

static void worker_io(void)
{
	int fd = open_device(O_RDWR | (chance(50) ? O_NONBLOCK : 0)), i;

	if (fd < 0) {
		count(-1);
		return;
	}
	for (i = 0; i < 32; i++) {
		fuzz_io_one(fd);
		stats->iterations[me]++;
	}
	close(fd);
}

/* ---- sysfs and bus files ---- */

static char files[MAX_FILES][512];
static unsigned int nr_files;

static void add_file(const char *path)
{
	if (nr_files < MAX_FILES)
		snprintf(files[nr_files++], sizeof(files[0]), "%s", path);
}

/* The writable files of a directory and of its subdirectories (1 level). */
static void scan_dir(const char *dir, int depth)
{
	char path[512];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	/* cppcheck-suppress readdirCalled ; single-threaded */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "subsystem") ||
		    !strcmp(de->d_name, "driver") || !strcmp(de->d_name, "device"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			scan_dir(path, depth - 1);
		else if (S_ISREG(st.st_mode) && (st.st_mode & 0222))
			add_file(path);
	}
	closedir(d);
}

static void scan_files(void)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	nr_files = 0;
	d = opendir("/sys/bus/vsensor/devices");
	/* cppcheck-suppress readdirCalled ; single-threaded */
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/vsensor/devices/%s",
			 de->d_name);
		scan_dir(path, 2);
		snprintf(path, sizeof(path), "/sys/class/leds/%s::status",
			 de->d_name);
		scan_dir(path, 0);
	}
	if (d)
		closedir(d);
	add_file("/sys/bus/vsensor/drivers/vsensor/bind");
	add_file("/sys/bus/vsensor/drivers/vsensor/unbind");
	add_file("/sys/bus/vsensor/drivers_probe");
}

static const char * const words[] = {
	"", "\n", "0", "1", "-1", "2", "4", "5", "10", "256", "1000", "100000",
	"1000000", "1000001", "4294967295", "4294967296",
	"18446744073709551616", "0x10", "010", "1e3", " 1", "1 ", "1\n\n",
	"+1", "sine", "square", "ramp", "noise", "sine\n", "SINE", "sin",
	"auto", "pio", "dma", "on", "off", "none", "timer", "oneshot",
	"vsensor-activity", "default-on", "heartbeat", "vsensor0", "vsensor1",
	"vsensor200", "vsensor201", "200", "201", "202", "203",
	"200 FUZZ-1", "201 FUZZ_2\n", "202 a", "203 ", " 200", "200  X",
	"0 VSN1000-000000", "255", "256", "99999999999",
};

/* A value to write: a word, words glued, or random bytes. */
static size_t pick_value(char *buf, size_t size)
{
	size_t len;

	switch (below(5)) {
	case 0:
	case 1:
		len = (size_t)snprintf(buf, size, "%s", words[below(ARRAY_SIZE(words))]);
		break;
	case 2:
		len = (size_t)snprintf(buf, size, "%s%s",
				       words[below(ARRAY_SIZE(words))],
				       words[below(ARRAY_SIZE(words))]);
		break;
	case 3:
		len = (size_t)snprintf(buf, size, "%u", interesting_u32());
		break;
	default:
		len = chance(80) ? below(64) : below((uint32_t)size);
		fill_random(buf, len);
		break;
	}
	return len < size ? len : size - 1;
}

static void write_file(const char *path, const char *val, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	long ret;

	if (fd < 0) {
		count(-1);
		return;
	}
	ret = write(fd, val, len);
	count(ret);
	close(fd);
}

static void worker_sysfs(void)
{
	static char val[PAGE + 1];
	unsigned int i;
	size_t len;

	scan_files();
	for (i = 0; i < 16 && nr_files; i++) {
		const char *path = files[below(nr_files)];

		len = pick_value(val, sizeof(val));
		if (strstr(path, "power/control") && chance(50))
			len = (size_t)snprintf(val, sizeof(val), "auto");
		write_file(path, val, len);
		stats->iterations[me]++;
	}
}

/* new_device and del_device: nearly-valid lines and garbage. */
static void worker_bus(void)
{
	char line[PAGE];
	size_t len;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		bool add = chance(50);
		uint32_t id = chance(80) ? HOTPLUG_BASE + 4 + below(8) :
			      interesting_u32();

		switch (below(4)) {
		case 0:
			len = pick_value(line, sizeof(line));
			break;
		case 1: {
			char serial[48];

			len = below(40);
			fill_random(serial, len);
			for (size_t k = 0; k < len; k++)
				serial[k] = "AZaz09-_ ./\n"[(unsigned char)serial[k] % 12];
			serial[len] = '\0';
			len = (size_t)snprintf(line, sizeof(line), "%u %s", id,
					       serial);
			break;
		}
		default:
			len = (size_t)snprintf(line, sizeof(line), "%u%s", id,
					       chance(50) ? "\n" : "");
			break;
		}
		write_file(add ? "/sys/bus/vsensor/new_device" :
			   "/sys/bus/vsensor/del_device", line, len);
		stats->iterations[me]++;
	}
	/* do not let the bus fill up: remove what this worker may have made */
	for (i = 0; i < 8; i++) {
		len = (size_t)snprintf(line, sizeof(line), "%u",
				       HOTPLUG_BASE + 4 + i);
		if (chance(30))
			write_file("/sys/bus/vsensor/del_device", line, len);
	}
}

/* ---- generic netlink ---- */

static int nl_fd = -1, nl_events = -1, family = -1;

static struct nlattr *put_attr(char *buf, size_t *off, size_t max,
			       uint16_t type, const void *data, uint16_t len)
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

static int resolve(int fd, const char *name, int *group)
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

	put_attr(req.buf, &off, sizeof(req.buf), CTRL_ATTR_FAMILY_NAME, name,
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

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	if (fd >= 0) {
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	}
	return fd;
}

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
		a = put_attr(buf, &off, max, type, data, len);
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

static void worker_netlink(void)
{
	int group = -1, i;

	if (nl_fd < 0) {
		nl_fd = nl_open();
		nl_events = nl_open();
		family = resolve(nl_fd, VSENSOR_GENL_NAME, &group);
		if (family < 0) {
			fprintf(stderr, "vsensor-fuzz: no family %s\n",
				VSENSOR_GENL_NAME);
			exit(1);
		}
		if (group >= 0)
			setsockopt(nl_events, SOL_NETLINK,
				   NETLINK_ADD_MEMBERSHIP, &group,
				   sizeof(group));
	}
	for (i = 0; i < 16; i++) {
		fuzz_netlink_one();
		stats->iterations[me]++;
	}
}

/* ---- hotplug and steady readers ---- */

static void worker_hotplug(void)
{
	char line[64];
	unsigned int id = HOTPLUG_BASE + below(HOTPLUG_IDS);
	struct vsensor_record rec[8];
	struct vsensor_config c;
	int fd;

	if (chance(50)) {
		snprintf(line, sizeof(line), "%u", id);
		write_file("/sys/bus/vsensor/new_device", line, strlen(line));
	} else {
		snprintf(line, sizeof(line), "%u", id);
		write_file("/sys/bus/vsensor/del_device", line, strlen(line));
	}
	/* a session that reads a little, as a program would */
	fd = open_device(O_RDWR);
	if (fd >= 0) {
		memset(&c, 0, sizeof(c));
		c.rate_hz = 1000 + below(10000);
		c.channel_mask = 0xf;
		c.watermark = 1 + below(8);
		c.ring_size = 64;
		c.clock_id = 1;
		c.flags = chance(20) ? VSENSOR_CONFIG_F_BUSY_POLL : 0;
		count(ioctl(fd, VSENSOR_IOC_SET_CONFIG, &c));
		arm_alarm(20 + below(40));
		count(read(fd, rec, sizeof(rec)));
		arm_alarm(0);
		close(fd);
	}
	stats->iterations[me]++;
}

/* ---- revoke during blocked read, write and poll ---- */

static double now(void);

static void on_usr1(int sig)
{
	(void)sig;
}

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

	put_attr(req.buf, &off, sizeof(req.buf), VSENSOR_A_SESSION_ID, &id, 8);
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

static void worker_revoke(void)
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
	stats->iterations[me]++;
}

/* ---- threads: ioctls beside blocked readers of the same file ---- */

static void *blocked_reader(void *p)
{
	static __thread struct vsensor_record recs[256];
	struct blocked *b = p;

	b->ret = read(b->fd, recs, sizeof(recs));
	b->err = errno;
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void worker_threads(void)
{
	struct blocked b[2] = { { .op = B_READ }, { .op = B_READ } };
	struct vsensor_config c = { 0 };
	struct vsensor_stats st;
	struct vsensor_record rec;
	pthread_t t[2];
	int fd, i, nr = 1 + (int)below(2);

	fd = open_device(O_RDONLY);
	if (fd < 0) {
		count(-1);
		return;
	}
	c.rate_hz = 1 + below(10);
	c.channel_mask = 0xf;
	c.ring_size = 1024;
	c.watermark = 256;	/* asleep for 25 s or more */
	c.clock_id = 1;
	if (ioctl(fd, VSENSOR_IOC_SET_CONFIG, &c)) {
		count(-1);
		close(fd);
		return;
	}
	for (i = 0; i < nr; i++) {
		b[i].fd = fd;
		pthread_create(&t[i], NULL, blocked_reader, &b[i]);
	}
	usleep(20000);
	for (i = 0; i < 8; i++) {
		unsigned int op = below(4);
		double t0 = now(), took;
		long ret;

		if (op == 0) {
			c.watermark = 200 + below(56);
			c.flags = chance(30) ? VSENSOR_CONFIG_F_BUSY_POLL : 0;
			ret = ioctl(fd, VSENSOR_IOC_SET_CONFIG, &c);
		} else if (op == 1) {
			ret = ioctl(fd, VSENSOR_IOC_FLUSH);
		} else if (op == 2) {
			ret = ioctl(fd, VSENSOR_IOC_GET_STATS, &st);
		} else {
			fcntl(fd, F_SETFL, O_NONBLOCK);
			ret = read(fd, &rec, sizeof(rec));
			if (ret < 0 && errno == EAGAIN)
				ret = 0;
			fcntl(fd, F_SETFL, 0);
		}
		took = now() - t0;
		count(ret);
		if (took > slow)
			anomaly("%s took %.1f s beside %d blocked reader(s)",
				(const char *[]){ "SET_CONFIG", "FLUSH",
						  "GET_STATS", "O_NONBLOCK read" }[op],
				took, nr);
		if (ret < 0 && errno != ENODEV)
			anomaly("op %u beside blocked readers: %s", op,
				strerror(errno));
		stats->iterations[me]++;
	}
	for (i = 0; i < nr; i++) {
		while (!__atomic_load_n(&b[i].done, __ATOMIC_ACQUIRE)) {
			pthread_kill(t[i], SIGUSR1);
			usleep(5000);
		}
		pthread_join(t[i], NULL);
		/* EAGAIN: woken while the other thread had O_NONBLOCK set */
		if (b[i].ret < 0 && b[i].err != EINTR && b[i].err != ENODEV &&
		    b[i].err != EAGAIN)
			anomaly("blocked read ended with %s", strerror(b[i].err));
	}
	close(fd);
}

/* ---- busy polling, headroom, vectors moving ---- */

#define DBG0	"/sys/kernel/debug/vsensor/vsensor0/"

static void put_file(const char *path, const char *fmt, ...)
{
	char val[64];
	va_list ap;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (write(fd, val, strlen(val)) < 0)
		count(-1);
	close(fd);
}

/* The irq numbers of vsensor0's queue vectors, from /proc/interrupts. */
static unsigned int queue_virqs(unsigned int *virq, unsigned int max)
{
	char line[512];
	unsigned int n = 0;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && n < max && fgets(line, sizeof(line), f))
		if (strstr(line, "vsensor0-q"))
			virq[n++] = (unsigned int)strtoul(line, NULL, 10);
	if (f)
		fclose(f);
	return n;
}

struct poller {
	int fd;
	int stop;
	uint32_t mask;
	uint64_t records;
};

static void *checked_reader(void *p)
{
	static __thread struct vsensor_record r[256];
	struct poller *pl = p;
	uint64_t next = 0, last_ts = 0;
	bool first = true;

	while (!__atomic_load_n(&pl->stop, __ATOMIC_RELAXED)) {
		struct timespec ts;
		uint64_t tnow;
		long k = read(pl->fd, r, sizeof(r));

		clock_gettime(CLOCK_MONOTONIC, &ts);
		tnow = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
		if (k <= 0)
			break;	/* device gone, revoked: not ours to judge */
		for (long i = 0; i < k / (long)sizeof(r[0]); i++) {
			const struct vsensor_record *x = &r[i];
			uint64_t gap = (x->flags & VSENSOR_RECORD_F_DROPPED) ?
				       x->dropped : 0;
			const char *bad = NULL;

			if (x->flags & ~(VSENSOR_RECORD_F_DROPPED |
					 VSENSOR_RECORD_F_INJECTED |
					 VSENSOR_RECORD_F_CONFIG))
				bad = "unknown flags";
			else if (!first && x->seq != next + gap)
				bad = "sequence";
			else if (gap > 10000000)
				bad = "drop count";
			else if (x->timestamp_ns < last_ts || x->timestamp_ns > tnow)
				bad = "timestamp";
			else if (x->channel_mask != pl->mask || x->reserved)
				bad = "channel mask or reserved";
			if (bad) {
				anomaly("impossible record (%s): seq %llu flags %#x dropped %u ts %llu",
					bad, (unsigned long long)x->seq, x->flags,
					x->dropped,
					(unsigned long long)x->timestamp_ns);
				__atomic_store_n(&pl->stop, 1, __ATOMIC_RELAXED);
				break;
			}
			first = false;
			next = x->seq + 1;
			last_ts = x->timestamp_ns;
			pl->records++;
		}
	}
	return NULL;
}

static void worker_busypoll(void)
{
	static const char * const modes[] = { "pio", "dma", "auto" };
	static const unsigned int delays[] = { 0, 500, 5000, 20000 };
	struct poller pl[3] = { 0 };
	unsigned int virq[8], nq, i, moves = 0;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct vsensor_config c = { 0 };
	pthread_t t[3];
	double end;

	put_file(DBG0 "headroom", "Y");
	put_file(DBG0 "headroom_mark", "%u", 1 + below(32));
	put_file(DBG0 "bh_delay_us", "%u", delays[below(ARRAY_SIZE(delays))]);
	put_file("/sys/bus/vsensor/devices/vsensor0/transfer_mode", "%s",
		 modes[below(ARRAY_SIZE(modes))]);
	nq = queue_virqs(virq, ARRAY_SIZE(virq));
	for (i = 0; i < ARRAY_SIZE(pl); i++) {
		pl[i].fd = open("/dev/vsensor0", O_RDONLY | O_CLOEXEC);
		c.rate_hz = 10000 + below(40000);
		c.channel_mask = pl[i].mask = 1 + below(15);
		c.ring_size = 4096;
		c.watermark = 1 + below(128);
		c.clock_id = 1;
		c.flags = i ? VSENSOR_CONFIG_F_BUSY_POLL : 0;
		if (pl[i].fd < 0 || ioctl(pl[i].fd, VSENSOR_IOC_SET_CONFIG, &c))
			pl[i].stop = 1;
		pthread_create(&t[i], NULL, checked_reader, &pl[i]);
	}
	end = now() + 0.5 + below(1000) / 1000.0;
	while (now() < end && ncpu > 1) {
		char path[64];

		for (i = 0; i < nq; i++) {
			snprintf(path, sizeof(path),
				 "/proc/irq/%u/smp_affinity_list", virq[i]);
			put_file(path, "%u", (moves + i) % (unsigned int)ncpu);
		}
		moves++;
		usleep(500 + below(3000));
	}
	for (i = 0; i < ARRAY_SIZE(pl); i++) {
		__atomic_store_n(&pl[i].stop, 1, __ATOMIC_RELAXED);
		/* a reader asleep at a low rate: wake it */
		while (pthread_tryjoin_np(t[i], NULL)) {
			pthread_kill(t[i], SIGUSR1);
			usleep(1000);
		}
		if (pl[i].fd >= 0)
			close(pl[i].fd);
		count(pl[i].records ? 0 : -1);
	}
	put_file(DBG0 "bh_delay_us", "0");
	stats->iterations[me]++;
}

static void (*const workers[NR_TARGETS])(void) = {
	[T_IOCTL] = worker_ioctl,
	[T_IO] = worker_io,
	[T_SYSFS] = worker_sysfs,
	[T_BUS] = worker_bus,
	[T_NETLINK] = worker_netlink,
	[T_HOTPLUG] = worker_hotplug,
	[T_REVOKE] = worker_revoke,
	[T_THREADS] = worker_threads,
	[T_BUSYPOLL] = worker_busypoll,
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_worker(enum target t, double end)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct sigaction su = { .sa_handler = on_usr1 };

	me = t;
	rng_state = seed ^ (0x1000193ULL * (t + 1));
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: EINTR */
	sigaction(SIGUSR1, &su, NULL);	/* likewise, to end blocked threads */
	if (t == T_REVOKE) {
		int group;

		nl_fd = nl_open();
		family = resolve(nl_fd, VSENSOR_GENL_NAME, &group);
		if (family < 0)
			exit(1);
	}
	signal(SIGIO, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	setup_buffers();
	while (now() < end)
		workers[t]();
	_exit(0);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: vsensor-fuzz [-t SECONDS] [-s SEED] [-v]\n"
		"Environment: VSENSOR_FUZZ_TIME, VSENSOR_FUZZ_SEED\n");
}

static void report(double secs, int died)
{
	uint64_t total = 0, bad = 0;
	int t, e;

	printf("vsensor-fuzz: seed %" PRIu64 ", %.1f s\n", seed, secs);
	for (t = 0; t < NR_TARGETS; t++) {
		printf("  %-8s %10" PRIu64 " iterations %8.0f/s, %" PRIu64
		       " anomalies;", target_names[t], stats->iterations[t],
		       stats->iterations[t] / secs, stats->anomalies[t]);
		for (e = 0; e < (int)ARRAY_SIZE(stats->errnos[0]); e++)
			if (stats->errnos[t][e] && (verbose || e < 1 ||
						    stats->errnos[t][e] * 50 >
						    stats->iterations[t]))
				printf(" %s %" PRIu64, e ? strerrorname_np(e) : "ok",
				       stats->errnos[t][e]);
		printf("\n");
		total += stats->iterations[t];
		bad += stats->anomalies[t];
	}
	printf("vsensor-fuzz: %" PRIu64 " iterations in %.1f s, %" PRIu64
	       " anomalies, %d workers died\n", total, secs, bad, died);
}

int main(int argc, char **argv)
{
	const char *env_time = getenv("VSENSOR_FUZZ_TIME");
	const char *env_seed = getenv("VSENSOR_FUZZ_SEED");
	const char *env_slow = getenv("VSENSOR_TEST_SLOW");
	double secs = env_time ? atof(env_time) : 60, start, end;
	pid_t pids[NR_TARGETS];
	int opt, t, status, died = 0;

	if (env_slow && atof(env_slow) >= 1)
		slow = atof(env_slow);
	seed = env_seed ? strtoull(env_seed, NULL, 0) :
	       (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt(argc, argv, "t:s:vh")) != -1) {
		switch (opt) {
		case 't':
			secs = atof(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (secs <= 0 || optind != argc) {
		usage(stderr);
		return 2;
	}
	stats = map_anon(sizeof(*stats), MAP_SHARED);
	if (stats == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("vsensor-fuzz: seed %" PRIu64 " (VSENSOR_FUZZ_SEED=%" PRIu64
	       "), %.0f s\n", seed, seed, secs);
	fflush(stdout);
	start = now();
	end = start + secs;
	for (t = 0; t < NR_TARGETS; t++) {
		pids[t] = fork();
		if (pids[t] < 0) {
			perror("fork");
			return 1;
		}
		if (!pids[t])
			run_worker((enum target)t, end);
	}
	for (t = 0; t < NR_TARGETS; t++) {
		if (waitpid(pids[t], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "vsensor-fuzz: %s worker died (status %#x)\n",
				target_names[t], status);
			died++;
		}
	}
	report(now() - start, died);
	for (t = 0; t < NR_TARGETS; t++)
		if (stats->anomalies[t])
			return 1;
	return died ? 1 : 0;
}
