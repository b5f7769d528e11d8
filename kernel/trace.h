/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the vsensor driver (trace system "vsensor"):
 * /sys/kernel/tracing/events/vsensor/. CREATE_TRACE_POINTS is in trace.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vsensor

#if !defined(_VSENSOR_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VSENSOR_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(vsensor_session_open,
	    TP_PROTO(u32 dev, u64 session, pid_t pid),
	    TP_ARGS(dev, session, pid),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u64, session)
			     __field(pid_t, pid)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->session = session;
			   __entry->pid = pid;),
	    TP_printk("dev=%u session=%llu pid=%d", __entry->dev,
		      __entry->session, __entry->pid)
);

TRACE_EVENT(vsensor_session_close,
	    TP_PROTO(u32 dev, u64 session),
	    TP_ARGS(dev, session),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u64, session)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->session = session;),
	    TP_printk("dev=%u session=%llu", __entry->dev, __entry->session)
);

TRACE_EVENT(vsensor_overrun,
	    TP_PROTO(u32 dev, u64 session, u64 dropped),
	    TP_ARGS(dev, session, dropped),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u64, session)
			     __field(u64, dropped)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->session = session;
			   __entry->dropped = dropped;),
	    TP_printk("dev=%u session=%llu dropped=%llu", __entry->dev,
		      __entry->session, __entry->dropped)
);

TRACE_EVENT(vsensor_irq_top,
	    TP_PROTO(u32 dev, u32 vector, int cpu, u32 status),
	    TP_ARGS(dev, vector, cpu, status),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vector)
			     __field(int, cpu)
			     __field(u32, status)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->vector = vector;
			   __entry->cpu = cpu;
			   __entry->status = status;),
	    TP_printk("dev=%u vector=%u cpu=%d status=0x%x", __entry->dev,
		      __entry->vector, __entry->cpu, __entry->status)
);

TRACE_EVENT(vsensor_irq_bottom,
	    TP_PROTO(u32 dev, u32 vector, int cpu, u32 drained),
	    TP_ARGS(dev, vector, cpu, drained),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, vector)
			     __field(int, cpu)
			     __field(u32, drained)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->vector = vector;
			   __entry->cpu = cpu;
			   __entry->drained = drained;),
	    TP_printk("dev=%u vector=%u cpu=%d drained=%u", __entry->dev,
		      __entry->vector, __entry->cpu, __entry->drained)
);

TRACE_EVENT(vsensor_dma_xfer,
	    TP_PROTO(u32 dev, u32 queue, u32 bytes, u32 nents),
	    TP_ARGS(dev, queue, bytes, nents),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, queue)
			     __field(u32, bytes)
			     __field(u32, nents)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->queue = queue;
			   __entry->bytes = bytes;
			   __entry->nents = nents;),
	    TP_printk("dev=%u queue=%u bytes=%u nents=%u", __entry->dev,
		      __entry->queue, __entry->bytes, __entry->nents)
);

TRACE_EVENT(vsensor_iommu_fault,
	    TP_PROTO(u32 dev, u64 iova),
	    TP_ARGS(dev, iova),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u64, iova)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->iova = iova;),
	    TP_printk("dev=%u iova=0x%llx", __entry->dev, __entry->iova)
);

#endif /* _VSENSOR_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
