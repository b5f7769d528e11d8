// SPDX-License-Identifier: GPL-2.0
/*
 * The vsensor interrupt controller: an irq domain and an irq chip that
 * deliver the simulated devices' MSI-X style messages as real Linux
 * interrupts. A message is an irq_work queued on the vector's target CPU, so
 * the handler runs in hard interrupt context on the CPU the vector's
 * affinity names (an IPI to another CPU, an irq_work on this one); masking
 * holds a message pending, as MSI-X does.
 */
#include <linux/cpumask.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include <linux/vsensor.h>

#include "fault.h"
#include "irq.h"

#define VSENSOR_VECS_PER_DEV	16

struct vsensor_irq_vec {
	irq_hw_number_t hwirq;
	struct irq_work work;		/* a message to this CPU in flight */
	call_single_data_t csd;		/* a message to another CPU in flight */
	unsigned int virq;

	/* protects masked, pending, cpu: the vector's MSI-X table entry */
	raw_spinlock_t lock;
	bool masked;
	bool pending;
	unsigned int cpu;
};

static struct fwnode_handle *vsensor_irq_fwnode;
static struct irq_domain *vsensor_irq_domain;

/*
 * Blocks of VSENSOR_VECS_PER_DEV hwirqs, one per device instance: a device
 * id can come back while the previous instance's vectors still exist.
 */
static DEFINE_IDA(vsensor_irq_blocks);

static void vsensor_irq_deliver(struct irq_work *work)
{
	struct vsensor_irq_vec *vec = container_of(work, struct vsensor_irq_vec,
						   work);

	generic_handle_irq(vec->virq);
}

static void vsensor_irq_deliver_ipi(void *data)
{
	struct vsensor_irq_vec *vec = data;

	generic_handle_irq(vec->virq);
}

/*
 * Send the message; one already in flight to that CPU absorbs it, as a
 * pending MSI does. The sender may hold the device's locks, so even on
 * the target CPU the handler runs later, never inline.
 */
static void __vsensor_irq_send(struct vsensor_irq_vec *vec)
{
	int err = -ENXIO;

	lockdep_assert_held(&vec->lock);
	if (vec->cpu != raw_smp_processor_id() && cpu_online(vec->cpu))
		err = smp_call_function_single_async(vec->cpu, &vec->csd);
	if (err && err != -EBUSY)
		irq_work_queue(&vec->work);
}

/* The device signals a vector: deliver it now or, if masked, later. */
void vsensor_irq_fire(struct vsensor_irq_vec *vec)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vec->lock, flags);
	if (vec->masked)
		vec->pending = true;
	else
		__vsensor_irq_send(vec);
	raw_spin_unlock_irqrestore(&vec->lock, flags);
}

unsigned int vsensor_irq_vec_virq(const struct vsensor_irq_vec *vec)
{
	return vec->virq;
}

static void vsensor_irq_ack(struct irq_data *d)
{
	/* edge messages need no acknowledgment at the controller */
}

static void vsensor_irq_mask(struct irq_data *d)
{
	struct vsensor_irq_vec *vec = irq_data_get_irq_chip_data(d);

	raw_spin_lock(&vec->lock);
	vec->masked = true;
	raw_spin_unlock(&vec->lock);
}

static void vsensor_irq_unmask(struct irq_data *d)
{
	struct vsensor_irq_vec *vec = irq_data_get_irq_chip_data(d);

	raw_spin_lock(&vec->lock);
	vec->masked = false;
	if (vec->pending) {
		vec->pending = false;
		__vsensor_irq_send(vec);
	}
	raw_spin_unlock(&vec->lock);
}

/* Steering: later messages of this vector go to the first CPU in @mask. */
static int vsensor_irq_set_affinity(struct irq_data *d,
				    const struct cpumask *mask, bool force)
{
	struct vsensor_irq_vec *vec = irq_data_get_irq_chip_data(d);
	unsigned int cpu;

	cpu = force ? cpumask_first(mask) :
		      cpumask_first_and(mask, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	raw_spin_lock(&vec->lock);
	vec->cpu = cpu;
	raw_spin_unlock(&vec->lock);
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

static struct irq_chip vsensor_irq_chip = {
	.name = "vsensor-msi",
	.irq_ack = vsensor_irq_ack,
	.irq_mask = vsensor_irq_mask,
	.irq_unmask = vsensor_irq_unmask,
	.irq_set_affinity = vsensor_irq_set_affinity,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static int vsensor_irq_domain_map(struct irq_domain *d, unsigned int virq,
				  irq_hw_number_t hwirq)
{
	irq_set_chip_and_handler_name(virq, &vsensor_irq_chip, handle_edge_irq,
				      "edge");
	/* affinity changes take effect at once, not at the next interrupt */
	irq_set_status_flags(virq, IRQ_MOVE_PCNTXT);
	return 0;
}

static void vsensor_irq_domain_unmap(struct irq_domain *d, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

static const struct irq_domain_ops vsensor_irq_domain_ops = {
	.map = vsensor_irq_domain_map,
	.unmap = vsensor_irq_domain_unmap,
	.xlate = irq_domain_xlate_onecell,
};

static void vsensor_irq_vec_destroy(struct vsensor_irq_vec *vec)
{
	if (!vec->virq)
		return;
	irq_work_sync(&vec->work);
	irq_dispose_mapping(vec->virq);
}

/* An async IPI is unlocked before its function runs: wait for both. */
static void vsensor_irq_vecs_quiesce(struct vsensor_irq_vec *vecs,
				     unsigned int nvec)
{
	unsigned int i;

	for (i = 0; i < nvec; i++)
		smp_cond_load_acquire(&vecs[i].csd.node.u_flags,
				      !(VAL & CSD_FLAG_LOCK));
	/* the function runs with interrupts off: an RCU read section */
	synchronize_rcu();
}

/*
 * Allocate @nvec vectors for a device, each a Linux interrupt of our
 * domain. Messages are steered to CPUs round-robin until the driver sets
 * an affinity.
 */
struct vsensor_irq_vec *vsensor_irq_vecs_alloc(unsigned int nvec)
{
	struct vsensor_irq_vec *vecs;
	unsigned int i;
	int block;

	if (!nvec || nvec > VSENSOR_VECS_PER_DEV)
		return ERR_PTR(-EINVAL);
	vecs = vsensor_fault_alloc(kcalloc(nvec, sizeof(*vecs),
					   GFP_KERNEL));
	if (!vecs)
		return ERR_PTR(-ENOMEM);
	block = ida_alloc(&vsensor_irq_blocks, GFP_KERNEL);
	if (block < 0) {
		kfree(vecs);
		return ERR_PTR(block);
	}
	for (i = 0; i < nvec; i++) {
		struct vsensor_irq_vec *vec = &vecs[i];

		raw_spin_lock_init(&vec->lock);
		init_irq_work(&vec->work, vsensor_irq_deliver);
		INIT_CSD(&vec->csd, vsensor_irq_deliver_ipi, vec);
		vec->cpu = cpumask_local_spread(i, NUMA_NO_NODE);
		vec->hwirq = (irq_hw_number_t)block * VSENSOR_VECS_PER_DEV + i;
		vec->virq = irq_create_mapping(vsensor_irq_domain, vec->hwirq);
		if (!vec->virq) {
			vsensor_irq_vecs_free(vecs, i);
			return ERR_PTR(-ENOSPC);
		}
		irq_set_chip_data(vec->virq, vec);
	}
	return vecs;
}

void vsensor_irq_vecs_free(struct vsensor_irq_vec *vecs, unsigned int nvec)
{
	unsigned int i;

	if (IS_ERR_OR_NULL(vecs))
		return;
	vsensor_irq_vecs_quiesce(vecs, nvec);
	for (i = 0; i < nvec; i++)
		vsensor_irq_vec_destroy(&vecs[i]);
	ida_free(&vsensor_irq_blocks, vecs[0].hwirq / VSENSOR_VECS_PER_DEV);
	kfree(vecs);
}

struct vsensor_irq_vec *vsensor_irq_vec(struct vsensor_irq_vec *vecs,
					unsigned int i)
{
	return &vecs[i];
}

int vsensor_irq_init(void)
{
	vsensor_irq_fwnode = irq_domain_alloc_named_fwnode(VSENSOR_NAME);
	if (!vsensor_irq_fwnode)
		return -ENOMEM;
	vsensor_irq_domain = irq_domain_create_tree(vsensor_irq_fwnode,
						    &vsensor_irq_domain_ops,
						    NULL);
	if (!vsensor_irq_domain) {
		irq_domain_free_fwnode(vsensor_irq_fwnode);
		return -ENOMEM;
	}
	return 0;
}

void vsensor_irq_exit(void)
{
	irq_domain_remove(vsensor_irq_domain);
	irq_domain_free_fwnode(vsensor_irq_fwnode);
}
