// SPDX-License-Identifier: GPL-2.0
/*
 * vsensor-fuzz target "ioctl": every ioctl of /dev/vsensorN: random numbers
 * around the 0xBE magic, sizes and directions; random and nearly-valid
 * structs; NULL, unmapped, read-only, page-straddling and kernel pointers.
 * The errno sets the ABI documents are checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"

static const unsigned int known_ioctls[] = {
	VSENSOR_IOC_GET_INFO, VSENSOR_IOC_GET_CONFIG, VSENSOR_IOC_SET_CONFIG,
	VSENSOR_IOC_GET_STATS, VSENSOR_IOC_FLUSH, VSENSOR_IOC_REWIND,
};

static size_t min_size(unsigned int nr)
{
	switch (nr) {
	case 0:
		return sizeof(struct vsensor_info);
	case 1:
		return sizeof(struct vsensor_config);
	case 2:
		return offsetof(struct vsensor_config, reserved);
	case 3:
		return sizeof(struct vsensor_stats);
	case 5:
		return sizeof(__u64);
	default:
		return 0;
	}
}


/* The command: known ones as they are, or bent, or anything. */
static unsigned int pick_cmd(void)
{
	unsigned int known = known_ioctls[below(ARRAY_SIZE(known_ioctls))];
	unsigned int dir = _IOC_DIR(known), nr = _IOC_NR(known);
	unsigned int size = _IOC_SIZE(known);

	switch (below(6)) {
	case 0:
	case 1:
		return known;
	case 2:		/* other size: older or newer program */
		size = chance(50) ? below(size + 64) : below(1 << 14);
		break;
	case 3:		/* other direction */
		dir = below(4);
		break;
	case 4:		/* neighbouring numbers */
		nr = below(16);
		size = chance(50) ? size : below(512);
		break;
	default:
		return chance(50) ? (unsigned int)rnd() :
		       _IOC(below(4), VSENSOR_IOC_MAGIC + (int)below(3) - 1, below(256),
			    below(1 << 14));
	}
	return _IOC(dir, VSENSOR_IOC_MAGIC, nr, size);
}

/* Is @err an answer the ABI allows for @cmd with a @kind pointer? */
static bool ioctl_answer_ok(unsigned int cmd, enum ptr_kind kind, long ret,
			    int err)
{
	unsigned int nr = _IOC_NR(cmd), size = _IOC_SIZE(cmd);
	size_t i;

	if (ret < 0 && err == ENODEV)
		return true;
	for (i = 0; i < ARRAY_SIZE(known_ioctls); i++)
		if (_IOC_TYPE(cmd) == VSENSOR_IOC_MAGIC &&
		    nr == _IOC_NR(known_ioctls[i]) &&
		    _IOC_DIR(cmd) == _IOC_DIR(known_ioctls[i]))
			break;
	if (i == ARRAY_SIZE(known_ioctls))
		return ret < 0 && err == ENOTTY;
	/* FLUSH (none) and REWIND (a __u64) take no struct: exact sizes */
	if (size < min_size(nr) || ((nr == 4 || nr == 5) && size != min_size(nr)))
		return ret < 0 && err == EINVAL;
	if (nr == 4)
		return ret == 0;
	if (nr == 5) {		/* reads a number; any number is an answer */
		if (kind == P_NULL || kind == P_UNMAPPED || kind == P_KERNEL)
			return ret < 0 && err == EFAULT;
		return ret == 0 || err == ENODATA ||
		       (kind == P_EDGE && err == EFAULT);
	}
	if (kind == P_NULL || kind == P_UNMAPPED || kind == P_KERNEL ||
	    kind == P_EDGE)
		return ret < 0 && (err == EFAULT ||
				   (nr == 2 && (err == EINVAL || err == E2BIG)));
	if (kind == P_RO && nr != 2)	/* output to a read-only page */
		return ret < 0 && err == EFAULT;
	if (nr == 2)
		return ret == 0 || err == EINVAL || err == E2BIG ||
		       err == EFAULT || err == ENOMEM;
	return ret == 0;
}

static void fuzz_ioctl(int fd)
{
	unsigned int cmd = pick_cmd();
	enum ptr_kind kind = pick_kind();
	size_t size = _IOC_SIZE(cmd), fill = size < 3 * PAGE ? size : 3 * PAGE;
	bool wild = chance(3);
	void *arg;
	long ret;

	/* P_EDGE needs a struct that does not fit before the hole */
	if (kind == P_EDGE && size < 2)
		kind = P_OK;
	arg = pick_ptr(kind, size);
	if (kind == P_OK) {
		fill_random(arg, fill);
		if (chance(70))
			random_config(arg);
		if (chance(30) && fill > sizeof(struct vsensor_config))
			/* zero tail: a newer program's struct */
			memset((char *)arg + sizeof(struct vsensor_config), 0,
			       fill - sizeof(struct vsensor_config));
	}
	ret = ioctl(fd, cmd, wild ? (void *)(uintptr_t)rnd() : arg);
	count(ret);
	/* a valid buffer larger than 3 pages runs into the read-only page */
	if (!wild && (kind != P_OK || size <= 3 * PAGE) &&
	    !ioctl_answer_ok(cmd, kind, ret, errno))
		anomaly("ioctl %#x (dir %u nr %u size %zu) ptr kind %d: %ld %s",
			cmd, _IOC_DIR(cmd), _IOC_NR(cmd), size, kind, ret,
			ret < 0 ? strerror(errno) : "");
}

static void ioctl_round(void)
{
	int fd = open_device(O_RDWR | O_NONBLOCK), i;

	if (fd < 0) {
		count(-1);
		return;
	}
	for (i = 0; i < 64; i++) {
		fuzz_ioctl(fd);
		stats->iterations++;
	}
	close(fd);
}

const struct fuzz_target target_ioctl = {
	.name = "ioctl",
	.round = ioctl_round,
};
