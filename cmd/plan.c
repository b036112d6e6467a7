/* SPDX-License-Identifier: MIT */
/* plan.c - `twadvise plan`: propose sysctl changes from a check; write a reviewable plan. */
#include "cmd/cmd.h"

#include <stdio.h>

#include "advisor/apply/plan.h"
#include "advisor/util/jsonutil.h"
#include "cmd/errors.h"
#include "cmd/netns.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/pipeline.h"

static int plan_exec(struct twa_cmd *c)
{
	struct twa_pipeline_opts *po = c->opts;
	struct strbuf json = STRBUF_INIT, diff = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_pipeline pl;
	struct twa_plan plan;
	json_object *o;
	int r;

	twa_pipeline_init(&pl);
	twa_plan_init(&plan);
	/* --netns: who lives there, told before entering it. */
	if (!po->facts_file)
		plan.has_ident = twa_netns_identity(&c->g, &plan.ident);
	r = twa_pipeline_run(&c->g, po, &pl);
	if (r)
		goto out;
	if (twa_plan_from_findings(&pl.facts, &pl.findings, &plan, &err) < 0) {
		r = twa_fail(&err);
		goto out;
	}
	o = twa_plan_to_json(&plan);
	twa_json_write(o, true, &json);
	json_object_put(o);
	twa_plan_write_text(&plan, &diff);
	if (plan.n)
		strbuf_addf(&diff, "review, then apply with: twadvise apply %s [--persist]\n",
			    c->g.output ? c->g.output : "PLAN");
	/* The plan goes to -o FILE (the diff to stdout), or to stdout (the
	 * diff to stderr) so `twadvise plan > plan.json` works. */
	r = twa_write_output(&c->g, &json);
	if (r)
		goto out;
	if (!c->g.quiet)
		fputs(diff.buf, c->g.output ? stdout : stderr);
out:
	strbuf_release(&json);
	strbuf_release(&diff);
	twa_plan_release(&plan);
	twa_pipeline_release(&pl);
	return r;
}

static const struct twa_cmd_option options[] = {
	TWA_OPT_ROW("profile", TWA_OPT_STRING, struct twa_pipeline_opts, profile, "NAME|FILE|URL",
		    "workload profile (default: default)"),
	TWA_OPT_ROW("facts", TWA_OPT_STRING, struct twa_pipeline_opts, facts_file, "FILE",
		    "plan from recorded facts"),
	TWA_OPT_ROW("no-history", TWA_OPT_FLAG, struct twa_pipeline_opts, no_history, NULL,
		    "do not read the counters kept by the last check"),
	TWA_OPT_DOC_ROW("-o, --output PLAN", "write the plan there and the diff to stdout\n"
			"(without -o: the plan to stdout, the diff to stderr)"),
	{ .type = TWA_OPT_END },
};

static const struct twa_cmd_format formats[] = { { "json", 0, false }, { NULL, 0, false } };

const struct twa_cmd_entry twa_cmd_plan = {
	.name = "plan",
	.usage = "[--profile NAME|FILE|URL] [--facts FILE] [-o PLAN]",
	.summary = "propose sysctl changes from a check; write a reviewable plan (twadvise.plan/1)",
	.options = options,
	.formats = formats,
	.format_help = "a plan is JSON",
	.format_error = "a plan is JSON (--format json)",
	.needs = TWA_NEEDS_PIPELINE | TWA_NEEDS_PROFILE | TWA_NEEDS_OUTPUT,
	.opts_size = sizeof(struct twa_pipeline_opts),
	.check = twa_cmd_no_operands,
	.exec = plan_exec,
};
