/* SPDX-License-Identifier: MIT */
/* profile.h - workload profiles: what a workload wants of the sysctls and rules. */
#ifndef TWA_PROFILE_H
#define TWA_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/util/err.h"
#include "advisor/profile/want.h"

struct twa_rule_setting {
	char rule[48];
	char param[48];
	double value;
};

struct twa_rule_toggle {
	char rule[48];
	bool enabled;
};

struct twa_profile {
	char name[64];
	char description[512];
	char source[512];	/* file or URL it was read from */
	char extends[512];	/* the direct parent: name, path or URL; "" if none */
	char chain[256];	/* "reverse-proxy -> default" */
	struct twa_sysctl_want *wants;
	size_t n_wants;
	struct twa_rule_setting *settings;
	size_t n_settings;
	struct twa_rule_toggle *toggles;
	size_t n_toggles;
};

void twa_profile_init(struct twa_profile *p);
void twa_profile_release(struct twa_profile *p);

/*
 * Parse and validate one profile document (no extends resolution). Unknown
 * keys, wrong types, out-of-range values, unknown sysctls and rules are
 * errors with file:line:col. extends_line/col (may be NULL) say where the
 * extends key is, for cycle messages.
 */
int twa_profile_parse(const char *buf, size_t len, const char *file,
		      struct twa_profile *p, unsigned *extends_line,
		      unsigned *extends_col, struct twa_err *err);

/* Fill what child leaves unset from parent (child wins per key, per rule
 * parameter, per rule toggle). */
int twa_profile_inherit(struct twa_profile *child,
			const struct twa_profile *parent);

const struct twa_sysctl_want *twa_profile_want(const struct twa_profile *p,
					       const char *key);
/* A rule parameter set by the profile; false when unset. */
bool twa_profile_setting(const struct twa_profile *p, const char *rule,
			 const char *param, double *ret);
/* -1 unset, 0 disabled, 1 enabled. */
int twa_profile_toggle(const struct twa_profile *p, const char *rule);

#endif
