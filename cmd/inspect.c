/* SPDX-License-Identifier: MIT */
/* inspect.c - `twadvise inspect`: gather facts and print them. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "advisor/facts/facts_json.h"
#include "advisor/facts/facts_text.h"
#include "advisor/inspect/inspect.h"
#include "advisor/util/jsonutil.h"
#include "cmd/allnetns.h"
#include "cmd/errors.h"
#include "cmd/history.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/profile_path.h"

enum { FMT_TEXT, FMT_JSON, FMT_PROMETHEUS };

struct inspect_opts {
	uint64_t samples;
	double interval;
	bool listeners;
	bool proc;
	bool no_history;
};

static int render(const struct twa_cmd *c, const struct twa_facts *f, struct strbuf *out)
{
	json_object *o;
	int r;

	switch (c->format) {
	case FMT_JSON:
		o = twa_facts_to_json(f);
		r = o ? twa_json_write(o, true, out) : -1;
		json_object_put(o);
		return r;
	case FMT_PROMETHEUS:
		return twa_facts_write_prometheus(f, out);
	default:
		return twa_facts_write_text(f, c->g.verbose > 0, out);
	}
}

/* --all-netns: each namespace's facts as it is visited (text), or one
 * twadvise.netns-facts/1 document holding them (json). */
struct all_ctx {
	const struct twa_cmd *c;
	struct strbuf *out;
	json_object *list;
};

static int visit(void *ctx, const struct twa_ns_ident *id, const struct twa_facts *f)
{
	struct all_ctx *a = ctx;
	json_object *o;
	char l[256], ns[48];

	twa_ns_ident_netns(id, ns, sizeof(ns));
	twa_ns_ident_label(id, l, sizeof(l));
	if (a->c->format != FMT_JSON) {
		strbuf_addf(a->out, "== %s  %s  (--netns %s)\n", l, ns, id->path);
		return render(a->c, f, a->out);
	}
	o = json_object_new_object();
	json_object_object_add(o, "netns", json_object_new_string(ns));
	json_object_object_add(o, "path", json_object_new_string(id->path));
	json_object_object_add(o, "label", json_object_new_string(l));
	json_object_object_add(o, "kind", json_object_new_string(twa_ns_ident_kind(id)));
	json_object_object_add(o, "facts", twa_facts_to_json(f));
	return json_object_array_add(a->list, o);
}

/* Namespaces not entered (gone, no right): said, never left out. */
static void not_entered(const struct all_ctx *a, const struct twa_ns_results *rs)
{
	char l[256];
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct twa_ns_result *r = &rs->v[i];
		json_object *o;

		if (r->state == TWA_NS_JUDGED)
			continue;
		twa_ns_ident_label(&r->id, l, sizeof(l));
		if (a->c->format != FMT_JSON) {
			strbuf_addf(a->out, "== %s  %s: %s\n", l, twa_ns_state_name(r->state), r->error);
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "path", json_object_new_string(r->id.path));
		json_object_object_add(o, "label", json_object_new_string(l));
		json_object_object_add(o, "state", json_object_new_string(twa_ns_state_name(r->state)));
		json_object_object_add(o, "error", json_object_new_string(r->error));
		json_object_array_add(a->list, o);
	}
	if (rs->unreadable_procs && a->c->format != FMT_JSON)
		strbuf_addf(a->out, "== the namespace of %u process(es) could not be read (pid %d: %s)\n",
			    rs->unreadable_procs, rs->unreadable_pid, rs->unreadable_why);
}

static int inspect_all(struct twa_cmd *c, const struct inspect_opts *o)
{
	struct twa_pipeline_opts po = { .samples = (unsigned)o->samples, .interval = o->interval,
					.force_proc = o->proc, .no_history = o->no_history };
	struct strbuf out = STRBUF_INIT;
	struct all_ctx a = { c, &out, json_object_new_array() };
	json_object *doc = json_object_new_object();
	struct twa_ns_results rs;
	struct twa_profile p;
	int r;

	twa_profile_init(&p);
	twa_ns_results_init(&rs);
	r = twa_cmd_load_profile("default", &p);
	if (!r)
		r = twa_all_netns_run(&c->g, &po, &p, &rs, visit, &a);
	json_object_object_add(doc, "schema", json_object_new_string("twadvise.netns-facts/1"));
	json_object_object_add(doc, "namespaces", a.list);
	if (!r)
		not_entered(&a, &rs);
	json_object_object_add(doc, "unreadable_processes", json_object_new_int64(rs.unreadable_procs));
	if (!r && c->format == FMT_JSON)
		twa_json_write(doc, true, &out);
	if (!r)
		r = twa_write_output(&c->g, &out);
	json_object_put(doc);
	strbuf_release(&out);
	twa_ns_results_release(&rs);
	twa_profile_release(&p);
	return r;
}

static int inspect_check(struct twa_cmd *c)
{
	if (c->g.all_netns && c->g.format && !strcmp(c->g.format, "prometheus"))
		return twa_cmd_usage(c, "--all-netns inspect writes text or json; for metrics use check --all-netns --format prometheus");
	return twa_cmd_no_operands(c);
}

static int inspect_exec(struct twa_cmd *c)
{
	const struct inspect_opts *o = c->opts;
	struct twa_inspect_opts io = { .want = TWA_NEED_ALL, .proc_root = c->g.proc_root,
				       .force_proc = o->proc };
	struct strbuf out = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_facts f;
	int r;

	if (c->g.all_netns)
		return inspect_all(c, o);
	if (o->listeners)
		io.want = TWA_NEED_LISTENERS | TWA_NEED_LISTENER_OWNERS | TWA_NEED_SYSCTLS;
	twa_facts_init(&f);
	r = twa_inspect_sampled(&io, o->samples ? (unsigned)o->samples : 1,
				o->interval ? o->interval : 1, &f, &err);
	if (r < 0) {
		r = twa_fail(&err);
		goto out;
	}
	/* Shows what changed since the last check; only check keeps samples. */
	if (!o->listeners)
		twa_cmd_history(&c->g, o->no_history ? TWA_HISTORY_OFF : TWA_HISTORY_READ, &f);
	if (render(c, &f, &out) < 0) {
		twa_errorf("out of memory");
		r = EXIT_SOFTWARE;
		goto out;
	}
	r = twa_write_output(&c->g, &out);
out:
	strbuf_release(&out);
	twa_facts_release(&f);
	return r;
}

static const struct twa_cmd_option options[] = {
	TWA_OPT_ROW("samples", TWA_OPT_SAMPLES, struct inspect_opts, samples, "N",
		    "take N snapshots and add rates"),
	TWA_OPT_ROW("interval", TWA_OPT_INTERVAL, struct inspect_opts, interval, "SECS",
		    "seconds between snapshots (default 1)"),
	TWA_OPT_ROW("listeners", TWA_OPT_FLAG, struct inspect_opts, listeners, NULL,
		    "only listening sockets (a LISTEN-only dump)"),
	TWA_OPT_ROW("no-history", TWA_OPT_FLAG, struct inspect_opts, no_history, NULL,
		    "do not read the counters kept by the last check"),
	TWA_OPT_ROW("proc", TWA_OPT_FLAG, struct inspect_opts, proc, NULL,
		    "count from /proc/net/tcp instead of netlink"),
	{ .type = TWA_OPT_END },
};

static const struct twa_cmd_format formats[] = {
	{ "text", FMT_TEXT, false }, { "json", FMT_JSON, false },
	{ "prometheus", FMT_PROMETHEUS, false }, { NULL, 0, false },
};

const struct twa_cmd_entry twa_cmd_inspect = {
	.name = "inspect",
	.usage = "[--samples N --interval SECS] [--listeners] [--proc]",
	.summary = "gather facts from the kernel and print them",
	.options = options,
	.formats = formats,
	.format_help = "output format (default text)",
	.needs = TWA_NEEDS_NETNS | TWA_NEEDS_OUTPUT | TWA_NEEDS_ALL_NETNS,
	.opts_size = sizeof(struct inspect_opts),
	.check = inspect_check,
	.exec = inspect_exec,
};
