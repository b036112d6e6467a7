/* SPDX-License-Identifier: MIT */
/* sysctl_db.h - the sysctls twadvise knows: types, bounds, scope, owning rule. */
#ifndef TWA_SYSCTL_DB_H
#define TWA_SYSCTL_DB_H

#include <stdbool.h>
#include <stdint.h>

enum twa_sysctl_type {
	TWA_SYSCTL_INT,		/* one integer in [min, max] */
	TWA_SYSCTL_RANGE,	/* two ports "LOW HIGH" */
	TWA_SYSCTL_PORTLIST,	/* "8080,9000-9010" */
};

struct twa_sysctl_def {
	const char *key;
	enum twa_sysctl_type type;
	int64_t min, max;	/* TWA_SYSCTL_INT */
	bool per_netns;		/* false: global, only in the initial namespace */
	bool read_only;		/* a measurement, never a setting */
	/* The rule that judges this key against a profile; NULL: the
	 * generic sysctl-mismatch rule does. */
	const char *rule;
	const char *doc;	/* one line: what it governs */
};

/* Every known sysctl, NULL-key terminated, in the order inspect reads them. */
extern const struct twa_sysctl_def twa_sysctl_defs[];

/* The definition of key or NULL. */
const struct twa_sysctl_def *twa_sysctl_def_find(const char *key);

#endif
