/* SPDX-License-Identifier: MIT */
/* catalog.h - the rule catalogue: every rule's id, title, parameters (defaults, bounds) and the facts it needs; what a profile may say about rules. */
#ifndef TWA_CATALOG_H
#define TWA_CATALOG_H

/*
 * A leaf: it knows no rule's code, only its name and knobs, so profile
 * parsing validates against it without linking a single evaluator, and
 * the engine (advisor/rules/) attaches each rule's evaluator and
 * explanation to its entry here. It sits in profile/ because profiles are
 * its first reader and may include nothing from rules/, which stands
 * above them.
 *
 * The names (struct twa_rule, twa_rules[], twa_rule_find) are the ones the
 * rest of the program already uses for "a rule as named and tuned".
 */

#include "advisor/facts/needs.h"

struct twa_rule_param {
	const char *name;
	double def;
	double min, max;
	const char *doc;
};

/* Each rule's index in twa_rules[]: report order, and a way for one rule
 * to reach another's entry without looking it up by name. */
enum twa_rule_index {
	TWA_RULE_EPHEMERAL_EXHAUSTION,
	TWA_RULE_TIME_WAIT_OVERFLOW,
	TWA_RULE_TW_RECYCLE_ENABLED,
	TWA_RULE_LISTEN_OVERFLOW,
	TWA_RULE_CLOSE_WAIT_LEAK,
	TWA_RULE_TIME_WAIT_VOLUME,
	TWA_RULE_TW_REUSE_OFF,
	TWA_RULE_TW_REUSE_WITHOUT_TIMESTAMPS,
	TWA_RULE_EPHEMERAL_RANGE_NARROW,
	TWA_RULE_LISTENER_IN_EPHEMERAL_RANGE,
	TWA_RULE_FIN_WAIT2_ORPHANS,
	TWA_RULE_FIN_WAIT1_ORPHANS,
	TWA_RULE_FIN_TIMEOUT_MISCONCEPTION,
	TWA_RULE_SOMAXCONN_LOW,
	TWA_RULE_SYN_BACKLOG_LOW,
	TWA_RULE_ORPHANS_NEAR_LIMIT,
	TWA_RULE_CONNTRACK_NEAR_FULL,
	TWA_RULE_SYSCTL_MISMATCH,
	TWA_RULE_SYSCTL_PERSIST_OVERRIDDEN,
	TWA_RULE_COUNT
};

struct twa_rule {
	const char *id;
	const char *title;
	unsigned needs;		/* TWA_NEED_* facts it reads */
	const struct twa_rule_param *params;	/* NULL-name terminated */
};

/* Every rule, indexed by enum twa_rule_index, NULL-id terminated. */
extern const struct twa_rule twa_rules[TWA_RULE_COUNT + 1];

/* NULL when no rule (parameter) has that name. */
const struct twa_rule *twa_rule_find(const char *id);
const struct twa_rule_param *twa_rule_param_find(const struct twa_rule *r,
						 const char *name);

#endif
