/* SPDX-License-Identifier: MIT */
/* trace.c - `twadvise trace`: who opens and closes connections, whose connect() fails (eBPF). */
#include "cmd/cmd.h"

#include <errno.h>

#include "advisor/facts/tracefacts.h"
#include "advisor/util/jsonutil.h"
#include "cmd/errors.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/tracing.h"

enum { FMT_TEXT, FMT_JSON };

struct trace_opts {
	double duration;
	bool all_netns;
};

static int set_duration(struct twa_cmd *c, const char *arg)
{
	return twa_cmd_set_trace(c, "duration", arg, &((struct trace_opts *)c->opts)->duration);
}

static int render(const struct twa_cmd *c, const struct twa_trace *t, struct strbuf *out)
{
	json_object *o;
	int r;

	if (c->format != FMT_JSON)
		return twa_trace_write_text(t, out);
	o = json_object_new_object();
	json_object_object_add(o, "schema", json_object_new_string("twadvise.trace/1"));
	json_object_object_add(o, "trace", twa_trace_to_json(t));
	r = twa_json_write(o, true, out);
	json_object_put(o);
	return r;
}

static int trace_exec(struct twa_cmd *c)
{
	const struct trace_opts *o = c->opts;
	struct strbuf out = STRBUF_INIT;
	struct twa_trace t = { 0 };
	int r;

	r = twa_cmd_trace_run(o->duration ? o->duration : 10, o->all_netns, c->g.verbose > 0, &t);
	if (r == -ENOMEM) {
		twa_errorf("out of memory");
		r = EXIT_SOFTWARE;
	} else if (r < 0) {
		twa_errorf("%s", t.unavailable);
		r = EXIT_UNAVAILABLE;
	} else if (render(c, &t, &out) < 0) {
		twa_errorf("out of memory");
		r = EXIT_SOFTWARE;
	} else {
		r = twa_write_output(&c->g, &out);
	}
	strbuf_release(&out);
	twa_trace_release(&t);
	return r;
}

static const struct twa_cmd_option options[] = {
	TWA_OPT_CB("duration", set_duration, "SECS", "how long to trace (default 10)"),
	TWA_OPT_ROW("all-netns", TWA_OPT_FLAG, struct trace_opts, all_netns, NULL,
		    "every network namespace, not only this one (or --netns's)"),
	{ .type = TWA_OPT_END },
};

static const struct twa_cmd_format formats[] = {
	{ "text", FMT_TEXT, false }, { "json", FMT_JSON, false }, { NULL, 0, false },
};

const struct twa_cmd_entry twa_cmd_trace = {
	.name = "trace",
	.usage = "[--duration SECS] [--all-netns]",
	.summary = "trace TCP connections with eBPF: who opens and closes, whose connect() fails",
	.options = options,
	.formats = formats,
	.format_help = "output format (default text)",
	.notes = "Needs root, a kernel with BTF and BPF, and libbpf1; exits 69 without them.\n"
		 "Per process and destination: connections opened, who closed first (the active\n"
		 "  closer ends in TIME_WAIT), lifetimes, CLOSE_WAIT dwell, connect() errors.\n",
	.needs = TWA_NEEDS_NETNS | TWA_NEEDS_OUTPUT,
	.opts_size = sizeof(struct trace_opts),
	.check = twa_cmd_no_operands,
	.exec = trace_exec,
};
