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
#define VSENSOR_CONFIG_F_FLAGS_ALL	VSENSOR_CONFIG_F_BUSY_POLL

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

#define VSENSOR_IOC_MAGIC	0xB8

#define VSENSOR_IOC_GET_INFO	_IOR(VSENSOR_IOC_MAGIC, 0x00, struct vsensor_info)
#define VSENSOR_IOC_GET_CONFIG	_IOR(VSENSOR_IOC_MAGIC, 0x01, struct vsensor_config)
#define VSENSOR_IOC_SET_CONFIG	_IOWR(VSENSOR_IOC_MAGIC, 0x02, struct vsensor_config)
#define VSENSOR_IOC_GET_STATS	_IOR(VSENSOR_IOC_MAGIC, 0x03, struct vsensor_stats)
#define VSENSOR_IOC_FLUSH	_IO(VSENSOR_IOC_MAGIC, 0x04)

#endif /* _UAPI_LINUX_VSENSOR_H */
