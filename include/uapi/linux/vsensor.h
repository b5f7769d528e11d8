/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vsensor: the userspace ABI of the vsensor streaming-sensor driver.
 *
 * This header is the single definition of the ABI. The kernel module, the
 * library, the daemon, the CLI and the tests all include it; nothing copies it.
 * Every struct has fixed-size members, natural alignment and explicit
 * reserved space; reserved fields must be zero on input and are zero on
 * output. See docs/uapi.md for the meaning of every field and error.
 */
#ifndef _UAPI_LINUX_VSENSOR_H
#define _UAPI_LINUX_VSENSOR_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VSENSOR_ABI_VERSION	1

/* Character device nodes are /dev/vsensorN; bus devices vsensorN. */
#define VSENSOR_NAME		"vsensor"

#define VSENSOR_MAX_CHANNELS	8
#define VSENSOR_MODEL_LEN	16
#define VSENSOR_SERIAL_LEN	32

/*
 * struct vsensor_record - one sample, as returned by read() (64 bytes).
 * @seq:	 sequence number in this session, counting from 0; a record
 *		 lost to an overrun still consumes its number, so a gap in
 *		 @seq is exactly the number of records lost
 * @timestamp_ns: when the hardware took the sample, in the session's clock
 * @flags:	 VSENSOR_RECORD_F_*
 * @channel_mask: bit i set: @value[i] holds channel i; other values are 0
 * @dropped:	 with VSENSOR_RECORD_F_DROPPED: how many records were lost
 *		 immediately before this one (like evdev's SYN_DROPPED)
 * @reserved:	 zero
 * @value:	 the samples, one signed 32-bit value per channel
 */
struct vsensor_record {
	__u64 seq;
	__u64 timestamp_ns;
	__u32 flags;
	__u32 channel_mask;
	__u32 dropped;
	__u32 reserved;
	__s32 value[VSENSOR_MAX_CHANNELS];
};

#define VSENSOR_RECORD_F_DROPPED	(1U << 0) /* loss just before this record */
#define VSENSOR_RECORD_F_INJECTED	(1U << 1) /* measured a write() stimulus */
#define VSENSOR_RECORD_F_CONFIG		(1U << 2) /* first record after SET_CONFIG */

/*
 * struct vsensor_info - static description of a device (VSENSOR_IOC_GET_INFO).
 */
struct vsensor_info {
	char model[VSENSOR_MODEL_LEN];		/* NUL-terminated, e.g. "VSN1000" */
	char serial[VSENSOR_SERIAL_LEN];	/* NUL-terminated, stable identity */
	__u32 abi_version;			/* VSENSOR_ABI_VERSION */
	__u32 id;				/* N of /dev/vsensorN */
	__u32 nr_channels;
	__u32 rate_min_hz;
	__u32 rate_max_hz;
	__u32 fifo_depth;			/* hardware FIFO, records */
	__u32 record_size;			/* sizeof(struct vsensor_record) */
	__u32 ring_max;				/* largest session ring, records */
	__u32 reserved[8];
};

/* Timestamp clocks accepted in vsensor_config.clock_id (values of clockid_t). */
#define VSENSOR_CLOCK_REALTIME	0
#define VSENSOR_CLOCK_MONOTONIC	1
#define VSENSOR_CLOCK_BOOTTIME	7

/*
 * struct vsensor_config - the whole configuration of one session.
 * @rate_hz:	  records per second delivered to this session
 * @channel_mask: channels to sample; non-zero, within the device's channels
 * @watermark:	  poll() reports readable from this many queued records
 * @ring_size:	  session queue length in records, a power of two
 * @clock_id:	  VSENSOR_CLOCK_*
 * @flags:	  VSENSOR_CONFIG_F_*
 * @reserved:	  zero; room to grow
 *
 * Extensible: the kernel takes the struct size from the ioctl number, zero-
 * fills a shorter struct from an older program and rejects a longer one whose
 * unknown tail is not zero with -E2BIG.
 */
struct vsensor_config {
	__u32 rate_hz;
	__u32 channel_mask;
	__u32 watermark;
	__u32 ring_size;
	__u32 clock_id;
	__u32 flags;
	__u32 reserved[10];
};

/*
 * VSENSOR_CONFIG_F_BUSY_POLL: a blocking read() polls the device's FIFO from
 * the reading thread (about 100 ms at most, then it sleeps) instead of
 * waiting for the interrupt: lower latency for more CPU time.
 */
#define VSENSOR_CONFIG_F_BUSY_POLL	(1U << 0)

/* Per-session counters (VSENSOR_IOC_GET_STATS). */
struct vsensor_stats {
	__u64 delivered;	/* records copied to userspace */
	__u64 dropped;		/* records lost because the ring was full */
	__u64 overruns;		/* overrun events (each is one marker) */
	__u64 wakeups;		/* reader wake-ups */
	__u64 queued;		/* records waiting in the ring now */
	__u64 written;		/* stimulus records accepted by write() */
	__u64 reserved[10];
};

/*
 * 0xBE: free in Documentation/userspace-api/ioctl/ioctl-number.rst (0xB8,
 * this driver's first choice, is mshv's and mrvl_cn10k_dpi's in mainline).
 */
#define VSENSOR_IOC_MAGIC	0xBE

#define VSENSOR_IOC_GET_INFO	_IOR(VSENSOR_IOC_MAGIC, 0x00, struct vsensor_info)
#define VSENSOR_IOC_GET_CONFIG	_IOR(VSENSOR_IOC_MAGIC, 0x01, struct vsensor_config)
#define VSENSOR_IOC_SET_CONFIG	_IOWR(VSENSOR_IOC_MAGIC, 0x02, struct vsensor_config)
#define VSENSOR_IOC_GET_STATS	_IOR(VSENSOR_IOC_MAGIC, 0x03, struct vsensor_stats)
#define VSENSOR_IOC_FLUSH	_IO(VSENSOR_IOC_MAGIC, 0x04)

/*
 * VSENSOR_IOC_REWIND (argument: the __u64 sequence number): offer again the
 * records from that number on which this session already read, while its
 * queue still holds them (the producer has not reused their slots, no flush
 * or SET_CONFIG came between). A consumer that died between read() and
 * storing what it read (vsensord across kill -9, with the session kept in
 * systemd's fd store) resumes where its storage ends and loses nothing.
 * A number not read yet moves nothing. Returns 0, or -1 with errno ENODATA
 * when some of the records are gone (nothing moves then).
 */
#define VSENSOR_IOC_REWIND	_IOW(VSENSOR_IOC_MAGIC, 0x05, __u64)

/*
 * Simulated waveforms (sysfs "waveform", VSENSOR_A_DEV_WAVEFORM); the sensor
 * measures one of these when no stimulus is queued.
 */
enum vsensor_waveform {
	VSENSOR_WAVEFORM_SINE = 1,
	VSENSOR_WAVEFORM_SQUARE,
	VSENSOR_WAVEFORM_RAMP,
	VSENSOR_WAVEFORM_NOISE,
	__VSENSOR_WAVEFORM_MAX,
};
#define VSENSOR_WAVEFORM_MAX	(__VSENSOR_WAVEFORM_MAX - 1)

/* Ranges of the device settings (sysfs and VSENSOR_CMD_DEVICE_SET). */
#define VSENSOR_AMPLITUDE_MAX	1000000		/* peak value */
#define VSENSOR_FREQUENCY_MIN	1		/* mHz */
#define VSENSOR_FREQUENCY_MAX	1000000		/* mHz (1 kHz) */
#define VSENSOR_DEV_ID_MAX	255		/* vsensor0 .. vsensor255 */

/*
 * Generic netlink family "vsensor": control and monitoring of devices and
 * sessions. Resolve the family and the "events" multicast group by name.
 * Requests are VSENSOR_CMD_DEVICE_* and VSENSOR_CMD_SESSION_*; those that
 * change state need CAP_NET_ADMIN. Notifications on "events" have their own
 * command ids (VSENSOR_CMD_DEVICE_ADDED ...). See docs/design.md.
 */
#define VSENSOR_GENL_NAME		"vsensor"
#define VSENSOR_GENL_VERSION		1
#define VSENSOR_GENL_MCGRP_EVENTS	"events"

enum vsensor_cmd {
	VSENSOR_CMD_UNSPEC,
	VSENSOR_CMD_DEVICE_GET,		/* do: DEV_ID; dump: every device */
	VSENSOR_CMD_DEVICE_NEW,		/* DEV_ID, optional DEV_SERIAL */
	VSENSOR_CMD_DEVICE_DEL,		/* DEV_ID */
	VSENSOR_CMD_DEVICE_SET,		/* DEV_ID and settings, all or nothing */
	VSENSOR_CMD_SESSION_GET,	/* dump: every session */
	VSENSOR_CMD_SESSION_REVOKE,	/* SESSION_ID */
	/* notifications (multicast group "events") */
	VSENSOR_CMD_DEVICE_ADDED,
	VSENSOR_CMD_DEVICE_REMOVED,
	VSENSOR_CMD_DEVICE_CHANGED,
	VSENSOR_CMD_SESSION_OPENED,
	VSENSOR_CMD_SESSION_CLOSED,
	VSENSOR_CMD_OVERRUN,
	VSENSOR_CMD_IOMMU_FAULT,
	__VSENSOR_CMD_MAX,
};
#define VSENSOR_CMD_MAX	(__VSENSOR_CMD_MAX - 1)

enum vsensor_attr {
	VSENSOR_A_UNSPEC,
	VSENSOR_A_PAD,
	VSENSOR_A_DEV_ID,		/* u32, N of vsensorN */
	VSENSOR_A_DEV_SERIAL,		/* string */
	VSENSOR_A_DEV_MODEL,		/* string */
	VSENSOR_A_DEV_ONLINE,		/* u8 */
	VSENSOR_A_DEV_FW_VERSION,	/* u32, 0xMMmmpppp */
	VSENSOR_A_DEV_CHANNELS,		/* u32 */
	VSENSOR_A_DEV_SAMPLE_RATE,	/* u32, hardware rate, Hz */
	VSENSOR_A_DEV_SESSIONS_OPEN,	/* u32 */
	VSENSOR_A_DEV_WAVEFORM,		/* u32, enum vsensor_waveform (settable) */
	VSENSOR_A_DEV_AMPLITUDE,	/* u32, 0..VSENSOR_AMPLITUDE_MAX (settable) */
	VSENSOR_A_DEV_FREQUENCY,	/* u32, mHz (settable) */
	VSENSOR_A_SESSION_ID,		/* u64, global, only grows */
	VSENSOR_A_SESSION_PID,		/* u32, thread group of the opener */
	VSENSOR_A_SESSION_COMM,		/* string, command of the opener */
	/* reserved: binary structs, never sent since the _NEST attributes */
	VSENSOR_A_SESSION_CONFIG_BINARY,
	VSENSOR_A_SESSION_STATS_BINARY,
	VSENSOR_A_OVERRUN_LOST,		/* u32, notifications lost before this one */
	VSENSOR_A_IOVA,			/* u64, faulting I/O virtual address */
	VSENSOR_A_SESSION_CONFIG_NEST,	/* nested, enum vsensor_config_attr */
	VSENSOR_A_SESSION_STATS_NEST,	/* nested, enum vsensor_stats_attr */
	__VSENSOR_A_MAX,
};
#define VSENSOR_A_MAX	(__VSENSOR_A_MAX - 1)

/*
 * Nested in VSENSOR_A_SESSION_CONFIG_NEST: the members of struct
 * vsensor_config, one attribute each. New members get new attributes at
 * the end; a reader ignores those it does not know.
 */
enum vsensor_config_attr {
	VSENSOR_CONFIG_A_UNSPEC,
	VSENSOR_CONFIG_A_RATE_HZ,	/* u32, records per second */
	VSENSOR_CONFIG_A_CHANNEL_MASK,	/* u32, bit i: channel i */
	VSENSOR_CONFIG_A_WATERMARK,	/* u32, records */
	VSENSOR_CONFIG_A_RING_SIZE,	/* u32, records, a power of two */
	VSENSOR_CONFIG_A_CLOCK_ID,	/* u32, VSENSOR_CLOCK_* */
	VSENSOR_CONFIG_A_FLAGS,		/* u32, VSENSOR_CONFIG_F_* */
	__VSENSOR_CONFIG_A_MAX,
};
#define VSENSOR_CONFIG_A_MAX	(__VSENSOR_CONFIG_A_MAX - 1)

/* Nested in VSENSOR_A_SESSION_STATS_NEST: the members of struct vsensor_stats. */
enum vsensor_stats_attr {
	VSENSOR_STATS_A_UNSPEC,
	VSENSOR_STATS_A_PAD,		/* alignment of the u64 attributes */
	VSENSOR_STATS_A_DELIVERED,	/* u64 */
	VSENSOR_STATS_A_DROPPED,	/* u64 */
	VSENSOR_STATS_A_OVERRUNS,	/* u64 */
	VSENSOR_STATS_A_WAKEUPS,	/* u64 */
	VSENSOR_STATS_A_QUEUED,		/* u64 */
	VSENSOR_STATS_A_WRITTEN,	/* u64 */
	__VSENSOR_STATS_A_MAX,
};
#define VSENSOR_STATS_A_MAX	(__VSENSOR_STATS_A_MAX - 1)

#endif /* _UAPI_LINUX_VSENSOR_H */
