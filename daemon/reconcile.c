/*
 * vsensord: reconcile the view with an enumeration. Both sides are sorted
 * by syspath (as pointers, the inputs stay untouched) and walked once.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"

struct pair {
	const struct reconcile_entry *old;
	const struct reconcile_entry *now;
};

static int by_syspath(const void *a, const void *b)
{
	const struct reconcile_entry *const *x = a, *const *y = b;

	return strcmp((*x)->syspath, (*y)->syspath);
}

static const struct reconcile_entry **sorted(const struct reconcile_entry *e,
					     size_t n)
{
	const struct reconcile_entry **p = calloc(n ? n : 1, sizeof(*p));
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = &e[i];
	qsort(p, n, sizeof(*p), by_syspath);
	return p;
}

static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

int reconcile(const struct reconcile_entry *old, size_t n_old,
	      const struct reconcile_entry *now, size_t n_now,
	      void (*fn)(enum reconcile_op op, const struct reconcile_entry *old,
			 const struct reconcile_entry *now, void *data),
	      void *data)
{
	const struct reconcile_entry **o = sorted(old, n_old);
	const struct reconcile_entry **w = sorted(now, n_now);
	struct pair *pairs = calloc(n_old + n_now + 1, sizeof(*pairs));
	size_t i = 0, j = 0, n = 0, k;
	int op;

	if (!o || !w || !pairs) {
		free(o);
		free(w);
		free(pairs);
		return -ENOMEM;
	}
	/* Merge: each pair is one syspath, on one side or on both. */
	while (i < n_old || j < n_now) {
		int cmp = i == n_old ? 1 : j == n_now ? -1 :
			  strcmp(o[i]->syspath, w[j]->syspath);

		if (cmp < 0)
			pairs[n++] = (struct pair){ .old = o[i++] };
		else if (cmp > 0)
			pairs[n++] = (struct pair){ .now = w[j++] };
		else
			pairs[n++] = (struct pair){ .old = o[i++], .now = w[j++] };
	}
	for (op = RECONCILE_REMOVE; op <= RECONCILE_ADD; op++) {
		for (k = 0; k < n; k++) {
			const struct reconcile_entry *a = pairs[k].old, *b = pairs[k].now;
			bool moved = a && b && !same(a->identity, b->identity);

			if (op == RECONCILE_REMOVE && a && (!b || moved))
				fn(RECONCILE_REMOVE, a, NULL, data);
			else if (op == RECONCILE_CHANGE && a && b && !moved &&
				 !same(a->devnode, b->devnode))
				fn(RECONCILE_CHANGE, a, b, data);
			else if (op == RECONCILE_ADD && b && (!a || moved))
				fn(RECONCILE_ADD, NULL, b, data);
		}
	}
	free(pairs);
	free(o);
	free(w);
	return 0;
}
