/* SPDX-License-Identifier: MIT */
/* check.c - `twadvise check`: inspect (or read facts), apply a profile's rules, print findings.
 *
 * Exit codes follow the monitoring-plugin convention: 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN (could not evaluate: bad usage, profile or facts). */
#include "cmd/cmd.h"

#include <string.h>

#include "advisor/rules/check_out.h"
#include "advisor/util/jsonutil.h"
#include "advisor/rules/ns_out.h"
#include "cmd/allnetns.h"
#include "cmd/errors.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/pipeline.h"
#include "cmd/profile_path.h"
#include "cmd/tracing.h"

enum { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };

enum { FMT_TEXT, FMT_JSON, FMT_NAGIOS, FMT_PROMETHEUS };

static const struct twa_cmd_format formats[] = {
	{ "text", FMT_TEXT, false }, { "json", FMT_JSON, false },
	{ "nagios", FMT_NAGIOS, false }, { "prometheus", FMT_PROMETHEUS, false },
	{ NULL, 0, false },
};

struct check_opts {
	struct twa_pipeline_opts po;
	uint64_t samples;
	enum twa_status fail_on;	/* 0 (unset) means warning */
	bool evidence_only;
};

static int set_fail_on(struct twa_cmd *c, const char *arg)
{
	struct check_opts *o = c->opts;

	if (!strcmp(arg, "warning"))
		o->fail_on = TWA_STATUS_WARNING;
	else if (!strcmp(arg, "critical"))
		o->fail_on = TWA_STATUS_CRITICAL;
	else
		return twa_cmd_usage(c, "--fail-on takes warning or critical, not '%s'", arg);
	return 0;
}

/* The findings, and how the facts were gathered: scripts can see what was skipped. */
static void write_json(const struct twa_pipeline *pl, bool from_file, struct strbuf *out)
{
	json_object *o = twa_findings_to_json(&pl->findings), *ins = json_object_new_object();
	json_object *skipped = json_object_new_array();
	unsigned st;

	json_object_object_add(ins, "source", json_object_new_string(
		from_file ? "facts" : pl->facts.sockets.source));
	for (st = 1; st < TWA_TCP_STATE_MAX; st++)
		if (pl->facts.sockets.skipped & TWA_TCPF(st))
			json_object_array_add(skipped, json_object_new_string(twa_tcp_state_name(st)));
	json_object_object_add(ins, "skipped_states", skipped);
	json_object_object_add(ins, "destinations_counted",
			       json_object_new_boolean(pl->facts.ephemeral.dumped));
	json_object_object_add(o, "inspected", ins);
	json_object_object_add(o, "error", NULL);
	twa_json_write(o, true, out);
	json_object_put(o);
}

static void render(const struct twa_cmd *c, const struct twa_pipeline *pl, struct strbuf *out)
{
	const struct check_opts *o = c->opts;

	switch (c->format) {
	case FMT_JSON:
		write_json(pl, o->po.facts_file != NULL, out);
		break;
	case FMT_NAGIOS:
		twa_check_write_nagios(&pl->facts, &pl->findings, &pl->profile, out);
		break;
	case FMT_PROMETHEUS:
		twa_check_write_prometheus(&pl->facts, &pl->findings, out);
		break;
	default:
		if (!c->g.quiet || pl->findings.status != TWA_STATUS_OK)
			twa_findings_write_text(&pl->findings, c->g.verbose > 0, c->g.color, out);
	}
}

/* UNKNOWN in the requested format, with the error already printed to
 * stderr as its reason: Nagios shows it, Prometheus's status becomes 3 (in
 * -o FILE too, replacing the last value), JSON is a findings document. */
static int check_unknown(struct twa_cmd *c, int r)
{
	const struct check_opts *o = c->opts;
	const char *profile = o && o->po.profile ? o->po.profile : "default";
	struct strbuf out = STRBUF_INIT;
	json_object *j;
	int fmt = FMT_TEXT;
	size_t i;

	(void)r;
	/* A usage error may come before the runner resolved --format. */
	for (i = 0; c->g.format && formats[i].name; i++)
		if (!strcmp(formats[i].name, c->g.format))
			fmt = formats[i].id;
	switch (fmt) {
	case FMT_NAGIOS:
		twa_check_write_nagios_unknown(twa_last_error(), &out);
		break;
	case FMT_PROMETHEUS:
		twa_check_write_prometheus_unknown(profile, &out);
		break;
	case FMT_JSON:
		j = json_object_new_object();
		json_object_object_add(j, "schema", json_object_new_string(TWA_FINDINGS_SCHEMA));
		json_object_object_add(j, "status", json_object_new_string("unknown"));
		json_object_object_add(j, "profile", json_object_new_string(profile));
		json_object_object_add(j, "findings", json_object_new_array());
		json_object_object_add(j, "checked", json_object_new_array());
		json_object_object_add(j, "not_judged", json_object_new_array());
		json_object_object_add(j, "inspected", NULL);
		json_object_object_add(j, "error", json_object_new_string(twa_last_error()));
		twa_json_write(j, true, &out);
		json_object_put(j);
		break;
	default:
		break;	/* text: the error on stderr says it */
	}
	if (out.len)
		twa_write_output(&c->g, &out);
	strbuf_release(&out);
	return CHECK_UNKNOWN;
}

static void render_all(const struct twa_cmd *c, const struct twa_ns_results *rs,
		       struct strbuf *out)
{
	switch (c->format) {
	case FMT_JSON:
		twa_ns_write_json(rs, out);
		break;
	case FMT_NAGIOS:
		twa_ns_write_nagios(rs, out);
		break;
	case FMT_PROMETHEUS:
		twa_ns_write_prometheus(rs, out);
		break;
	default:
		twa_ns_write_text(rs, c->g.verbose > 0, c->g.color, out);
	}
}

/* --all-netns: the worst namespace's status is the exit code. */
static int check_all(struct twa_cmd *c, struct check_opts *o, enum twa_status fail_on)
{
	struct strbuf out = STRBUF_INIT;
	struct twa_ns_results rs;
	struct twa_profile p;
	size_t i;
	int r = CHECK_UNKNOWN;

	twa_profile_init(&p);
	twa_ns_results_init(&rs);
	if (twa_cmd_load_profile(o->po.profile ? o->po.profile : "default", &p) ||
	    twa_all_netns_run(&c->g, &o->po, &p, &rs, NULL, NULL)) {
		r = check_unknown(c, r);
		goto out;
	}
	for (i = 0; o->evidence_only && i < rs.n; i++)
		if (rs.v[i].state == TWA_NS_JUDGED)
			twa_findings_evidence_only(&rs.v[i].findings);
	if (o->evidence_only)
		twa_ns_results_rejudge(&rs);
	render_all(c, &rs, &out);
	if (twa_write_output(&c->g, &out))
		goto out;
	r = rs.status >= fail_on ? (int)rs.status :
	    twa_ns_results_any_unknown(&rs) ? CHECK_UNKNOWN : CHECK_OK;
out:
	strbuf_release(&out);
	twa_ns_results_release(&rs);
	twa_profile_release(&p);
	return r;
}

static int check_exec(struct twa_cmd *c)
{
	struct check_opts *o = c->opts;
	enum twa_status fail_on = o->fail_on ? o->fail_on : TWA_STATUS_WARNING;
	struct strbuf out = STRBUF_INIT;
	struct twa_pipeline pl;
	int r = CHECK_UNKNOWN;

	o->po.samples = (unsigned)o->samples;
	o->po.keep_history = true;
	o->po.verbose = c->g.verbose > 0;
	if (c->g.all_netns)
		return check_all(c, o, fail_on);
	twa_pipeline_init(&pl);
	if (twa_pipeline_run(&c->g, &o->po, &pl)) {
		r = check_unknown(c, r);
		goto out;
	}
	if (o->evidence_only)
		twa_findings_evidence_only(&pl.findings);
	render(c, &pl, &out);
	if (twa_write_output(&c->g, &out))
		goto out;
	r = pl.findings.status >= fail_on ? (int)pl.findings.status : CHECK_OK;
out:
	strbuf_release(&out);
	twa_pipeline_release(&pl);
	return r;
}

static int check_check(struct twa_cmd *c)
{
	const struct check_opts *o = c->opts;

	if (c->g.all_netns && o->po.facts_file)
		return twa_cmd_usage(c, "--all-netns inspects live namespaces: not with --facts");
	return twa_cmd_no_operands(c);
}

static int set_trace(struct twa_cmd *c, const char *arg)
{
	return twa_cmd_set_trace(c, "trace", arg, &((struct check_opts *)c->opts)->po.trace);
}

static const struct twa_cmd_option options[] = {
	TWA_OPT_ROW("profile", TWA_OPT_STRING, struct check_opts, po.profile, "NAME|FILE|URL",
		    "workload profile (default: default)"),
	TWA_OPT_ROW("facts", TWA_OPT_STRING, struct check_opts, po.facts_file, "FILE",
		    "evaluate recorded facts (inspect --format json) instead of this host"),
	TWA_OPT_CB("fail-on", set_fail_on, "warning|critical",
		   "lowest status that exits non-zero (default warning)"),
	TWA_OPT_ROW("evidence-only", TWA_OPT_FLAG, struct check_opts, evidence_only, NULL,
		    "judge live evidence only: compliance findings (the host\n"
		    "differs from the profile, nothing measured behind it)\n"
		    "are shown as INFO and do not set the status"),
	TWA_OPT_ROW("no-history", TWA_OPT_FLAG, struct check_opts, po.no_history, NULL,
		    "neither read nor keep the counters of the last check"),
	TWA_OPT_ROW("samples", TWA_OPT_SAMPLES, struct check_opts, samples, "N",
		    "sample N times to measure rates"),
	TWA_OPT_ROW("interval", TWA_OPT_INTERVAL, struct check_opts, po.interval, "SECS",
		    "seconds between samples (default 1)"),
	TWA_OPT_ROW("proc", TWA_OPT_FLAG, struct check_opts, po.force_proc, NULL,
		    "count sockets from /proc/net/tcp instead of netlink"),
	TWA_OPT_CB("trace", set_trace, "SECS", TWA_TRACE_OPT_HELP),
	{ .type = TWA_OPT_END },
};

const struct twa_cmd_entry twa_cmd_check = {
	.name = "check",
	.usage = "[--profile NAME|FILE|URL] [--facts FILE] [--fail-on warning|critical] [--evidence-only]",
	.summary = "inspect, evaluate a profile's rules, print findings (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)",
	.options = options,
	.formats = formats,
	.format_help = "output format (default text)",
	.needs = TWA_NEEDS_PIPELINE | TWA_NEEDS_PROFILE | TWA_NEEDS_OUTPUT | TWA_NEEDS_ALL_NETNS,
	.usage_exit = CHECK_UNKNOWN,
	.opts_size = sizeof(struct check_opts),
	.check = check_check,
	.exec = check_exec,
	.fail = check_unknown,
};
