/* plan.c - `twadvise plan`: propose sysctl changes from a check; write a reviewable plan. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"
#include "advisor/util/jsonutil.h"
#include "advisor/apply/plan.h"
#include "advisor/profile/profile.h"
#include "advisor/rules/rules.h"

enum { OPT_PROFILE = OPT_COMMAND_BASE, OPT_FACTS };

int cmd_plan(int argc, char **argv, const struct twa_globals *gin)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "facts", required_argument, NULL, OPT_FACTS },
		TWA_GLOBAL_OPTIONS,
		{ 0 },
	};
	struct twa_globals g = *gin;
	const char *profile = "default", *facts_file = NULL;
	struct strbuf json = STRBUF_INIT, diff = STRBUF_INIT;
	struct twa_findings fs;
	struct twa_profile p;
	struct twa_facts f;
	struct twa_plan plan;
	struct twa_err err = { 0 };
	json_object *o;
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
		case '?':
			return twa_usage_error("plan", "unknown option '%s'", argv[optind - 1]);
		default:
			r = twa_global_option(&g, opt, optarg, "plan");
			if (r)
				return r;
		}
	}
	if (optind < argc)
		return twa_usage_error("plan", "unexpected argument '%s'", argv[optind]);
	if (g.format && strcmp(g.format, "json"))
		return twa_usage_error("plan", "a plan is JSON (--format json), not '%s'", g.format);
	twa_globals_finish(&g);
	twa_profile_init(&p);
	twa_facts_init(&f);
	twa_findings_init(&fs);
	twa_plan_init(&plan);
	r = twa_cmd_load_profile(profile, &p);
	if (r)
		goto out;
	r = twa_cmd_gather(&g, facts_file, &p, 1, 1, false, &f);
	if (r)
		goto out;
	if (twa_rules_evaluate(&f, &p, &fs, &err) < 0 ||
	    twa_plan_from_findings(&f, &fs, &plan, &err) < 0) {
		r = twa_fail(&err);
		goto out;
	}
	o = twa_plan_to_json(&plan);
	twa_json_write(o, true, &json);
	json_object_put(o);
	twa_plan_write_text(&plan, &diff);
	if (plan.n)
		strbuf_addf(&diff, "review, then apply with: twadvise apply %s [--persist]\n",
			    g.output ? g.output : "PLAN");
	/* The plan goes to -o FILE (the diff to stdout), or to stdout (the
	 * diff to stderr) so `twadvise plan > plan.json` works. */
	r = twa_write_output(&g, &json);
	if (r)
		goto out;
	if (!g.quiet)
		fputs(diff.buf, g.output ? stdout : stderr);
out:
	strbuf_release(&json);
	strbuf_release(&diff);
	twa_plan_release(&plan);
	twa_findings_release(&fs);
	twa_facts_release(&f);
	twa_profile_release(&p);
	return r;
}
