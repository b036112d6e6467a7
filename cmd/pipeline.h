/* SPDX-License-Identifier: MIT */
/* pipeline.h - profile -> facts -> findings, the one path check, plan and report share. */
#ifndef TWA_CMD_PIPELINE_H
#define TWA_CMD_PIPELINE_H

#include <stdbool.h>

#include "advisor/facts/facts.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/findings.h"
#include "cmd/cmd.h"
#include "cmd/history.h"

/* Where the facts come from and how they are sampled. */
struct twa_pipeline_opts {
	const char *profile;	/* name, file or URL; NULL: "default" */
	const char *facts_file;	/* recorded facts; NULL: inspect this host */
	unsigned samples;	/* 0 counts as 1 */
	double interval;	/* 0 counts as 1 second */
	bool force_proc;
	bool no_history;	/* --no-history: neither read nor write it */
	bool keep_history;	/* keep this run's counters for the next (check) */
	/* --all-netns: the counter history read once for every namespace
	 * and written once at the end; NULL: read (and kept) here. */
	struct twa_history_run *history;
	double trace;		/* --trace SECS: run the eBPF tracer first; 0: no */
	bool verbose;		/* say when the tracer is attached */
};

struct twa_pipeline {
	struct twa_profile profile;
	struct twa_facts facts;
	struct twa_findings findings;
};

/* What o says to do with the counter history. */
enum twa_history_use twa_pipeline_history_use(const struct twa_pipeline_opts *o);

void twa_pipeline_init(struct twa_pipeline *pl);
void twa_pipeline_release(struct twa_pipeline *pl);

/* Load the profile, gather the facts (entering --netns only to inspect)
 * and evaluate the rules. Returns 0 or an exit code after printing. */
int twa_pipeline_run(const struct twa_globals *g, const struct twa_pipeline_opts *o,
		     struct twa_pipeline *pl);

/* Facts from o->facts_file, or inspected with only what the profile's
 * enabled rules need (entering --netns), plus the boot-time sysctl.d
 * scan. Returns 0 or an exit code after printing. */
int twa_cmd_gather(const struct twa_globals *g, const struct twa_pipeline_opts *o,
		   const struct twa_profile *p, struct twa_facts *f);

/* Inspect the namespace this thread is in now (never --netns), keep its
 * counter history, scan sysctl.d when boot, evaluate: 0 or a negative
 * errno with err (nothing printed), for --all-netns. */
int twa_pipeline_judge_here(const struct twa_globals *g, const struct twa_pipeline_opts *o,
			    const struct twa_profile *p, bool boot, struct twa_facts *f,
			    struct twa_findings *fs, struct twa_err *err);

#endif
