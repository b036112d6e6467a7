/* explain.c - `twadvise explain [RULE]`: the knowledge behind each rule. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/rules/rules.h"

static const char *rule_at(size_t i)
{
	return twa_rules[i].id;
}

int cmd_explain(int argc, char **argv, const struct twa_globals *gin)
{
	static const struct option opts[] = { TWA_GLOBAL_OPTIONS, { 0 } };
	struct twa_globals g = *gin;
	const struct twa_rule *r;
	const struct twa_rule_param *p;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, TWA_GLOBAL_SHORT, opts, NULL)) != -1) {
		if (opt == '?')
			return twa_usage_error("explain", "unknown option '%s'", argv[optind - 1]);
		ret = twa_global_option(&g, opt, optarg, "explain");
		if (ret)
			return ret;
	}
	if (optind == argc) {
		for (r = twa_rules; r->id; r++)
			printf("%-28s %s\n", r->id, r->title);
		return 0;
	}
	if (optind != argc - 1)
		return twa_usage_error("explain", "explain takes one RULE");
	r = twa_rule_find(argv[optind]);
	if (!r) {
		const char *best = twa_closest(argv[optind], 3, rule_at);

		if (best)
			return twa_usage_error("explain", "no rule '%s'; did you mean '%s'?",
					       argv[optind], best);
		return twa_usage_error("explain", "no rule '%s' ('twadvise explain' lists them)",
				       argv[optind]);
	}
	if (g.format && !strcmp(g.format, "json")) {
		json_object *o = json_object_new_object(), *params = json_object_new_array();
		struct strbuf out = STRBUF_INIT;

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
		ret = twa_write_output(&g, &out);
		strbuf_release(&out);
		return ret;
	}
	printf("%s: %s\n\n%s", r->id, r->title, twa_rule_explain(r));
	if (r->params && r->params->name) {
		printf("\nParameters (set them under rules: %s: in a profile):\n", r->id);
		for (p = r->params; p->name; p++)
			printf("  %-16s default %-8g %s\n", p->name, p->def, p->doc);
	}
	return 0;
}
