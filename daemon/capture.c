/*
 * vsensord: held capture sessions (see capture.h and docs/vsensord.md).
 * Each session reads its device fd from the event loop and appends to its
 * recording; the state file lists the sessions and is rewritten (tmp +
 * fsync + rename) on every start, stop, pause, resume and rotation.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <systemd/sd-daemon.h>
#include <vsensor/vsensor.h>

#include "capture.h"
#include "devices.h"
#include "log.h"
#include "loop.h"

#define CAPTURE_BATCH		256	/* records per read() */
#define CAPTURE_RING_DEFAULT	4096	/* rides out a daemon restart */
#define CAPTURE_ROTATE_KEEP	9	/* FILE.1 .. FILE.9 */
#define CAPTURE_STATE_FILE	"sessions.state"

enum held_state {
	HELD_RUNNING,
	HELD_PAUSED,
};

static const char *const state_names[] = {
	[HELD_RUNNING] = "running",
	[HELD_PAUSED] = "paused",
};

static const char *const format_names[] = {
	[CAPTURE_BIN] = "bin",
	[CAPTURE_CSV] = "csv",
};

static const char *const clock_names[] = {
	[VSENSOR_CLOCK_REALTIME] = "realtime",
	[VSENSOR_CLOCK_MONOTONIC] = "monotonic",
	[VSENSOR_CLOCK_BOOTTIME] = "boottime",
};

/* One held session. */
struct held {
	struct capture *capture;
	uint64_t id;
	char *identity;
	char serial[VSENSOR_SERIAL_LEN];
	char device[32];		/* the name it last had */
	struct vsensor_config config;	/* as the kernel applied it */
	enum capture_format format;
	char *output;			/* file name in the capture dir */
	uint64_t rotate_bytes;
	uid_t uid;
	pid_t pid;
	char comm[16];
	enum held_state state;
	int dev_fd;
	int out_fd;
	struct loop_source *src;
	uint64_t seq_base;		/* recording seq = base + kernel seq */
	uint64_t next_seq;		/* of the next record written */
	uint64_t last_ts;		/* timestamp of the last record */
	uint64_t pause_ns;		/* CLOCK_REALTIME when it paused */
	uint64_t records;		/* records written */
	uint64_t gaps;			/* gap markers written */
	uint64_t dropped;		/* records the kernel reported lost */
	uint64_t file_bytes;		/* size of the current file */
	struct held *next;
};

struct capture {
	struct loop *loop;
	struct devices *devices;
	char *state_dir;
	char *dir;			/* state_dir/capture */
	uint64_t next_id;		/* ids only grow, across restarts */
	struct held *list;
	size_t count;
	/*
	 * Tests only (STATE_DIR/test-kill-after-read holding N, read and
	 * removed at start, so the next start runs plain): SIGKILL itself
	 * right after the Nth read() from a device, before writing what it
	 * read: the worst moment to die, made certain (0: never).
	 */
	unsigned long kill_after_read;
};

static struct log_about held_about(const struct held *h)
{
	struct log_about about = LOG_ABOUT_NONE;

	about.device = h->device;
	about.serial = h->serial[0] ? h->serial : NULL;
	about.session = h->id;
	return about;
}

/* fd store names: "dev-ID" and "out-ID". */
static void fdstore_put(const struct held *h, const char *kind, int fd)
{
	char msg[64];

	if (fd < 0)
		return;
	snprintf(msg, sizeof(msg), "FDSTORE=1\nFDNAME=%s-%" PRIu64, kind, h->id);
	sd_pid_notify_with_fds(0, 0, msg, &fd, 1);
}

static void fdstore_remove(const struct held *h, const char *kind)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "FDSTOREREMOVE=1\nFDNAME=%s-%" PRIu64, kind, h->id);
	sd_pid_notify(0, 0, msg);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- the state file ---------------------------------------------------- */

static struct json_object *held_state_json(const struct held *h)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_uint64(h->id));
	json_object_object_add(o, "identity", json_object_new_string(h->identity));
	json_object_object_add(o, "serial", json_object_new_string(h->serial));
	json_object_object_add(o, "device", json_object_new_string(h->device));
	json_object_object_add(o, "rate_hz", json_object_new_uint64(h->config.rate_hz));
	json_object_object_add(o, "channel_mask",
			       json_object_new_uint64(h->config.channel_mask));
	json_object_object_add(o, "watermark", json_object_new_uint64(h->config.watermark));
	json_object_object_add(o, "ring_size", json_object_new_uint64(h->config.ring_size));
	json_object_object_add(o, "clock_id", json_object_new_uint64(h->config.clock_id));
	json_object_object_add(o, "flags", json_object_new_uint64(h->config.flags));
	json_object_object_add(o, "format", json_object_new_string(format_names[h->format]));
	json_object_object_add(o, "output", json_object_new_string(h->output));
	json_object_object_add(o, "rotate_bytes", json_object_new_uint64(h->rotate_bytes));
	json_object_object_add(o, "uid", json_object_new_uint64(h->uid));
	json_object_object_add(o, "pid", json_object_new_int(h->pid));
	json_object_object_add(o, "comm", json_object_new_string(h->comm));
	json_object_object_add(o, "state", json_object_new_string(state_names[h->state]));
	json_object_object_add(o, "seq_base", json_object_new_uint64(h->seq_base));
	json_object_object_add(o, "next_seq", json_object_new_uint64(h->next_seq));
	json_object_object_add(o, "last_ts", json_object_new_uint64(h->last_ts));
	json_object_object_add(o, "pause_ns", json_object_new_uint64(h->pause_ns));
	json_object_object_add(o, "records", json_object_new_uint64(h->records));
	json_object_object_add(o, "gaps", json_object_new_uint64(h->gaps));
	json_object_object_add(o, "dropped", json_object_new_uint64(h->dropped));
	return o;
}

/* Rewrite the state file whole: temporary file, fsync, rename. */
static int state_save(struct capture *capture)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	char path[4096], tmp[4096 + 8];
	const char *text;
	struct held *h;
	int fd, ret;

	json_object_object_add(root, "next_id", json_object_new_uint64(capture->next_id));
	for (h = capture->list; h; h = h->next)
		json_object_array_add(arr, held_state_json(h));
	json_object_object_add(root, "sessions", arr);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	snprintf(path, sizeof(path), "%s/%s", capture->state_dir, CAPTURE_STATE_FILE);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = write_all(fd, text, strlen(text));
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	if (ret)
		log_err(NULL, "writing %s: %s", path, strerror(-ret));
	json_object_put(root);
	return ret;
}

/* ---- recording ----------------------------------------------------------- */

static int output_path(const struct held *h, char *buf, size_t len, int rotation)
{
	int n = rotation ? snprintf(buf, len, "%s/%s.%d", h->capture->dir, h->output, rotation)
			 : snprintf(buf, len, "%s/%s", h->capture->dir, h->output);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int output_write_header(struct held *h)
{
	struct vsensord_capture_header hdr;
	char line[128];
	ssize_t n;
	int ret;

	if (h->format == CAPTURE_CSV) {
		n = vsensor_record_csv_header(h->config.channel_mask, line,
					      sizeof(line));
		if (n < 0)
			return -errno;
		ret = write_all(h->out_fd, line, (size_t)n);
		if (!ret)
			h->file_bytes += (size_t)n;
		return ret;
	}
	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, VSENSORD_CAPTURE_MAGIC, sizeof(VSENSORD_CAPTURE_MAGIC));
	hdr.version = 1;
	hdr.entry_size = sizeof(struct vsensor_record);
	hdr.session_id = h->id;
	snprintf(hdr.serial, sizeof(hdr.serial), "%s", h->serial);
	hdr.rate_hz = h->config.rate_hz;
	hdr.channel_mask = h->config.channel_mask;
	ret = write_all(h->out_fd, &hdr, sizeof(hdr));
	if (!ret)
		h->file_bytes += sizeof(hdr);
	return ret;
}

/* Open the current file for appending; a new one gets its header. */
static int output_open(struct held *h, bool create)
{
	char path[4096];
	struct stat st;
	int ret;

	ret = output_path(h, path, sizeof(path), 0);
	if (ret)
		return ret;
	h->out_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC |
			 (create ? O_CREAT | O_EXCL : O_CREAT), 0640);
	if (h->out_fd < 0)
		return -errno;
	if (fstat(h->out_fd, &st))
		return -errno;
	h->file_bytes = (uint64_t)st.st_size;
	if (!st.st_size)
		return output_write_header(h);
	return 0;
}

/* FILE -> FILE.1 -> ... -> FILE.9 (dropped), then a new FILE. */
static int output_rotate(struct held *h)
{
	char from[4096], to[4096];
	int i, ret;

	for (i = CAPTURE_ROTATE_KEEP - 1; i >= 0; i--) {
		if (output_path(h, from, sizeof(from), i) ||
		    output_path(h, to, sizeof(to), i + 1))
			return -ENAMETOOLONG;
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	fdstore_remove(h, "out");
	close(h->out_fd);
	ret = output_open(h, true);
	if (ret)
		return ret;
	fdstore_put(h, "out", h->out_fd);
	log_info(&(struct log_about){ .device = h->device, .session = h->id,
				      .client_uid = -1 },
		 "recording %s rotated", h->output);
	return 0;
}

static size_t format_csv(const struct held *h, const struct vsensor_record *r,
			 char *buf, size_t len)
{
	ssize_t n = vsensor_record_csv(r, h->config.channel_mask, buf, len);

	return n < 0 ? 0 : (size_t)n;
}

/* Append @n records (bin: as they are; csv: a line each). */
static int output_records(struct held *h, const struct vsensor_record *r, size_t n)
{
	static char text[CAPTURE_BATCH * 200];
	size_t len = 0, i;
	int ret;

	if (h->rotate_bytes && h->file_bytes >= h->rotate_bytes) {
		ret = output_rotate(h);
		if (ret)
			return ret;
	}
	if (h->format == CAPTURE_BIN) {
		ret = write_all(h->out_fd, r, n * sizeof(*r));
		if (!ret)
			h->file_bytes += n * sizeof(*r);
		return ret;
	}
	for (i = 0; i < n; i++)
		len += format_csv(h, &r[i], text + len, sizeof(text) - len);
	ret = write_all(h->out_fd, text, len);
	if (!ret)
		h->file_bytes += len;
	return ret;
}

/* One gap marker: from @start_ns to @end_ns (CLOCK_REALTIME). */
static int output_gap(struct held *h, uint64_t start_ns, uint64_t end_ns)
{
	struct vsensor_record gap;
	char line[160];
	int n;

	h->gaps++;
	if (h->format == CAPTURE_CSV) {
		n = snprintf(line, sizeof(line), "# gap seq=%" PRIu64 " start_ns=%" PRIu64
			     " end_ns=%" PRIu64 "\n", h->next_seq, start_ns, end_ns);
		h->file_bytes += (size_t)n;
		return write_all(h->out_fd, line, (size_t)n);
	}
	memset(&gap, 0, sizeof(gap));
	gap.seq = h->next_seq;
	gap.timestamp_ns = h->last_ts;
	gap.flags = VSENSORD_CAPTURE_F_GAP;
	gap.value[0] = (int32_t)(uint32_t)start_ns;
	gap.value[1] = (int32_t)(uint32_t)(start_ns >> 32);
	gap.value[2] = (int32_t)(uint32_t)end_ns;
	gap.value[3] = (int32_t)(uint32_t)(end_ns >> 32);
	h->file_bytes += sizeof(gap);
	return write_all(h->out_fd, &gap, sizeof(gap));
}

/* ---- the device side ------------------------------------------------------ */

static void held_pause(struct held *h, const char *why);
static int held_resume(struct held *h, bool gap);

/* Drain what the kernel queued; ENODEV (device gone, revoked) pauses. */
static int held_on_readable(int fd, uint32_t events, void *data)
{
	static struct vsensor_record buf[CAPTURE_BATCH];
	struct held *h = data;
	ssize_t n;
	size_t i, count;

	(void)events;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			held_pause(h, strerror(errno));
			return 0;
		}
		if (n == 0) {
			held_pause(h, "end of file");
			return 0;
		}
		count = (size_t)n / sizeof(buf[0]);
		if (h->capture->kill_after_read && !--h->capture->kill_after_read)
			raise(SIGKILL);
		for (i = 0; i < count; i++) {
			buf[i].seq += h->seq_base;
			if (buf[i].flags & VSENSOR_RECORD_F_DROPPED)
				h->dropped += buf[i].dropped;
		}
		if (count) {
			h->next_seq = buf[count - 1].seq + 1;
			h->last_ts = buf[count - 1].timestamp_ns;
		}
		if (output_records(h, buf, count)) {
			struct log_about about = held_about(h);

			log_err(&about, "session %" PRIu64 ": writing %s: %m; pausing",
				h->id, h->output);
			held_pause(h, "recording failed");
			return 0;
		}
		h->records += count;
		if (count < CAPTURE_BATCH)
			return 0;
	}
}

static void held_close_device(struct held *h)
{
	if (h->dev_fd < 0)
		return;
	loop_remove_fd(h->src);
	h->src = NULL;
	fdstore_remove(h, "dev");
	close(h->dev_fd);
	h->dev_fd = -1;
}

static void held_pause(struct held *h, const char *why)
{
	struct log_about about = held_about(h);

	held_close_device(h);
	h->state = HELD_PAUSED;
	h->pause_ns = loop_realtime_ns();
	log_notice(&about, "session %" PRIu64 " paused after record %" PRIu64 ": %s",
		   h->id, h->next_seq, why);
	state_save(h->capture);
	/* A device that came back while events were lost: take it now. */
	if (devices_find_identity(h->capture->devices, h->identity))
		held_resume(h, true);
}

/* Open @devnode and check it is the device we record, configured as asked. */
static int held_open_device(struct held *h, const struct device *dev,
			    const struct vsensor_config *want)
{
	struct vsensor_config config = *want;
	struct vsensor_info info;
	int fd;

	if (!dev->devnode)
		return -ENODEV;
	fd = open(dev->devnode, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, VSENSOR_IOC_GET_INFO, &info))
		goto err;
	if (h->serial[0] && strncmp(info.serial, h->serial, sizeof(h->serial))) {
		errno = ENODEV;		/* another device under the old node */
		goto err;
	}
	if (ioctl(fd, VSENSOR_IOC_SET_CONFIG, &config))
		goto err;
	h->config = config;
	snprintf(h->serial, sizeof(h->serial), "%s", info.serial);
	snprintf(h->device, sizeof(h->device), "%s", dev->name);
	return fd;
err:
	fd = (close(fd), -errno);
	return fd;
}

static int held_attach(struct held *h, int fd)
{
	h->dev_fd = fd;
	h->src = loop_add_fd(h->capture->loop, fd, EPOLLIN, held_on_readable, h);
	if (!h->src) {
		h->dev_fd = -1;
		close(fd);
		return -errno;
	}
	h->state = HELD_RUNNING;
	fdstore_put(h, "dev", fd);
	return 0;
}

/* A paused session takes its device again: one gap marker, seq goes on. */
static int held_resume(struct held *h, bool gap)
{
	const struct device *dev = devices_find_identity(h->capture->devices,
							 h->identity);
	struct log_about about = held_about(h);
	uint64_t now;
	int fd, ret;

	if (!dev)
		return -ENODEV;
	fd = held_open_device(h, dev, &h->config);
	if (fd < 0) {
		log_debug(&about, "session %" PRIu64 " stays paused: %s", h->id,
			  strerror(-fd));
		return fd;
	}
	now = loop_realtime_ns();
	h->seq_base = h->next_seq;
	if (gap && output_gap(h, h->pause_ns, now))
		log_err(&about, "session %" PRIu64 ": writing the gap marker: %m", h->id);
	ret = held_attach(h, fd);
	if (ret)
		return ret;
	about = held_about(h);
	log_notice(&about, "session %" PRIu64 " resumed on %s at record %" PRIu64
		   " after a gap of %" PRIu64 " ms", h->id, h->device, h->next_seq,
		   (now - h->pause_ns) / 1000000);
	state_save(h->capture);
	return 0;
}

void capture_device_added(struct capture *capture, const struct device *dev)
{
	struct held *h;

	for (h = capture->list; h; h = h->next)
		if (h->state == HELD_PAUSED && !strcmp(h->identity, dev->identity))
			held_resume(h, true);
}

void capture_device_removed(struct capture *capture, const struct device *dev)
{
	struct held *h;

	/* The session's own fd reports the removal (ENODEV after the last
	 * record): drain it now so the recording ends where the device did. */
	for (h = capture->list; h; h = h->next)
		if (h->state == HELD_RUNNING && !strcmp(h->identity, dev->identity))
			held_on_readable(h->dev_fd, EPOLLIN, h);
}

/* ---- sessions ------------------------------------------------------------- */

static void held_free(struct held *h)
{
	if (!h)
		return;
	held_close_device(h);
	if (h->out_fd >= 0)
		close(h->out_fd);
	free(h->identity);
	free(h->output);
	free(h);
}

static struct held *held_new(struct capture *capture)
{
	struct held *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->capture = capture;
	h->dev_fd = -1;
	h->out_fd = -1;
	return h;
}

static void held_link(struct capture *capture, struct held *h)
{
	struct held **pp = &capture->list;

	while (*pp)
		pp = &(*pp)->next;
	*pp = h;
	capture->count++;
}

static void held_unlink(struct capture *capture, struct held *h)
{
	struct held **pp;

	for (pp = &capture->list; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			capture->count--;
			return;
		}
	}
}

const char *capture_clock_name(uint32_t clock_id)
{
	if (clock_id >= sizeof(clock_names) / sizeof(clock_names[0]) ||
	    !clock_names[clock_id])
		return "unknown";
	return clock_names[clock_id];
}

static struct json_object *held_json(const struct held *h)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_uint64(h->id));
	json_object_object_add(o, "held", json_object_new_boolean(1));
	json_object_object_add(o, "device", json_object_new_string(h->device));
	json_object_object_add(o, "serial", json_object_new_string(h->serial));
	json_object_object_add(o, "state", json_object_new_string(state_names[h->state]));
	json_object_object_add(o, "uid", json_object_new_uint64(h->uid));
	json_object_object_add(o, "pid", json_object_new_int(h->pid));
	json_object_object_add(o, "comm", json_object_new_string(h->comm));
	json_object_object_add(o, "rate_hz", json_object_new_uint64(h->config.rate_hz));
	json_object_object_add(o, "channel_mask",
			       json_object_new_uint64(h->config.channel_mask));
	json_object_object_add(o, "watermark", json_object_new_uint64(h->config.watermark));
	json_object_object_add(o, "clock",
			       json_object_new_string(capture_clock_name(h->config.clock_id)));
	json_object_object_add(o, "output", json_object_new_string(h->output));
	json_object_object_add(o, "format", json_object_new_string(format_names[h->format]));
	json_object_object_add(o, "records", json_object_new_uint64(h->records));
	json_object_object_add(o, "gaps", json_object_new_uint64(h->gaps));
	json_object_object_add(o, "dropped", json_object_new_uint64(h->dropped));
	json_object_object_add(o, "next_seq", json_object_new_uint64(h->next_seq));
	return o;
}

void capture_list(struct capture *capture, struct json_object *array)
{
	struct held *h;

	for (h = capture->list; h; h = h->next)
		json_object_array_add(array, held_json(h));
}

size_t capture_count(const struct capture *capture)
{
	return capture->count;
}

/* A plain file name: no directory, no leading dot, printable. */
static bool output_name_ok(const char *name)
{
	size_t len = strlen(name), i;

	if (!len || len > 128 || name[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] <= ' ' || name[i] == 0x7f)
			return false;
	return true;
}

int capture_start(struct capture *capture, const struct capture_request *req,
		  struct json_object **json, char *err, size_t len)
{
	const struct device *dev = devices_find(capture->devices, req->device);
	struct vsensor_config want;
	struct held *h;
	char name[64];
	int fd, ret;

	if (!dev) {
		snprintf(err, len, "no device \"%s\"", req->device);
		return -ENODEV;
	}
	if (req->output && !output_name_ok(req->output)) {
		snprintf(err, len, "output must be a file name in %s", capture->dir);
		return -EINVAL;
	}
	h = held_new(capture);
	if (!h)
		return -ENOMEM;
	h->id = capture->next_id;
	h->identity = strdup(dev->identity);
	h->format = req->format;
	h->rotate_bytes = req->rotate_bytes;
	h->uid = req->uid;
	h->pid = req->pid;
	snprintf(h->comm, sizeof(h->comm), "%s", req->comm ? req->comm : "");
	snprintf(name, sizeof(name), "session-%" PRIu64 ".%s", h->id,
		 format_names[h->format]);
	h->output = strdup(req->output ? req->output : name);
	if (!h->identity || !h->output) {
		ret = -ENOMEM;
		goto err_free;
	}

	/* The device's current configuration, with what was asked changed. */
	fd = open(dev->devnode ? dev->devnode : "", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, VSENSOR_IOC_GET_CONFIG, &want)) {
		ret = -errno;
		snprintf(err, len, "%s: %s", dev->devnode ? dev->devnode : dev->name,
			 strerror(-ret));
		if (fd >= 0)
			close(fd);
		goto err_free;
	}
	close(fd);
	if (req->config.rate_hz)
		want.rate_hz = req->config.rate_hz;
	if (req->config.channel_mask)
		want.channel_mask = req->config.channel_mask;
	if (req->config.watermark)
		want.watermark = req->config.watermark;
	if (req->clock_set)
		want.clock_id = req->config.clock_id;
	want.ring_size = req->config.ring_size ? req->config.ring_size :
			 CAPTURE_RING_DEFAULT;
	fd = held_open_device(h, dev, &want);
	if (fd < 0) {
		ret = fd;
		snprintf(err, len, "%s refused the configuration: %s", dev->name,
			 strerror(-ret));
		goto err_free;
	}
	ret = output_open(h, true);
	if (ret) {
		close(fd);
		snprintf(err, len, "%s/%s: %s", capture->dir, h->output, strerror(-ret));
		goto err_free;
	}
	ret = held_attach(h, fd);
	if (ret) {
		snprintf(err, len, "%s", strerror(-ret));
		goto err_free;
	}
	fdstore_put(h, "out", h->out_fd);
	capture->next_id++;
	held_link(capture, h);
	state_save(capture);
	{
		struct log_about about = held_about(h);

		about.client_uid = (int)req->uid;
		about.client_pid = req->pid;
		log_info(&about, "session %" PRIu64 " started on %s: %u Hz, channels 0x%x,"
			 " recording to %s (%s)", h->id, h->device, h->config.rate_hz,
			 h->config.channel_mask, h->output, format_names[h->format]);
	}
	*json = held_json(h);
	return 0;

err_free:
	if (h->out_fd >= 0) {
		char path[4096];

		if (!output_path(h, path, sizeof(path), 0))
			unlink(path);
	}
	held_free(h);
	return ret;
}

int capture_stop(struct capture *capture, uint64_t id, struct json_object **json)
{
	struct held *h;

	for (h = capture->list; h; h = h->next)
		if (h->id == id)
			break;
	if (!h)
		return -ENOENT;
	if (h->state == HELD_RUNNING)
		held_on_readable(h->dev_fd, EPOLLIN, h);	/* what is queued */
	held_unlink(capture, h);
	fdstore_remove(h, "out");
	*json = held_json(h);
	{
		struct log_about about = held_about(h);

		log_info(&about, "session %" PRIu64 " stopped: %" PRIu64 " records, %"
			 PRIu64 " gaps in %s", h->id, h->records, h->gaps, h->output);
	}
	held_free(h);
	state_save(capture);
	return 0;
}

/* ---- restart -------------------------------------------------------------- */

static int output_recover_fd(struct held *h, int rfd)
{
	struct stat st;
	char tail[4096];
	off_t size, keep;
	ssize_t n;

	if (fstat(rfd, &st))
		return -errno;
	size = st.st_size;
	if (h->format == CAPTURE_BIN) {
		struct vsensor_record last;
		off_t hdr = sizeof(struct vsensord_capture_header);

		if (size < hdr)
			return -EINVAL;
		keep = hdr + (size - hdr) / (off_t)sizeof(last) * (off_t)sizeof(last);
		if (keep != size && ftruncate(h->out_fd, keep))
			return -errno;
		h->file_bytes = (uint64_t)keep;
		if (keep == hdr)
			return 0;
		if (pread(rfd, &last, sizeof(last), keep - (off_t)sizeof(last)) !=
		    (ssize_t)sizeof(last))
			return -EIO;
		h->next_seq = (last.flags & VSENSORD_CAPTURE_F_GAP) ? last.seq : last.seq + 1;
		h->last_ts = last.timestamp_ns;
		return 0;
	}
	/* csv: the last whole line */
	keep = size > (off_t)sizeof(tail) - 1 ? size - (off_t)sizeof(tail) + 1 : 0;
	n = pread(rfd, tail, (size_t)(size - keep), keep);
	if (n < 0)
		return -errno;
	tail[n] = '\0';
	while (n > 0 && tail[n - 1] != '\n')
		n--;
	if (keep + n != size && ftruncate(h->out_fd, keep + n))
		return -errno;
	h->file_bytes = (uint64_t)(keep + n);
	if (n == 0)
		return 0;
	tail[n - 1] = '\0';
	{
		char *line = strrchr(tail, '\n');
		unsigned long long seq, ts;

		line = line ? line + 1 : tail;
		if (sscanf(line, "# gap seq=%llu", &seq) == 1) {
			h->next_seq = seq;
		} else if (sscanf(line, "%llu,%llu,", &seq, &ts) == 2) {
			h->next_seq = seq + 1;
			h->last_ts = ts;
		}
	}
	return 0;
}

/*
 * Where the recording in @h->out_fd ends: a record cut short by a crash is
 * cut off, and next_seq/last_ts come from the last whole entry (a file that
 * holds only its header keeps the values of the state file). The file is
 * read through a read-only open of the same file (/proc/self/fd: it may
 * have been renamed), whatever mode the fd store kept it in.
 */
static int output_recover(struct held *h)
{
	char path[64];
	int rfd, ret;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", h->out_fd);
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (rfd < 0)
		return -errno;
	ret = output_recover_fd(h, rfd);
	close(rfd);
	return ret;
}

static uint64_t json_u64(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_uint64(v) : 0;
}

static const char *json_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/* The fd the store handed over as "KIND-ID", taken (-1 if none). */
static int take_fd(int *fds, char **names, size_t n, const char *kind, uint64_t id)
{
	char want[64];
	size_t i;
	int fd;

	snprintf(want, sizeof(want), "%s-%" PRIu64, kind, id);
	for (i = 0; i < n; i++) {
		if (fds[i] >= 0 && names[i] && !strcmp(names[i], want)) {
			fd = fds[i];
			fds[i] = -1;
			return fd;
		}
	}
	return -1;
}

/*
 * Make the kernel session offer again the records after the last one in
 * the file. If they are gone (the queue wrapped while no daemon ran), the
 * loss is a gap marker in the recording and a warning in the journal.
 */
static void held_rewind(struct held *h, int dev_fd)
{
	struct log_about about = held_about(h);
	__u64 kseq = h->next_seq - h->seq_base;
	uint64_t now = loop_realtime_ns(), start = now;
	struct stat st;

	if (!ioctl(dev_fd, VSENSOR_IOC_REWIND, &kseq))
		return;
	log_warning(&about, "session %" PRIu64 ": the records after %" PRIu64
		    " are gone from the kernel's queue (%m); marking a gap",
		    h->id, h->next_seq);
	/* from the last write into the file */
	if (!fstat(h->out_fd, &st))
		start = (uint64_t)st.st_mtim.tv_sec * 1000000000ULL +
			(uint64_t)st.st_mtim.tv_nsec;
	if (output_gap(h, start, now))
		log_err(&about, "session %" PRIu64 ": writing the gap marker: %m", h->id);
}

static void restore_one(struct capture *capture, struct json_object *o,
			int *fds, char **names, size_t n)
{
	struct held *h = held_new(capture);
	struct log_about about;
	const char *format = json_str(o, "format");
	bool running = !strcmp(json_str(o, "state"), "running");
	int dev_fd, ret;
	struct stat st;

	if (!h)
		return;
	h->id = json_u64(o, "id");
	h->identity = strdup(json_str(o, "identity"));
	h->output = strdup(json_str(o, "output"));
	snprintf(h->serial, sizeof(h->serial), "%s", json_str(o, "serial"));
	snprintf(h->device, sizeof(h->device), "%s", json_str(o, "device"));
	snprintf(h->comm, sizeof(h->comm), "%s", json_str(o, "comm"));
	h->config.rate_hz = (uint32_t)json_u64(o, "rate_hz");
	h->config.channel_mask = (uint32_t)json_u64(o, "channel_mask");
	h->config.watermark = (uint32_t)json_u64(o, "watermark");
	h->config.ring_size = (uint32_t)json_u64(o, "ring_size");
	h->config.clock_id = (uint32_t)json_u64(o, "clock_id");
	h->config.flags = (uint32_t)json_u64(o, "flags");
	h->format = !strcmp(format, "csv") ? CAPTURE_CSV : CAPTURE_BIN;
	h->rotate_bytes = json_u64(o, "rotate_bytes");
	h->uid = (uid_t)json_u64(o, "uid");
	h->pid = (pid_t)json_u64(o, "pid");
	h->seq_base = json_u64(o, "seq_base");
	h->next_seq = json_u64(o, "next_seq");
	h->last_ts = json_u64(o, "last_ts");
	h->pause_ns = json_u64(o, "pause_ns");
	h->records = json_u64(o, "records");
	h->gaps = json_u64(o, "gaps");
	h->dropped = json_u64(o, "dropped");
	about = held_about(h);
	if (!h->id || !h->identity || !h->output || !output_name_ok(h->output)) {
		log_err(&about, "state file: a session without id, identity or output; dropped");
		held_free(h);
		return;
	}
	h->out_fd = take_fd(fds, names, n, "out", h->id);
	if (h->out_fd < 0) {
		ret = output_open(h, false);
		if (ret) {
			log_err(&about, "session %" PRIu64 ": %s: %s; dropped", h->id,
				h->output, strerror(-ret));
			held_free(h);
			return;
		}
		fdstore_put(h, "out", h->out_fd);
	}
	ret = output_recover(h);
	if (ret)
		log_warning(&about, "session %" PRIu64 ": %s: %s", h->id, h->output,
			    strerror(-ret));
	/* Every number up to next_seq is a record written or one the kernel
	 * reported lost: the count is exact though the state file is older. */
	h->records = h->next_seq > h->dropped ? h->next_seq - h->dropped : 0;
	held_link(capture, h);
	dev_fd = take_fd(fds, names, n, "dev", h->id);
	if (dev_fd >= 0 && running) {
		/*
		 * The kernel session lived on in the fd store. What the last
		 * daemon read but did not write (killed in between) is still
		 * in its queue: rewind to where the file ends.
		 */
		held_rewind(h, dev_fd);
		if (held_attach(h, dev_fd) == 0) {
			log_notice(&about, "session %" PRIu64 " taken back from the fd store at"
				   " record %" PRIu64, h->id, h->next_seq);
			held_on_readable(h->dev_fd, EPOLLIN, h);
			return;
		}
	} else if (dev_fd >= 0) {
		close(dev_fd);
	}
	/* Its device session is gone (stop and start, or it was paused). */
	h->state = HELD_PAUSED;
	if (running) {
		h->pause_ns = fstat(h->out_fd, &st) ? loop_realtime_ns() :
			      (uint64_t)st.st_mtim.tv_sec * 1000000000ULL +
			      (uint64_t)st.st_mtim.tv_nsec;
		log_notice(&about, "session %" PRIu64 " lost its device session with the"
			   " daemon; reopening", h->id);
	}
	held_resume(h, true);
}

int capture_restore(struct capture *capture, int *fds, char **names, size_t n)
{
	char path[4096];
	struct json_object *root, *arr;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", capture->state_dir, CAPTURE_STATE_FILE);
	root = json_object_from_file(path);
	if (root) {
		if (json_u64(root, "next_id") > capture->next_id)
			capture->next_id = json_u64(root, "next_id");
		if (json_object_object_get_ex(root, "sessions", &arr) &&
		    json_object_is_type(arr, json_type_array))
			for (i = 0; i < json_object_array_length(arr); i++)
				restore_one(capture, json_object_array_get_idx(arr, i),
					    fds, names, n);
		json_object_put(root);
	} else if (access(path, F_OK) == 0) {
		log_err(NULL, "%s: %s; held sessions not restored", path,
			json_util_get_last_err());
	}
	/* fds of sessions the state no longer lists: let them go */
	for (i = 0; i < n; i++) {
		if (fds[i] < 0 || !names[i] ||
		    (strncmp(names[i], "dev-", 4) && strncmp(names[i], "out-", 4)))
			continue;
		log_notice(NULL, "fd store: dropping %s, no session has it", names[i]);
		{
			char msg[96];

			snprintf(msg, sizeof(msg), "FDSTOREREMOVE=1\nFDNAME=%s", names[i]);
			sd_pid_notify(0, 0, msg);
		}
		close(fds[i]);
		fds[i] = -1;
	}
	return state_save(capture);
}

/* The one-shot test knob (see kill_after_read): taken and removed. */
static void capture_test_knob(struct capture *capture)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/test-kill-after-read", capture->state_dir);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fscanf(f, "%lu", &capture->kill_after_read) != 1)
		capture->kill_after_read = 0;
	fclose(f);
	if (unlink(path))
		capture->kill_after_read = 0;	/* it would fire on every start */
	log_warning(NULL, "%s: for tests: SIGKILL after read %lu", path,
		    capture->kill_after_read);
}

struct capture *capture_new(struct loop *loop, struct devices *devices,
			    const char *state_dir)
{
	struct capture *capture = calloc(1, sizeof(*capture));

	if (!capture)
		return NULL;
	capture->loop = loop;
	capture->devices = devices;
	capture->next_id = 1;
	capture->state_dir = strdup(state_dir);
	if (!capture->state_dir ||
	    asprintf(&capture->dir, "%s/capture", state_dir) < 0) {
		free(capture->state_dir);
		free(capture);
		return NULL;
	}
	if (mkdir(capture->dir, 0750) && errno != EEXIST)
		log_warning(NULL, "%s: %m", capture->dir);
	capture_test_knob(capture);
	return capture;
}

void capture_free(struct capture *capture)
{
	if (!capture)
		return;
	/* Leave the fd store and the state file as they are: a restart
	 * takes the sessions back. Only our own copies of the fds close. */
	while (capture->list) {
		struct held *h = capture->list;

		capture->list = h->next;
		loop_remove_fd(h->src);
		if (h->dev_fd >= 0)
			close(h->dev_fd);
		if (h->out_fd >= 0)
			close(h->out_fd);
		free(h->identity);
		free(h->output);
		free(h);
	}
	free(capture->dir);
	free(capture->state_dir);
	free(capture);
}
