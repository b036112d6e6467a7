/* SPDX-License-Identifier: MIT */
/* rule_trace.h - what the rules make of the tracer's evidence (facts->trace):
 * whose connect() failed, who closes first, how long CLOSE_WAIT lasted. */
#ifndef TWA_RULE_TRACE_H
#define TWA_RULE_TRACE_H

#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"

/* ephemeral-exhaustion: when connect() failed with EADDRNOTAVAIL while
 * tracing, CRITICAL, naming the process and destination (the summary
 * replaces the snapshot's). Nothing when not traced or none failed. */
int rule_trace_exhaustion(const struct twa_facts *f, struct twa_finding *out);

/* time-wait-volume: the processes that closed first (TIME_WAIT is theirs). */
int rule_trace_active_closers(const struct twa_facts *f, struct twa_finding *out);

/* close-wait-leak: per process, how long sockets stayed in CLOSE_WAIT. */
int rule_trace_close_wait(const struct twa_facts *f, struct twa_finding *out);

/* Evidence that tracing was asked for but could not run. */
int rule_trace_unavailable(const struct twa_facts *f, struct twa_finding *out);

#endif
