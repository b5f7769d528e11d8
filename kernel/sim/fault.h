/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for the error paths (Debian's kernel has no FAILSLAB):
 * wrap an allocation or a step at its call site, and the Nth wrapped call
 * made by the chosen process fails as if the allocator or the step had.
 * The knobs are vsensor_sim's module parameters; see sim/fault.c.
 */
#ifndef _VSENSOR_FAULT_H
#define _VSENSOR_FAULT_H

#include <linux/types.h>

bool vsensor_should_fail(void);
int vsensor_fault_init_step(unsigned int step);

/* @alloc, or NULL when a fault is injected here (it is not evaluated). */
#define vsensor_fault_alloc(alloc)	(vsensor_should_fail() ? NULL : (alloc))
/* @err when a fault is injected here, else 0: `err = fault ?: step();` */
#define vsensor_fault_err(err)		(vsensor_should_fail() ? (err) : 0)

/*
 * Module init steps that fail_init_step can make fail, in load order:
 * vsensor-sim's (sim/main.c), then vsensor's (main.c).
 */
enum {
	VSENSOR_INIT_IRQ = 1,
	VSENSOR_INIT_BUS,
	VSENSOR_INIT_DEVICES,
	VSENSOR_INIT_NETLINK,
	VSENSOR_INIT_LED,
	VSENSOR_INIT_DRIVER,
};

#endif /* _VSENSOR_FAULT_H */
