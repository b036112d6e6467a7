/* SPDX-License-Identifier: MIT */
/* want.h - what a profile wants of one sysctl (a value, bounds, a port-range size) and whether a value meets it; used by profile parsing and by the rules. */
#ifndef TWA_WANT_H
#define TWA_WANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "advisor/facts/sysctl_key.h"

enum {
	TWA_WANT_VALUE = 1 << 0,	/* exact value, or the one to propose */
	TWA_WANT_MIN = 1 << 1,
	TWA_WANT_MAX = 1 << 2,
	TWA_WANT_MIN_SIZE = 1 << 3,	/* port ranges: at least this many ports */
};

struct twa_sysctl_want {
	char key[96];
	unsigned has;		/* TWA_WANT_* bits */
	char value[TWA_SYSCTL_VALUE_SIZE];
	int64_t min, max, min_size;
	char reason[256];
	char origin[64];	/* the profile that set it */
	/* Where it was set, for errors found when the target is known (a
	 * key twadvise does not know: twa_profile_check_target). */
	char source[256];
	unsigned line, col;
};

/*
 * Does current satisfy w? *ret_ok says so; when not, proposal (size bytes)
 * gets the value to write. current NULL (absent on this kernel) is never
 * satisfied and has no proposal ("" ). -E2BIG (proposal "") when the
 * proposal would not fit in size: a list is never cut.
 */
int twa_want_check(const struct twa_sysctl_want *w, const char *current,
		   bool *ret_ok, char *proposal, size_t size);
/* "= 1", ">= 4096", "at least 50000 ports (10000 65535)" for messages. */
void twa_want_describe(const struct twa_sysctl_want *w, char *buf, size_t size);

#endif
