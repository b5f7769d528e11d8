// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz: values on the edges of the ABI's ranges, for ioctl structs
 * and for the text written to sysfs and bus files.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

/* Values that sit on the edges of the ABI's ranges. */
uint32_t interesting_u32(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 100, 255, 256, 1000, 1024,
		4096, 65535, 65536, 65537, 99999, 100000, 100001, 1000000,
		1000001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	};

	return chance(70) ? v[below(ARRAY_SIZE(v))] : (uint32_t)rnd();
}

void random_config(struct vsensor_config *c)
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
size_t pick_value(char *buf, size_t size)
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
