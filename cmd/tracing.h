/* SPDX-License-Identifier: MIT */
/* tracing.h - run the eBPF tracer for a while: `trace`, and --trace of check and report. */
#ifndef TWA_CMD_TRACING_H
#define TWA_CMD_TRACING_H

#include <stdbool.h>

#include "advisor/facts/tracefacts.h"
#include "cmd/cmd.h"

#define TWA_TRACE_SECS_MAX 3600

/* Parse a --duration / --trace value: 0.1..3600 seconds. */
int twa_cmd_trace_secs(const char *arg, double *secs);

/* Trace for secs seconds in this thread's network namespace (or all), into
 * t; announce: say on stderr when it is attached (-v). SIGINT or SIGTERM
 * stops it early, with what it saw so far. On failure t says why (requested, !present, unavailable) and the
 * return is -ENOSYS/-ENOENT/-EPERM/-EOPNOTSUPP (unavailable) or -ENOMEM. */
int twa_cmd_trace_run(double secs, bool all_netns, bool announce, struct twa_trace *t);

#endif
