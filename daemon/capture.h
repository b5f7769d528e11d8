/*
 * vsensord: held capture sessions. The daemon opens a session on a device
 * for a client and records it to a file; the session pauses while its
 * device is away and resumes, with one gap marker, when a device of the
 * same identity returns; its fds wait in systemd's fd store across a
 * restart of the daemon (docs/vsensord.md).
 */
#ifndef VSENSORD_CAPTURE_H
#define VSENSORD_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vsensor.h>

struct loop;
struct devices;
struct device;
struct json_object;

/* Bit 31 of vsensor_record.flags in a recording: a gap marker. */
#define VSENSORD_CAPTURE_F_GAP	(1U << 31)
#define VSENSORD_CAPTURE_MAGIC	"VSNCAP1"

/* The header of a binary recording (64 bytes, little endian). */
struct vsensord_capture_header {
	char magic[8];		/* "VSNCAP1\0" */
	uint32_t version;	/* 1 */
	uint32_t entry_size;	/* 64 */
	uint64_t session_id;
	char serial[32];
	uint32_t rate_hz;
	uint32_t channel_mask;
};

enum capture_format {
	CAPTURE_BIN,
	CAPTURE_CSV,
};

/* What a client asks for; zero members take the defaults. */
struct capture_request {
	const char *device;		/* any devices_find() argument */
	struct vsensor_config config;	/* only non-zero fields are set */
	bool clock_set;			/* config.clock_id given (0 is valid) */
	enum capture_format format;
	const char *output;		/* a file name in the capture dir */
	uint64_t rotate_bytes;		/* 0: never rotate */
	uid_t uid;
	pid_t pid;
	const char *comm;
};

struct capture;

struct capture *capture_new(struct loop *loop, struct devices *devices,
			    const char *state_dir);
/* Closes everything; the state file stays (the sessions resume next time). */
void capture_free(struct capture *capture);
/*
 * Take the sessions back after a restart: the state file, and the fds the
 * fd store handed over (@fds/@names from sd_listen_fds_with_names(); those
 * taken are set to -1).
 */
int capture_restore(struct capture *capture, int *fds, char **names, size_t n);

/* 0 and the new session's JSON in *json; -errno with @err explained. */
int capture_start(struct capture *capture, const struct capture_request *req,
		  struct json_object **json, char *err, size_t len);
/* 0 and the stopped session's JSON; -ENOENT if there is no such id. */
int capture_stop(struct capture *capture, uint64_t id, struct json_object **json);
/* Every held session as Session objects of io.vsensor, appended to @array. */
void capture_list(struct capture *capture, struct json_object *array);
size_t capture_count(const struct capture *capture);
/* "monotonic", ... for a VSENSOR_CLOCK_*; "unknown" otherwise. */
const char *capture_clock_name(uint32_t clock_id);

/* From the device view (devices_ops). */
void capture_device_added(struct capture *capture, const struct device *dev);
void capture_device_removed(struct capture *capture, const struct device *dev);

#endif /* VSENSORD_CAPTURE_H */
