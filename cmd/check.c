/* check.c - `twadvise check`: inspect (or read facts), apply a profile's rules, print findings.
 *
 * Exit codes follow the monitoring-plugin convention: 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN (could not evaluate: bad usage, profile or facts). */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/apply/boot.h"
#include "advisor/rules/check_out.h"
#include "advisor/facts/facts_json.h"
#include "advisor/rules/findings.h"
#include "advisor/inspect/inspect.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/rules.h"

enum { CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN };

enum { OPT_PROFILE = OPT_COMMAND_BASE, OPT_FACTS, OPT_FAIL_ON, OPT_SAMPLES,
       OPT_INTERVAL, OPT_PROC };

/* Facts for a check: from a file, or from the kernel with only what the
 * enabled rules need. Shared with plan and report. */
int twa_cmd_gather(const struct twa_globals *g, const char *facts_file,
		   const struct twa_profile *p, unsigned samples, double interval,
		   bool force_proc, struct twa_facts *f)
{
	struct twa_err err = { 0 };
	int r;

	if (facts_file) {
		struct strbuf buf = STRBUF_INIT;

		r = twa_read_file(facts_file, TWA_FACTS_FILE_MAX, &buf, &err);
		if (r == 0)
			r = twa_facts_parse(buf.buf, buf.len, facts_file, f, &err);
		strbuf_release(&buf);
		return r < 0 ? twa_fail(&err) : 0;
	}
	r = twa_enter_netns(g);
	if (r)
		return r;
	{
		struct twa_inspect_opts io = { .proc_root = g->proc_root,
					       .force_proc = force_proc };
		double floor;

		io.want = twa_rules_needs(p, &floor) | TWA_NEED_SYSCTLS;
		io.exhaustion_floor = samples > 1 ? 0 : floor;
		r = twa_inspect_sampled(&io, samples, interval, f, &err);
		if (r < 0)
			return twa_fail(&err);
	}
	r = twa_boot_scan(g->sysctl_dir, f, &err);
	if (r < 0)
		return twa_fail(&err);
	return 0;
}

int cmd_check(int argc, char **argv, const struct twa_globals *gin)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "facts", required_argument, NULL, OPT_FACTS },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "samples", required_argument, NULL, OPT_SAMPLES },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "proc", no_argument, NULL, OPT_PROC },
		TWA_GLOBAL_OPTIONS,
		{ 0 },
	};
	struct twa_globals g = *gin;
	const char *profile = "default", *facts_file = NULL;
	enum twa_status fail_on = TWA_STATUS_WARNING;
	struct strbuf out = STRBUF_INIT;
	struct twa_findings fs;
	struct twa_profile p;
	struct twa_facts f;
	struct twa_err err = { 0 };
	uint64_t samples = 1;
	double interval = 1;
	bool force_proc = false;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, TWA_GLOBAL_SHORT, opts, NULL)) != -1) {
		switch (opt) {
		case OPT_PROFILE:
			profile = optarg;
			break;
		case OPT_FACTS:
			facts_file = optarg;
			break;
		case OPT_FAIL_ON:
			if (!strcmp(optarg, "warning"))
				fail_on = TWA_STATUS_WARNING;
			else if (!strcmp(optarg, "critical"))
				fail_on = TWA_STATUS_CRITICAL;
			else {
				twa_usage_error("check", "--fail-on takes warning or critical, not '%s'", optarg);
				return CHECK_UNKNOWN;
			}
			break;
		case OPT_SAMPLES:
			if (twa_parse_samples("check", optarg, &samples))
				return CHECK_UNKNOWN;
			break;
		case OPT_INTERVAL:
			if (twa_parse_interval("check", optarg, &interval))
				return CHECK_UNKNOWN;
			break;
		case OPT_PROC:
			force_proc = true;
			break;
		case '?':
			twa_usage_error("check", "unknown option '%s'", argv[optind - 1]);
			return CHECK_UNKNOWN;
		default:
			r = twa_global_option(&g, opt, optarg, "check");
			if (r)
				return CHECK_UNKNOWN;
		}
	}
	if (optind < argc) {
		twa_usage_error("check", "unexpected argument '%s'", argv[optind]);
		return CHECK_UNKNOWN;
	}
	if (!g.format)
		g.format = "text";
	if (strcmp(g.format, "text") && strcmp(g.format, "json") &&
	    strcmp(g.format, "nagios") && strcmp(g.format, "prometheus")) {
		twa_usage_error("check", "--format takes text, json, nagios or prometheus, not '%s'",
				g.format);
		return CHECK_UNKNOWN;
	}
	twa_globals_finish(&g);
	twa_profile_init(&p);
	twa_facts_init(&f);
	twa_findings_init(&fs);
	if (twa_cmd_load_profile(profile, &p)) {
		r = CHECK_UNKNOWN;
		goto out;
	}
	if (twa_cmd_gather(&g, facts_file, &p, (unsigned)samples, interval, force_proc, &f)) {
		r = CHECK_UNKNOWN;
		goto out;
	}
	if (twa_rules_evaluate(&f, &p, &fs, &err) < 0) {
		twa_print_err(&err);
		r = CHECK_UNKNOWN;
		goto out;
	}
	if (!strcmp(g.format, "json")) {
		json_object *o = twa_findings_to_json(&fs), *ins = json_object_new_object();
		json_object *skipped = json_object_new_array();
		unsigned st;

		/* How the facts were gathered: scripts can see what was skipped. */
		json_object_object_add(ins, "source", json_object_new_string(
			facts_file ? "facts" : f.sockets.source));
		for (st = 1; st < TWA_TCP_STATE_MAX; st++)
			if (f.sockets.skipped & TWA_TCPF(st))
				json_object_array_add(skipped,
						      json_object_new_string(twa_tcp_state_name(st)));
		json_object_object_add(ins, "skipped_states", skipped);
		json_object_object_add(ins, "destinations_counted",
				       json_object_new_boolean(f.ephemeral.dumped));
		json_object_object_add(o, "inspected", ins);
		twa_json_write(o, true, &out);
		json_object_put(o);
	} else if (!strcmp(g.format, "nagios")) {
		twa_check_write_nagios(&f, &fs, &p, &out);
	} else if (!strcmp(g.format, "prometheus")) {
		twa_check_write_prometheus(&f, &fs, &out);
	} else if (!g.quiet || fs.status != TWA_STATUS_OK) {
		twa_findings_write_text(&fs, g.verbose > 0, g.color, &out);
	}
	if (twa_write_output(&g, &out)) {
		r = CHECK_UNKNOWN;
		goto out;
	}
	r = fs.status >= fail_on ? (int)fs.status : CHECK_OK;
out:
	strbuf_release(&out);
	twa_findings_release(&fs);
	twa_facts_release(&f);
	twa_profile_release(&p);
	return r;
}
