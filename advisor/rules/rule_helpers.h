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
/* a less b on a's basis, never below zero (b absent: a): how much of a
 * counter that also counts another event (ListenDrops counts every
 * ListenOverflows) is left for the rest. */
void rule_rise_minus(const struct rule_rise *a, const struct rule_rise *b,
		     struct rule_rise *ret);
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

/*
 * The net.ipv4.tcp_max_tw_buckets to propose, never below what the
 * TIME_WAIT sockets present need: the largest of floor, twice the current
 * limit, and TIME_WAIT present plus headroom (half again, at least 1024).
 * time-wait-volume and time-wait-overflow both propose through it.
 */
uint64_t rule_tw_buckets_target(const struct twa_facts *f, int64_t buckets,
				uint64_t floor);

/* Orphaned FIN_WAIT2 sockets whose peer is not a local CLOSE_WAIT socket:
 * the ones tcp_fin_timeout is the tool for. */
uint64_t rule_fin_wait2_remote_orphans(const struct twa_facts *f);

/* Mark out's change of key as the profile's value only (it yields to a
 * need another rule shows; see resolve.h). */
void rule_change_from_profile(struct twa_finding *out, const char *key);

/* Propose reserving the listening ports that lie in [low, high] and are
 * not reserved yet (so widening the range cannot take them). */
int rule_reserve_listeners(struct twa_finding *out, const struct twa_facts *f,
			   unsigned low, unsigned high);

/*
 * What the kernel can do with one destination's ports now, as
 * tcp_twsk_unique() (net/ipv4/tcp_ipv4.c, also used by IPv6) decides for a
 * connect() that meets a TIME_WAIT socket of the same 4-tuple: it takes it
 * over when tcp_tw_reuse is 1, or 2 and the pair is loopback; the socket
 * carries a timestamp (tcp_timestamps on); and it is older than
 * tcp_tw_reuse_delay. Every other port in use is unavailable.
 */
struct rule_port_model {
	int64_t reuse;		/* tcp_tw_reuse; -1 when absent */
	bool reuse_applies;	/* 1, or 2 and loopback */
	bool timestamps;	/* tcp_timestamps != 0 (absent: on) */
	uint32_t delay_ms;	/* tcp_tw_reuse_delay (default when absent) */
	uint64_t young;		/* TIME_WAIT younger than the delay */
	bool young_estimated;	/* young comes from the close rate */
	uint64_t reusable;	/* TIME_WAIT connect() may take over now */
	/* Ports of the range other destinations hold through bind buckets
	 * (bind() before connect(), listeners): __inet_hash_connect() skips
	 * them toward this destination too. */
	uint64_t bind_lost;
	uint64_t unavailable;	/* in_use - reusable + bind_lost */
	double projected;	/* unavailable that the close rate sustains */
};

void rule_port_model(const struct twa_facts *f, const struct twa_destination *d,
		     struct rule_port_model *ret);
/* Of the top destinations kept, the one with the most unavailable ports
 * (ties: the first, largest in_use), or NULL; its model in ret. */
const struct twa_destination *rule_worst_unavailable(const struct twa_facts *f,
						      struct rule_port_model *ret);
/* tcp_tw_reuse=1 would make this destination's TIME_WAIT reusable where
 * it is not: tcp_tw_reuse is 0, or 2 and the pair is not loopback. */
bool rule_reuse1_changes(const struct rule_port_model *m);
/* The TWRecycled counter, and its rate with --samples: evidence that
 * reuse works. Sets *rising when the rate is above zero. */
int rule_ev_tw_recycled(struct twa_finding *out, const struct twa_facts *f,
			bool *rising);

#endif
