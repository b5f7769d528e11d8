/*
 * The QEMU and userspace side of the model core's platform shim
 * (vsn-core.h): plain C types, the datasheet (kernel/sim/hw.h, copied next
 * to this file as vsn-hw.h) and the helpers the core needs.
 * kernel/sim/vsn-plat.h is the same for the kernel.
 *
 * SPDX-License-Identifier: GPL-2.0
 */
#ifndef _VSN_PLAT_H
#define _VSN_PLAT_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef uint64_t dma_addr_t;

#ifndef BIT
#define BIT(nr)		(1UL << (nr))
#endif

#include "vsn-hw.h"

#define vsn_div_u64_u32(n, d)		((u64)(n) / (u32)(d))
#define vsn_mul_u64_u32_div(a, m, d)	\
	((u64)((unsigned __int128)(a) * (u32)(m) / (u32)(d)))
#define vsn_cpu_to_le32(x)		htole32(x)
#define vsn_cpu_to_le64(x)		htole64(x)
#define vsn_le32_to_cpu(x)		le32toh(x)
#define vsn_le64_to_cpu(x)		le64toh(x)

#endif /* _VSN_PLAT_H */
