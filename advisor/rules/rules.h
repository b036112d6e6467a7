/* SPDX-License-Identifier: MIT */
/* rules.h - the rule engine: runs every enabled rule of the catalogue on facts, and says what facts they need. */
#ifndef TWA_RULES_H
#define TWA_RULES_H

#include <stdbool.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/profile/catalog.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/findings.h"
#include "advisor/rules/rule.h"

/* The descriptor (explanation, evaluator) of a catalogue entry. */
const struct twa_rule_entry *twa_rule_entry_of(const struct twa_rule *r);
/* What a rule means, what evidence it reads, what to do and not to do. */
const char *twa_rule_explain(const struct twa_rule *r);

/* The TWA_NEED_* mask the enabled rules need, and the smallest share of
 * the ephemeral range any of them cares about (the dump-skipping floor). */
unsigned twa_rules_needs(const struct twa_profile *p, double *ret_floor);

/* Evaluate every enabled rule; fs gets the non-OK findings, sorted. */
int twa_rules_evaluate(const struct twa_facts *f, const struct twa_profile *p,
		       struct twa_findings *fs, struct twa_err *err);

#endif
