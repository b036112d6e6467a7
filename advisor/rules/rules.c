/* SPDX-License-Identifier: MIT */
/* rules.c - the rule engine: the table of rule descriptors, what they need, and the run over them. */
#include "advisor/rules/rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/rules/resolve.h"
#include "advisor/rules/rules_builtin.h"

/* Indexed like the catalogue, so report order is the catalogue's. */
static const struct twa_rule_entry *const entries[TWA_RULE_COUNT] = {
	[TWA_RULE_EPHEMERAL_EXHAUSTION] = &twa_rule_ephemeral_exhaustion_entry,
	[TWA_RULE_TIME_WAIT_OVERFLOW] = &twa_rule_time_wait_overflow_entry,
	[TWA_RULE_TW_RECYCLE_ENABLED] = &twa_rule_tw_recycle_enabled_entry,
	[TWA_RULE_LISTEN_OVERFLOW] = &twa_rule_listen_overflow_entry,
	[TWA_RULE_CLOSE_WAIT_LEAK] = &twa_rule_close_wait_leak_entry,
	[TWA_RULE_TIME_WAIT_VOLUME] = &twa_rule_time_wait_volume_entry,
	[TWA_RULE_TW_REUSE_OFF] = &twa_rule_tw_reuse_off_entry,
	[TWA_RULE_TW_REUSE_WITHOUT_TIMESTAMPS] = &twa_rule_tw_reuse_without_timestamps_entry,
	[TWA_RULE_EPHEMERAL_RANGE_NARROW] = &twa_rule_ephemeral_range_narrow_entry,
	[TWA_RULE_LISTENER_IN_EPHEMERAL_RANGE] = &twa_rule_listener_in_ephemeral_range_entry,
	[TWA_RULE_FIN_WAIT2_ORPHANS] = &twa_rule_fin_wait2_orphans_entry,
	[TWA_RULE_FIN_WAIT1_ORPHANS] = &twa_rule_fin_wait1_orphans_entry,
	[TWA_RULE_FIN_TIMEOUT_MISCONCEPTION] = &twa_rule_fin_timeout_misconception_entry,
	[TWA_RULE_SOMAXCONN_LOW] = &twa_rule_somaxconn_low_entry,
	[TWA_RULE_SYN_BACKLOG_LOW] = &twa_rule_syn_backlog_low_entry,
	[TWA_RULE_ORPHANS_NEAR_LIMIT] = &twa_rule_orphans_near_limit_entry,
	[TWA_RULE_CONNTRACK_NEAR_FULL] = &twa_rule_conntrack_near_full_entry,
	[TWA_RULE_SYSCTL_MISMATCH] = &twa_rule_sysctl_mismatch_entry,
	[TWA_RULE_SYSCTL_PERSIST_OVERRIDDEN] = &twa_rule_sysctl_persist_overridden_entry,
};

const struct twa_rule_entry *twa_rule_entry_of(const struct twa_rule *r)
{
	if (r < twa_rules || r >= twa_rules + TWA_RULE_COUNT)
		return NULL;
	return entries[r - twa_rules];
}

const char *twa_rule_explain(const struct twa_rule *r)
{
	const struct twa_rule_entry *e = twa_rule_entry_of(r);

	return e ? e->explain : NULL;
}

unsigned twa_rules_needs(const struct twa_profile *p, double *ret_floor)
{
	const struct twa_rule *r;
	unsigned needs = 0;
	double floor = 1;

	for (r = twa_rules; r->id; r++) {
		struct twa_rule_ctx ctx = { NULL, p, r };

		if (!twa_rule_enabled(p, r))
			continue;
		needs |= r->needs;
		if (r == &twa_rules[TWA_RULE_EPHEMERAL_EXHAUSTION] &&
		    twa_rule_param(&ctx, "warning") < floor)
			floor = twa_rule_param(&ctx, "warning");
		if (r == &twa_rules[TWA_RULE_TW_REUSE_OFF] &&
		    twa_rule_param(&ctx, "tw_share") < floor)
			floor = twa_rule_param(&ctx, "tw_share");
		if (r == &twa_rules[TWA_RULE_TIME_WAIT_VOLUME] &&
		    (r->needs & TWA_NEED_DESTINATIONS) &&
		    twa_rule_param(&ctx, "client_share") < floor)
			floor = twa_rule_param(&ctx, "client_share");
	}
	if (ret_floor)
		*ret_floor = floor;
	return needs;
}

int twa_rules_evaluate(const struct twa_facts *f, const struct twa_profile *p,
		       struct twa_findings *fs, struct twa_err *err)
{
	const struct twa_rule *r;

	if (p)
		twa_strlcpy(fs->profile, p->name, sizeof(fs->profile));
	for (r = twa_rules; r->id; r++) {
		struct twa_rule_ctx ctx = { f, p, r };
		struct twa_finding out;
		int ret;

		if (!twa_rule_enabled(p, r))
			continue;
		memset(&out, 0, sizeof(out));
		twa_strlcpy(out.rule, r->id, sizeof(out.rule));
		ret = entries[r - twa_rules]->eval(&ctx, &out);
		if (ret < 0) {
			twa_finding_release(&out);
			return twa_err_set(err, ret, "rule %s: %s", r->id, strerror(-ret));
		}
		if (ret == TWA_RULE_NOT_JUDGED ||
		    (out.not_judged[0] && out.severity == TWA_SEV_OK)) {
			ret = twa_findings_add_not_judged(fs, r->id, out.not_judged[0] ? out.not_judged :
							  "the facts it reads are missing here");
			twa_finding_release(&out);
			if (ret < 0)
				return twa_err_set(err, ret, "out of memory");
			continue;
		}
		if (twa_findings_mark_checked(fs, r->id) < 0) {
			twa_finding_release(&out);
			return twa_err_set(err, -ENOMEM, "out of memory");
		}
		if (out.severity == TWA_SEV_OK) {
			fs->n_ok++;
			twa_finding_release(&out);
			continue;
		}
		if (twa_findings_add(fs, &out) < 0) {
			twa_finding_release(&out);
			return twa_err_set(err, -ENOMEM, "out of memory");
		}
	}
	twa_findings_finish(fs);
	/* Precedence follows the sorted order: resolve after finishing. */
	if (twa_findings_resolve(fs) < 0)
		return twa_err_set(err, -ENOMEM, "out of memory");
	return 0;
}
