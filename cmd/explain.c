/* SPDX-License-Identifier: MIT */
/* explain.c - `twadvise explain [RULE]`: the knowledge behind each rule. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "advisor/rules/rules.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "cmd/errors.h"
#include "cmd/options.h"
#include "cmd/output.h"

static const char *rule_at(size_t i)
{
	return twa_rules[i].id;
}

static int write_json(const struct twa_cmd *c, const struct twa_rule *r)
{
	json_object *o = json_object_new_object(), *params = json_object_new_array();
	struct strbuf out = STRBUF_INIT;
	const struct twa_rule_param *p;
	int ret;

	json_object_object_add(o, "rule", json_object_new_string(r->id));
	json_object_object_add(o, "title", json_object_new_string(r->title));
	json_object_object_add(o, "explain", json_object_new_string(twa_rule_explain(r)));
	for (p = r->params; p && p->name; p++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "name", json_object_new_string(p->name));
		json_object_object_add(x, "default", twa_json_double(p->def));
		json_object_object_add(x, "doc", json_object_new_string(p->doc));
		json_object_array_add(params, x);
	}
	json_object_object_add(o, "params", params);
	twa_json_write(o, true, &out);
	json_object_put(o);
	ret = twa_write_output(&c->g, &out);
	strbuf_release(&out);
	return ret;
}

static void write_text(const struct twa_rule *r)
{
	const struct twa_rule_param *p;

	printf("%s: %s\n\n%s", r->id, r->title, twa_rule_explain(r));
	if (r->params && r->params->name) {
		printf("\nParameters (set them under rules: %s: in a profile):\n", r->id);
		for (p = r->params; p->name; p++)
			printf("  %-16s default %-8g %s\n", p->name, p->def, p->doc);
	}
}

static int explain_exec(struct twa_cmd *c)
{
	const struct twa_rule *r;
	const char *best;

	if (c->argc == 0) {
		for (r = twa_rules; r->id; r++)
			printf("%-28s %s\n", r->id, r->title);
		return 0;
	}
	if (c->argc != 1)
		return twa_cmd_usage(c, "explain takes one RULE");
	r = twa_rule_find(c->argv[0]);
	if (!r) {
		best = twa_closest(c->argv[0], 3, rule_at);
		if (best)
			return twa_cmd_usage(c, "no rule '%s'; did you mean '%s'?", c->argv[0], best);
		return twa_cmd_usage(c, "no rule '%s' ('twadvise explain' lists them)", c->argv[0]);
	}
	/* Any --format but json is text, as it always was. */
	if (c->g.format && !strcmp(c->g.format, "json"))
		return write_json(c, r);
	write_text(r);
	return 0;
}

static const struct twa_cmd_option options[] = {
	TWA_OPT_DOC_ROW("--format text|json", ""),
	{ .type = TWA_OPT_END },
};

const struct twa_cmd_entry twa_cmd_explain = {
	.name = "explain",
	.usage = "[RULE]",
	.summary = "the knowledge behind a rule: meaning, evidence, what to do and not to do",
	.options = options,
	.exec = explain_exec,
};
