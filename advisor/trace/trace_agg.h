/* SPDX-License-Identifier: MIT */
/* trace_agg.h - the tracer's maps (struct twa_trace_dump) into trace facts.
 *
 * Pure: the kernel did the per-event counting; this folds in the sockets
 * still open when tracing stopped, names errnos, computes means, medians
 * and dwell times, and orders the rows. Unit-tested on recorded maps. */
#ifndef TWA_TRACE_AGG_H
#define TWA_TRACE_AGG_H

#include "advisor/facts/tracefacts.h"
#include "advisor/trace/trace_dump.h"
#include "advisor/util/err.h"

/* Fill t (released first) from d, traced for duration seconds. */
int twa_trace_aggregate(const struct twa_trace_dump *d, double duration, bool all_netns,
			struct twa_trace *t, struct twa_err *err);

void twa_trace_dump_release(struct twa_trace_dump *d);

#endif
