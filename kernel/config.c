// SPDX-License-Identifier: GPL-2.0
/*
 * Session configuration validation and per-session rate decimation (see
 * config.h). Compiled into vsensor.ko and into the host unit tests.
 */
#include "config.h"

static u32 vsensor_roundup_pow2(u32 n)
{
	u32 p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static bool vsensor_clock_valid(u32 clock_id)
{
	switch (clock_id) {
	case VSENSOR_CLOCK_REALTIME:
	case VSENSOR_CLOCK_MONOTONIC:
	case VSENSOR_CLOCK_BOOTTIME:
		return true;
	default:
		return false;
	}
}

/*
 * Check the whole of @req against @lim; on success fill @eff with the
 * effective configuration (ring size rounded up to a power of two). Nothing
 * is written to @eff on failure. Returns 0 or -EINVAL.
 */
int vsensor_config_check(const struct vsensor_config *req,
			 const struct vsensor_limits *lim,
			 struct vsensor_config *eff)
{
	u32 all_channels = (u32)((1ULL << lim->nr_channels) - 1);
	u32 ring;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(req->reserved); i++)
		if (req->reserved[i])
			return -EINVAL;
	if (req->flags & ~VSENSOR_CONFIG_FLAGS_KNOWN)
		return -EINVAL;
	if (req->rate_hz < lim->rate_min || req->rate_hz > lim->rate_max)
		return -EINVAL;
	if (!req->channel_mask || (req->channel_mask & ~all_channels))
		return -EINVAL;
	if (req->ring_size < lim->ring_min || req->ring_size > lim->ring_max)
		return -EINVAL;
	ring = vsensor_roundup_pow2(req->ring_size);
	if (ring > lim->ring_max)
		return -EINVAL;
	if (!req->watermark || req->watermark > ring)
		return -EINVAL;
	if (!vsensor_clock_valid(req->clock_id))
		return -EINVAL;

	*eff = *req;
	eff->ring_size = ring;
	return 0;
}

bool vsensor_config_equal(const struct vsensor_config *a,
			  const struct vsensor_config *b)
{
	return !memcmp(a, b, sizeof(*a));
}

void vsensor_decim_reset(struct vsensor_decim *d)
{
	memset(d, 0, sizeof(*d));
}

/* Due time @n, as an offset from t0 (never past VSENSOR_DECIM_SPAN_NS + 2 s). */
static u64 vsensor_decim_due(u64 n, u32 rate)
{
	return mul_u64_u32_div(n, NSEC_PER_SEC, rate);
}

/*
 * Offer a sample taken at @ts to a session wanting @rate per second.
 * Returns true when the session takes it; then @missed holds how many due
 * times passed with no sample at all (the hardware lost them). A rate of 0
 * takes nothing; a time before the start or beyond VSENSOR_DECIM_SPAN_NS
 * after it (the driver drops such records first) starts afresh at @ts, so
 * no due time computed here can overflow.
 */
bool vsensor_decim_step(struct vsensor_decim *d, u64 ts, u32 rate,
			u64 *missed)
{
	u64 n;

	*missed = 0;
	if (!rate)
		return false;
	if (!d->started || ts < d->t0 || ts - d->t0 > VSENSOR_DECIM_SPAN_NS) {
		d->t0 = ts;
		d->n = 0;
		d->started = true;
	}
	if (ts - d->t0 < vsensor_decim_due(d->n, rate))
		return false;
	/* n: the last due time at or before ts (rounding: at most one more) */
	n = mul_u64_u32_div(ts - d->t0, rate, NSEC_PER_SEC);
	while (vsensor_decim_due(n + 1, rate) <= ts - d->t0)
		n++;
	*missed = n - d->n;
	d->n = n + 1;
	return true;
}
