/* SPDX-License-Identifier: MIT */
/* test_plan.c - unit tests for advisor/plan.h: round trips, hostile plans, fingerprints, change states, plans from findings. */
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

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/rules/findings.h"
#include "advisor/util/jsonutil.h"
#include "advisor/apply/plan.h"
#include "advisor/util/strbuf.h"

#include "tests/unit/testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void set_change(struct twa_plan_change *c, const char *key, const char *from,
		       const char *to, const char *rule, const char *reason)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->key, sizeof(c->key), "%s", key);
	snprintf(c->from, sizeof(c->from), "%s", from);
	snprintf(c->to, sizeof(c->to), "%s", to);
	snprintf(c->rule, sizeof(c->rule), "%s", rule);
	snprintf(c->reason, sizeof(c->reason), "%s", reason);
}

/* A plan of n changes on the stack-owned array v (not to be released). */
static void plan_of(struct twa_plan *p, struct twa_plan_change *v, size_t n)
{
	twa_plan_init(p);
	snprintf(p->host, sizeof(p->host), "proxy-1");
	snprintf(p->netns, sizeof(p->netns), "net:[4026531840]");
	snprintf(p->profile, sizeof(p->profile), "reverse-proxy");
	snprintf(p->created, sizeof(p->created), "2026-01-01T00:00:00Z");
	p->changes = v;
	p->n = n;
}

static void encode(const struct twa_plan *p, struct strbuf *out)
{
	json_object *o = twa_plan_to_json(p);

	assert_non_null(o);
	assert_int_equal(twa_json_write(o, true, out), 0);
	json_object_put(o);
}

/* ---- round trip ------------------------------------------------------- */

static void test_round_trip(void **state)
{
	struct twa_plan_change v[3];
	struct twa_plan p, q;
	struct twa_err err = { 0 };
	struct strbuf js = STRBUF_INIT;
	size_t i;

	(void)state;
	set_change(&v[0], "net.ipv4.tcp_tw_reuse", "2", "1", "ephemeral-exhaustion",
		   "83.6% of the usable ephemeral ports toward 10.0.1.20:8080 are \"taken\"");
	set_change(&v[1], "net.ipv4.ip_local_port_range", "32768\t60999", "10000 65535",
		   "ephemeral-exhaustion", "r\xc3\xa9sum\xc3\xa9 </script> \\ 'quoted' %s %n");
	set_change(&v[2], "net.ipv4.ip_local_reserved_ports", "", "8080,9000-9010",
		   "ephemeral-range-narrow", "");
	plan_of(&p, v, N(v));
	twa_plan_fingerprint(&p, false, p.fingerprint, sizeof(p.fingerprint));
	encode(&p, &js);
	/* the contract's names */
	assert_non_null(strstr(js.buf, "\"schema\": \"twadvise.plan/1\""));
	assert_non_null(strstr(js.buf, "\"fingerprint\": \"sha256:"));
	twa_plan_init(&q);
	if (twa_plan_parse(js.buf, js.len, "rt.json", &q, &err) < 0)
		fail_msg("round trip: %s", err.msg);
	assert_string_equal(q.host, p.host);
	assert_string_equal(q.netns, p.netns);
	assert_string_equal(q.profile, p.profile);
	assert_string_equal(q.created, p.created);
	assert_string_equal(q.fingerprint, p.fingerprint);
	assert_int_equal(q.n, p.n);
	for (i = 0; i < p.n; i++) {
		assert_string_equal(q.changes[i].key, p.changes[i].key);
		assert_string_equal(q.changes[i].from, p.changes[i].from);
		assert_string_equal(q.changes[i].to, p.changes[i].to);
		assert_string_equal(q.changes[i].rule, p.changes[i].rule);
		assert_string_equal(q.changes[i].reason, p.changes[i].reason);
	}
	/* re-encoding gives the same document */
	{
		struct strbuf again = STRBUF_INIT;

		encode(&q, &again);
		assert_string_equal(again.buf, js.buf);
		strbuf_release(&again);
	}
	twa_plan_release(&q);
	strbuf_release(&js);

	/* an empty plan is a valid plan */
	plan_of(&p, NULL, 0);
	encode(&p, &js);
	twa_plan_init(&q);
	assert_int_equal(twa_plan_parse(js.buf, js.len, "empty.json", &q, &err), 0);
	assert_int_equal(q.n, 0);
	assert_null(q.changes);
	twa_plan_release(&q);
	strbuf_release(&js);
	/* the optional members may be absent */
	{
		static const char min[] = "{\"schema\": \"twadvise.plan/1\", \"changes\": "
					  "[{\"key\": \"net.core.somaxconn\", \"from\": \"128\", \"to\": \"4096\"}]}";

		twa_plan_init(&q);
		assert_int_equal(twa_plan_parse(min, sizeof(min) - 1, "min.json", &q, &err), 0);
		assert_int_equal(q.n, 1);
		assert_string_equal(q.changes[0].rule, "");
		assert_string_equal(q.host, "");
		twa_plan_release(&q);
	}
}

/* ---- hostile plans ---------------------------------------------------- */

static const struct bad_plan {
	const char *file;
	const char *formatted;	/* after "<path>" */
	unsigned line, col;
} bad_plans[] = {
	{ "wrong-schema.json", ": schema 'twadvise.plan/2' is not twadvise.plan/1", 0, 0 },
	{ "no-schema.json", ": plan.schema: missing", 0, 0 },
	{ "not-an-object.json", ": a plan is a JSON object", 0, 0 },
	{ "missing-changes.json", ": plan.changes: missing", 0, 0 },
	{ "changes-not-array.json", ": plan.changes: expected an array", 0, 0 },
	{ "change-not-object.json", ": changes[0]: expected an object", 0, 0 },
	{ "key-not-string.json", ": changes[0].key: expected a string", 0, 0 },
	{ "missing-to.json", ": changes[0].to: missing", 0, 0 },
	{ "key-slash.json",
	  ": changes[0]: sysctl 'net.ipv4/tcp_tw_reuse' has a bad character at 9: names are dot-separated [a-z0-9_-] segments", 0, 0 },
	{ "key-dotdot.json", ": changes[0]: sysctl 'net.ipv4..tcp_tw_reuse' has an empty segment", 0, 0 },
	{ "key-traversal.json",
	  ": changes[0]: sysctl 'net/../../etc/shadow' is not under a /proc/sys tree (abi, crypto, debug, dev, fs, kernel, net, sunrpc, user, vm)", 0, 0 },
	{ "key-outside-net.json",
	  ": changes[0]: sysctl 'kernel.core_pattern' names a program the kernel runs as root: twadvise never sets it", 0, 0 },
	{ "key-uppercase.json",
	  ": changes[0]: sysctl 'net.ipv4.TCP_TW_REUSE' has a bad character at 10: names are dot-separated [a-z0-9_-] segments", 0, 0 },
	{ "key-empty-segment.json", ": changes[0]: sysctl 'net.core.' ends with a dot", 0, 0 },
	{ "key-empty.json", ": changes[0]: empty sysctl name", 0, 0 },
	{ "value-newline.json", ": changes[0]: value has a control or non-ASCII character at byte 2", 0, 0 },
	{ "value-control.json", ": changes[0]: value has a control or non-ASCII character at byte 2", 0, 0 },
	{ "value-non-ascii.json", ": changes[0]: value has a control or non-ASCII character at byte 5", 0, 0 },
	{ "from-control.json", ": changes[0]: value has a control or non-ASCII character at byte 2", 0, 0 },
	{ "value-too-long.json", ": changes[0].to: string too long or contains NUL", 0, 0 },
	{ "value-nul.json", ": changes[0].to: string too long or contains NUL", 0, 0 },
	{ "value-out-of-range.json", ": changes[0]: net.ipv4.tcp_tw_reuse = 7 is out of range [0, 2]", 0, 0 },
	{ "value-not-integer.json", ": changes[0]: net.core.somaxconn wants an integer, not 'lots'", 0, 0 },
	{ "value-bad-port-range.json",
	  ": changes[0]: net.ipv4.ip_local_port_range: bad port range '60999 32768': want two ports LOW HIGH with 1 <= LOW <= HIGH <= 65535", 0, 0 },
	{ "read-only-key.json", ": changes[0]: net.netfilter.nf_conntrack_count is read-only (a measurement)", 0, 0 },
	{ "duplicate-key.json", ": changes[1]: net.ipv4.tcp_tw_reuse appears twice", 0, 0 },
	{ "syntax-error.json", ":4:37: bad JSON: object value separator ',' expected", 4, 37 },
	{ "trailing-garbage.json", ":19:1: bad JSON: unexpected character", 19, 1 },
	{ "truncated.json", ":7:49: unexpected end of JSON", 7, 49 },
	{ "comment.json", ":1:1: bad JSON: unexpected character", 1, 1 },
};

/* rule and reason are for the reader: a change may leave them out. */
static void test_change_without_rule(void **state)
{
	static const char doc[] = "{\"schema\": \"twadvise.plan/1\", \"changes\": "
		"[{\"key\": \"net.ipv4.tcp_tw_reuse\", \"from\": \"2\", \"to\": \"1\"}]}";
	struct twa_plan p;
	struct twa_err err = { 0 };

	(void)state;
	twa_plan_init(&p);
	if (twa_plan_parse(doc, strlen(doc), "p.json", &p, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.changes[0].to, "1");
	assert_string_equal(p.changes[0].rule, "");
	assert_string_equal(p.changes[0].reason, "");
	assert_string_equal(p.host, "");
	twa_plan_release(&p);
}

static void test_bad_plans(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(bad_plans); i++) {
		const struct bad_plan *c = &bad_plans[i];
		struct twa_plan p;
		struct twa_err err = { 0 };
		char rel[300], path[600], want[1600], got[1600], *buf;
		size_t len;
		int r;

		snprintf(rel, sizeof(rel), "plans/bad/%s", c->file);
		tl_fixture_path(path, sizeof(path), rel);
		buf = tl_read_file(path, &len);
		twa_plan_init(&p);
		r = twa_plan_parse(buf, len, path, &p, &err);
		free(buf);
		twa_err_format(&err, got, sizeof(got));
		if (r != -EBADMSG)
			fail_msg("%s: got %d (%s), want -EBADMSG", c->file, r, got);
		assert_int_equal(err.code, -EBADMSG);
		snprintf(want, sizeof(want), "%s%s", path, c->formatted);
		if (strcmp(got, want))
			fail_msg("%s:\n got: %s\nwant: %s", c->file, got, want);
		if (err.line != c->line || err.col != c->col)
			fail_msg("%s: at %u:%u, want %u:%u", c->file, err.line, err.col,
				 c->line, c->col);
		twa_plan_release(&p);
	}
}

static void test_bad_plans_complete(void **state)
{
	char cmd[700], line[300];
	size_t n = 0, i;
	FILE *fp;

	(void)state;
	snprintf(cmd, sizeof(cmd), "ls '%s/plans/bad'", tl_fixtures());
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < N(bad_plans) && strcmp(bad_plans[i].file, line); i++)
			;
		if (i == N(bad_plans))
			fail_msg("plans/bad/%s has no case in bad_plans", line);
		n++;
	}
	assert_int_equal(pclose(fp), 0);
	assert_int_equal(n, N(bad_plans));
}

/* More than 256 changes, and more than 1 MiB, built here. */
static void test_plan_caps(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct twa_plan p;
	struct twa_err err = { 0 };
	int i;

	(void)state;
	for (i = 256; i <= 257; i++) {
		int k;

		strbuf_reset(&sb);
		strbuf_addstr(&sb, "{\"schema\": \"twadvise.plan/1\", \"changes\": [");
		for (k = 0; k < i; k++)
			strbuf_addf(&sb, "%s{\"key\": \"net.ipv4.conf.eth%d.rp_filter\", \"from\": \"1\", \"to\": \"2\"}",
				    k ? ", " : "", k);
		strbuf_addstr(&sb, "]}");
		twa_plan_init(&p);
		memset(&err, 0, sizeof(err));
		if (i == 256) {
			assert_int_equal(twa_plan_parse(sb.buf, sb.len, "256.json", &p, &err), 0);
			assert_int_equal(p.n, 256);
		} else {
			assert_int_equal(twa_plan_parse(sb.buf, sb.len, "257.json", &p, &err), -EBADMSG);
			assert_string_equal(err.msg, "plan has 257 changes, more than 256");
			assert_int_equal(p.n, 0);
		}
		twa_plan_release(&p);
	}
	/* 1 MiB + 1 byte of valid JSON (padding whitespace): refused unparsed */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "{\"schema\": \"twadvise.plan/1\", \"changes\": []}");
	strbuf_addchars(&sb, ' ', TWA_PLAN_MAX_BYTES + 1 - sb.len);
	twa_plan_init(&p);
	assert_int_equal(twa_plan_parse(sb.buf, sb.len, "big.json", &p, &err), -EBADMSG);
	assert_string_equal(err.msg, "plan larger than 1048576 bytes");
	assert_string_equal(err.file, "big.json");
	/* ... and exactly 1 MiB is still read */
	sb.len--;
	sb.buf[sb.len] = '\0';
	assert_int_equal(twa_plan_parse(sb.buf, sb.len, "big.json", &p, &err), 0);
	twa_plan_release(&p);
	/* a NUL byte inside the buffer */
	{
		static const char nul[] = "{\"schema\": \"twadvise.plan/1\", \"changes\": []}\0junk";

		twa_plan_init(&p);
		assert_int_equal(twa_plan_parse(nul, sizeof(nul) - 1, "nul.json", &p, &err),
				 -EBADMSG);
		twa_plan_release(&p);
	}
	/* deep nesting is refused by the tokener, not the stack */
	strbuf_reset(&sb);
	strbuf_addchars(&sb, '[', 100000);
	twa_plan_init(&p);
	assert_int_equal(twa_plan_parse(sb.buf, sb.len, "deep.json", &p, &err), -EBADMSG);
	twa_plan_release(&p);
	strbuf_release(&sb);
}

/* ---- values against the known sysctls ------------------------------------ */

static void test_check_value(void **state)
{
	static const struct {
		const char *key, *value, *msg;	/* msg NULL: accepted */
	} cases[] = {
		{ "net.ipv4.tcp_tw_reuse", "0", NULL },
		{ "net.ipv4.tcp_tw_reuse", "2", NULL },
		{ "net.ipv4.tcp_tw_reuse", "3", "net.ipv4.tcp_tw_reuse = 3 is out of range [0, 2]" },
		{ "net.ipv4.tcp_tw_reuse", "-1", "net.ipv4.tcp_tw_reuse = -1 is out of range [0, 2]" },
		{ "net.ipv4.tcp_tw_reuse", "1 ", "net.ipv4.tcp_tw_reuse wants an integer, not '1 '" },
		{ "net.ipv4.tcp_tw_recycle", "1", NULL },
		{ "net.core.somaxconn", "0", "net.core.somaxconn = 0 is out of range [1, 2147483647]" },
		{ "net.core.somaxconn", "2147483648", "out of range [1, 2147483647]" },
		{ "net.core.somaxconn", "99999999999999999999", "wants an integer" },
		{ "net.ipv4.ip_local_port_range", "10000 65535", NULL },
		{ "net.ipv4.ip_local_port_range", "10000\t65535", NULL },
		{ "net.ipv4.ip_local_port_range", "0 65535", "net.ipv4.ip_local_port_range: bad port range" },
		{ "net.ipv4.ip_local_port_range", "10000 70000", "bad port range" },
		{ "net.ipv4.ip_local_port_range", "10000", "bad port range" },
		{ "net.ipv4.ip_local_reserved_ports", "", NULL },
		{ "net.ipv4.ip_local_reserved_ports", "8080,9000-9010", NULL },
		{ "net.ipv4.ip_local_reserved_ports", "9010-9000", "net.ipv4.ip_local_reserved_ports: " },
		{ "net.ipv4.ip_local_reserved_ports", "70000", "net.ipv4.ip_local_reserved_ports: " },
		{ "net.netfilter.nf_conntrack_count", "1", "read-only" },
		/* unknown keys pass (the kernel judges them), but not control bytes */
		{ "net.ipv4.conf.all.rp_filter", "2", NULL },
		{ "net.ipv4.conf.all.rp_filter", "2\r", "value has a control or non-ASCII character at byte 2" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_err err = { 0 };
		int r = twa_plan_check_value(cases[i].key, cases[i].value, &err);

		if (!cases[i].msg) {
			if (r != 0)
				fail_msg("%s = '%s' refused: %s", cases[i].key, cases[i].value, err.msg);
			continue;
		}
		if (r >= 0)
			fail_msg("%s = '%s': accepted", cases[i].key, cases[i].value);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("%s = '%s': '%s' lacks '%s'", cases[i].key, cases[i].value,
				 err.msg, cases[i].msg);
		/* the verdict must not depend on whether the caller wants the
		 * message */
		r = twa_plan_check_value(cases[i].key, cases[i].value, NULL);
		/* (port ranges and lists once returned twa_err_prefix(err, ...),
		 * which is 0 without an err: a bad value passed) */
		if (r >= 0)
			fail_msg("%s = '%s': accepted when err is NULL", cases[i].key,
				 cases[i].value);
	}
}

/* ---- fingerprints ------------------------------------------------------ */

static void test_fingerprint(void **state)
{
	struct twa_plan_change a[2], b[2];
	struct twa_plan pa, pb;
	char fa[80], fb[80], ta[80];

	(void)state;
	set_change(&a[0], "net.ipv4.tcp_tw_reuse", "2", "1", "r", "x");
	set_change(&a[1], "net.ipv4.ip_local_port_range", "32768\t60999", "10000 65535", "r", "y");
	plan_of(&pa, a, 2);
	twa_plan_fingerprint(&pa, false, fa, sizeof(fa));
	/* sha256 of "key=normalized value\n" over the keys in order */
	assert_string_equal(fa, "sha256:2d5b347019308757650f29f2582003e1ff5ec2f6bcb98d33a56b720578147af3");
	twa_plan_fingerprint(&pa, true, ta, sizeof(ta));
	assert_string_equal(ta, "sha256:121c0429bac76f0c81a7fe4861efed7b8dcd860debe045f3877f0bfc0a6aa498");

	/* key order, tabs against spaces, stray blanks, rule and reason:
	 * none of them matter */
	set_change(&b[0], "net.ipv4.ip_local_port_range", "  32768   60999\n", "10000\t65535",
		   "other", "other reason");
	set_change(&b[1], "net.ipv4.tcp_tw_reuse", "2", "1", "", "");
	plan_of(&pb, b, 2);
	snprintf(pb.host, sizeof(pb.host), "elsewhere");
	twa_plan_fingerprint(&pb, false, fb, sizeof(fb));
	assert_string_equal(fa, fb);
	twa_plan_fingerprint(&pb, true, fb, sizeof(fb));
	assert_string_equal(ta, fb);

	/* a value that differs changes it */
	snprintf(b[1].from, sizeof(b[1].from), "0");
	twa_plan_fingerprint(&pb, false, fb, sizeof(fb));
	assert_string_not_equal(fa, fb);
	/* so does a key */
	snprintf(b[1].from, sizeof(b[1].from), "2");
	snprintf(b[1].key, sizeof(b[1].key), "net.ipv4.tcp_tw_reusf");
	twa_plan_fingerprint(&pb, false, fb, sizeof(fb));
	assert_string_not_equal(fa, fb);
	/* the separators keep key and value apart: "a=bc" is not "ab=c" */
	set_change(&b[0], "net.x", "1", "", "", "");
	set_change(&b[1], "net.y", "1", "", "", "");
	plan_of(&pb, b, 2);
	twa_plan_fingerprint(&pb, false, fa, sizeof(fa));
	set_change(&b[0], "net.x", "1\nnet.y=1", "", "", "");
	plan_of(&pb, b, 1);
	twa_plan_fingerprint(&pb, false, fb, sizeof(fb));
	/* a newline is normalized to a blank, so the two cannot collide */
	assert_string_not_equal(fa, fb);

	/* no changes: the digest of nothing */
	plan_of(&pb, NULL, 0);
	twa_plan_fingerprint(&pb, false, fb, sizeof(fb));
	assert_string_equal(fb, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* a small buffer is cut, not overrun */
	{
		char tiny[12];

		memset(tiny, 'x', sizeof(tiny));
		twa_plan_fingerprint(&pa, false, tiny, 10);
		assert_string_equal(tiny, "sha256:2d");
		assert_int_equal(tiny[10], 'x');
	}
}

/* ---- where a key stands ----------------------------------------------- */

static void test_change_state(void **state)
{
	static const struct {
		const char *from, *to, *current;
		enum twa_change_state want;
	} cases[] = {
		{ "32768\t60999", "10000 65535", "32768\t60999", TWA_CHANGE_PENDING },
		{ "32768\t60999", "10000 65535", "32768 60999", TWA_CHANGE_PENDING },
		{ "32768\t60999", "10000 65535", " 32768\t\t60999\n", TWA_CHANGE_PENDING },
		{ "32768\t60999", "10000 65535", "10000\t65535", TWA_CHANGE_DONE },
		{ "32768\t60999", "10000 65535", "10000 65535", TWA_CHANGE_DONE },
		{ "32768\t60999", "10000 65535", "1024\t65535", TWA_CHANGE_DRIFTED },
		{ "32768\t60999", "10000 65535", "", TWA_CHANGE_DRIFTED },
		{ "32768\t60999", "10000 65535", NULL, TWA_CHANGE_ABSENT },
		{ "2", "1", "1", TWA_CHANGE_DONE },
		{ "2", "1", "2", TWA_CHANGE_PENDING },
		{ "2", "1", "0", TWA_CHANGE_DRIFTED },
		{ "2", "1", "12", TWA_CHANGE_DRIFTED },
		{ "1", "1", "1", TWA_CHANGE_DONE },
		{ "", "8080", "", TWA_CHANGE_PENDING },
		{ "", "8080", "8080", TWA_CHANGE_DONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_plan_change c;
		enum twa_change_state got;

		set_change(&c, "net.ipv4.ip_local_port_range", cases[i].from, cases[i].to, "", "");
		got = twa_plan_change_state(&c, cases[i].current);
		if (got != cases[i].want)
			fail_msg("case %zu: from '%s' to '%s' current '%s': state %d, want %d", i,
				 cases[i].from, cases[i].to,
				 cases[i].current ? cases[i].current : "(absent)", got,
				 cases[i].want);
	}
}

/* ---- plans from findings ------------------------------------------------ */

static void add_finding(struct twa_findings *fs, const char *rule, enum twa_severity sev,
			const char *summary, const char *const *kv)
{
	struct twa_finding f;

	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "%s", rule);
	f.severity = sev;
	twa_finding_summary(&f, "%s", summary);
	for (; kv && kv[0]; kv += 3)
		assert_int_equal(twa_finding_change(&f, kv[0], kv[1], kv[2]), 0);
	assert_int_equal(twa_findings_add(fs, &f), 0);
}

static void facts_for_plan(struct twa_facts *f)
{
	twa_facts_init(f);
	snprintf(f->host.hostname, sizeof(f->host.hostname), "proxy-1");
	snprintf(f->host.netns, sizeof(f->host.netns), "net:[4026532177]");
	snprintf(f->host.time, sizeof(f->host.time), "2026-01-01T12:00:00Z");
	assert_int_equal(twa_facts_set_sysctl(f, "net.ipv4.tcp_tw_reuse", "2"), 0);
	assert_int_equal(twa_facts_set_sysctl(f, "net.ipv4.ip_local_port_range", "32768\t60999"), 0);
	assert_int_equal(twa_facts_set_sysctl(f, "net.core.somaxconn", "4096"), 0);
	assert_int_equal(twa_facts_set_sysctl(f, "net.ipv4.tcp_max_tw_buckets", "131072"), 0);
}

static void test_from_findings(void **state)
{
	static const char *const warn1[] = {
		"net.ipv4.tcp_tw_reuse", "stale from", "0",
		"net.core.somaxconn", "128", "4096",	/* already in place */
		NULL };
	static const char *const crit[] = {
		"net.ipv4.tcp_tw_reuse", "2", "1",
		"net.ipv4.ip_local_port_range", "32768\t60999", "10000 65535",
		NULL };
	static const char *const info[] = {
		"net.ipv4.tcp_tw_recycle", "1", "0",	/* the kernel has no such key */
		"net.ipv4.ip_local_port_range", "32768\t60999", "1024 65535",
		"net.netfilter.nf_conntrack_max", "65536", "262144",
		NULL };
	static const char *const warn2[] = {
		"net.ipv4.tcp_max_tw_buckets", "131072", " 131072 ",	/* in place */
		"net.core.somaxconn", "4096", "8192",
		NULL };
	struct twa_facts f;
	struct twa_findings fs;
	struct twa_plan p;
	struct twa_err err = { 0 };
	char fp[80];

	(void)state;
	facts_for_plan(&f);
	twa_findings_init(&fs);
	snprintf(fs.profile, sizeof(fs.profile), "reverse-proxy");
	add_finding(&fs, "a-warn", TWA_SEV_WARNING, "first warning", warn1);
	add_finding(&fs, "c-info", TWA_SEV_INFO, "some info", info);
	add_finding(&fs, "b-crit", TWA_SEV_CRITICAL, "the critical one", crit);
	add_finding(&fs, "d-warn", TWA_SEV_WARNING, "second warning", warn2);
	twa_findings_finish(&fs);
	assert_string_equal(fs.v[0].rule, "b-crit");
	twa_plan_init(&p);
	assert_int_equal(twa_plan_from_findings(&f, &fs, &p, &err), 0);
	assert_string_equal(p.host, "proxy-1");
	assert_string_equal(p.netns, "net:[4026532177]");
	assert_string_equal(p.profile, "reverse-proxy");
	assert_string_equal(p.created, "2026-01-01T12:00:00Z");
	assert_int_equal(p.n, 3);
	/* the most severe finding's proposal wins; from is the host's value */
	assert_string_equal(p.changes[0].key, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(p.changes[0].from, "2");
	assert_string_equal(p.changes[0].to, "1");
	assert_string_equal(p.changes[0].rule, "b-crit");
	assert_string_equal(p.changes[0].reason, "the critical one");
	assert_string_equal(p.changes[1].key, "net.ipv4.ip_local_port_range");
	assert_string_equal(p.changes[1].from, "32768 60999");
	assert_string_equal(p.changes[1].to, "10000 65535");
	/* somaxconn: a-warn's 4096 is in place (skipped), d-warn's 8192 is not */
	assert_string_equal(p.changes[2].key, "net.core.somaxconn");
	assert_string_equal(p.changes[2].to, "8192");
	assert_string_equal(p.changes[2].rule, "d-warn");
	twa_plan_fingerprint(&p, false, fp, sizeof(fp));
	assert_string_equal(p.fingerprint, fp);
	/* and it is a plan twa_plan_parse accepts */
	{
		struct strbuf js = STRBUF_INIT;
		struct twa_plan q;

		encode(&p, &js);
		twa_plan_init(&q);
		assert_int_equal(twa_plan_parse(js.buf, js.len, "made.json", &q, &err), 0);
		assert_int_equal(q.n, 3);
		twa_plan_release(&q);
		strbuf_release(&js);
	}
	twa_plan_release(&p);
	twa_findings_release(&fs);

	/* nothing to change: an empty plan, still fingerprinted */
	twa_findings_init(&fs);
	twa_plan_init(&p);
	assert_int_equal(twa_plan_from_findings(&f, &fs, &p, &err), 0);
	assert_int_equal(p.n, 0);
	assert_string_equal(p.fingerprint,
			    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	twa_plan_release(&p);
	twa_findings_release(&fs);
	twa_facts_release(&f);
}

/* More proposals than a plan may hold fail cleanly. */
static void test_from_findings_cap(void **state)
{
	struct twa_facts f;
	struct twa_findings fs;
	struct twa_finding fd;
	struct twa_plan p;
	struct twa_err err = { 0 };
	char key[96];
	int i;

	(void)state;
	twa_facts_init(&f);
	twa_findings_init(&fs);
	memset(&fd, 0, sizeof(fd));
	snprintf(fd.rule, sizeof(fd.rule), "sysctl-mismatch");
	fd.severity = TWA_SEV_WARNING;
	for (i = 0; i < TWA_PLAN_MAX_CHANGES + 1; i++) {
		snprintf(key, sizeof(key), "net.ipv4.conf.eth%d.rp_filter", i);
		assert_int_equal(twa_facts_set_sysctl(&f, key, "1"), 0);
		assert_int_equal(twa_finding_change(&fd, key, "1", "2"), 0);
	}
	assert_int_equal(twa_findings_add(&fs, &fd), 0);
	twa_plan_init(&p);
	assert_int_equal(twa_plan_from_findings(&f, &fs, &p, &err), -E2BIG);
	assert_int_equal(err.code, -E2BIG);
	assert_int_equal(p.n, TWA_PLAN_MAX_CHANGES);
	twa_plan_release(&p);
	twa_findings_release(&fs);
	twa_facts_release(&f);
}

static void test_write_text(void **state)
{
	struct twa_plan_change v[2];
	struct twa_plan p;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	plan_of(&p, NULL, 0);
	assert_int_equal(twa_plan_write_text(&p, &out), 0);
	assert_string_equal(out.buf, "nothing to change: proxy-1 meets profile 'reverse-proxy'\n");
	strbuf_reset(&out);
	set_change(&v[0], "net.ipv4.tcp_tw_reuse", "2", "1", "tw-reuse-off", "wants 1");
	set_change(&v[1], "net.ipv4.ip_local_port_range", "32768\t60999", "10000 65535",
		   "ephemeral-range-narrow", "too narrow");
	plan_of(&p, v, 2);
	assert_int_equal(twa_plan_write_text(&p, &out), 0);
	assert_string_equal(out.buf,
			    "plan for proxy-1 (net:[4026531840]), profile reverse-proxy: 2 changes\n"
			    "  net.ipv4.tcp_tw_reuse                2 -> 1\n"
			    "                                         (tw-reuse-off: wants 1)\n"
			    "  net.ipv4.ip_local_port_range         32768 60999 -> 10000 65535\n"
			    "                                         (ephemeral-range-narrow: too narrow)\n");
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_change_without_rule),
		cmocka_unit_test(test_bad_plans),
		cmocka_unit_test(test_bad_plans_complete),
		cmocka_unit_test(test_plan_caps),
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_change_state),
		cmocka_unit_test(test_from_findings),
		cmocka_unit_test(test_from_findings_cap),
		cmocka_unit_test(test_write_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
