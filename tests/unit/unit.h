/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The unit tests' common main() tail: run the suite in Check's normal
 * mode (each test forked, so ASan/UBSan reports fail just that test) and
 * turn the failures into the exit status.
 */
#ifndef VSENSOR_TESTS_UNIT_H
#define VSENSOR_TESTS_UNIT_H

#include <check.h>
#include <stdlib.h>

static inline int unit_run(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* VSENSOR_TESTS_UNIT_H */
