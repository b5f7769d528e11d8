// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the setting parser of libvsensor
 * (vsensor_nl_setting_parse: "waveform sine", "amplitude 5"), as
 * `vsensorctl device set` uses it. Input: KEY NUL VALUE. A success must name
 * a settable attribute and a value the key allows to be written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vsensor/vsensor.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsensor_nl_setting set = { 0 };
	char *key = malloc(size + 2), *value;

	if (!key)
		return 0;
	memcpy(key, data, size);
	key[size] = key[size + 1] = '\0';
	value = key + strlen(key) + 1;
	if (!vsensor_nl_setting_parse(key, value, &set)) {
		switch (set.attr) {
		case VSENSOR_A_DEV_WAVEFORM:
			if (set.value < VSENSOR_WAVEFORM_SINE ||
			    set.value > VSENSOR_WAVEFORM_MAX ||
			    strcmp(value, vsensor_waveform_name(set.value)))
				abort();
			break;
		case VSENSOR_A_DEV_AMPLITUDE:
		case VSENSOR_A_DEV_FREQUENCY:
			if (!*value || strspn(value, "0123456789") != strlen(value))
				abort();
			break;
		default:
			abort();
		}
	} else if (errno != EINVAL) {
		abort();
	}
	free(key);
	return 0;
}
