/* SPDX-License-Identifier: MIT */
/* inspect.c - `twadvise inspect`: gather facts and print them. */
#include "cmd/cmd.h"

#include <stdio.h>

#include "advisor/facts/facts_json.h"
#include "advisor/facts/facts_text.h"
#include "advisor/inspect/inspect.h"
#include "advisor/util/jsonutil.h"
#include "cmd/errors.h"
#include "cmd/history.h"
#include "cmd/options.h"
#include "cmd/output.h"

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

static int inspect_exec(struct twa_cmd *c)
{
	const struct inspect_opts *o = c->opts;
	struct twa_inspect_opts io = { .want = TWA_NEED_ALL, .proc_root = c->g.proc_root,
				       .force_proc = o->proc };
	struct strbuf out = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_facts f;
	int r;

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
	.needs = TWA_NEEDS_NETNS | TWA_NEEDS_OUTPUT,
	.opts_size = sizeof(struct inspect_opts),
	.check = twa_cmd_no_operands,
	.exec = inspect_exec,
};
