/* SPDX-License-Identifier: MIT */
/* tracefacts.h - what `trace` (the eBPF tracer) saw: per network namespace x
 * process x destination, connections, closes, lifetimes, CLOSE_WAIT dwell and
 * connect() failures. Filled by advisor/trace/trace_agg.c, read by the rules,
 * written into the facts JSON as "trace". */
#ifndef TWA_TRACEFACTS_H
#define TWA_TRACEFACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/facts/addr.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/strbuf.h"

#define TWA_TRACE_HIST 32	/* lifetime buckets: [2^i, 2^(i+1)) microseconds */

/* connect() errors by name, in this order. */
enum {
	TWA_TRACE_EADDRNOTAVAIL,
	TWA_TRACE_ECONNREFUSED,
	TWA_TRACE_ETIMEDOUT,
	TWA_TRACE_ENETUNREACH,
	TWA_TRACE_EHOSTUNREACH,
	TWA_TRACE_EOTHER,
	TWA_TRACE_ERRNO_MAX,
};

const char *twa_trace_errno_name(unsigned i);

struct twa_trace_row {
	unsigned netns;			/* namespace inode */
	int pid;			/* tgid; 0: never owned (not accepted) */
	char comm[32];
	uint64_t cgroup;
	char role[8];			/* "client", "server", "adopted" */
	int family;
	char addr[TWA_ADDRSTRLEN];	/* client: the peer; server: the local end */
	unsigned port;
	uint64_t opened;		/* reached ESTABLISHED while tracing */
	uint64_t closed;
	uint64_t active_close;		/* this side sent the first FIN (-> TIME_WAIT), open or not */
	uint64_t passive_close;		/* the peer did (-> CLOSE_WAIT) */
	uint64_t aborted;		/* ended without a FIN (reset) */
	uint64_t still_open;		/* established, not closed when tracing stopped */
	uint64_t close_wait;		/* CLOSE_WAIT periods, ended or still running */
	uint64_t close_wait_open;	/* of which still in CLOSE_WAIT at the end */
	double close_wait_mean_ms, close_wait_max_ms;
	uint64_t lifetime[TWA_TRACE_HIST];	/* of the closed ones */
	double lifetime_mean_ms;
	double lifetime_median_ms;	/* upper bound of the median's bucket; 0: none */
	uint64_t connect_errors[TWA_TRACE_ERRNO_MAX];
	uint64_t connect_failed;	/* their sum */
};

struct twa_trace {
	bool requested;			/* --trace or `trace` asked for it */
	bool present;			/* and it ran: rows below are real */
	char unavailable[256];		/* why not, when requested && !present */
	double duration;		/* seconds traced */
	bool all_netns;
	unsigned netns;			/* traced namespace inode; 0 with all_netns */
	struct twa_trace_row *rows;	/* connect_failed, then opened, descending */
	size_t n_rows;
	uint64_t socks_overflow;	/* sockets not tracked: socket map full */
	uint64_t rows_overflow;		/* events lost: row map full */
	uint64_t unowned;		/* server sockets closed before accept() */
};

void twa_trace_release(struct twa_trace *t);

/* The approximate median of a lifetime histogram, in ms (bucket's upper bound). */
double twa_trace_hist_median_ms(const uint64_t *hist);

/* The facts JSON's "trace" member; NULL (JSON null) when not requested. */
json_object *twa_trace_to_json(const struct twa_trace *t);

/* A table, one row per process x destination; -ENOMEM. */
int twa_trace_write_text(const struct twa_trace *t, struct strbuf *out);

#endif
