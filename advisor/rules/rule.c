/* SPDX-License-Identifier: MIT */
/* rule.c - a rule's parameters and switch, resolved against a profile. */
#include "advisor/rules/rule.h"

double twa_rule_param(const struct twa_rule_ctx *ctx, const char *name)
{
	const struct twa_rule_param *p = twa_rule_param_find(ctx->rule, name);
	double v;

	if (!p)
		return 0;
	if (twa_profile_setting(ctx->profile, ctx->rule->id, name, &v))
		return v;
	return p->def;
}

bool twa_rule_enabled(const struct twa_profile *p, const struct twa_rule *r)
{
	return twa_profile_toggle(p, r->id) != 0;
}
