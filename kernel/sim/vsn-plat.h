/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel side of the model core's platform shim (vsn-core.h): the
 * kernel's types, the datasheet and the helpers the core needs.
 * qemu/hw/vsn-plat.h is the same for QEMU and userspace.
 */
#ifndef _VSN_PLAT_H
#define _VSN_PLAT_H

#include <linux/bits.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>

#include "hw.h"

#define vsn_div_u64_u32(n, d)		div_u64(n, d)
#define vsn_mul_u64_u32_div(a, m, d)	mul_u64_u32_div(a, m, d)
#define vsn_cpu_to_le32(x)		cpu_to_le32(x)
#define vsn_cpu_to_le64(x)		cpu_to_le64(x)
#define vsn_le32_to_cpu(x)		le32_to_cpu(x)
#define vsn_le64_to_cpu(x)		le64_to_cpu(x)

#endif /* _VSN_PLAT_H */
