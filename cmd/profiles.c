/* SPDX-License-Identifier: MIT */
/* profiles.c - `twadvise profiles list|show|validate|export`: the shipped and local profiles. */
#include "cmd/cmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/apply/plan.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/profile/profile.h"
#include "advisor/profile/profile_load.h"
#include "advisor/rules/rules.h"
#include "cmd/errors.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/pipeline.h"
#include "cmd/profile_path.h"
#include "cmd/profiles_import.h"

struct profiles_opts {
	const char *facts;	/* export: plan from recorded facts */
};

static int list_one(const char *name, const char *path, void *ctx)
{
	const struct twa_globals *g = ctx;
	struct twa_profile p;
	struct twa_err err = { 0 };
	struct strbuf buf = STRBUF_INIT;
	char line[100];

	twa_profile_init(&p);
	if (twa_profile_read_file(path, &buf, &err) == 0 &&
	    twa_profile_parse(buf.buf, buf.len, path, &p, NULL, NULL, &err) == 0) {
		snprintf(line, sizeof(line), "%.99s", p.description);
		if (strlen(p.description) >= sizeof(line))
			memcpy(line + sizeof(line) - 4, "...", 4);
	} else {
		snprintf(line, sizeof(line), "(invalid: %.80s)", err.msg);
	}
	printf("%-20s %s\n", name, line);
	if (g->verbose)
		printf("%-20s   %s\n", "", path);
	twa_profile_release(&p);
	strbuf_release(&buf);
	return 0;
}

static json_object *profile_to_json(const struct twa_profile *p)
{
	json_object *o = json_object_new_object(), *sys = json_object_new_object();
	json_object *rules = json_object_new_object();
	size_t i;

	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "description", json_object_new_string(p->description));
	json_object_object_add(o, "source", json_object_new_string(p->source));
	json_object_object_add(o, "chain", json_object_new_string(p->chain));
	for (i = 0; i < p->n_wants; i++) {
		const struct twa_sysctl_want *w = &p->wants[i];
		json_object *x = json_object_new_object();

		if (w->has & TWA_WANT_VALUE)
			json_object_object_add(x, "value", json_object_new_string(w->value));
		if (w->has & TWA_WANT_MIN)
			json_object_object_add(x, "min", json_object_new_int64(w->min));
		if (w->has & TWA_WANT_MAX)
			json_object_object_add(x, "max", json_object_new_int64(w->max));
		if (w->has & TWA_WANT_MIN_SIZE)
			json_object_object_add(x, "min_size", json_object_new_int64(w->min_size));
		if (w->reason[0])
			json_object_object_add(x, "reason", json_object_new_string(w->reason));
		json_object_object_add(x, "from", json_object_new_string(w->origin));
		json_object_object_add(sys, w->key, x);
	}
	json_object_object_add(o, "sysctls", sys);
	for (i = 0; i < p->n_settings; i++) {
		json_object *r = NULL;

		if (!json_object_object_get_ex(rules, p->settings[i].rule, &r)) {
			r = json_object_new_object();
			json_object_object_add(rules, p->settings[i].rule, r);
		}
		json_object_object_add(r, p->settings[i].param,
				       twa_json_double(p->settings[i].value));
	}
	for (i = 0; i < p->n_toggles; i++) {
		json_object *r = NULL;

		if (!json_object_object_get_ex(rules, p->toggles[i].rule, &r)) {
			r = json_object_new_object();
			json_object_object_add(rules, p->toggles[i].rule, r);
		}
		json_object_object_add(r, "enabled",
				       json_object_new_boolean(p->toggles[i].enabled));
	}
	json_object_object_add(o, "rules", rules);
	return o;
}

static void show_text(const struct twa_profile *p, struct strbuf *out)
{
	const struct twa_rule *rule;
	size_t i;

	strbuf_addf(out, "profile   %s\nchain     %s\nsource    %s\n", p->name, p->chain,
		    p->source);
	strbuf_addf(out, "about     %s\n\nsysctls wanted:\n", p->description);
	for (i = 0; i < p->n_wants; i++) {
		char desc[200];

		twa_want_describe(&p->wants[i], desc, sizeof(desc));
		strbuf_addf(out, "  %-36s %s  [%s]\n", p->wants[i].key, desc,
			    p->wants[i].origin);
		if (p->wants[i].reason[0])
			strbuf_addf(out, "  %-36s (%s)\n", "", p->wants[i].reason);
	}
	strbuf_addstr(out, "\nrules:\n");
	for (rule = twa_rules; rule->id; rule++) {
		const struct twa_rule_param *pd;
		struct twa_rule_ctx ctx = { NULL, p, rule };

		strbuf_addf(out, "  %-28s %s", rule->id,
			    twa_rule_enabled(p, rule) ? "on " : "off");
		for (pd = rule->params; pd && pd->name; pd++)
			strbuf_addf(out, "  %s=%g", pd->name, twa_rule_param(&ctx, pd->name));
		strbuf_addch(out, '\n');
	}
}

/* TuneD's summary: the whole description on one line (TuneD sets no
 * limit); a '#' would start an inline comment for TuneD's parser. */
static void add_summary(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		strbuf_addch(out, *s == '\n' || *s == '\t' || *s == '#' ? ' ' : *s);
}

/*
 * What plan would propose for this profile on this host (or the --facts
 * host), as a TuneD profile or a sysctl.d file: the same keys and values,
 * so a key plan refuses (tcp_fin_timeout lowered for TIME_WAIT) is not
 * exported, and the reserved ports plan adds with a wider range are.
 */
static void export_plan(const struct twa_profile *p, const struct twa_plan *plan,
			bool tuned, struct strbuf *out)
{
	size_t i;

	strbuf_addf(out, "# Generated by twadvise %s from profile '%s' (%s):\n", TWA_VERSION,
		    p->name, p->chain);
	strbuf_addf(out, "# the changes 'twadvise plan --profile %s' proposes for host '%s'.\n"
			 "# Review before applying.\n", p->name, plan->host);
	if (tuned) {
		strbuf_addstr(out, "\n[main]\nsummary=");
		add_summary(out, p->description);
		strbuf_addstr(out, "\n\n[sysctl]\n");
	} else {
		strbuf_addch(out, '\n');
	}
	for (i = 0; i < plan->n; i++) {
		const struct twa_plan_change *ch = &plan->changes[i];

		strbuf_addf(out, "# %s (was %s): ", ch->rule, ch->from[0] ? ch->from : "unset");
		add_summary(out, ch->reason);
		strbuf_addf(out, tuned ? "\n%s=%s\n" : "\n%s = %s\n", ch->key, ch->to);
	}
}

static int export(struct twa_cmd *c, bool tuned, struct strbuf *out)
{
	const struct profiles_opts *o = c->opts;
	struct twa_pipeline_opts po = { .profile = c->argv[1], .facts_file = o->facts };
	struct twa_err err = { 0 };
	struct twa_pipeline pl;
	struct twa_plan plan;
	int r;

	twa_pipeline_init(&pl);
	twa_plan_init(&plan);
	r = twa_pipeline_run(&c->g, &po, &pl);
	if (r == 0 && twa_plan_from_findings(&pl.facts, &pl.findings, &plan, &err) < 0)
		r = twa_fail(&err);
	if (r == 0)
		export_plan(&pl.profile, &plan, tuned, out);
	twa_plan_release(&plan);
	twa_pipeline_release(&pl);
	return r;
}

static int list(struct twa_cmd *c, const struct twa_profile_search *s)
{
	if (c->argc > 1)
		return twa_cmd_usage(c, "list takes no argument");
	return twa_profile_list(s, list_one, &c->g) < 0 ? EXIT_SOFTWARE : 0;
}

/* Every file checked; the exit code of the worst failure. */
static int validate(struct twa_cmd *c, const struct twa_profile_search *s)
{
	int worst = 0, i;

	if (c->argc < 2)
		return twa_cmd_usage(c, "validate needs a FILE");
	for (i = 1; i < c->argc; i++) {
		struct twa_profile p;
		struct twa_err err = { 0 };

		if (twa_profile_load(c->argv[i], s, twa_cmd_fetch_profile, NULL, &p, &err) < 0) {
			int code = twa_fail(&err);

			if (code > worst)
				worst = code;
			continue;
		}
		if (!c->g.quiet)
			printf("%s: ok (profile '%s'%s%s)\n", c->argv[i], p.name,
			       p.extends[0] ? ", chain " : "", p.extends[0] ? p.chain : "");
		twa_profile_release(&p);
	}
	return worst;
}

/* show (text, json) and export (sysctl, tuned): each its own formats. */
static int show_or_export(struct twa_cmd *c, bool show)
{
	const char *fmt = c->g.format ? c->g.format : show ? "text" : "sysctl";
	struct strbuf out = STRBUF_INIT;
	struct twa_profile p;
	int r;

	if (c->argc != 2)
		return twa_cmd_usage(c, "%s needs one profile NAME or FILE", c->argv[0]);
	if (show ? strcmp(fmt, "text") && strcmp(fmt, "json") :
		   strcmp(fmt, "tuned") && strcmp(fmt, "sysctl"))
		return twa_cmd_usage(c, "%s --format takes %s, not '%s'", c->argv[0],
				     show ? "text or json" : "tuned or sysctl", fmt);
	if (!show) {
		r = export(c, !strcmp(fmt, "tuned"), &out);
		if (r == 0)
			r = twa_write_output(&c->g, &out);
		strbuf_release(&out);
		return r;
	}
	r = twa_cmd_load_profile(c->argv[1], &p);
	if (r)
		return r;
	if (!strcmp(fmt, "json")) {
		json_object *o = profile_to_json(&p);

		twa_json_write(o, true, &out);
		json_object_put(o);
	} else {
		show_text(&p, &out);
	}
	twa_profile_release(&p);
	r = twa_write_output(&c->g, &out);
	strbuf_release(&out);
	return r;
}

/* The parser permutes: options may come before or after the subcommand
 * and its arguments, which are the operands. */
static int profiles_exec(struct twa_cmd *c)
{
	struct twa_profile_search s;
	const char *sub;

	if (c->argc == 0)
		return twa_cmd_usage(c, "say list, show NAME, validate FILE..., export NAME or import FILE|DIR");
	sub = c->argv[0];
	twa_cmd_profile_search(&s);
	if (!strcmp(sub, "list"))
		return list(c, &s);
	if (!strcmp(sub, "validate"))
		return validate(c, &s);
	if (!strcmp(sub, "show") || !strcmp(sub, "export"))
		return show_or_export(c, !strcmp(sub, "show"));
	if (!strcmp(sub, "import"))
		return twa_profiles_import(c);
	return twa_cmd_usage(c, "unknown subcommand '%s' (list, show, validate, export, import)", sub);
}

static const struct twa_cmd_option options[] = {
	TWA_OPT_DOC_ROW("list", "profiles found on the search path"),
	TWA_OPT_DOC_ROW("show NAME [--format text|json]", "the resolved profile (extends applied)"),
	TWA_OPT_DOC_ROW("validate FILE...", "check profiles; exit 65 on the first bad one"),
	TWA_OPT_DOC_ROW("export NAME --format tuned|sysctl",
			"what 'plan --profile NAME' proposes for this host, as a\n"
			"TuneD profile or a sysctl.d file"),
	TWA_OPT_DOC_ROW("import FILE|DIR --format tuned [-o PROFILE.yaml|DIR]",
			"a TuneD profile (tuned.conf, or its directory) as a twadvise\n"
			"profile; a directory of TuneD profiles imported together into -o DIR"),
	TWA_OPT_ROW("facts", TWA_OPT_STRING, struct profiles_opts, facts, "FILE",
		    "export: plan from recorded facts instead of this host"),
	{ .type = TWA_OPT_END },
};

const struct twa_cmd_entry twa_cmd_profiles = {
	.name = "profiles",
	.usage = "list | show NAME | validate FILE... | export NAME --format tuned|sysctl | import FILE|DIR --format tuned",
	.summary = "list, show, validate, export and import workload profiles",
	.options = options,
	.needs = TWA_NEEDS_PROFILE | TWA_NEEDS_OUTPUT,
	.opts_size = sizeof(struct profiles_opts),
	.exec = profiles_exec,
};
