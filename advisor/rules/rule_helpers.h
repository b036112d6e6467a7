/* SPDX-License-Identifier: MIT */
/* rule_helpers.h - what the rule files share: evidence, severity and proposal helpers. */
#ifndef TWA_RULE_HELPERS_H
#define TWA_RULE_HELPERS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/facts/facts.h"
#include "advisor/profile/profile.h"
#include "advisor/profile/want.h"
#include "advisor/rules/findings.h"
#include "advisor/rules/rule.h"

/* TCP_TIMEWAIT_LEN, include/net/tcp.h. */
#define TWA_TIMEWAIT_SECONDS 60
/* Default of tcp_fin_timeout (TCP_FIN_TIMEOUT, include/net/tcp.h). */
#define TWA_FIN_TIMEOUT_DEFAULT 60

#define RULE_OOM(expr) do { if ((expr) < 0) return -ENOMEM; } while (0)

/* A sysctl as an integer; false when absent or not one integer. */
bool rule_sysctl_i64(const struct twa_facts *f, const char *key, int64_t *ret);
/* Evidence of one sysctl ("absent" when the kernel lacks it). */
int rule_ev_sysctl(struct twa_finding *out, const struct twa_facts *f,
		   const char *key);
int rule_ev_state(struct twa_finding *out, const struct twa_facts *f,
		  unsigned state);
/* A counter; evidence says "absent" when the kernel lacks it. */
int rule_ev_counter(struct twa_finding *out, const struct twa_facts *f,
		    const char *name);
void rule_raise(struct twa_finding *out, enum twa_severity s);

/*
 * The profile's want for key, when it has one and the host does not meet
 * it: adds evidence and the change, writes a sentence into desc and
 * returns 1. 0 when met or not wanted; negative on allocation failure.
 */
int rule_want_mismatch(const struct twa_rule_ctx *ctx, const char *key,
		       struct twa_finding *out, char *desc, size_t size);

/* Propose reserving the listening ports that lie in [low, high] and are
 * not reserved yet (so widening the range cannot take them). */
int rule_reserve_listeners(struct twa_finding *out, const struct twa_facts *f,
			   unsigned low, unsigned high);

#endif
