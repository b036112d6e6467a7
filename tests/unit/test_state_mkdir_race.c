/* SPDX-License-Identifier: MIT */
/* test_state_mkdir_race.c - twa_state_open() when a concurrent apply creates the state directory between our lstat() and our mkdir(): that is no error (it was: exit 73 "File exists" for one of N applies started at once on a fresh directory). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "advisor/apply/state.h"

/* Linked with -Wl,--wrap=mkdir: the library's mkdir() comes here. */
static int race_mode;	/* 0: plain; 1: someone else wins; 2: a symlink wins */
static char link_target[4096];

int __real_mkdir(const char *path, mode_t mode);
int __wrap_mkdir(const char *path, mode_t mode);
int __wrap_mkdir(const char *path, mode_t mode)
{
	if (race_mode == 1) {
		/* The other process's mkdir lands first; ours then fails. */
		assert_int_equal(__real_mkdir(path, mode), 0);
		errno = EEXIST;
		return -1;
	}
	if (race_mode == 2) {
		/* What lands first is a symlink: still refused. */
		assert_int_equal(symlink(link_target, path), 0);
		errno = EEXIST;
		return -1;
	}
	return __real_mkdir(path, mode);
}

static char base[] = "/tmp/twa-mkdir-race.XXXXXX";

static int setup(void **state)
{
	(void)state;
	race_mode = 0;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	memcpy(base + strlen(base) - 6, "XXXXXX", 6);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_lost_race_is_fine(void **state)
{
	struct twa_state st;
	struct twa_err err = { 0 };
	char dir[4200];
	struct stat sb;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/state", base);
	race_mode = 1;
	assert_int_equal(twa_state_open(&st, dir, true, &err), 0);
	assert_int_equal(stat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(twa_state_lock(&st, &err), 0);
	twa_state_close(&st);
}

static void test_symlink_winning_the_race_is_refused(void **state)
{
	struct twa_state st;
	struct twa_err err = { 0 };
	char dir[4200];

	(void)state;
	snprintf(link_target, sizeof(link_target), "%s", base);
	snprintf(dir, sizeof(dir), "%s/state", base);
	race_mode = 2;
	assert_int_equal(twa_state_open(&st, dir, true, &err), -EACCES);
	assert_non_null(strstr(err.msg, "symbolic link"));
}

static void test_other_mkdir_errors_still_fail(void **state)
{
	struct twa_state st;
	struct twa_err err = { 0 };
	char dir[4200];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/no/such/parent", base);
	assert_int_equal(twa_state_open(&st, dir, true, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "cannot create the state directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lost_race_is_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_winning_the_race_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_mkdir_errors_still_fail, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
