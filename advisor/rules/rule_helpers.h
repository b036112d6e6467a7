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
 * How a kernel counter moved, on the best basis the facts give: the
 * in-run rate of --samples first, then the increase since the last check
 * (facts' history), else only its total since boot (or since the
 * namespace was made), which says nothing about now.
 */
enum rule_basis {
	RULE_BASIS_ABSENT,	/* the kernel lacks the counter */
	RULE_BASIS_SAMPLES,
	RULE_BASIS_HISTORY,
	RULE_BASIS_BOOT,
};

struct rule_rise {
	enum rule_basis basis;
	int64_t total;		/* since boot */
	double rate;		/* SAMPLES: per second */
	int64_t delta;		/* HISTORY: since the last check */
	double interval;	/* HISTORY: seconds since the last check */
	const char *why;	/* BOOT: why there is no better basis */
};

void rule_counter_rise(const struct twa_facts *f, const char *name, struct rule_rise *ret);
/* Rising now (SAMPLES) or since the last check (HISTORY). */
bool rule_rising(const struct rule_rise *r);
/* Its severity by the counters' convention: CRITICAL when it grows during
 * --samples, WARNING when it grew since the last check, INFO for a total
 * since boot (or a --samples run in which it stood still), OK otherwise. */
enum twa_severity rule_rise_severity(const struct rule_rise *r);
/* With noun "listen overflows": "340 listen overflows since the last
 * check 5 min ago", "listen overflows at 12.5/s now (340 since boot)",
 * "340 listen overflows since boot (no earlier check to compare with)". */
void rule_rise_phrase(const struct rule_rise *r, const char *noun, char *buf, size_t size);
/* The counter's evidence: its total, and its rate or delta. */
int rule_ev_rise(struct twa_finding *out, const char *name, const struct rule_rise *r);
/* "40 s", "5 min", "3 h", "2 days": how long ago, roughly. */
void rule_ago(double secs, char *buf, size_t size);

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
