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
/* The same as an option callback's body: a usage error names the option. */
int twa_cmd_set_trace(struct twa_cmd *c, const char *opt, const char *arg, double *secs);

/* The help of --trace SECS, for check and report. */
#define TWA_TRACE_OPT_HELP \
	"trace connections with eBPF for SECS first: names the processes\n" \
	"whose connect() failed, who closes first, CLOSE_WAIT dwell\n" \
	"(root, BTF, libbpf1; without them it says so and carries on)"

/* Trace for secs seconds in this thread's network namespace (or all), into
 * t; announce: say on stderr when it is attached (-v). SIGINT or SIGTERM
 * stops it early, with what it saw so far. On failure t says why (requested, !present, unavailable) and the
 * return is -ENOSYS/-ENOENT/-EPERM/-EOPNOTSUPP (unavailable) or -ENOMEM. */
int twa_cmd_trace_run(double secs, bool all_netns, bool announce, struct twa_trace *t);

#endif
