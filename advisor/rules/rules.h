/* rules.h - the rule engine: built-in rules, their parameters and explanations. */
#ifndef TWA_RULES_H
#define TWA_RULES_H

#include <stdbool.h>

#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"

struct twa_profile;

struct twa_rule_param {
	const char *name;
	double def;
	double min, max;
	const char *doc;
};

struct twa_rule_ctx {
	const struct twa_facts *facts;
	const struct twa_profile *profile;	/* may be NULL: defaults */
	const struct twa_rule *rule;
};

struct twa_rule {
	const char *id;
	const char *title;
	unsigned needs;		/* TWA_WANT_* facts it reads */
	const struct twa_rule_param *params;	/* NULL-name terminated or NULL */
	/* Fill out (already named and zeroed); severity OK when all is well.
	 * Returns 0 or a negative errno (out of memory). */
	int (*eval)(const struct twa_rule_ctx *ctx, struct twa_finding *out);
	const char *explain;
};

/* Every rule, in report order, NULL-id terminated. */
extern const struct twa_rule twa_rules[];

const struct twa_rule *twa_rule_find(const char *id);
const struct twa_rule_param *twa_rule_param_find(const struct twa_rule *r,
						 const char *name);
/* A parameter's value: the profile's setting or the default. */
double twa_rule_param(const struct twa_rule_ctx *ctx, const char *name);
bool twa_rule_enabled(const struct twa_profile *p, const struct twa_rule *r);

/* The TWA_WANT_* mask the enabled rules need, and the smallest share of
 * the ephemeral range any of them cares about (the dump-skipping floor). */
unsigned twa_rules_needs(const struct twa_profile *p, double *ret_floor);

/* Evaluate every enabled rule; fs gets the non-OK findings, sorted. */
int twa_rules_evaluate(const struct twa_facts *f, const struct twa_profile *p,
		       struct twa_findings *fs, struct twa_err *err);

#endif
