/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated platform's interrupt controller (irq.c): an irq domain
 * whose vectors are MSI-X-like messages, steerable to a CPU each. The
 * model fires them; the driver requests their Linux irqs.
 */
#ifndef _VSENSOR_SIM_IRQ_H
#define _VSENSOR_SIM_IRQ_H

struct vsensor_irq_vec;
int vsensor_irq_init(void);
void vsensor_irq_exit(void);
struct vsensor_irq_vec *vsensor_irq_vecs_alloc(unsigned int nvec);
void vsensor_irq_vecs_free(struct vsensor_irq_vec *vecs, unsigned int nvec);
struct vsensor_irq_vec *vsensor_irq_vec(struct vsensor_irq_vec *vecs,
					unsigned int i);
unsigned int vsensor_irq_vec_virq(const struct vsensor_irq_vec *vec);
void vsensor_irq_fire(struct vsensor_irq_vec *vec);

#endif /* _VSENSOR_SIM_IRQ_H */
