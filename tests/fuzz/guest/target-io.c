// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "io": read/write/poll of sessions: lengths 0, 1, a
 * record, huge; bad buffers; random stimulus records; O_ASYNC; configs and
 * flushes between them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"

static size_t pick_len(void)
{
	static const size_t lens[] = {
		0, 1, 63, 64, 65, 127, 128, 640, 4096, 3 * PAGE, 1 << 20,
		SIZE_MAX / 2, SIZE_MAX,
	};

	return lens[below(ARRAY_SIZE(lens))];
}

static void fuzz_io_one(int fd)
{
	enum ptr_kind kind = pick_kind();
	size_t len = pick_len();
	struct vsensor_record rec[4];
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	void *p;
	long ret;

	switch (below(6)) {
	case 0:
	case 1:
		p = pick_ptr(kind, len);
		if (kind == P_OK && len > 3 * PAGE)
			len = 3 * PAGE;
		arm_alarm(50);
		ret = read(fd, p, len);
		arm_alarm(0);
		break;
	case 2:
		memset(rec, 0, sizeof(rec));
		if (chance(20))
			fill_random(rec, sizeof(rec));
		else
			rec[0].value[below(8)] = (int32_t)interesting_u32();
		p = kind == P_OK ? (void *)rec : pick_ptr(kind, len);
		if (kind == P_OK && len > sizeof(rec))
			len = sizeof(rec);
		arm_alarm(50);
		ret = write(fd, p, len);
		arm_alarm(0);
		break;
	case 3:
		ret = poll(&pfd, 1, below(20));
		break;
	case 4:
		ret = fcntl(fd, F_SETFL, chance(50) ? O_NONBLOCK :
			    O_ASYNC | O_NONBLOCK);
		if (!ret)
			ret = fcntl(fd, F_SETOWN, getpid());
		break;
	default: {
		struct vsensor_config c;

		random_config(&c);
		ret = ioctl(fd, chance(50) ? VSENSOR_IOC_FLUSH :
			    VSENSOR_IOC_SET_CONFIG, &c);
		break;
	}
	}
	count(ret);
	if (ret < 0 && (errno == EFAULT) && kind == P_OK)
		anomaly("EFAULT with a valid buffer of %zu bytes", len);
}

static void io_round(void)
{
	int fd = open_device(O_RDWR | (chance(50) ? O_NONBLOCK : 0)), i;

	if (fd < 0) {
		count(-1);
		return;
	}
	for (i = 0; i < 32; i++) {
		fuzz_io_one(fd);
		stats->iterations++;
	}
	close(fd);
}

const struct fuzz_target target_io = {
	.name = "io",
	.round = io_round,
};
