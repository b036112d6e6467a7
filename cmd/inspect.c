/* inspect.c - `twadvise inspect`: gather facts and print them. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts_json.h"
#include "advisor/facts/facts_text.h"
#include "advisor/inspect/inspect.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"

enum { OPT_SAMPLES = OPT_COMMAND_BASE, OPT_INTERVAL, OPT_LISTENERS, OPT_PROC };

int cmd_inspect(int argc, char **argv, const struct twa_globals *gin)
{
	static const struct option opts[] = {
		{ "samples", required_argument, NULL, OPT_SAMPLES },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "listeners", no_argument, NULL, OPT_LISTENERS },
		{ "proc", no_argument, NULL, OPT_PROC },
		TWA_GLOBAL_OPTIONS,
		{ 0 },
	};
	struct twa_globals g = *gin;
	struct twa_inspect_opts io = { .want = TWA_NEED_ALL };
	struct strbuf out = STRBUF_INIT;
	struct twa_facts f;
	struct twa_err err = { 0 };
	uint64_t samples = 1;
	double interval = 1;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, TWA_GLOBAL_SHORT, opts, NULL)) != -1) {
		switch (opt) {
		case OPT_SAMPLES:
			if (twa_parse_samples("inspect", optarg, &samples))
				return EXIT_USAGE;
			break;
		case OPT_INTERVAL:
			if (twa_parse_interval("inspect", optarg, &interval))
				return EXIT_USAGE;
			break;
		case OPT_LISTENERS:
			io.want = TWA_NEED_LISTENERS | TWA_NEED_LISTENER_OWNERS |
				  TWA_NEED_SYSCTLS;
			break;
		case OPT_PROC:
			io.force_proc = true;
			break;
		case '?':
			return twa_usage_error("inspect", "unknown option '%s'", argv[optind - 1]);
		default:
			r = twa_global_option(&g, opt, optarg, "inspect");
			if (r)
				return r;
		}
	}
	if (optind < argc)
		return twa_usage_error("inspect", "unexpected argument '%s'", argv[optind]);
	if (!g.format)
		g.format = "text";
	if (strcmp(g.format, "text") && strcmp(g.format, "json") &&
	    strcmp(g.format, "prometheus"))
		return twa_usage_error("inspect", "--format takes text, json or prometheus, not '%s'",
				       g.format);
	twa_globals_finish(&g);
	r = twa_enter_netns(&g);
	if (r)
		return r;
	io.proc_root = g.proc_root;
	twa_facts_init(&f);
	r = twa_inspect_sampled(&io, (unsigned)samples, interval, &f, &err);
	if (r < 0) {
		r = twa_fail(&err);
		goto out;
	}
	if (!strcmp(g.format, "json")) {
		json_object *o = twa_facts_to_json(&f);

		r = o ? twa_json_write(o, true, &out) : -1;
		json_object_put(o);
	} else if (!strcmp(g.format, "prometheus")) {
		r = twa_facts_write_prometheus(&f, &out);
	} else {
		r = twa_facts_write_text(&f, g.verbose > 0, &out);
	}
	if (r < 0) {
		twa_errorf("out of memory");
		r = EXIT_SOFTWARE;
		goto out;
	}
	r = twa_write_output(&g, &out);
out:
	strbuf_release(&out);
	twa_facts_release(&f);
	return r;
}
