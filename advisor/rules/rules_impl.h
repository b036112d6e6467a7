/* rules_impl.h - what the rule files share: helpers and their entry points. */
#ifndef TWA_RULES_IMPL_H
#define TWA_RULES_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"
#include "advisor/inspect/inspect.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/rules.h"

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

/* The evaluators and explanations, one group per file. */
#define RULE_DECL(name) \
	int rule_##name(const struct twa_rule_ctx *ctx, struct twa_finding *out); \
	extern const char explain_##name[]; \
	extern const struct twa_rule_param params_##name[]

RULE_DECL(time_wait_volume);
RULE_DECL(time_wait_overflow);
RULE_DECL(ephemeral_exhaustion);
RULE_DECL(ephemeral_range_narrow);
RULE_DECL(listener_in_ephemeral_range);
RULE_DECL(tw_reuse_off);
RULE_DECL(tw_reuse_without_timestamps);
RULE_DECL(tw_recycle_enabled);
RULE_DECL(close_wait_leak);
RULE_DECL(fin_wait2_orphans);
RULE_DECL(fin_timeout_misconception);
RULE_DECL(listen_overflow);
RULE_DECL(somaxconn_low);
RULE_DECL(syn_backlog_low);
RULE_DECL(orphans_near_limit);
RULE_DECL(conntrack_near_full);
RULE_DECL(sysctl_mismatch);
RULE_DECL(sysctl_persist_overridden);

#endif
