/* SPDX-License-Identifier: MIT */
/* pipeline.c - profile -> facts -> findings, shared by check, plan and report. */
#include "cmd/pipeline.h"

#include <errno.h>
#include <stdlib.h>

#include "advisor/apply/boot.h"
#include "advisor/facts/facts_json.h"
#include "advisor/inspect/inspect.h"
#include "advisor/profile/target.h"
#include "advisor/rules/rules.h"
#include "cmd/errors.h"
#include "cmd/history.h"
#include "cmd/netns.h"
#include "cmd/output.h"
#include "cmd/profile_path.h"
#include "cmd/tracing.h"

void twa_pipeline_init(struct twa_pipeline *pl)
{
	twa_profile_init(&pl->profile);
	twa_facts_init(&pl->facts);
	twa_findings_init(&pl->findings);
}

void twa_pipeline_release(struct twa_pipeline *pl)
{
	twa_findings_release(&pl->findings);
	twa_facts_release(&pl->facts);
	twa_profile_release(&pl->profile);
}

enum twa_history_use twa_pipeline_history_use(const struct twa_pipeline_opts *o)
{
	return o->no_history ? TWA_HISTORY_OFF :
	       o->keep_history ? TWA_HISTORY_KEEP : TWA_HISTORY_READ;
}

static int read_facts(const char *file, struct twa_facts *f)
{
	struct strbuf buf = STRBUF_INIT;
	struct twa_err err = { 0 };
	int r;

	r = twa_read_file(file, TWA_FACTS_FILE_MAX, &buf, &err);
	if (r == 0)
		r = twa_facts_parse(buf.buf, buf.len, file, f, &err);
	strbuf_release(&buf);
	return r < 0 ? twa_fail(&err) : 0;
}

/* --trace: trace first (the facts then describe the end of the window). A
 * tracer that cannot run is said once and recorded; the rest carries on. */
static int gather_trace(const struct twa_pipeline_opts *o, struct twa_trace *t)
{
	int r;

	if (!o->trace)
		return 0;
	r = twa_cmd_trace_run(o->trace, false, o->verbose, t);
	if (r == -ENOMEM) {
		twa_errorf("out of memory");
		return EXIT_SOFTWARE;
	}
	if (r < 0)
		twa_warnf("%s; carrying on without it", t->unavailable);
	return 0;
}

/* Inspect the namespace this thread is in, with the counter history and
 * (boot) the sysctl.d scan: a negative errno with err. */
static int inspect_here(const struct twa_globals *g, const struct twa_pipeline_opts *o,
			const struct twa_profile *p, bool boot, struct twa_facts *f,
			struct twa_err *err)
{
	struct twa_inspect_opts io = { .proc_root = g->proc_root, .force_proc = o->force_proc };
	unsigned samples = o->samples ? o->samples : 1;
	const char **extra;
	double floor;
	int r;

	io.want = twa_rules_needs(p, &floor) | TWA_NEED_SYSCTLS;
	io.exhaustion_floor = samples > 1 ? 0 : floor;
	/* The profile's keys twadvise does not know are read too. */
	extra = calloc(p ? p->n_wants + 1 : 1, sizeof(*extra));
	if (!extra)
		return twa_err_set(err, -ENOMEM, "out of memory");
	io.extra_sysctls = extra;
	io.n_extra_sysctls = twa_profile_unknown_keys(p, extra, p ? p->n_wants : 0);
	r = twa_inspect_sampled(&io, samples, o->interval ? o->interval : 1, f, err);
	free(extra);
	if (r < 0)
		return r;
	/* Recorded facts (--facts) carry their own history, if any. */
	if (o->history)
		twa_history_run_sample(g, o->history, f);
	else
		twa_cmd_history(g, twa_pipeline_history_use(o), f);
	return boot ? twa_boot_scan(g->sysctl_dir, f, err) : 0;
}

int twa_cmd_gather(const struct twa_globals *g, const struct twa_pipeline_opts *o,
		   const struct twa_profile *p, struct twa_facts *f)
{
	struct twa_trace trace = { 0 };
	struct twa_err err = { 0 };
	int r;

	if (o->facts_file) {
		if (o->trace) {
			twa_errorf("--trace traces this host: not with --facts");
			return EXIT_USAGE;
		}
		return read_facts(o->facts_file, f);
	}
	r = twa_enter_netns(g);
	if (!r)
		r = gather_trace(o, &trace);
	if (r) {
		twa_trace_release(&trace);
		return r;
	}
	r = inspect_here(g, o, p, true, f, &err);
	twa_trace_release(&f->trace);
	f->trace = trace;	/* moved: f owns its rows now */
	return r < 0 ? twa_fail(&err) : 0;
}

int twa_pipeline_judge_here(const struct twa_globals *g, const struct twa_pipeline_opts *o,
			    const struct twa_profile *p, bool boot, struct twa_facts *f,
			    struct twa_findings *fs, struct twa_err *err)
{
	int r = inspect_here(g, o, p, boot, f, err);

	if (r == 0)
		r = twa_profile_check_target(p, f, err);
	return r < 0 ? r : twa_rules_evaluate(f, p, fs, err);
}

int twa_pipeline_run(const struct twa_globals *g, const struct twa_pipeline_opts *o,
		     struct twa_pipeline *pl)
{
	struct twa_err err = { 0 };
	int r;

	r = twa_cmd_load_profile(o->profile ? o->profile : "default", &pl->profile);
	if (r)
		return r;
	r = twa_cmd_gather(g, o, &pl->profile, &pl->facts);
	if (r)
		return r;
	if (twa_profile_check_target(&pl->profile, &pl->facts, &err) < 0)
		return twa_fail(&err);
	if (twa_rules_evaluate(&pl->facts, &pl->profile, &pl->findings, &err) < 0)
		return twa_fail(&err);
	return 0;
}
