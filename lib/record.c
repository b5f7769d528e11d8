/*
 * libvsensor: a record as one CSV line, the format vsensorctl read
 * --format csv prints and vsensord records (format csv):
 *   seq,timestamp_ns,flags,dropped,ch0,ch1,...
 * with a column for each channel in the session's channel mask.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"

/* Add snprintf()'s count @ret to *@n: 0, or -1 when it did not fit. */
static int append(size_t len, size_t *n, int ret)
{
	if (ret < 0 || (size_t)ret >= len - *n)
		return -1;
	*n += (size_t)ret;
	return 0;
}

static ssize_t csv_end(char *buf, size_t len, size_t n)
{
	if (n + 2 > len) {
		errno = ENOSPC;
		return -1;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return (ssize_t)n;
}

ssize_t vsensor_record_csv_header(uint32_t channel_mask, char *buf, size_t len)
{
	size_t n = 0;

	if (!len || append(len, &n,
			   snprintf(buf, len, "seq,timestamp_ns,flags,dropped")))
		goto nospace;
	for (unsigned int ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++) {
		if ((channel_mask & (1U << ch)) &&
		    append(len, &n, snprintf(buf + n, len - n, ",ch%u", ch)))
			goto nospace;
	}
	return csv_end(buf, len, n);

nospace:
	errno = ENOSPC;
	return -1;
}

ssize_t vsensor_record_csv(const struct vsensor_record *record,
			   uint32_t channel_mask, char *buf, size_t len)
{
	size_t n = 0;

	if (!len || append(len, &n,
			   snprintf(buf, len, "%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",%" PRIu32,
				    (uint64_t)record->seq,
				    (uint64_t)record->timestamp_ns,
				    (uint32_t)record->flags,
				    (uint32_t)record->dropped)))
		goto nospace;
	for (unsigned int ch = 0; ch < VSENSOR_MAX_CHANNELS; ch++) {
		if ((channel_mask & (1U << ch)) &&
		    append(len, &n, snprintf(buf + n, len - n, ",%" PRId32,
						  (int32_t)record->value[ch])))
			goto nospace;
	}
	return csv_end(buf, len, n);

nospace:
	errno = ENOSPC;
	return -1;
}
