/* SPDX-License-Identifier: MIT */
/* rule.h - one rule as the engine runs it: its descriptor (catalogue entry, explanation, evaluator), the context it is evaluated in, and its parameters resolved against a profile. */
#ifndef TWA_RULE_H
#define TWA_RULE_H

#include <stdbool.h>

#include "advisor/facts/facts.h"
#include "advisor/profile/catalog.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/findings.h"

enum { TWA_RULE_NOT_JUDGED = 1 };

struct twa_rule_ctx {
	const struct twa_facts *facts;
	const struct twa_profile *profile;	/* may be NULL: defaults */
	const struct twa_rule *rule;		/* its catalogue entry */
};

/*
 * A rule's descriptor, defined beside its code (rules_*.c) like tmux's
 * cmd_entry and listed by pointer in the engine's table (rules.c). Its
 * id, title, needs and parameters are the catalogue's.
 */
struct twa_rule_entry {
	const struct twa_rule *rule;	/* &twa_rules[TWA_RULE_...] */
	const char *explain;
	/* Fill out (already named and zeroed); severity OK when all is well.
	 * Returns 0, TWA_RULE_NOT_JUDGED when the facts it reads are missing
	 * (the rule is then listed as not judged, not as checked), or a
	 * negative errno (out of memory). */
	int (*eval)(const struct twa_rule_ctx *ctx, struct twa_finding *out);
};

/* A parameter's value: the profile's setting or the default; 0 when the
 * rule has no such parameter. */
double twa_rule_param(const struct twa_rule_ctx *ctx, const char *name);
/* Rules are on unless the profile turns them off. */
bool twa_rule_enabled(const struct twa_profile *p, const struct twa_rule *r);

#endif
