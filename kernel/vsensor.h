/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private header shared by the files of the module. The object
 * hierarchy: a vsensor_bus_dev is a slot on the vsensor bus with its
 * (simulated) hardware; the driver binds to it and creates a vsensor_dev
 * with the character device; each open() of that is a vsensor_session.
 */
#ifndef _VSENSOR_H
#define _VSENSOR_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/kref.h>
#include <linux/leds.h>
#include <linux/llist.h>
#include <linux/miscdevice.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "config.h"
#include "sim/fault.h"
#include "sim/bus.h"
#include "sim/hw.h"
#include "ring.h"

#define VSENSOR_DEF_RATE	100
#define VSENSOR_RATE_MIN	1
#define VSENSOR_RATE_MAX	100000
#define VSENSOR_RING_MIN	2
#define VSENSOR_RING_DEFAULT	1024
/*
 * Sessions one device takes (open() beyond: -EUSERS). The data path's
 * fan-out walks them with interrupts off, so their number is bounded.
 */
#define VSENSOR_MAX_SESSIONS	128
#define VSENSOR_RING_MAX	65536

/*
 * A record as read from the hardware carries this in its flags while the
 * driver holds it when the device's flags word had unknown bits: the
 * record is dropped before any session sees it (queue.c).
 */
#define VSENSOR_REC_F_BAD	BIT(31)

/* dma.c: a queue's DMA ring */
#define VSENSOR_DMA_PAGES	8

struct vsensor_dev;

struct vsensor_dma {
	struct device *dev;
	struct vsensor_dev *vdev;
	struct page *pages[VSENSOR_DMA_PAGES];
	struct sg_table sgt;
	struct vsn_dma_desc *desc;	/* coherent, one per buffer */
	dma_addr_t desc_dma;
	size_t desc_size;
	u64 desc_iova;
	u64 buf_iova[VSENSOR_DMA_PAGES];
	u32 buf_len[VSENSOR_DMA_PAGES];
	unsigned int nr_bufs;
};

int vsensor_dma_create(struct vsensor_dma *d, struct device *dev,
		       struct vsensor_dev *vdev);
void vsensor_dma_destroy(struct vsensor_dma *d);
u32 vsensor_dma_capacity(const struct vsensor_dma *d);
void vsensor_dma_arm(struct vsensor_dma *d);
u32 vsensor_dma_collect(struct vsensor_dma *d, u32 nr_channels,
			struct vsensor_record *out, u32 max);

/* An interrupt vector as the driver holds it, with per-CPU counts. */
struct vsensor_vec {
	unsigned int virq;
	char name[24];
	u64 __percpu *top;		/* top-half runs per CPU */
	u64 __percpu *bottom;		/* bottom-half runs per CPU */
};

/* queue.c: a data queue, driver side */
struct vsensor_session;

struct vsensor_queue {
	struct vsensor_dev *vdev;
	unsigned int index;
	struct vsensor_vec *vec;
	struct list_head sessions;	/* under vdev->lock */
	unsigned int nr_running;	/* under vdev->cfg_lock */
	unsigned int nr_pollers;	/* likewise */
	bool irq_requested;
	unsigned long flags;		/* VSENSOR_Q_* bits */
	struct completion dma_done;	/* completed by the top half */

	/* protects the stash, dma_active and the FIFO's PIO read sequence */
	spinlock_t lock;
	struct vsensor_record *stash;	/* set aside by the top half */
	u32 stash_size;			/* a power of two; also under drain_lock */
	u32 stash_head, stash_tail;
	u32 headroom_left;		/* FIFO level the last pull left */
	bool dma_active;		/* the engine owns the FIFO */
	u32 top_dma;			/* records a top-half transfer asked */
	struct vsensor_record *top_buf;	/* ... collected here first */
	u64 headroom_dma_records;	/* set aside that way; lockless reads */

	u64 bh_wake_ns;			/* top half woke the thread; lockless */
	u64 bh_done_ns;			/* the thread's last run ended */
	u64 bh_latency_ns;		/* recent wake-up to drained; thread */
	u64 bh_runs, bh_ns;		/* runs, their wall time; thread */
	u64 fast_records;		/* delivered by top halves; DRAINING */

	/*
	 * serialises draining (bottom half, busy pollers) and removal; its
	 * holder also owns the VSENSOR_Q_DRAINING bit, which a top half's
	 * fast path takes instead (it cannot sleep on the mutex)
	 */
	struct mutex drain_lock;
	wait_queue_head_t drain_wait;	/* for the bit, held by a top half */
	bool dead;
	struct vsensor_record *batch;
	struct vsensor_dma dma;
	u32 dma_capacity;
	u32 next_hw_seq;		/* of the next record, if none lost */
	u64 last_ts;			/* of the last valid record */
	u64 nr_drained;
};

int vsensor_queue_init(struct vsensor_queue *q, struct vsensor_dev *vdev,
		       unsigned int index, struct vsensor_vec *vec);
void vsensor_queue_shutdown(struct vsensor_queue *q);
void vsensor_queue_free(struct vsensor_queue *q);
void vsensor_queue_enable(struct vsensor_queue *q, u32 wm);
void vsensor_queue_disable(struct vsensor_queue *q);
void vsensor_queue_set_wm(struct vsensor_queue *q, u32 wm);
void vsensor_queue_fit_stash(struct vsensor_queue *q);
int vsensor_queue_poll(struct vsensor_queue *q);
void vsensor_queue_busy_poll_begin(struct vsensor_queue *q);
void vsensor_queue_busy_poll_end(struct vsensor_queue *q);
u64 vsensor_queue_time_pio(struct vsensor_queue *q);
u64 vsensor_queue_time_dma(struct vsensor_queue *q);

/* device.c: the driver's state for one bound device */
enum vsensor_xfer_mode {
	VSENSOR_XFER_AUTO,
	VSENSOR_XFER_PIO,
	VSENSOR_XFER_DMA,
};

struct vsensor_dev_stats {
	atomic64_t pio_transfers;
	atomic64_t pio_records;
	atomic64_t dma_transfers;
	atomic64_t dma_records;
	atomic64_t dma_late;		/* transfers done before their DMA_DONE came */
	atomic64_t headroom_records;
	atomic64_t overruns;		/* samples lost in a queue FIFO */
	atomic64_t iommu_faults;
	atomic64_t bad_records;		/* impossible records, dropped */
};

/*
 * What listeners were told of a device: DEVICE_ADDED, DEVICE_CHANGED and
 * DEVICE_REMOVED go out in that order and none after the removal.
 */
enum vsensor_notify_state {
	VSENSOR_NOTIFY_UNANNOUNCED,
	VSENSOR_NOTIFY_ANNOUNCED,
	VSENSOR_NOTIFY_REMOVED,
};

/*
 * The seam between the driver core and a bus the VSN1000 sits on: the
 * in-kernel model on the vsensor bus (driver.c) or the PCI device
 * (pci.c). The core reaches the hardware only through these; a backend
 * sets vdev->backend and its own field (hw or regs) before the first
 * register access, and remove() ends every access (vdev->present).
 */
struct vsensor_backend {
	u32 (*readl)(struct vsensor_dev *vdev, u32 reg);
	void (*writel)(struct vsensor_dev *vdev, u32 reg, u32 val);
	/*
	 * The device's own IOMMU window (the model's), mapping a DMA API
	 * address to the IOVA descriptors carry; NULL: the DMA API address
	 * is the IOVA (the kernel's IOMMU, if any, did the mapping).
	 */
	int (*iommu_map)(struct vsensor_dev *vdev, dma_addr_t dma,
			 size_t size, u64 *iova);
	void (*iommu_unmap)(struct vsensor_dev *vdev, u64 iova, size_t size);
	/* the backend's own debugfs files in the device's directory, or NULL */
	void (*debugfs)(struct vsensor_dev *vdev, struct dentry *dir);
	/*
	 * The device clock (TIME_LO/HI, record timestamps) is this kernel's
	 * CLOCK_MONOTONIC (the model); otherwise it is foreign (the PCI
	 * device's is QEMU's) and the driver converts (stream.c).
	 */
	bool monotonic_clock;
	/*
	 * The bus enabled runtime PM before probe and holds a usage count
	 * across it (the PCI core); otherwise pm.c enables it (pm.c).
	 */
	bool bus_runtime_pm;
	/*
	 * The device's attributes (NULL-terminated), added by bind before
	 * the node is registered, so that udev finds them when it handles
	 * the node's add event (not a driver's dev_groups, which the driver
	 * core adds only after probe returns); removed by unbind.
	 */
	const struct attribute_group **groups;
};

/* What a read returns from a device that is gone (or in D3). */
#define VSENSOR_REG_GONE	0xffffffffU

struct vsensor_dev {
	struct kref kref;
	struct device *dev;		/* the bus device, referenced */
	const struct vsensor_backend *backend;	/* constant */
	struct vsensor_bus_dev *bdev;	/* sim backend: valid while online */
	struct vsensor_hw *hw;		/* sim backend: valid while online */
	void __iomem *regs;		/* pci backend: BAR 0, likewise */
	/* the hardware is there: cleared by remove() under cfg_lock */
	bool present;
	bool id_held;			/* info.id is ours in the registry */
	/*
	 * device clock to CLOCK_MONOTONIC, ns, added to every timestamp:
	 * 0 on a monotonic_clock backend, else measured at each stream start
	 * (under cfg_lock; the data path reads it locklessly)
	 */
	s64 clock_offset_ns;
	u64 clock_window_ns;		/* the measurement's uncertainty */
	char name[16];
	struct miscdevice misc;
	struct vsensor_info info;	/* read at probe, constant */
	struct vsensor_limits limits;	/* likewise */
	u32 tx_depth;			/* likewise */
	unsigned int nr_queues;		/* likewise */
	unsigned int nr_vecs;		/* likewise */
	wait_queue_head_t tx_wait;	/* writers waiting for TX room */
	bool tx_room;			/* TX had room when last seen; lockless */
	struct vsensor_vec vecs[VSN_NR_VECTORS(VSN_MAX_QUEUES)];
	struct vsensor_queue *queues;
	struct dentry *debugfs;

	/*
	 * protects online, sessions and the queues' session lists (the data
	 * path walks them)
	 */
	spinlock_t lock;
	bool online;
	struct list_head sessions;	/* every session, for netlink */
	unsigned int nr_sessions;	/* attached, at most VSENSOR_MAX_SESSIONS */

	/*
	 * protects nr_running, rate, the queues' nr_running, and hw for
	 * process-context register access (TX writes included); serialises
	 * removal
	 */
	struct mutex cfg_lock;
	unsigned int nr_running;
	u32 rate;			/* hardware rate: the RATE register */
	u32 fw_version;			/* read at probe; constant */

	/* settings (sysfs, debugfs); read locklessly by the data path */
	enum vsensor_xfer_mode xfer_mode;
	u32 dma_threshold;		/* records; auto uses DMA from here */
	u32 fifo_watermark;		/* upper bound of the queues' watermark */
	bool headroom;			/* top half drains when the BH is late */
	bool irq_fast;			/* top half delivers a few records */
	u32 headroom_mark;		/* ... and the FIFO holds this many */
	u32 headroom_budget;		/* ... this many records at most */
	u32 bh_delay_us;		/* debug: delay every bottom half */
	u64 pio_record_ns;		/* measured at probe */
	u64 dma_transfer_ns;		/* likewise */

	struct vsensor_dev_stats stats;
	unsigned long err_pending;	/* VSN_IRQ_* bits for the error thread */
	u32 iommu_faults_seen;		/* error thread only */
	unsigned long fault_burst_end;	/* error thread only, jiffies */

	/* a page the device must never reach: mapped, filled, unmapped */
	struct page *guard;
	dma_addr_t guard_dma;
	bool guard_dma_mapped;		/* guard_dma still a DMA API mapping */
	u64 guard_iova;
	struct list_head list_node;	/* in the device list, under its lock */
	struct led_classdev led;	/* led.c */
	struct led_trigger led_trigger;	/* led.c: "vsensorN-activity" */
	/* notify.c: protects notify_state; device events go out under it */
	struct mutex notify_lock;
	enum vsensor_notify_state notify_state;
	/* notify.c: events raised in atomic context, sent by notify_work */
	struct llist_head notify_items;
	atomic_t notify_pending;
	atomic_t notify_lost;		/* not queued since the last one sent */
	struct work_struct notify_work;
};

#define VSENSOR_GUARD_BYTE	0x6b

/* driver.c: the sim backend, probe and remove on the vsensor bus */
int vsensor_driver_init(void);
void vsensor_driver_exit(void);

/* bind.c: the core of probe and remove, for every backend */
int vsensor_dev_bind(struct vsensor_dev *vdev);
void vsensor_dev_unbind(struct vsensor_dev *vdev);

/* pci.c: the PCI backend */
int vsensor_pci_init(void);
void vsensor_pci_exit(void);

/*
 * device.c: the object, the registry, get-if-online. Device ids are one
 * namespace over every backend: the sim's come from its user
 * (new_device, netlink) and are claimed as they are; PCI devices take
 * the lowest free from VSENSOR_PCI_ID_MIN.
 */
#define VSENSOR_PCI_ID_MIN	128
#define VSENSOR_DEV_ID_ANY	U32_MAX
struct vsensor_dev *vsensor_dev_alloc(struct device *dev,
				      const struct vsensor_backend *backend,
				      u32 id, int *err);
void vsensor_dev_release_id(struct vsensor_dev *vdev);
void vsensor_dev_put(struct vsensor_dev *vdev);
void vsensor_dev_list_add(struct vsensor_dev *vdev);
void vsensor_dev_list_del(struct vsensor_dev *vdev);
int vsensor_dev_attach(struct vsensor_dev *vdev, struct vsensor_session *s);
void vsensor_dev_detach(struct vsensor_dev *vdev, struct vsensor_session *s);
int vsensor_dev_start(struct vsensor_dev *vdev, struct vsensor_session *s);
void vsensor_dev_stop(struct vsensor_dev *vdev, struct vsensor_queue *q);
void vsensor_dev_update_rate(struct vsensor_dev *vdev);
int vsensor_dev_tx(struct vsensor_dev *vdev, const s32 *value);
bool vsensor_dev_tx_room(struct vsensor_dev *vdev);

struct vsensor_dev *vsensor_dev_get_by_id(u32 id);
struct vsensor_dev *vsensor_dev_get_nth(unsigned long n);
u32 vsensor_dev_generation(void);
void vsensor_dev_bump_generation(void);

/*
 * The hardware is still there: remove() clears vdev->present under
 * cfg_lock, so a caller holding it may touch registers until it drops
 * the lock.
 */
static inline bool vsensor_dev_present(struct vsensor_dev *vdev)
{
	lockdep_assert_held(&vdev->cfg_lock);
	return vdev->present;
}

/* A register of the device, through its backend (vsensor_dev_present()) */
static inline u32 vsensor_dev_read(struct vsensor_dev *vdev, u32 reg)
{
	return vdev->backend->readl(vdev, reg);
}

static inline void vsensor_dev_write(struct vsensor_dev *vdev, u32 reg,
				     u32 val)
{
	vdev->backend->writel(vdev, reg, val);
}

/* stream.c */
void __vsensor_dev_hw_disable(struct vsensor_dev *vdev);
void vsensor_dev_sync_clock(struct vsensor_dev *vdev);
/* queue.c: every queue of a device */
int vsensor_dev_queues_init(struct vsensor_dev *vdev);
void vsensor_dev_queues_shutdown(struct vsensor_dev *vdev);
/* vectors.c: the transmit and error vectors */
int vsensor_dev_add_vector(struct vsensor_dev *vdev, unsigned int virq,
			   const char *suffix);
int vsensor_dev_request_irqs(struct vsensor_dev *vdev);
void vsensor_dev_free_irqs(struct vsensor_dev *vdev);
/* crossover.c */
void vsensor_dev_measure_crossover(struct vsensor_dev *vdev);
/* dma.c: the guard page */
int vsensor_dev_guard_init(struct vsensor_dev *vdev, struct device *dev);
void vsensor_dev_guard_stale(struct vsensor_dev *vdev, struct device *dev);
void vsensor_dev_guard_exit(struct vsensor_dev *vdev, struct device *dev);
unsigned int vsensor_dev_nr_sessions(struct vsensor_dev *vdev);

/* pm.c: runtime PM */
extern const struct dev_pm_ops vsensor_pm_ops;
int vsensor_dev_pm_get(struct vsensor_dev *vdev);
bool vsensor_dev_pm_get_if_active(struct vsensor_dev *vdev);
void vsensor_dev_pm_put(struct vsensor_dev *vdev);
void vsensor_dev_pm_init(struct vsensor_dev *vdev);
void vsensor_dev_pm_exit(struct vsensor_dev *vdev);

/* session.c: one open file of /dev/vsensorN */
struct vsensor_session {
	struct vsensor_dev *vdev;
	struct vsensor_queue *queue;	/* the queue it is steered to */
	/* in queue->sessions while it runs (not revoked), under vdev->lock */
	struct list_head node;
	struct list_head dev_node;	/* in vdev->sessions, under vdev->lock */
	u64 id;				/* global, only grows; constant */
	pid_t pid;			/* opener's thread group; constant */
	char comm[TASK_COMM_LEN];	/* opener's command; constant */
	bool revoked;			/* cut off (SESSION_REVOKE); lockless */
	/* streaming (vsensor_session_start()); set under mutex, read lockless */
	bool started;

	/*
	 * protects ring, config, decim, wakeups, written, wake_want and
	 * nr_sleepers; the interrupt
	 * path reads config under it, so a reconfig is seen whole or not at
	 * all, and GET_CONFIG reads it whole through config_seq instead. The
	 * reader (under mutex) moves ring.tail by cmpxchg without it.
	 */
	spinlock_t lock;
	struct vsensor_ring ring;
	struct vsensor_config config;
	seqcount_spinlock_t config_seq;	/* config, for lockless snapshots */
	struct vsensor_decim decim;
	u64 delivered;			/* written under mutex, read lockless */
	u64 wakeups;
	u64 written;
	u32 wake_want;			/* smallest read of a sleeping reader */
	unsigned int nr_sleepers;	/* readers asleep in read() */

	wait_queue_head_t wait;
	struct fasync_struct *fasync;

	/*
	 * serialises consumers and reconfiguration: read's copy, FLUSH,
	 * SET_CONFIG; a reader holding it copies from the ring without
	 * s->lock. Never held while sleeping for records.
	 */
	struct mutex mutex;
};

extern const struct file_operations vsensor_session_fops;
void vsensor_session_hangup(struct vsensor_session *s);
void vsensor_session_get_stats(struct vsensor_session *s,
			       struct vsensor_stats *st);
void vsensor_session_get_config(struct vsensor_session *s,
				struct vsensor_config *cfg);
bool vsensor_session_revoke_id(struct vsensor_dev *vdev, u64 session_id);

/* deliver.c: the data path's end of a session (interrupt context) */
void vsensor_session_deliver(struct vsensor_session *s,
			     const struct vsensor_record *recs, u32 n);
void vsensor_session_notify(struct vsensor_session *s);

/*
 * settings.c: the device-global settings of the simulated sensor, one
 * table shared by sysfs and netlink (VSENSOR_CMD_DEVICE_SET).
 */
struct vsensor_setting {
	const char *name;		/* sysfs attribute */
	int nla;			/* VSENSOR_A_DEV_* */
	u32 reg;			/* model register holding it */
	u32 min, max;
	const char * const *names;	/* value names from @min, or NULL */
};

enum {
	VSENSOR_SET_WAVEFORM,
	VSENSOR_SET_AMPLITUDE,
	VSENSOR_SET_FREQUENCY,
	VSENSOR_NR_SETTINGS,
};

extern const struct vsensor_setting vsensor_settings[VSENSOR_NR_SETTINGS];
int vsensor_setting_get(struct vsensor_dev *vdev, unsigned int idx, u32 *val);
int vsensor_settings_get_all(struct vsensor_dev *vdev,
			     u32 val[VSENSOR_NR_SETTINGS]);
int vsensor_settings_apply(struct vsensor_dev *vdev, const u32 *val,
			   unsigned long mask);

/* sysfs.c: the driver's attributes of a bound device */
extern const struct attribute_group *vsensor_dev_groups[];
extern const struct attribute_group *vsensor_pci_dev_groups[];

/* led.c: the status LED and the activity trigger */
int vsensor_led_init(void);
void vsensor_led_exit(void);
int vsensor_led_add(struct vsensor_dev *vdev);
void vsensor_led_del(struct vsensor_dev *vdev);
void vsensor_led_activity(struct vsensor_dev *vdev);

/* debugfs.c: /sys/kernel/debug/vsensor/vsensorN/ */
void vsensor_debugfs_init(void);
void vsensor_debugfs_exit(void);
void vsensor_debugfs_dev_add(struct vsensor_dev *vdev);
void vsensor_debugfs_dev_del(struct vsensor_dev *vdev);
struct dentry *vsensor_debugfs_dev_dir(struct vsensor_dev *vdev);

/*
 * notify.c: the objects' events, told to one listener (the control plane).
 * The listener's calls are made in process context.
 */
struct vsensor_event {
	u8 cmd;				/* VSENSOR_CMD_* of the uapi */
	struct vsensor_dev *vdev;
	struct vsensor_session *session; /* SESSION_OPENED, SESSION_CLOSED */
	u64 session_id;			/* the session's, OVERRUN */
	u64 iova;			/* IOMMU_FAULT */
	u32 lost;			/* deferred events dropped before this */
};

struct vsensor_listener {
	bool (*listening)(void);	/* any context: someone wants events */
	void (*send)(const struct vsensor_event *ev);
};

void vsensor_notify_register(const struct vsensor_listener *l);
void vsensor_notify_unregister(void);
void vsensor_notify_dev_init(struct vsensor_dev *vdev);
void vsensor_notify_dev_exit(struct vsensor_dev *vdev);
void vsensor_notify_device(struct vsensor_dev *vdev, u8 cmd);
void vsensor_notify_session(struct vsensor_session *s, u8 cmd);
void vsensor_notify_overrun(struct vsensor_dev *vdev, u64 session_id);
void vsensor_notify_iommu_fault(struct vsensor_dev *vdev, u64 iova);

/* netlink.c: the generic netlink family, the listener of notify.c */
int vsensor_nl_init(void);
void vsensor_nl_exit(void);

#endif /* _VSENSOR_H */
