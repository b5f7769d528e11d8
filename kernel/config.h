/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Session configuration rules and rate arithmetic, kernel-independent so
 * the host unit tests run the same code the module does.
 */
#ifndef _VSENSOR_CONFIG_H
#define _VSENSOR_CONFIG_H

#include "compat.h"
#include <linux/vsensor.h>

/* What the device can do; the bounds a configuration is checked against. */
struct vsensor_limits {
	u32 nr_channels;
	u32 rate_min;
	u32 rate_max;
	u32 ring_min;
	u32 ring_max;
};

int vsensor_config_check(const struct vsensor_config *req,
			 const struct vsensor_limits *lim,
			 struct vsensor_config *eff);
bool vsensor_config_equal(const struct vsensor_config *a,
			  const struct vsensor_config *b);

/*
 * Decimator: each session takes, for every due time t0 + n / rate, the
 * first hardware sample at or after it. Driven by sample timestamps, it is
 * exact on average for any rate up to the hardware's, and unaffected by
 * changes of the hardware rate or samples still queued at the old rate.
 */
/* The config flags this driver knows; any other bit is -EINVAL. */
#define VSENSOR_CONFIG_FLAGS_KNOWN	VSENSOR_CONFIG_F_BUSY_POLL

#define VSENSOR_DECIM_SPAN_NS	0x4000000000000000ULL	/* 2^62: 146 years */

struct vsensor_decim {
	u64 t0;		/* due time of n = 0 */
	u64 n;		/* index of the next due time */
	bool started;
};

void vsensor_decim_reset(struct vsensor_decim *d);
bool vsensor_decim_step(struct vsensor_decim *d, u64 ts, u32 rate,
			u64 *missed);

#endif /* _VSENSOR_CONFIG_H */
