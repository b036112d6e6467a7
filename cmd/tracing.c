/* SPDX-License-Identifier: MIT */
/* tracing.c - start the tracer, wait, read its maps, fold them into trace facts. */
#include "cmd/tracing.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advisor/trace/trace_agg.h"
#include "advisor/trace/trace_load.h"
#include "cmd/options.h"

int twa_cmd_trace_secs(const char *arg, double *secs)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0.1 || v > TWA_TRACE_SECS_MAX)
		return -EINVAL;
	*secs = v;
	return 0;
}

int twa_cmd_set_trace(struct twa_cmd *c, const char *opt, const char *arg, double *secs)
{
	if (twa_cmd_trace_secs(arg, secs))
		return twa_cmd_usage(c, "--%s takes 0.1 to %d seconds, not '%s'", opt,
				     TWA_TRACE_SECS_MAX, arg);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Sleep secs, or less when SIGINT/SIGTERM comes; returns the time slept. */
static double wait_for(double secs)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct timespec t0, t1, left;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	left.tv_sec = (time_t)secs;
	left.tv_nsec = (long)((secs - (double)left.tv_sec) * 1e9);
	while (!stop && nanosleep(&left, &left) != 0 && errno == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

int twa_cmd_trace_run(double secs, bool all_netns, bool announce, struct twa_trace *t)
{
	struct twa_trace_dump d = { 0 };
	struct twa_err err = { 0 };
	struct twa_tracer *tr;
	double slept;
	int r;

	twa_trace_release(t);
	t->requested = true;
	t->all_netns = all_netns;
	r = twa_trace_start(all_netns, &tr, &err);
	if (r < 0) {
		snprintf(t->unavailable, sizeof(t->unavailable), "%.255s", err.msg);
		return r;
	}
	if (announce)
		fprintf(stderr, "twadvise: tracing for %.1f s\n", secs);
	slept = wait_for(secs);
	r = twa_trace_read(tr, &d, &err);
	twa_trace_stop(tr);
	if (r == 0)
		r = twa_trace_aggregate(&d, slept, all_netns, t, &err);
	twa_trace_dump_release(&d);
	if (r < 0) {
		t->requested = true;
		t->present = false;
		snprintf(t->unavailable, sizeof(t->unavailable), "%.255s", err.msg);
	}
	return r;
}
