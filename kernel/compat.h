/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-independent code (ring.c, ...) is compiled into the module and into
 * host unit tests. This header gives both builds the same small vocabulary.
 */
#ifndef _VSENSOR_COMPAT_H
#define _VSENSOR_COMPAT_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <asm/barrier.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = (u32)(dividend % divisor);
	return dividend / divisor;
}

static inline u64 mul_u64_u32_div(u64 a, u32 mul, u32 divisor)
{
	return (u64)(((__uint128_t)a * mul) / divisor);
}

#define NSEC_PER_SEC 1000000000L
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* the kernel's lockless accessors, as C11 atomics */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/* acquire: pairs with smp_store_release() */
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
/* release: pairs with smp_load_acquire() */
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
/* fully ordered, returns the old value (the ring only swaps u32 indexes) */
static inline u32 cmpxchg(u32 *p, u32 old, u32 new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}
#endif

#endif /* _VSENSOR_COMPAT_H */
