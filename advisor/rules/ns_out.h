/* SPDX-License-Identifier: MIT */
/* ns_out.h - check --all-netns: one result per network namespace, and its
 * text, JSON (twadvise.netns-findings/1), Nagios and Prometheus (pure). */
#ifndef TWA_NS_OUT_H
#define TWA_NS_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/nsident.h"
#include "advisor/rules/findings.h"
#include "advisor/util/strbuf.h"

#define TWA_NETNS_FINDINGS_SCHEMA "twadvise.netns-findings/1"
/* Namespaces exported to Prometheus at most (worst first): bounded series. */
#define TWA_NS_PROM_MAX 50

struct twa_ns_result {
	struct twa_ns_ident id;
	enum twa_ns_state state;
	char error[256];		/* gone or unreadable: why */
	enum twa_status status;		/* gone: OK (not counted) */
	struct twa_findings findings;	/* judged only */
	bool have_sockets;
	uint64_t sockets, time_wait;
	unsigned port_lo, port_hi;	/* 0 0: unknown */
};

struct twa_ns_results {
	char profile[64];
	struct twa_ns_result *v;	/* worst first after twa_ns_results_finish */
	size_t n, alloc;
	unsigned unreadable_procs;	/* processes whose namespace could not be read */
	int unreadable_pid;
	char unreadable_why[96];
	bool truncated;			/* discovery stopped at its limit */
	enum twa_status status;		/* the worst */
};

void twa_ns_results_init(struct twa_ns_results *rs);
void twa_ns_results_release(struct twa_ns_results *rs);
/* A new result for id (state JUDGED, status OK, findings initialised);
 * NULL on ENOMEM. */
struct twa_ns_result *twa_ns_results_add(struct twa_ns_results *rs,
					 const struct twa_ns_ident *id);
/* Keep what the facts say about the namespace's size; in namespaces other
 * than twadvise's own, drop findings that only change host-wide keys
 * (judged once, where twadvise runs). */
void twa_ns_result_take(struct twa_ns_result *r, const struct twa_facts *f);
/* Worst first (stable) and the overall status: an unreadable namespace or
 * process makes it at least UNKNOWN, a gone one counts for nothing. */
void twa_ns_results_finish(struct twa_ns_results *rs);

/* Status and order again after the findings changed (--evidence-only). */
void twa_ns_results_rejudge(struct twa_ns_results *rs);
/* Some namespace or process could not be read. */
bool twa_ns_results_any_unknown(const struct twa_ns_results *rs);

/* The keys judged once, for the whole host: "a, b". */
void twa_ns_host_wide_keys(struct strbuf *out);

/* The pieces of twadvise.netns-findings/1, shared with report --all-netns
 * (twadvise.netns-report/1): one namespace's object, the counts by
 * status, the host-wide keys. */
json_object *twa_ns_result_to_json(const struct twa_ns_results *rs, const struct twa_ns_result *r);
json_object *twa_ns_counts_to_json(const struct twa_ns_results *rs);
json_object *twa_ns_host_wide_json(void);

int twa_ns_write_text(const struct twa_ns_results *rs, bool verbose, bool color,
		      struct strbuf *out);
int twa_ns_write_json(const struct twa_ns_results *rs, struct strbuf *out);
int twa_ns_write_nagios(const struct twa_ns_results *rs, struct strbuf *out);
int twa_ns_write_prometheus(const struct twa_ns_results *rs, struct strbuf *out);

#endif
