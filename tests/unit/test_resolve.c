/* SPDX-License-Identifier: MIT */
/* test_resolve.c - unit tests for advisor/rules/resolve.h: one target per sysctl, and the invariant over every fixture and shipped profile. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/apply/plan.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/sysctl_key.h"
#include "advisor/profile/profile.h"
#include "advisor/profile/profile_load.h"
#include "advisor/rules/findings.h"
#include "advisor/rules/resolve.h"
#include "advisor/rules/rules.h"

#include "tests/unit/testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the resolver on hand-made findings -------------------------------- */

struct prop {
	const char *rule;
	enum twa_severity sev;
	const char *key, *from, *to;
	bool profile;
};

static void build(struct twa_findings *fs, const struct prop *p, size_t n)
{
	size_t i;

	twa_findings_init(fs);
	for (i = 0; i < n; i++) {
		struct twa_finding f;

		memset(&f, 0, sizeof(f));
		snprintf(f.rule, sizeof(f.rule), "%s", p[i].rule);
		f.severity = p[i].sev;
		snprintf(f.summary, sizeof(f.summary), "%s", p[i].rule);
		assert_int_equal(twa_finding_change(&f, p[i].key, p[i].from, p[i].to), 0);
		f.changes[0].profile = p[i].profile;
		assert_int_equal(twa_findings_add(fs, &f), 0);
	}
	twa_findings_finish(fs);
	assert_int_equal(twa_findings_resolve(fs), 0);
}

static const struct twa_change *change_of(const struct twa_findings *fs, const char *rule,
					  const char *key)
{
	size_t i, k;

	for (i = 0; i < fs->n; i++)
		for (k = 0; k < fs->v[i].n_changes; k++)
			if (!strcmp(fs->v[i].rule, rule) && !strcmp(fs->v[i].changes[k].key, key))
				return &fs->v[i].changes[k];
	return NULL;
}

static const char *recommendation_of(const struct twa_findings *fs, const char *rule)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].rule, rule))
			return fs->v[i].recommendation;
	fail_msg("no finding %s", rule);
	return NULL;
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(twa_resolve_kind_of("net.ipv4.tcp_max_tw_buckets"), TWA_RESOLVE_AT_LEAST);
	assert_int_equal(twa_resolve_kind_of("net.core.somaxconn"), TWA_RESOLVE_AT_LEAST);
	assert_int_equal(twa_resolve_kind_of("net.ipv4.tcp_max_syn_backlog"), TWA_RESOLVE_AT_LEAST);
	assert_int_equal(twa_resolve_kind_of("net.ipv4.tcp_max_orphans"), TWA_RESOLVE_AT_LEAST);
	assert_int_equal(twa_resolve_kind_of("net.netfilter.nf_conntrack_max"), TWA_RESOLVE_AT_LEAST);
	assert_int_equal(twa_resolve_kind_of("net.ipv4.ip_local_port_range"), TWA_RESOLVE_WIDEST);
	assert_int_equal(twa_resolve_kind_of("net.ipv4.ip_local_reserved_ports"), TWA_RESOLVE_UNION);
	assert_int_equal(twa_resolve_kind_of("net.ipv4.tcp_tw_reuse"), TWA_RESOLVE_EXACT);
	assert_int_equal(twa_resolve_kind_of("net.ipv4.tcp_fin_timeout"), TWA_RESOLVE_EXACT);
}

/* The case: 1,500 TIME_WAIT, limit 100; the larger need wins, the
 * other finding points at it. */
static void test_at_least_largest(void **state)
{
	static const struct prop p[] = {
		{ "time-wait-overflow", TWA_SEV_WARNING, "net.ipv4.tcp_max_tw_buckets", "100", "131072", false },
		{ "time-wait-volume", TWA_SEV_WARNING, "net.ipv4.tcp_max_tw_buckets", "100", "2524", false },
		{ "sysctl-mismatch", TWA_SEV_WARNING, "net.ipv4.tcp_max_tw_buckets", "100", "262144", true },
	};
	struct twa_findings fs;

	(void)state;
	build(&fs, p, N(p));
	/* the profile's larger value is a need too for a limit: the largest wins */
	assert_string_equal(change_of(&fs, "sysctl-mismatch", "net.ipv4.tcp_max_tw_buckets")->to,
			    "262144");
	assert_null(change_of(&fs, "time-wait-overflow", "net.ipv4.tcp_max_tw_buckets"));
	assert_null(change_of(&fs, "time-wait-volume", "net.ipv4.tcp_max_tw_buckets"));
	assert_non_null(strstr(recommendation_of(&fs, "time-wait-volume"),
			       "net.ipv4.tcp_max_tw_buckets: see sysctl-mismatch, which proposes 262144"));
	twa_findings_release(&fs);
}

/* Exact values: evidence before the profile, then the finding order; a
 * proposal equal to the target stays where it is. */
static void test_exact_precedence(void **state)
{
	static const struct prop p[] = {
		{ "tw-reuse-off", TWA_SEV_CRITICAL, "net.ipv4.tcp_tw_reuse", "0", "2", true },
		{ "ephemeral-exhaustion", TWA_SEV_WARNING, "net.ipv4.tcp_tw_reuse", "0", "1", false },
		{ "listen-overflow", TWA_SEV_INFO, "net.ipv4.tcp_tw_reuse", "0", "1", false },
	};
	struct twa_findings fs;

	(void)state;
	build(&fs, p, N(p));
	assert_string_equal(change_of(&fs, "ephemeral-exhaustion", "net.ipv4.tcp_tw_reuse")->to, "1");
	assert_string_equal(change_of(&fs, "listen-overflow", "net.ipv4.tcp_tw_reuse")->to, "1");
	assert_null(change_of(&fs, "tw-reuse-off", "net.ipv4.tcp_tw_reuse"));
	assert_non_null(strstr(recommendation_of(&fs, "tw-reuse-off"), "see ephemeral-exhaustion"));
	twa_findings_release(&fs);
}

static void test_union_and_widest(void **state)
{
	static const struct prop p[] = {
		{ "ephemeral-exhaustion", TWA_SEV_CRITICAL, "net.ipv4.ip_local_port_range", "40000\t41000", "1024\t65535", false },
		{ "ephemeral-range-narrow", TWA_SEV_WARNING, "net.ipv4.ip_local_port_range", "40000\t41000", "10000\t65535", true },
		{ "ephemeral-exhaustion", TWA_SEV_CRITICAL, "net.ipv4.ip_local_reserved_ports", "", "8080", false },
		{ "listener-in-ephemeral-range", TWA_SEV_WARNING, "net.ipv4.ip_local_reserved_ports", "", "40500", false },
	};
	struct twa_findings fs;
	const struct twa_change *c;

	(void)state;
	build(&fs, p, N(p));
	c = change_of(&fs, "ephemeral-exhaustion", "net.ipv4.ip_local_port_range");
	assert_non_null(c);
	assert_true(twa_sysctl_value_equal(c->to, "1024 65535"));
	assert_null(change_of(&fs, "ephemeral-range-narrow", "net.ipv4.ip_local_port_range"));
	/* neither list alone: the union goes to the first, the other points at it */
	c = change_of(&fs, "ephemeral-exhaustion", "net.ipv4.ip_local_reserved_ports");
	assert_non_null(c);
	assert_string_equal(c->to, "8080,40500");
	assert_null(change_of(&fs, "listener-in-ephemeral-range", "net.ipv4.ip_local_reserved_ports"));
	twa_findings_release(&fs);
}

/* ---- the invariant: every fixture x every profile ---------------------- */

/* Names in dir ending in suffix, sorted; NULL-terminated, to free. */
static char **list_dir(const char *dir, const char *suffix, size_t *ret_n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;

	if (!d)
		fail_msg("cannot open %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name), sl = strlen(suffix);

		if (len <= sl || strcmp(e->d_name + len - sl, suffix))
			continue;
		v = realloc(v, (n + 2) * sizeof(*v));
		assert_non_null(v);
		v[n++] = strdup(e->d_name);
		v[n] = NULL;
	}
	closedir(d);
	for (size_t i = 0; i + 1 < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(v[i], v[j]) > 0) {
				char *t = v[i];

				v[i] = v[j];
				v[j] = t;
			}
	*ret_n = n;
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* No key with two targets; no proposal of the current value or back to a
 * value another change moves away from; the plan has each key once, at
 * the findings' target. */
static void check_invariant(const char *what, const struct twa_facts *f,
			    const struct twa_findings *fs)
{
	struct twa_err err = { 0 };
	struct twa_plan plan;
	size_t i, k, j, l;

	for (i = 0; i < fs->n; i++)
		for (k = 0; k < fs->v[i].n_changes; k++) {
			const struct twa_change *a = &fs->v[i].changes[k];
			const char *cur = twa_facts_sysctl(f, a->key);

			if (cur && twa_sysctl_value_equal(cur, a->to))
				fail_msg("%s: %s proposes %s = current value '%s'", what,
					 fs->v[i].rule, a->key, a->to);
			for (j = 0; j < fs->n; j++)
				for (l = 0; l < fs->v[j].n_changes; l++) {
					const struct twa_change *b = &fs->v[j].changes[l];

					if (!strcmp(a->key, b->key) &&
					    !twa_sysctl_value_equal(a->to, b->to))
						fail_msg("%s: %s has two targets: '%s' (%s) and '%s' (%s)",
							 what, a->key, a->to, fs->v[i].rule, b->to,
							 fs->v[j].rule);
					if (!strcmp(a->key, b->key) &&
					    twa_sysctl_value_equal(a->to, b->from) &&
					    twa_sysctl_value_equal(a->from, b->to))
						fail_msg("%s: %s and %s undo each other on %s", what,
							 fs->v[i].rule, fs->v[j].rule, a->key);
				}
		}
	twa_plan_init(&plan);
	assert_int_equal(twa_plan_from_findings(f, fs, &plan, &err), 0);
	for (i = 0; i < plan.n; i++) {
		for (j = i + 1; j < plan.n; j++)
			if (!strcmp(plan.changes[i].key, plan.changes[j].key))
				fail_msg("%s: the plan has %s twice", what, plan.changes[i].key);
		for (j = 0; j < fs->n; j++)
			for (l = 0; l < fs->v[j].n_changes; l++)
				if (!strcmp(fs->v[j].changes[l].key, plan.changes[i].key) &&
				    !twa_sysctl_value_equal(fs->v[j].changes[l].to, plan.changes[i].to))
					fail_msg("%s: the plan sets %s to '%s', the findings to '%s'", what,
						 plan.changes[i].key, plan.changes[i].to,
						 fs->v[j].changes[l].to);
	}
	twa_plan_release(&plan);
}

static void load_shipped(const char *prof_dir, const char *file, struct twa_profile *p)
{
	const char *dirs[1] = { prof_dir };
	struct twa_profile_search s = { dirs, 1 };
	struct twa_err err = { 0 };
	char name[256], msg[1200];

	snprintf(name, sizeof(name), "%.*s", (int)(strlen(file) - 5), file);
	if (twa_profile_load(name, &s, NULL, NULL, p, &err) < 0) {
		twa_err_format(&err, msg, sizeof(msg));
		fail_msg("profile %s: %s", name, msg);
	}
}

static void evaluate_one(const char *rel, const char *prof_dir, const char *pfile,
			 unsigned *ret_multi)
{
	struct twa_profile prof, *pp = NULL;
	struct twa_err err = { 0 };
	struct twa_findings fs;
	struct twa_facts f;
	char what[1200];
	size_t i;

	tl_load_facts(rel, &f);
	if (pfile) {
		load_shipped(prof_dir, pfile, &prof);
		pp = &prof;
	}
	snprintf(what, sizeof(what), "%s x %s", rel, pfile ? pfile : "(no profile)");
	twa_findings_init(&fs);
	assert_int_equal(twa_rules_evaluate(&f, pp, &fs, &err), 0);
	check_invariant(what, &f, &fs);
	for (i = 0; i < fs.n; i++)
		*ret_multi += strstr(fs.v[i].recommendation, ": see ") != NULL;
	twa_findings_release(&fs);
	if (pp)
		twa_profile_release(pp);
	twa_facts_release(&f);
}

static void test_invariant_all_fixtures_profiles(void **state)
{
	char fdir[600], pdir[600], rel[700];
	size_t nf, np, i, j;
	unsigned combos = 0, resolved = 0;
	char **facts, **profiles;

	(void)state;
	tl_fixture_path(fdir, sizeof(fdir), "facts");
	snprintf(pdir, sizeof(pdir), "%s/../../profiles", tl_fixtures());
	facts = list_dir(fdir, ".json", &nf);
	profiles = list_dir(pdir, ".yaml", &np);
	assert_true(nf >= 8);
	assert_true(np >= 6);
	for (i = 0; i <= nf; i++) {
		/* and the facts of the recorded /proc tree */
		if (i < nf)
			snprintf(rel, sizeof(rel), "facts/%s", facts[i]);
		else
			snprintf(rel, sizeof(rel), "proc/busy-host.facts.json");
		for (j = 0; j <= np; j++, combos++)
			evaluate_one(rel, pdir, j < np ? profiles[j] : NULL, &resolved);
	}
	/* the fixtures do make rules disagree, so the invariant is not idle */
	assert_true(resolved > 0);
	print_message("invariant held over %u fixture x profile pairs (%u findings deferred to another)\n",
		      combos, resolved);
	free_list(facts, nf);
	free_list(profiles, np);
}

/* ---- the rules that used to disagree ------------------------------------ */

static void test_tw_buckets_never_below_present(void **state)
{
	struct twa_err err = { 0 };
	struct twa_findings fs;
	struct twa_facts f;
	const struct twa_change *ov, *vol;
	uint64_t tw;

	(void)state;
	tl_load_facts("facts/tw-overflow.json", &f);
	twa_findings_init(&fs);
	assert_int_equal(twa_rules_evaluate(&f, NULL, &fs, &err), 0);
	tw = twa_facts_state(&f, TWA_TCP_TIME_WAIT);
	ov = change_of(&fs, "time-wait-overflow", "net.ipv4.tcp_max_tw_buckets");
	vol = change_of(&fs, "time-wait-volume", "net.ipv4.tcp_max_tw_buckets");
	assert_non_null(ov);
	assert_null(vol);
	assert_true((uint64_t)strtoull(ov->to, NULL, 10) >= tw);
	assert_non_null(strstr(recommendation_of(&fs, "time-wait-volume"), "see time-wait-overflow"));
	twa_findings_release(&fs);
	twa_facts_release(&f);
}

/* time-wait-volume alone (no overflow yet): still above what is present. */
static void test_tw_volume_alone(void **state)
{
	struct twa_err err = { 0 };
	struct twa_findings fs;
	struct twa_facts f;
	const struct twa_change *vol;

	(void)state;
	tl_load_facts("facts/tw-overflow.json", &f);
	for (size_t i = 0; i < f.counters.n; i++)
		if (!strcmp(f.counters.v[i].name, "TCPTimeWaitOverflow"))
			f.counters.v[i].value = 0;
	twa_findings_init(&fs);
	assert_int_equal(twa_rules_evaluate(&f, NULL, &fs, &err), 0);
	vol = change_of(&fs, "time-wait-volume", "net.ipv4.tcp_max_tw_buckets");
	assert_non_null(vol);
	/* 1500 present, limit 100: not 200 */
	assert_true(strtoull(vol->to, NULL, 10) >= 1500 + 1024);
	twa_findings_release(&fs);
	twa_facts_release(&f);
}

/* FIN_WAIT2 orphans of a local CLOSE_WAIT leak: attributed, no fin_timeout. */
static void test_fin_wait2_local_peer(void **state)
{
	struct twa_err err = { 0 };
	struct twa_findings fs;
	struct twa_facts f;
	size_t i;

	(void)state;
	tl_load_facts("facts/fin-wait2-local-peer.json", &f);
	twa_findings_init(&fs);
	assert_int_equal(twa_rules_evaluate(&f, NULL, &fs, &err), 0);
	assert_null(change_of(&fs, "fin-wait2-orphans", "net.ipv4.tcp_fin_timeout"));
	for (i = 0; i < fs.n; i++) {
		if (strcmp(fs.v[i].rule, "fin-wait2-orphans"))
			continue;
		assert_int_equal(fs.v[i].severity, TWA_SEV_INFO);
		assert_non_null(strstr(fs.v[i].summary, "close-wait-leak"));
		assert_non_null(strstr(fs.v[i].recommendation, "python3[1800]"));
		assert_null(strstr(fs.v[i].recommendation, "dead clients"));
	}
	twa_findings_release(&fs);
	/* the same orphans toward remote peers: tcp_fin_timeout is the tool */
	f.sockets.fin_wait2_orphans_local_peer = 0;
	twa_findings_init(&fs);
	assert_int_equal(twa_rules_evaluate(&f, NULL, &fs, &err), 0);
	assert_non_null(change_of(&fs, "fin-wait2-orphans", "net.ipv4.tcp_fin_timeout"));
	twa_findings_release(&fs);
	twa_facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_at_least_largest),
		cmocka_unit_test(test_exact_precedence),
		cmocka_unit_test(test_union_and_widest),
		cmocka_unit_test(test_invariant_all_fixtures_profiles),
		cmocka_unit_test(test_tw_buckets_never_below_present),
		cmocka_unit_test(test_tw_volume_alone),
		cmocka_unit_test(test_fin_wait2_local_peer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
