/* SPDX-License-Identifier: MIT */
/* target.h - a profile against its target: the sysctls twadvise does not know must exist there, with values of the shape the kernel shows (pure). */
#ifndef TWA_TARGET_H
#define TWA_TARGET_H

#include <stddef.h>

#include "advisor/facts/facts.h"
#include "advisor/profile/profile.h"
#include "advisor/util/err.h"

enum twa_value_shape {
	TWA_SHAPE_INT,		/* one integer: "-1", "18446744073692774399" */
	TWA_SHAPE_VECTOR,	/* integers separated by blanks: "4096 87380 16777216" */
	TWA_SHAPE_STRING,	/* anything else of the value grammar: "cubic", "" */
};

/* The shape of a value; *n_ints the number of integers (0 for a string). */
enum twa_value_shape twa_value_shape(const char *value, size_t *n_ints);

/* The keys of p twadvise does not know (no entry in the sysctl table),
 * into keys (at most max); returns how many there are. */
size_t twa_profile_unknown_keys(const struct twa_profile *p, const char **keys, size_t max);

/*
 * Every key of p that twadvise does not know, against the target's facts
 * (read from its /proc/sys): it must exist, and the wanted value must have
 * the shape of the current one (an integer for an integer, as many
 * integers for a vector; a string takes any value of the grammar; min and
 * max only for an integer). -EBADMSG with the profile file, line and
 * column of the key otherwise.
 */
int twa_profile_check_target(const struct twa_profile *p, const struct twa_facts *f,
			     struct twa_err *err);

#endif
