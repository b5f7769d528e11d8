/*
 * vsensord: the difference between the daemon's view of the devices and a
 * fresh enumeration, after uevents were lost (a udev receive-buffer
 * overflow). Pure logic, unit-tested on its own (tests/unit/test-reconcile.c).
 */
#ifndef VSENSORD_RECONCILE_H
#define VSENSORD_RECONCILE_H

#include <stddef.h>

/* A device as the view or the enumeration knows it. */
struct reconcile_entry {
	const char *syspath;	/* the key */
	const char *identity;	/* serial, ID_PATH or name */
	const char *devnode;
	void *data;		/* the caller's */
};

enum reconcile_op {
	RECONCILE_REMOVE,	/* in the view only: @old */
	RECONCILE_CHANGE,	/* same syspath and identity, another node */
	RECONCILE_ADD,		/* in the enumeration only: @now */
};

/*
 * Calls @fn for each difference, every removal first, then the changes,
 * then the additions (so an identity that moved to another syspath is
 * removed before it is added again). A syspath whose identity changed is a
 * removal and an addition. Neither array needs to be sorted; syspaths are
 * unique within each. Returns 0, or -ENOMEM.
 */
int reconcile(const struct reconcile_entry *old, size_t n_old,
	      const struct reconcile_entry *now, size_t n_now,
	      void (*fn)(enum reconcile_op op, const struct reconcile_entry *old,
			 const struct reconcile_entry *now, void *data),
	      void *data);

#endif /* VSENSORD_RECONCILE_H */
