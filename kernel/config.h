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
 * Decimator: passes @rate_out of every @rate_in input samples, evenly
 * spread (Bresenham), so any rate up to the hardware's is exact on average.
 */
struct vsensor_decim {
	u32 acc;
};

bool vsensor_decim_step(struct vsensor_decim *d, u32 rate_out, u32 rate_in);
u32 vsensor_decim_skip(struct vsensor_decim *d, u32 n, u32 rate_out,
		       u32 rate_in);

#endif /* _VSENSOR_CONFIG_H */
