/*
 * libvsensor: the one parser of unsigned decimal numbers, for device
 * arguments, sysfs attributes, netlink settings and vsensorctl's options.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

int vsensor_parse_u64(const char *str, uint64_t min, uint64_t max,
		      uint64_t *val)
{
	unsigned long long parsed;
	char *end;

	/* strtoull would take spaces, signs and "0x"; a leading 0 is a typo */
	if (!str || str[0] < '0' || str[0] > '9' ||
	    (str[0] == '0' && str[1] != '\0')) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	parsed = strtoull(str, &end, 10);
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || parsed < min || parsed > max) {
		errno = ERANGE;
		return -1;
	}
	*val = parsed;
	return 0;
}
