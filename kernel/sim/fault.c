// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, the lab's own FAILSLAB: module parameters choose which
 * wrapped allocation or step fails, so every error path can be run on a
 * stock kernel (tests/guest/t-fault*). All knobs are root-only. It lives in
 * vsensor-sim.ko, which both modules' wrapped calls reach: the driver
 * imports it with the rest of the platform, and the sim imports nothing.
 *
 *   fail_nth=N        the Nth check from now fails (1: the next), once
 *   fail_pid=P        only checks made by process P count (0: any)
 *   fail_init_step=S  module init step S fails with -ENOMEM, once: steps
 *                     1-3 are vsensor-sim's, 4-6 vsensor's (fault.h)
 *   faults_injected   faults injected since load (read-only)
 */
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "fault.h"

/* protects fail_nth's countdown, fail_init_step and faults_injected */
static DEFINE_SPINLOCK(vsensor_fault_lock);

static int fail_nth;
module_param(fail_nth, int, 0600);
MODULE_PARM_DESC(fail_nth, "fail the Nth wrapped allocation or step from now (0: off)");

static int fail_pid;
module_param(fail_pid, int, 0600);
MODULE_PARM_DESC(fail_pid, "count only the checks of this process (0: any)");

static unsigned int fail_init_step;
module_param(fail_init_step, uint, 0600);
MODULE_PARM_DESC(fail_init_step, "make module init step N fail, once (vsensor_sim: 1 irq, 2 bus, 3 devices; vsensor: 4 netlink, 5 led, 6 driver)");

static unsigned long faults_injected;
module_param(faults_injected, ulong, 0444);
MODULE_PARM_DESC(faults_injected, "faults injected since load");

/* Process context. True when this call is the one chosen to fail. */
bool vsensor_should_fail(void)
{
	int pid = READ_ONCE(fail_pid);
	bool fail = false;

	if (!READ_ONCE(fail_nth) || (pid && pid != task_tgid_nr(current)))
		return false;
	spin_lock(&vsensor_fault_lock);
	if (fail_nth > 0 && !--fail_nth) {
		faults_injected++;
		fail = true;
	}
	spin_unlock(&vsensor_fault_lock);
	if (fail)
		pr_info("vsensor: fault injected at %pS\n",
			__builtin_return_address(0));
	return fail;
}
EXPORT_SYMBOL_NS_GPL(vsensor_should_fail, VSENSOR_SIM);

/* -ENOMEM when @step is the one chosen to fail (then disarmed), else 0. */
int vsensor_fault_init_step(unsigned int step)
{
	bool fail;

	spin_lock(&vsensor_fault_lock);
	fail = step == fail_init_step;
	if (fail) {
		fail_init_step = 0;
		faults_injected++;
	}
	spin_unlock(&vsensor_fault_lock);
	if (!fail)
		return 0;
	pr_info("vsensor: fault injected at init step %u\n", step);
	return -ENOMEM;
}
EXPORT_SYMBOL_NS_GPL(vsensor_fault_init_step, VSENSOR_SIM);
