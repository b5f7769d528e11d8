// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoints of trace.h, defined here, below every file that fires
 * them (device, queue, session, vectors), so that none of those depends on
 * module init for them.
 */
#include "vsensor.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
