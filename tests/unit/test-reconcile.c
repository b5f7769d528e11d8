// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of daemon/reconcile.c: the difference between vsensord's view
 * and a re-enumeration after lost uevents, in the order it is reported.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile.h"
#include "unit.h"

/* Each call as one line "op syspath", appended to a log. */
struct log {
	char text[1024];
};

static void record(enum reconcile_op op, const struct reconcile_entry *old,
		   const struct reconcile_entry *now, void *data)
{
	static const char *const names[] = { "remove", "change", "add" };
	struct log *log = data;
	const struct reconcile_entry *e = now ? now : old;
	size_t len = strlen(log->text);

	ck_assert(op == RECONCILE_CHANGE ? old && now :
		  op == RECONCILE_REMOVE ? old && !now : !old && now);
	snprintf(log->text + len, sizeof(log->text) - len, "%s %s%s%s;", names[op],
		 e->syspath, op == RECONCILE_CHANGE ? " " : "",
		 op == RECONCILE_CHANGE ? now->devnode : "");
}

#define E(path, id, node)	{ path, id, node, NULL }

START_TEST(test_same_sets_give_nothing)
{
	struct reconcile_entry a[] = { E("/s/a", "A", "/dev/v0"), E("/s/b", "B", "/dev/v1") };
	struct reconcile_entry b[] = { E("/s/b", "B", "/dev/v1"), E("/s/a", "A", "/dev/v0") };
	struct log log = { "" };

	ck_assert_int_eq(reconcile(a, 2, b, 2, record, &log), 0);
	ck_assert_str_eq(log.text, "");
}
END_TEST

START_TEST(test_empty_sides)
{
	struct reconcile_entry a[] = { E("/s/a", "A", "/dev/v0") };
	struct log log = { "" };

	ck_assert_int_eq(reconcile(NULL, 0, NULL, 0, record, &log), 0);
	ck_assert_str_eq(log.text, "");
	ck_assert_int_eq(reconcile(a, 1, NULL, 0, record, &log), 0);
	ck_assert_str_eq(log.text, "remove /s/a;");
	log.text[0] = '\0';
	ck_assert_int_eq(reconcile(NULL, 0, a, 1, record, &log), 0);
	ck_assert_str_eq(log.text, "add /s/a;");
}
END_TEST

/* Removals first, then changes, then additions, each in syspath order. */
START_TEST(test_order_of_operations)
{
	struct reconcile_entry view[] = {
		E("/s/d", "D", "/dev/v3"), E("/s/a", "A", "/dev/v0"),
		E("/s/c", "C", "/dev/v2"),
	};
	struct reconcile_entry now[] = {
		E("/s/e", "E", "/dev/v4"), E("/s/c", "C", "/dev/v9"),
		E("/s/b", "B", "/dev/v1"),
	};
	struct log log = { "" };

	ck_assert_int_eq(reconcile(view, 3, now, 3, record, &log), 0);
	ck_assert_str_eq(log.text,
			 "remove /s/a;remove /s/d;change /s/c /dev/v9;add /s/b;add /s/e;");
}
END_TEST

/* The same syspath with another identity: a new device, not a change. */
START_TEST(test_identity_change_is_remove_and_add)
{
	struct reconcile_entry view[] = { E("/s/a", "OLD", "/dev/v0") };
	struct reconcile_entry now[] = { E("/s/a", "NEW", "/dev/v0") };
	struct log log = { "" };

	ck_assert_int_eq(reconcile(view, 1, now, 1, record, &log), 0);
	ck_assert_str_eq(log.text, "remove /s/a;add /s/a;");
}
END_TEST

/* A device that lost its node (NULL) or got one is a change. */
START_TEST(test_devnode_null_is_compared)
{
	struct reconcile_entry view[] = { E("/s/a", "A", NULL), E("/s/b", "B", "/dev/v1") };
	struct reconcile_entry now[] = { E("/s/a", "A", "/dev/v0"), E("/s/b", "B", NULL) };
	struct log log = { "" };

	ck_assert_int_eq(reconcile(view, 2, now, 2, record, &log), 0);
	ck_assert_str_eq(log.text, "change /s/a /dev/v0;change /s/b (null);");
}
END_TEST

/* The inputs are not reordered (the caller's arrays stay as they were). */
START_TEST(test_inputs_untouched)
{
	struct reconcile_entry view[] = { E("/s/z", "Z", "/dev/v0"), E("/s/a", "A", "/dev/v1") };
	struct reconcile_entry now[] = { E("/s/y", "Y", "/dev/v2"), E("/s/b", "B", "/dev/v3") };
	struct log log = { "" };

	ck_assert_int_eq(reconcile(view, 2, now, 2, record, &log), 0);
	ck_assert_str_eq(view[0].syspath, "/s/z");
	ck_assert_str_eq(now[0].syspath, "/s/y");
	ck_assert_str_eq(log.text, "remove /s/a;remove /s/z;add /s/b;add /s/y;");
}
END_TEST

static void count(enum reconcile_op op, const struct reconcile_entry *old,
		  const struct reconcile_entry *now, void *data)
{
	(void)old;
	(void)now;
	((int *)data)[op]++;
}

/* 1000 on each side, half shared: exactly 500 removals and 500 additions. */
START_TEST(test_large_sets)
{
	static struct reconcile_entry view[1000], now[1000];
	static char paths[2000][16];
	int i, counts[3] = { 0 };

	for (i = 0; i < 1000; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/s/%04d", i);
		snprintf(paths[1000 + i], sizeof(paths[i]), "/s/%04d", i + 500);
		view[i] = (struct reconcile_entry)E(paths[i], paths[i], "/dev/x");
		now[i] = (struct reconcile_entry)E(paths[1000 + i], paths[1000 + i], "/dev/x");
	}
	ck_assert_int_eq(reconcile(view, 1000, now, 1000, count, counts), 0);
	ck_assert_int_eq(counts[RECONCILE_REMOVE], 500);
	ck_assert_int_eq(counts[RECONCILE_CHANGE], 0);
	ck_assert_int_eq(counts[RECONCILE_ADD], 500);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("reconcile");

	tcase_add_test(tc, test_same_sets_give_nothing);
	tcase_add_test(tc, test_empty_sides);
	tcase_add_test(tc, test_order_of_operations);
	tcase_add_test(tc, test_identity_change_is_remove_and_add);
	tcase_add_test(tc, test_devnode_null_is_compared);
	tcase_add_test(tc, test_inputs_untouched);
	tcase_add_test(tc, test_large_sets);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
