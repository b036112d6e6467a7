/* SPDX-License-Identifier: MIT */
/* test_profile.c - unit tests for advisor/profile.h, profile_load.h and yamltree.h: broken and good profiles, inheritance, want semantics. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "advisor/util/err.h"
#include "advisor/profile/profile.h"
#include "advisor/profile/profile_load.h"
#include "advisor/profile/target.h"
#include "advisor/rules/rules.h"
#include "advisor/util/strbuf.h"
#include "advisor/profile/yamltree.h"

#include "tests/unit/testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The repository's shipped profiles/, two levels above the fixtures. */
static void profiles_dir(char *buf, size_t size)
{
	snprintf(buf, size, "%s/../../profiles", tl_fixtures());
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		fail_msg("cannot create %s", path);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void write_str(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

static void make_tmpdir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/twa-test-profile.XXXXXX");
	if (!mkdtemp(buf))
		fail_msg("mkdtemp failed");
}

static void rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fail_msg("cannot remove %s", dir);
}

/* Replace {bad}, {good} and {profiles} in tmpl with the directories. */
static void expand(char *out, size_t size, const char *tmpl)
{
	char bad[512], good[512], prof[512];
	size_t o = 0;

	tl_fixture_path(bad, sizeof(bad), "profiles/bad");
	tl_fixture_path(good, sizeof(good), "profiles/good");
	profiles_dir(prof, sizeof(prof));
	while (*tmpl && o + 1 < size) {
		const char *rep = NULL;
		size_t skip = 0;

		if (!strncmp(tmpl, "{bad}", 5))
			rep = bad, skip = 5;
		else if (!strncmp(tmpl, "{good}", 6))
			rep = good, skip = 6;
		else if (!strncmp(tmpl, "{profiles}", 10))
			rep = prof, skip = 10;
		if (rep) {
			o += (size_t)snprintf(out + o, size - o, "%s", rep);
			tmpl += skip;
		} else {
			out[o++] = *tmpl++;
		}
	}
	out[o < size ? o : size - 1] = '\0';
}

/* Load spec with the shipped profiles as the search path. */
static int load(const char *spec, struct twa_profile *p, struct twa_err *err)
{
	char prof[512];
	const char *dirs[1] = { prof };
	struct twa_profile_search s = { dirs, 1 };

	profiles_dir(prof, sizeof(prof));
	return twa_profile_load(spec, &s, NULL, NULL, p, err);
}

/* ---- the corpus of broken profiles ----------------------------------- */

/*
 * Each file of tests/fixtures/profiles/bad with the exact message the user
 * sees (twa_err_format), its errno, and where it points. line 0: the error
 * has no structured position (it is inside the message).
 */
static const struct bad_case {
	const char *file;
	int code;
	unsigned line, col;
	const char *formatted;	/* template: {bad} {profiles} */
} bad_cases[] = {
	{ "syntax-error.yaml", -EBADMSG, 5, 1,
	  "{bad}/syntax-error.yaml:5:1: YAML syntax error: found unexpected end of stream while scanning a quoted scalar" },
	{ "syntax-indent.yaml", -EBADMSG, 4, 2,
	  "{bad}/syntax-indent.yaml:4:2: YAML syntax error: did not find expected key while parsing a block mapping" },
	{ "unknown-top-key.yaml", -EBADMSG, 2, 1,
	  "{bad}/unknown-top-key.yaml:2:1: unknown key 'sysctl'; did you mean 'sysctls'? (a profile has name, description, extends, sysctls, rules)" },
	{ "unknown-want-key.yaml", -EBADMSG, 5, 5,
	  "{bad}/unknown-want-key.yaml:5:5: unknown key 'vlaue' in net.core.somaxconn; did you mean 'value'? (value, min, max, min_size, reason)" },
	{ "type-map-for-scalar.yaml", -EBADMSG, 3, 3,
	  "{bad}/type-map-for-scalar.yaml:3:3: description must be a scalar, not a map" },
	{ "type-list-for-want.yaml", -EBADMSG, 3, 26,
	  "{bad}/type-list-for-want.yaml:3:26: net.ipv4.tcp_tw_reuse wants a value or a map of value/min/max/min_size/reason, not a list" },
	{ "type-list-for-sysctls.yaml", -EBADMSG, 3, 3,
	  "{bad}/type-list-for-sysctls.yaml:3:3: sysctls must be a map of sysctl names, not a list" },
	{ "type-scalar-for-sysctls.yaml", -EBADMSG, 2, 10,
	  "{bad}/type-scalar-for-sysctls.yaml:2:10: sysctls must be a map of sysctl names, not a scalar" },
	{ "not-a-map.yaml", -EBADMSG, 1, 1,
	  "{bad}/not-a-map.yaml:1:1: a profile is a map (name, description, extends, sysctls, rules), not a list" },
	{ "range-tw-reuse.yaml", -EBADMSG, 3, 26,
	  "{bad}/range-tw-reuse.yaml:3:26: net.ipv4.tcp_tw_reuse = 3 is out of range [0, 2]" },
	{ "range-somaxconn-zero.yaml", -EBADMSG, 4, 12,
	  "{bad}/range-somaxconn-zero.yaml:4:12: net.core.somaxconn = 0 is out of range [1, 2147483647]" },
	{ "range-min-above-max.yaml", -EBADMSG, 4, 5,
	  "{bad}/range-min-above-max.yaml:4:5: net.ipv4.tcp_keepalive_time: min 600 is above max 300" },
	{ "range-min-size.yaml", -EBADMSG, 4, 15,
	  "{bad}/range-min-size.yaml:4:15: min_size 70000 is out of range [1, 65535]" },
	{ "range-port-range-reversed.yaml", -EBADMSG, 3, 33,
	  "{bad}/range-port-range-reversed.yaml:3:33: net.ipv4.ip_local_port_range: bad port range '60999 32768': want two ports LOW HIGH with 1 <= LOW <= HIGH <= 65535" },
	{ "min-not-integer.yaml", -EBADMSG, 4, 10,
	  "{bad}/min-not-integer.yaml:4:10: min must be an integer, not 'lots'" },
	{ "min-on-range.yaml", -EBADMSG, 4, 5,
	  "{bad}/min-on-range.yaml:4:5: net.ipv4.ip_local_port_range is not a single integer: 'min' does not apply (ranges take min_size)" },
	{ "want-reason-only.yaml", -EBADMSG, 4, 5,
	  "{bad}/want-reason-only.yaml:4:5: net.core.somaxconn: say what is wanted: value, min, max or min_size" },
	{ "min-size-without-value.yaml", -EBADMSG, 4, 5,
	  "{bad}/min-size-without-value.yaml:4:5: net.ipv4.ip_local_port_range: min_size needs a value to propose (e.g. value: \"10000 65535\")" },
	{ "bad-sysctl-name.yaml", -EBADMSG, 3, 3,
	  "{bad}/bad-sysctl-name.yaml:3:3: sysctl 'net.ipv4.TCP_TW_REUSE' has a bad character at 10: names are dot-separated [a-z0-9_-] segments" },
	{ "read-only-sysctl.yaml", -EBADMSG, 3, 3,
	  "{bad}/read-only-sysctl.yaml:3:3: net.netfilter.nf_conntrack_count is a measurement, not a setting" },
	{ "program-sysctl.yaml", -EBADMSG, 3, 3,
	  "{bad}/program-sysctl.yaml:3:3: sysctl 'kernel.core_pattern' names a program the kernel runs as root: twadvise never sets it" },
	{ "unknown-rule.yaml", -EBADMSG, 3, 3,
	  "{bad}/unknown-rule.yaml:3:3: unknown rule 'time-wait-volumes'; did you mean 'time-wait-volume'?" },
	{ "unknown-rule-param.yaml", -EBADMSG, 4, 5,
	  "{bad}/unknown-rule-param.yaml:4:5: rule close-wait-leak has no parameter 'warn' (it has: enabled, info, warning, critical)" },
	{ "param-out-of-range.yaml", -EBADMSG, 4, 14,
	  "{bad}/param-out-of-range.yaml:4:14: ephemeral-exhaustion.warning = 1.5 is out of range [0.01, 1]" },
	{ "param-not-number.yaml", -EBADMSG, 4, 15,
	  "{bad}/param-not-number.yaml:4:15: ephemeral-exhaustion.critical must be a number, not '80%'" },
	{ "param-quoted-number.yaml", -EBADMSG, 4, 15,
	  "{bad}/param-quoted-number.yaml:4:15: ephemeral-exhaustion.critical must be a number, not '0.8'" },
	{ "enabled-maybe.yaml", -EBADMSG, 4, 14,
	  "{bad}/enabled-maybe.yaml:4:14: enabled must be true or false, not 'maybe'" },
	{ "missing-name.yaml", -EBADMSG, 1, 1,
	  "{bad}/missing-name.yaml:1:1: missing 'name'" },
	{ "bad-name.yaml", -EBADMSG, 1, 7,
	  "{bad}/bad-name.yaml:1:7: name 'Web Server' must be 1-63 characters of [a-z0-9_-]" },
	{ "extends-itself.yaml", -EBADMSG, 2, 10,
	  "{bad}/extends-itself.yaml:2:10: profile 'narcissus' extends itself" },
	/* The cycle is named in load order and points at the extends that
	 * closes it, in the other file. */
	{ "cycle-a.yaml", -EBADMSG, 3, 10,
	  "{bad}/cycle-b.yaml:3:10: extends cycle: cycle-a -> cycle-b -> cycle-a" },
	{ "cycle-b.yaml", -EBADMSG, 3, 10,
	  "{bad}/cycle-a.yaml:3:10: extends cycle: cycle-b -> cycle-a -> cycle-b" },
	{ "extends-missing.yaml", -ENOENT, 0, 0,
	  "{bad}/extends-missing.yaml:2:10: extends 'no-such-profile': no profile named 'no-such-profile' (looked in {bad}, {profiles}); 'twadvise profiles list' shows the available ones" },
	{ "duplicate-key.yaml", -EBADMSG, 5, 3,
	  "{bad}/duplicate-key.yaml:5:3: duplicate key 'net.core.somaxconn'" },
	{ "alias.yaml", -EBADMSG, 2, 14,
	  "{bad}/alias.yaml:2:14: YAML aliases ('*undefined_anchor') are not allowed in profiles" },
	{ "anchor.yaml", -EBADMSG, 2, 10,
	  "{bad}/anchor.yaml:2:10: YAML anchors ('&wants') are not allowed in profiles" },
	{ "tag.yaml", -EBADMSG, 1, 7,
	  "{bad}/tag.yaml:1:7: YAML tags ('tag:yaml.org,2002:str') are not allowed in profiles" },
	/* The root map is level 1; the key scalars inside the 16th nested
	 * flow map are the first nodes at level 17. */
	{ "depth-17.yaml", -EBADMSG, 2, 67,
	  "{bad}/depth-17.yaml:2:67: YAML nested deeper than 16 levels" },
	{ "two-documents.yaml", -EBADMSG, 3, 1,
	  "{bad}/two-documents.yaml:3:1: more than one YAML document" },
	{ "empty.yaml", -EBADMSG, 1, 1,
	  "{bad}/empty.yaml:1:1: empty profile: it needs at least a name" },
	{ "value-below-own-min.yaml", -EBADMSG, 4, 5,
	  "{bad}/value-below-own-min.yaml:4:5: net.core.somaxconn: value '1024' does not meet its own min/max/min_size" },
	{ "value-narrower-than-min-size.yaml", -EBADMSG, 4, 5,
	  "{bad}/value-narrower-than-min-size.yaml:4:5: net.ipv4.ip_local_port_range: value '32768 60999' does not meet its own min/max/min_size" },
	/* Refused at the first anchor, before any alias could be expanded. */
	{ "billion-laughs.yaml", -EBADMSG, 3, 14,
	  "{bad}/billion-laughs.yaml:3:14: YAML anchors ('&a0') are not allowed in profiles" },
	/* 50000 aliases: refused at the first. */
	{ "aliases-only.yaml", -EBADMSG, 2, 15,
	  "{bad}/aliases-only.yaml:2:15: YAML aliases ('*x') are not allowed in profiles" },
};

static void test_bad_corpus(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct twa_profile p;
		struct twa_err err = { 0 };
		char path[600], rel[300], want[1600], got[1600];
		int r;

		snprintf(rel, sizeof(rel), "profiles/bad/%s", c->file);
		tl_fixture_path(path, sizeof(path), rel);
		memset(&p, 0x5a, sizeof(p));
		r = load(path, &p, &err);
		if (r != c->code)
			fail_msg("%s: got %d (%s), want %d", c->file, r, err.msg, c->code);
		assert_int_equal(err.code, c->code);
		twa_err_format(&err, got, sizeof(got));
		expand(want, sizeof(want), c->formatted);
		if (strcmp(got, want))
			fail_msg("%s:\n got: %s\nwant: %s", c->file, got, want);
		if (err.line != c->line || err.col != c->col)
			fail_msg("%s: at %u:%u, want %u:%u", c->file, err.line, err.col,
				 c->line, c->col);
		/* A failed load leaves nothing to free. */
		assert_null(p.wants);
		assert_null(p.settings);
		assert_null(p.toggles);
		assert_int_equal(p.n_wants, 0);
	}
}

/* Every file of the corpus has a case: a new fixture cannot go untested. */
static void test_bad_corpus_complete(void **state)
{
	char cmd[700], dir[600], line[300];
	size_t n = 0, i;
	FILE *fp;

	(void)state;
	tl_fixture_path(dir, sizeof(dir), "profiles/bad");
	snprintf(cmd, sizeof(cmd), "ls '%s'", dir);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < N(bad_cases) && strcmp(bad_cases[i].file, line); i++)
			;
		if (i == N(bad_cases))
			fail_msg("profiles/bad/%s has no case in bad_cases", line);
		n++;
	}
	assert_int_equal(pclose(fp), 0);
	assert_int_equal(n, N(bad_cases));
}

/* A billion laughs must fail at once, never expanding anything. */
static void test_alias_bombs_fail_fast(void **state)
{
	static const char *const files[] = { "billion-laughs.yaml", "aliases-only.yaml" };
	size_t i;

	(void)state;
	for (i = 0; i < N(files); i++) {
		struct twa_profile p;
		struct twa_err err = { 0 };
		char path[600], rel[300];
		double t0, dt;
		int r;

		snprintf(rel, sizeof(rel), "profiles/bad/%s", files[i]);
		tl_fixture_path(path, sizeof(path), rel);
		t0 = now_s();
		r = load(path, &p, &err);
		dt = now_s() - t0;
		assert_int_equal(r, -EBADMSG);
		if (dt >= 0.1)
			fail_msg("%s took %.3f s to refuse", files[i], dt);
		/* the first line with an anchor or alias, not a later one */
		assert_true(err.line <= 3);
	}
	/* The same in memory: 10^12 strings if expanded, refused at the first
	 * alias of the first list. */
	{
		struct strbuf sb = STRBUF_INIT;
		struct twa_ynode *root = (struct twa_ynode *)1;
		struct twa_err err = { 0 };
		double t0;
		int lvl, k;

		strbuf_addstr(&sb, "a0: [lol]\n");
		for (lvl = 1; lvl <= 12; lvl++) {
			strbuf_addf(&sb, "a%d: [", lvl);
			for (k = 0; k < 10; k++)
				strbuf_addf(&sb, "%s*a%d", k ? ", " : "", lvl - 1);
			strbuf_addstr(&sb, "]\n");
		}
		t0 = now_s();
		assert_int_equal(twa_yaml_parse(sb.buf, sb.len, "mem", &root, &err), -EBADMSG);
		assert_true(now_s() - t0 < 0.1);
		assert_int_equal(err.line, 2);
		assert_int_equal(err.col, 6);
		assert_non_null(strstr(err.msg, "YAML aliases ('*a0')"));
		/* never written on failure */
		assert_ptr_equal(root, (struct twa_ynode *)1);
		strbuf_release(&sb);
	}
}

/* ---- yamltree caps --------------------------------------------------- */

static void test_yaml_caps(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct twa_ynode *root = NULL;
	struct twa_err err = { 0 };
	int i;

	(void)state;
	/* depth: a scalar at level 16 is fine, at level 17 refused */
	for (i = 0; i < 15; i++)
		strbuf_addch(&sb, '[');
	strbuf_addch(&sb, 'x');
	for (i = 0; i < 15; i++)
		strbuf_addch(&sb, ']');
	assert_int_equal(twa_yaml_parse(sb.buf, sb.len, "d16", &root, &err), 0);
	assert_non_null(root);
	twa_ynode_free(root);
	root = NULL;
	strbuf_reset(&sb);
	for (i = 0; i < 16; i++)
		strbuf_addch(&sb, '[');
	strbuf_addch(&sb, 'x');
	for (i = 0; i < 16; i++)
		strbuf_addch(&sb, ']');
	assert_int_equal(twa_yaml_parse(sb.buf, sb.len, "d17", &root, &err), -EBADMSG);
	assert_string_equal(err.msg, "YAML nested deeper than 16 levels");
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 17);
	assert_null(root);

	/* nodes: 20000 is the cap (the list itself is one) */
	strbuf_reset(&sb);
	strbuf_addch(&sb, '[');
	for (i = 0; i < TWA_YAML_MAX_NODES - 1; i++)
		strbuf_addstr(&sb, i ? ",1" : "1");
	strbuf_addch(&sb, ']');
	assert_int_equal(twa_yaml_parse(sb.buf, sb.len, "n", &root, &err), 0);
	assert_int_equal(root->n, TWA_YAML_MAX_NODES - 1);
	twa_ynode_free(root);
	root = NULL;
	strbuf_reset(&sb);
	strbuf_addch(&sb, '[');
	for (i = 0; i < TWA_YAML_MAX_NODES; i++)
		strbuf_addstr(&sb, i ? ",1" : "1");
	strbuf_addch(&sb, ']');
	memset(&err, 0, sizeof(err));
	assert_int_equal(twa_yaml_parse(sb.buf, sb.len, "n", &root, &err), -EBADMSG);
	assert_string_equal(err.msg, "too many YAML nodes (more than 20000)");
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 2 * TWA_YAML_MAX_NODES);

	/* size: the buffer cap comes before any parsing */
	strbuf_reset(&sb);
	strbuf_addchars(&sb, '#', TWA_YAML_MAX_BYTES + 1);
	assert_int_equal(twa_yaml_parse(sb.buf, sb.len, "big", &root, &err), -EBADMSG);
	assert_string_equal(err.msg, "larger than 1048576 bytes");
	assert_string_equal(err.file, "big");

	/* a scalar longer than 4096 bytes */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "name: ");
	strbuf_addchars(&sb, 'a', TWA_YAML_MAX_SCALAR + 1);
	assert_int_equal(twa_yaml_parse(sb.buf, sb.len, "long", &root, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "scalar longer than 4096 bytes"));
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 7);

	/* a NUL inside a quoted scalar */
	{
		static const char nul[] = "name: \"a\\0b\"\n";

		assert_int_equal(twa_yaml_parse(nul, sizeof(nul) - 1, "nul", &root, &err), -EBADMSG);
		assert_non_null(strstr(err.msg, "containing NUL"));
	}
	/* non-scalar keys */
	{
		static const char key[] = "? [a, b]\n: c\n";

		assert_int_equal(twa_yaml_parse(key, sizeof(key) - 1, "key", &root, &err), -EBADMSG);
		assert_string_equal(err.msg, "map keys must be plain scalars");
		assert_int_equal(err.line, 1);
		assert_int_equal(err.col, 3);
	}
	/* an empty document is NULL, not an error; comments alone too */
	root = (struct twa_ynode *)1;
	assert_int_equal(twa_yaml_parse("", 0, "e", &root, &err), 0);
	assert_null(root);
	root = (struct twa_ynode *)1;
	assert_int_equal(twa_yaml_parse("# nothing\n", 10, "e", &root, &err), 0);
	assert_null(root);
	/* ... but a document marker followed by another is two documents */
	assert_int_equal(twa_yaml_parse("a: 1\n---\nb: 2\n", 14, "two", &root, &err), -EBADMSG);
	assert_string_equal(err.msg, "more than one YAML document");
	assert_int_equal(err.line, 2);

	/* positions and plain/quoted of a good tree */
	{
		static const char doc[] = "name: x\nlist:\n  - 'q'\n  - p\n";
		struct twa_ynode *l;

		assert_int_equal(twa_yaml_parse(doc, sizeof(doc) - 1, "ok", &root, &err), 0);
		assert_int_equal(root->type, TWA_Y_MAP);
		assert_int_equal(root->n, 4);
		l = twa_ynode_get(root, "list");
		assert_non_null(l);
		assert_int_equal(l->type, TWA_Y_SEQ);
		assert_int_equal(l->n, 2);
		assert_string_equal(l->kids[0]->value, "q");
		assert_false(l->kids[0]->plain);
		assert_true(l->kids[1]->plain);
		assert_int_equal(l->kids[1]->line, 4);
		assert_int_equal(l->kids[1]->col, 5);
		assert_null(twa_ynode_get(root, "nope"));
		assert_null(twa_ynode_get(l, "q"));
		twa_ynode_free(root);
	}
	strbuf_release(&sb);
}

/* Files larger than the cap are refused before they are read whole; a
 * file of exactly the cap still loads. */
static void test_file_size_cap(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct twa_profile p;
	struct twa_err err = { 0 };
	char dir[64], path[128], got[1200], want[1200];

	(void)state;
	make_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	strbuf_addstr(&sb, "name: big\n");
	while (sb.len + 8 <= TWA_YAML_MAX_BYTES)
		strbuf_addstr(&sb, "# pad.\n");
	strbuf_addchars(&sb, '#', TWA_YAML_MAX_BYTES - 1 - sb.len);
	strbuf_addch(&sb, '\n');
	assert_int_equal(sb.len, TWA_YAML_MAX_BYTES);
	write_file(path, sb.buf, sb.len);
	assert_int_equal(load(path, &p, &err), 0);
	assert_string_equal(p.name, "big");
	twa_profile_release(&p);

	strbuf_addstr(&sb, "#\n");
	write_file(path, sb.buf, sb.len);
	assert_int_equal(load(path, &p, &err), -EBADMSG);
	twa_err_format(&err, got, sizeof(got));
	snprintf(want, sizeof(want), "%s: profile larger than 1048576 bytes", path);
	assert_string_equal(got, want);

	/* a directory is not a profile */
	assert_int_equal(load(dir, &p, &err), -EBADMSG);
	assert_string_equal(err.msg, "profile is not a regular file (a directory): refusing to read it");
	strbuf_release(&sb);
	rm_rf(dir);
}

/* ---- good profiles and inheritance ------------------------------------ */

static const struct twa_sysctl_want *want_of(const struct twa_profile *p,
					     const char *key)
{
	const struct twa_sysctl_want *w = twa_profile_want(p, key);

	if (!w)
		fail_msg("profile %s has no want for %s", p->name, key);
	return w;
}

static double setting_of(const struct twa_profile *p, const char *rule,
			 const char *param)
{
	double v = -1;

	if (!twa_profile_setting(p, rule, param, &v))
		fail_msg("profile %s has no %s.%s", p->name, rule, param);
	return v;
}

static void test_parent_alone(void **state)
{
	struct twa_profile p;
	struct twa_err err = { 0 };
	const struct twa_sysctl_want *w;
	char path[600];

	(void)state;
	tl_fixture_path(path, sizeof(path), "profiles/good/parent.yaml");
	assert_int_equal(load(path, &p, &err), 0);
	assert_string_equal(p.name, "parent");
	assert_string_equal(p.chain, "parent");
	assert_string_equal(p.extends, "");
	assert_string_equal(p.description, "the parent's description");
	assert_string_equal(p.source, path);
	assert_int_equal(p.n_wants, 3);
	w = want_of(&p, "net.core.somaxconn");
	assert_int_equal(w->has, TWA_WANT_MIN | TWA_WANT_VALUE);
	assert_int_equal(w->min, 1024);
	assert_string_equal(w->value, "4096");
	assert_string_equal(w->origin, "parent");
	w = want_of(&p, "net.ipv4.tcp_max_syn_backlog");
	assert_int_equal(w->has, TWA_WANT_VALUE);
	assert_string_equal(w->value, "2048");
	w = want_of(&p, "net.ipv4.tcp_keepalive_time");
	assert_int_equal(w->has, TWA_WANT_MAX | TWA_WANT_VALUE);
	assert_int_equal(w->max, 600);
	assert_string_equal(w->reason, "find dead peers in minutes");
	assert_null(twa_profile_want(&p, "net.ipv4.tcp_tw_reuse"));
	assert_true(setting_of(&p, "close-wait-leak", "warning") == 50);
	assert_true(setting_of(&p, "close-wait-leak", "critical") == 500);
	assert_true(setting_of(&p, "tw-reuse-off", "tw_share") == 0.3);
	assert_int_equal(twa_profile_toggle(&p, "time-wait-volume"), 0);
	assert_int_equal(twa_profile_toggle(&p, "tw-reuse-off"), 1);
	assert_int_equal(twa_profile_toggle(&p, "close-wait-leak"), -1);
	twa_profile_release(&p);
	/* release twice is harmless */
	twa_profile_release(&p);
	twa_profile_release(NULL);
}

static void test_inheritance(void **state)
{
	struct twa_profile p;
	struct twa_err err = { 0 };
	const struct twa_sysctl_want *w;
	char path[600];
	double v;

	(void)state;
	tl_fixture_path(path, sizeof(path), "profiles/good/child.yaml");
	assert_int_equal(load(path, &p, &err), 0);
	assert_string_equal(p.name, "child");
	assert_string_equal(p.extends, "parent");
	assert_string_equal(p.chain, "child -> parent");
	/* no description of its own: the parent's */
	assert_string_equal(p.description, "the parent's description");
	assert_int_equal(p.n_wants, 4);
	/* per key: the child's want replaces the parent's whole */
	w = want_of(&p, "net.core.somaxconn");
	assert_int_equal(w->min, 8192);
	assert_string_equal(w->value, "16384");
	assert_string_equal(w->origin, "child");
	w = want_of(&p, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(w->origin, "child");
	assert_string_equal(w->reason, "outgoing connections");
	w = want_of(&p, "net.ipv4.tcp_max_syn_backlog");
	assert_string_equal(w->value, "2048");
	assert_string_equal(w->origin, "parent");
	w = want_of(&p, "net.ipv4.tcp_keepalive_time");
	assert_string_equal(w->origin, "parent");
	/* per parameter: warning overridden, critical inherited */
	assert_true(setting_of(&p, "close-wait-leak", "warning") == 20);
	assert_true(setting_of(&p, "close-wait-leak", "critical") == 500);
	assert_true(setting_of(&p, "tw-reuse-off", "tw_share") == 0.3);
	assert_false(twa_profile_setting(&p, "close-wait-leak", "info", &v));
	/* per toggle */
	assert_int_equal(twa_profile_toggle(&p, "time-wait-volume"), 1);
	assert_int_equal(twa_profile_toggle(&p, "tw-reuse-off"), 1);
	twa_profile_release(&p);

	tl_fixture_path(path, sizeof(path), "profiles/good/grandchild.yaml");
	assert_int_equal(load(path, &p, &err), 0);
	assert_string_equal(p.chain, "grandchild -> child -> parent");
	assert_string_equal(p.description, "the grandchild's own description");
	assert_int_equal(p.n_wants, 4);
	w = want_of(&p, "net.ipv4.tcp_max_syn_backlog");
	assert_int_equal(w->has, TWA_WANT_MIN);
	assert_int_equal(w->min, 4096);
	assert_string_equal(w->origin, "grandchild");
	w = want_of(&p, "net.core.somaxconn");
	assert_string_equal(w->origin, "child");
	assert_int_equal(twa_profile_toggle(&p, "tw-reuse-off"), 0);
	assert_int_equal(twa_profile_toggle(&p, "time-wait-volume"), 1);
	assert_true(setting_of(&p, "close-wait-leak", "warning") == 20);
	assert_true(setting_of(&p, "close-wait-leak", "critical") == 500);
	/* the rule engine sees the same */
	{
		const struct twa_rule *r = twa_rule_find("close-wait-leak");
		struct twa_rule_ctx ctx = { NULL, &p, r };

		assert_non_null(r);
		assert_true(twa_rule_param(&ctx, "warning") == 20);
		assert_true(twa_rule_param(&ctx, "info") == 10);	/* default */
		assert_false(twa_rule_enabled(&p, twa_rule_find("tw-reuse-off")));
		assert_true(twa_rule_enabled(&p, twa_rule_find("time-wait-volume")));
		assert_true(twa_rule_enabled(&p, twa_rule_find("listen-overflow")));
	}
	twa_profile_release(&p);
}

/* twa_profile_inherit on hand-built profiles: nothing of the child is lost. */
static void test_inherit_direct(void **state)
{
	struct twa_profile parent, child;
	struct twa_sysctl_want pw[2], cw[1];
	struct twa_rule_setting ps[1];
	struct twa_rule_toggle pt[1];
	double v;

	(void)state;
	memset(pw, 0, sizeof(pw));
	memset(cw, 0, sizeof(cw));
	memset(ps, 0, sizeof(ps));
	memset(pt, 0, sizeof(pt));
	twa_profile_init(&parent);
	strcpy(parent.name, "p");
	strcpy(parent.chain, "p -> q");
	strcpy(parent.description, "pd");
	strcpy(pw[0].key, "net.core.somaxconn");
	strcpy(pw[0].value, "1");
	pw[0].has = TWA_WANT_VALUE;
	strcpy(pw[1].key, "net.ipv4.tcp_tw_reuse");
	strcpy(pw[1].value, "1");
	pw[1].has = TWA_WANT_VALUE;
	parent.wants = pw;
	parent.n_wants = 2;
	strcpy(ps[0].rule, "close-wait-leak");
	strcpy(ps[0].param, "info");
	ps[0].value = 3;
	parent.settings = ps;
	parent.n_settings = 1;
	strcpy(pt[0].rule, "tw-reuse-off");
	pt[0].enabled = false;
	parent.toggles = pt;
	parent.n_toggles = 1;

	twa_profile_init(&child);
	strcpy(child.name, "c");
	strcpy(child.chain, "c");
	child.wants = calloc(1, sizeof(*child.wants));
	assert_non_null(child.wants);
	strcpy(cw[0].key, "net.core.somaxconn");
	strcpy(cw[0].value, "2");
	cw[0].has = TWA_WANT_VALUE;
	child.wants[0] = cw[0];
	child.n_wants = 1;
	assert_int_equal(twa_profile_inherit(&child, &parent), 0);
	assert_string_equal(child.chain, "c -> p -> q");
	assert_string_equal(child.description, "pd");
	assert_int_equal(child.n_wants, 2);
	assert_string_equal(twa_profile_want(&child, "net.core.somaxconn")->value, "2");
	assert_string_equal(twa_profile_want(&child, "net.ipv4.tcp_tw_reuse")->value, "1");
	assert_true(twa_profile_setting(&child, "close-wait-leak", "info", &v));
	assert_true(v == 3);
	assert_int_equal(twa_profile_toggle(&child, "tw-reuse-off"), 0);
	twa_profile_release(&child);
	/* lookups on NULL profiles are "unset" */
	assert_null(twa_profile_want(NULL, "net.core.somaxconn"));
	assert_false(twa_profile_setting(NULL, "close-wait-leak", "info", &v));
	assert_int_equal(twa_profile_toggle(NULL, "tw-reuse-off"), -1);
}

/* Every form a profile may use parses to what it says. */
static void test_everything(void **state)
{
	struct twa_profile p;
	struct twa_err err = { 0 };
	const struct twa_sysctl_want *w;
	char path[600];

	(void)state;
	tl_fixture_path(path, sizeof(path), "profiles/good/everything.yaml");
	assert_int_equal(load(path, &p, &err), 0);
	assert_string_equal(p.description, "Folded text over two lines.");
	assert_int_equal(p.n_wants, 7);
	assert_string_equal(want_of(&p, "net.ipv4.tcp_tw_reuse")->value, "1");
	assert_string_equal(want_of(&p, "net.ipv4.tcp_timestamps")->value, "1");
	w = want_of(&p, "net.ipv4.ip_local_port_range");
	assert_int_equal(w->has, TWA_WANT_MIN_SIZE | TWA_WANT_VALUE);
	assert_int_equal(w->min_size, 50000);
	assert_string_equal(want_of(&p, "net.ipv4.ip_local_reserved_ports")->value,
			    "8080,9000-9010");
	w = want_of(&p, "net.ipv4.tcp_max_tw_buckets");
	assert_int_equal(w->has, TWA_WANT_MIN);
	assert_int_equal(w->min, 262144);
	w = want_of(&p, "net.ipv4.tcp_keepalive_probes");
	assert_int_equal(w->has, TWA_WANT_MIN | TWA_WANT_MAX);
	assert_int_equal(w->min, 3);
	assert_int_equal(w->max, 9);
	assert_true(setting_of(&p, "ephemeral-exhaustion", "warning") == 0.4);
	assert_true(setting_of(&p, "close-wait-leak", "critical") == 1e9);
	assert_int_equal(twa_profile_toggle(&p, "close-wait-leak"), 1);
	assert_int_equal(twa_profile_toggle(&p, "conntrack-near-full"), 0);
	twa_profile_release(&p);
}

/* Parsing from a buffer reports the extends position for cycle messages. */
static void test_parse_buffer(void **state)
{
	static const char doc[] = "name: kid\n\nextends:   base\n";
	struct twa_profile p;
	struct twa_err err = { 0 };
	unsigned line = 0, col = 0;

	(void)state;
	twa_profile_init(&p);
	assert_int_equal(twa_profile_parse(doc, sizeof(doc) - 1, "buf.yaml", &p, &line,
					   &col, &err), 0);
	assert_string_equal(p.extends, "base");
	assert_string_equal(p.chain, "kid");
	assert_int_equal(line, 3);
	assert_int_equal(col, 12);
	twa_profile_release(&p);
	/* NULL position pointers are allowed; empty sysctls and rules too */
	twa_profile_init(&p);
	assert_int_equal(twa_profile_parse("name: x\nsysctls:\nrules:\n", 23, "b", &p, NULL,
					   NULL, &err), 0);
	assert_int_equal(p.n_wants, 0);
	twa_profile_release(&p);
	/* err may be NULL */
	twa_profile_init(&p);
	assert_int_equal(twa_profile_parse("name: X\n", 8, "b", &p, NULL, NULL, NULL),
			 -EBADMSG);
	twa_profile_release(&p);
}

/* ---- lookup: names, paths, URLs, search directories --------------------- */

struct fetch_ctx {
	const char *body;
	unsigned calls;
	char url[256];
};

static int fake_fetch(const char *url, struct strbuf *out, struct twa_err *err,
		      void *ctx)
{
	struct fetch_ctx *f = ctx;

	(void)err;
	f->calls++;
	snprintf(f->url, sizeof(f->url), "%s", url);
	strbuf_addstr(out, f->body);
	return 0;
}

static void test_lookup(void **state)
{
	struct twa_profile p;
	struct twa_err err = { 0 };
	char good[600], prof[600], tmp[64], path[700], want[1600], got[1600];
	const char *dirs[2];
	struct twa_profile_search s = { dirs, 0 };

	(void)state;
	tl_fixture_path(good, sizeof(good), "profiles/good");
	profiles_dir(prof, sizeof(prof));

	/* by name, in the search path */
	dirs[0] = good;
	dirs[1] = prof;
	s.n = 2;
	assert_int_equal(twa_profile_load("child", &s, NULL, NULL, &p, &err), 0);
	snprintf(path, sizeof(path), "%s/child.yaml", good);
	assert_string_equal(p.source, path);
	assert_string_equal(p.chain, "child -> parent");
	twa_profile_release(&p);

	/* a name nowhere: names every place it looked */
	memset(&err, 0, sizeof(err));
	assert_int_equal(twa_profile_load("nope", &s, NULL, NULL, &p, &err), -ENOENT);
	snprintf(want, sizeof(want),
		 "no profile named 'nope' (looked in %s, %s); 'twadvise profiles list' shows the available ones",
		 good, prof);
	twa_err_format(&err, got, sizeof(got));
	assert_string_equal(got, want);

	/* "x.yaml" and "x.yml" are paths (relative to the cwd), not names */
	memset(&err, 0, sizeof(err));
	assert_int_equal(twa_profile_load("child.yaml", &s, NULL, NULL, &p, &err), -ENOENT);
	assert_string_equal(err.file, "child.yaml");
	assert_string_equal(err.msg, "cannot open profile: No such file or directory");
	assert_int_equal(twa_profile_load("child.yml", &s, NULL, NULL, &p, &err), -ENOENT);
	assert_string_equal(err.file, "child.yml");

	/* the first directory masks the same name in a later one */
	make_tmpdir(tmp, sizeof(tmp));
	snprintf(path, sizeof(path), "%s/default.yaml", tmp);
	write_str(path, "name: default\ndescription: from the first directory\n");
	dirs[0] = tmp;
	dirs[1] = prof;
	assert_int_equal(twa_profile_load("default", &s, NULL, NULL, &p, &err), 0);
	assert_string_equal(p.description, "from the first directory");
	assert_int_equal(p.n_wants, 0);
	twa_profile_release(&p);

	/* a parent is found beside its child before the search path */
	snprintf(path, sizeof(path), "%s/kid.yaml", tmp);
	write_str(path, "name: kid\nextends: default\n");
	dirs[0] = prof;
	s.n = 1;
	assert_int_equal(twa_profile_load(path, &s, NULL, NULL, &p, &err), 0);
	assert_string_equal(p.chain, "kid -> default");
	assert_string_equal(p.description, "from the first directory");
	twa_profile_release(&p);

	rm_rf(tmp);
}

static int collect_names(const char *name, const char *path, void *ctx)
{
	struct strbuf *sb = ctx;

	strbuf_addf(sb, "%s=%s\n", name, strrchr(path, '/') ? strrchr(path, '/') : path);
	return 0;
}

static int stop_at_second(const char *name, const char *path, void *ctx)
{
	unsigned *n = ctx;

	(void)name;
	(void)path;
	return ++*n == 2 ? -ECANCELED : 0;
}

static void test_list(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char tmp[64], path[700], prof[600];
	const char *dirs[2];
	struct twa_profile_search s = { dirs, 2 };
	unsigned n = 0;

	(void)state;
	profiles_dir(prof, sizeof(prof));
	make_tmpdir(tmp, sizeof(tmp));
	snprintf(path, sizeof(path), "%s/web-server.yaml", tmp);
	write_str(path, "name: web-server\n");
	snprintf(path, sizeof(path), "%s/aaa.yaml", tmp);
	write_str(path, "name: aaa\n");
	snprintf(path, sizeof(path), "%s/notes.txt", tmp);
	write_str(path, "not a profile\n");
	dirs[0] = tmp;
	dirs[1] = prof;
	assert_int_equal(twa_profile_list(&s, collect_names, &sb), 0);
	assert_string_equal(sb.buf,
			    "aaa=/aaa.yaml\n"
			    "container-host=/container-host.yaml\n"
			    "database=/database.yaml\n"
			    "default=/default.yaml\n"
			    "high-churn-client=/high-churn-client.yaml\n"
			    "reverse-proxy=/reverse-proxy.yaml\n"
			    "web-server=/web-server.yaml\n");
	/* web-server came from the first directory */
	strbuf_reset(&sb);
	dirs[1] = "/nonexistent-twa-dir";
	assert_int_equal(twa_profile_list(&s, collect_names, &sb), 0);
	assert_string_equal(sb.buf, "aaa=/aaa.yaml\nweb-server=/web-server.yaml\n");
	/* a callback error stops the walk and comes back */
	dirs[1] = prof;
	assert_int_equal(twa_profile_list(&s, stop_at_second, &n), -ECANCELED);
	assert_int_equal(n, 2);
	strbuf_release(&sb);
	rm_rf(tmp);
	/* no profile anywhere: nothing listed, no error.
	 * BUG (UBSan, make unit SANITIZE=undefined): profile_load.c calls
	 * qsort(NULL, 0, ...) when nothing was found; glibc declares the
	 * array nonnull. */
	make_tmpdir(tmp, sizeof(tmp));
	dirs[0] = tmp;
	dirs[1] = "/nonexistent-twa-dir";
	n = 0;
	assert_int_equal(twa_profile_list(&s, stop_at_second, &n), 0);
	assert_int_equal(n, 0);
	rm_rf(tmp);
}

static void test_url(void **state)
{
	struct fetch_ctx fc = { "name: remote\nextends: default\n", 0, "" };
	struct twa_profile p;
	struct twa_err err = { 0 };
	char prof[600];
	const char *dirs[1] = { prof };
	struct twa_profile_search s = { dirs, 1 };
	static const char url[] = "https://profiles.example.com/remote.yaml";

	(void)state;
	profiles_dir(prof, sizeof(prof));
	assert_int_equal(twa_profile_load(url, &s, fake_fetch, &fc, &p, &err), 0);
	assert_int_equal(fc.calls, 1);
	assert_string_equal(fc.url, url);
	assert_string_equal(p.source, url);
	assert_string_equal(p.chain, "remote -> default");
	twa_profile_release(&p);
	/* plain http is refused before any fetch */
	assert_int_equal(twa_profile_load("http://profiles.example.com/x.yaml", &s,
					  fake_fetch, &fc, &p, &err), -EINVAL);
	assert_int_equal(fc.calls, 1);
	assert_non_null(strstr(err.msg, "is not https"));
	/* no fetcher: cannot */
	assert_int_equal(twa_profile_load(url, &s, NULL, NULL, &p, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "cannot fetch"));
	/* a broken remote profile names the URL */
	fc.body = "name: remote\nsysctls:\n  net.ipv4.tcp_tw_reuse: 9\n";
	memset(&err, 0, sizeof(err));
	assert_int_equal(twa_profile_load(url, &s, fake_fetch, &fc, &p, &err), -EBADMSG);
	assert_string_equal(err.file, url);
	assert_int_equal(err.line, 3);
}

/* A remote profile extends only its own origin or a shipped name: never
 * a local path (issue 17: /etc/shadow's first line came back in the
 * error) nor another server. */
static void test_url_extends(void **state)
{
	static const struct {
		const char *extends;
		int want;
	} cases[] = {
		{ "/etc/shadow", -EBADMSG },
		{ "../../../etc/shadow", -EBADMSG },
		{ "shadow.yaml", -EBADMSG },
		{ "./default", -EBADMSG },
		{ "..", -EBADMSG },
		{ "https://other.example.com/base.yaml", -EBADMSG },
		{ "https://profiles.example.com:8443/base.yaml", -EBADMSG },
		{ "http://profiles.example.com/base.yaml", -EBADMSG },
		{ "default", 0 },
		{ "https://PROFILES.example.com:443/base.yaml", 0 },
	};
	struct fetch_ctx fc = { NULL, 0, "" };
	char prof[600], body[300];
	const char *dirs[1] = { prof };
	struct twa_profile_search s = { dirs, 1 };
	static const char url[] = "https://profiles.example.com/remote.yaml";
	size_t i;

	(void)state;
	profiles_dir(prof, sizeof(prof));
	for (i = 0; i < N(cases); i++) {
		struct twa_profile p;
		struct twa_err err = { 0 };
		int r;

		snprintf(body, sizeof(body), "name: remote%zu\nextends: %s\n", i, cases[i].extends);
		fc.body = body;
		fc.calls = 0;
		r = twa_profile_load(url, &s, fake_fetch, &fc, &p, &err);
		if (cases[i].want == 0) {
			/* same origin: fetched (the fake answers with the same body:
			 * a cycle closes on remoteN; the refusal did not happen) */
			if (r < 0 && strstr(err.msg, "never a local path"))
				fail_msg("extends %s: refused: %s", cases[i].extends, err.msg);
			else
				twa_profile_release(&p);
			continue;
		}
		if (r != cases[i].want)
			fail_msg("extends %s: got %d (%s), want %d", cases[i].extends, r, err.msg,
				 cases[i].want);
		assert_int_equal(fc.calls, 1);	/* nothing else fetched or read */
		assert_string_equal(err.file, url);
		assert_int_equal(err.line, 2);
		assert_int_equal(err.col, 10);	/* the extends value */
		/* refused here, or by the parser ("not a profile name") */
		if (!strstr(err.msg, "never a local path") && !strstr(err.msg, "not a profile name"))
			fail_msg("extends %s: %s", cases[i].extends, err.msg);
	}
}

/* extends chains: 9 profiles load, a 10th is one too many. */
static void test_chain_depth(void **state)
{
	struct twa_profile p;
	struct twa_err err = { 0 };
	char tmp[64], path[700], text[200];
	int i;

	(void)state;
	make_tmpdir(tmp, sizeof(tmp));
	for (i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "%s/p%d.yaml", tmp, i);
		if (i < 9)
			snprintf(text, sizeof(text), "name: p%d\nextends: p%d\n", i, i + 1);
		else
			snprintf(text, sizeof(text), "name: p%d\n", i);
		write_str(path, text);
	}
	snprintf(path, sizeof(path), "%s/p1.yaml", tmp);
	assert_int_equal(load(path, &p, &err), 0);
	assert_string_equal(p.chain, "p1 -> p2 -> p3 -> p4 -> p5 -> p6 -> p7 -> p8 -> p9");
	twa_profile_release(&p);
	snprintf(path, sizeof(path), "%s/p0.yaml", tmp);
	assert_int_equal(load(path, &p, &err), -EBADMSG);
	assert_string_equal(err.msg, "extends chain deeper than 8 profiles");
	snprintf(path, sizeof(path), "%s/p9.yaml", tmp);
	assert_string_equal(err.file, path);
	rm_rf(tmp);
}

/* extends may name a parent by path; a long path must not be cut short. */
static void test_extends_long_path(void **state)
{
	struct twa_profile p;
	struct twa_err err = { 0 };
	char tmp[64], sub[300], path[700], text[800];
	int r;

	(void)state;
	make_tmpdir(tmp, sizeof(tmp));
	snprintf(sub, sizeof(sub), "%s/a-rather-long-directory-name-for-shared-profiles", tmp);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(path, sizeof(path), "%s/base-profile.yaml", sub);
	write_str(path, "name: base\ndescription: the base\n");
	assert_true(strlen(path) > 63);
	snprintf(text, sizeof(text), "name: kid\nextends: %s\n", path);
	snprintf(path, sizeof(path), "%s/kid.yaml", tmp);
	write_str(path, text);
	r = load(path, &p, &err);
	/* BUG: struct twa_profile.extends is char[64]; twa_profile_parse copies
	 * the extends path into it with twa_strlcpy, silently cutting a path
	 * (or https:// URL) longer than 63 bytes, so the wrong file is
	 * looked up. */
	if (r != 0) {
		rm_rf(tmp);
		fail_msg("extends by a %zu-byte path: %s", strlen(text) - 19, err.msg);
	}
	rm_rf(tmp);
	assert_string_equal(p.chain, "kid -> base");
	assert_string_equal(p.description, "the base");
	twa_profile_release(&p);
}

/* ---- the shipped profiles ------------------------------------------- */

struct shipped {
	char names[16][64];
	size_t n;
};

static int add_shipped(const char *name, const char *path, void *ctx)
{
	struct shipped *s = ctx;

	(void)path;
	assert_true(s->n < N(s->names));
	snprintf(s->names[s->n++], sizeof(s->names[0]), "%s", name);
	return 0;
}

static void test_shipped_profiles(void **state)
{
	static const char *const required[] = { "default", "web-server", "reverse-proxy",
						"database", "high-churn-client", "container-host" };
	struct shipped sh = { .n = 0 };
	char prof[600];
	const char *dirs[1] = { prof };
	struct twa_profile_search s = { dirs, 1 };
	size_t i, j;

	(void)state;
	profiles_dir(prof, sizeof(prof));
	assert_int_equal(twa_profile_list(&s, add_shipped, &sh), 0);
	for (i = 0; i < N(required); i++) {
		for (j = 0; j < sh.n && strcmp(sh.names[j], required[i]); j++)
			;
		if (j == sh.n)
			fail_msg("profiles/%s.yaml is not shipped", required[i]);
	}
	for (i = 0; i < sh.n; i++) {
		struct twa_profile p;
		struct twa_err err = { 0 };
		char got[1200];
		size_t k;
		int r = twa_profile_load(sh.names[i], &s, NULL, NULL, &p, &err);

		twa_err_format(&err, got, sizeof(got));
		if (r != 0)
			fail_msg("shipped profile %s: %s", sh.names[i], got);
		assert_string_equal(p.name, sh.names[i]);
		assert_true(p.description[0] != '\0');
		/* every profile rests on default */
		if (strcmp(p.name, "default")) {
			const char *tail = strrchr(p.chain, ' ');

			assert_non_null(tail);
			assert_string_equal(tail + 1, "default");
		}
		/* each wanted value is itself acceptable to its want */
		for (k = 0; k < p.n_wants; k++) {
			char proposal[256];
			bool ok = false;

			if (!(p.wants[k].has & TWA_WANT_VALUE))
				continue;
			assert_int_equal(twa_want_check(&p.wants[k], p.wants[k].value, &ok,
							proposal, sizeof(proposal)), 0);
			if (!ok)
				fail_msg("%s: %s value %s fails its own want", p.name,
					 p.wants[k].key, p.wants[k].value);
		}
		/* no shipped profile asks for folklore */
		assert_null(twa_profile_want(&p, "net.ipv4.tcp_tw_recycle"));
		assert_null(twa_profile_want(&p, "net.ipv4.tcp_fin_timeout"));
		twa_profile_release(&p);
	}
	{
		struct twa_profile p;
		struct twa_err err = { 0 };

		assert_int_equal(twa_profile_load("reverse-proxy", &s, NULL, NULL, &p, &err), 0);
		assert_string_equal(p.chain, "reverse-proxy -> web-server -> default");
		assert_string_equal(twa_profile_want(&p, "net.ipv4.tcp_tw_reuse")->value, "1");
		assert_string_equal(twa_profile_want(&p, "net.ipv4.tcp_syncookies")->origin,
				    "web-server");
		assert_string_equal(twa_profile_want(&p, "net.ipv4.tcp_timestamps")->origin,
				    "default");
		twa_profile_release(&p);
	}
}

/* ---- what a want accepts and what it proposes ------------------------- */

static const struct want_case {
	const char *key;
	unsigned has;
	const char *value;
	int64_t min, max, min_size;
	const char *current;	/* NULL: absent on this kernel */
	bool ok;
	const char *proposal;
} want_cases[] = {
	/* exact values, compared with blanks normalized */
	{ "net.ipv4.tcp_tw_reuse", TWA_WANT_VALUE, "1", 0, 0, 0, "1", true, "" },
	{ "net.ipv4.tcp_tw_reuse", TWA_WANT_VALUE, "1", 0, 0, 0, "2", false, "1" },
	{ "net.ipv4.tcp_tw_reuse", TWA_WANT_VALUE, "1", 0, 0, 0, " 1 ", true, "" },
	{ "net.ipv4.tcp_tw_reuse", TWA_WANT_VALUE, "1", 0, 0, 0, NULL, false, "" },
	{ "net.ipv4.ip_local_port_range", TWA_WANT_VALUE, "10000 65535", 0, 0, 0,
	  "10000\t65535", true, "" },
	{ "net.ipv4.ip_local_port_range", TWA_WANT_VALUE, "10000 65535", 0, 0, 0,
	  "32768\t60999", false, "10000 65535" },
	/* min: at or above is fine; below proposes the value, else the min */
	{ "net.core.somaxconn", TWA_WANT_MIN | TWA_WANT_VALUE, "4096", 1024, 0, 0, "4096", true, "" },
	{ "net.core.somaxconn", TWA_WANT_MIN | TWA_WANT_VALUE, "4096", 1024, 0, 0, "1024", true, "" },
	{ "net.core.somaxconn", TWA_WANT_MIN | TWA_WANT_VALUE, "4096", 1024, 0, 0, "65535", true, "" },
	{ "net.core.somaxconn", TWA_WANT_MIN | TWA_WANT_VALUE, "4096", 1024, 0, 0, "1023", false, "4096" },
	{ "net.core.somaxconn", TWA_WANT_MIN | TWA_WANT_VALUE, "4096", 1024, 0, 0, "128", false, "4096" },
	{ "net.core.somaxconn", TWA_WANT_MIN | TWA_WANT_VALUE, "4096", 1024, 0, 0, "many", false, "4096" },
	{ "net.core.somaxconn", TWA_WANT_MIN | TWA_WANT_VALUE, "4096", 1024, 0, 0, NULL, false, "" },
	{ "net.ipv4.tcp_max_tw_buckets", TWA_WANT_MIN, "", 262144, 0, 0, "8192", false, "262144" },
	{ "net.ipv4.tcp_max_tw_buckets", TWA_WANT_MIN, "", 262144, 0, 0, "262144", true, "" },
	{ "net.ipv4.tcp_max_tw_buckets", TWA_WANT_MIN, "", 262144, 0, 0, "junk", false, "262144" },
	/* max */
	{ "net.ipv4.tcp_keepalive_time", TWA_WANT_MAX | TWA_WANT_VALUE, "300", 0, 600, 0, "7200", false, "300" },
	{ "net.ipv4.tcp_keepalive_time", TWA_WANT_MAX | TWA_WANT_VALUE, "300", 0, 600, 0, "600", true, "" },
	{ "net.ipv4.tcp_keepalive_time", TWA_WANT_MAX | TWA_WANT_VALUE, "300", 0, 600, 0, "60", true, "" },
	{ "net.ipv4.tcp_keepalive_time", TWA_WANT_MAX, "", 0, 600, 0, "7200", false, "600" },
	/* min and max without a value: the bound that is crossed */
	{ "net.ipv4.tcp_keepalive_probes", TWA_WANT_MIN | TWA_WANT_MAX, "", 3, 9, 0, "1", false, "3" },
	{ "net.ipv4.tcp_keepalive_probes", TWA_WANT_MIN | TWA_WANT_MAX, "", 3, 9, 0, "20", false, "9" },
	{ "net.ipv4.tcp_keepalive_probes", TWA_WANT_MIN | TWA_WANT_MAX, "", 3, 9, 0, "9", true, "" },
	/* min_size of a port range: counts ports, inclusive */
	{ "net.ipv4.ip_local_port_range", TWA_WANT_MIN_SIZE | TWA_WANT_VALUE, "10000 65535", 0, 0, 50000,
	  "32768\t60999", false, "10000 65535" },
	{ "net.ipv4.ip_local_port_range", TWA_WANT_MIN_SIZE | TWA_WANT_VALUE, "10000 65535", 0, 0, 50000,
	  "15536\t65535", true, "" },
	{ "net.ipv4.ip_local_port_range", TWA_WANT_MIN_SIZE | TWA_WANT_VALUE, "10000 65535", 0, 0, 50000,
	  "15537\t65535", false, "10000 65535" },
	{ "net.ipv4.ip_local_port_range", TWA_WANT_MIN_SIZE | TWA_WANT_VALUE, "10000 65535", 0, 0, 50000,
	  "1024 65535", true, "" },
	{ "net.ipv4.ip_local_port_range", TWA_WANT_MIN_SIZE | TWA_WANT_VALUE, "10000 65535", 0, 0, 50000,
	  "garbage", false, "10000 65535" },
	{ "net.ipv4.ip_local_port_range", TWA_WANT_MIN_SIZE | TWA_WANT_VALUE, "32768 60999", 0, 0, 16384,
	  "32768\t60999", true, "" },
	/* port lists: the current list must contain the wanted ports; the
	 * proposal is the union, in the kernel's canonical form */
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "8080,9000-9002", 0, 0, 0,
	  "", false, "8080,9000-9002" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "8080,9000-9002", 0, 0, 0,
	  "8080,9000-9010", true, "" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "8080,9000-9002", 0, 0, 0,
	  "22,8080", false, "22,8080,9000-9002" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "8080,9000-9002", 0, 0, 0,
	  "9001", false, "8080,9000-9002" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "8080,9000-9002", 0, 0, 0,
	  "8079,8081", false, "8079-8081,9000-9002" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "65535", 0, 0, 0,
	  "1", false, "1,65535" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "", 0, 0, 0,
	  "", true, "" },
	{ "net.ipv4.ip_local_reserved_ports", TWA_WANT_VALUE, "8080", 0, 0, 0,
	  "not,ports", false, "8080" },
};

/* Any sysctl: the parse accepts the grammar; the target says whether it
 * exists and what shape its value has. */
static void test_any_sysctl_target(void **state)
{
	static const struct {
		const char *doc, *msg;	/* msg NULL: accepted */
	} cases[] = {
		{ "  vm.swappiness: 10\n", NULL },
		{ "  vm.swappiness: {min: 5, max: 70}\n", NULL },
		{ "  net.ipv4.tcp_rmem: \"4096 87380 16777216\"\n", NULL },
		{ "  kernel.shmmax: \"18446744073692774399\"\n", NULL },
		{ "  net.ipv4.tcp_congestion_control: bbr\n", NULL },
		{ "  vm.swapiness: 10\n",
		  "t.yaml:3:3: vm.swapiness: no such sysctl on the target (ROOT/sys)" },
		{ "  net.ipv4.tcp_tw_resue: 1\n",
		  "t.yaml:3:3: net.ipv4.tcp_tw_resue: no such sysctl on the target (ROOT/sys); did you mean 'net.ipv4.tcp_tw_reuse'?" },
		{ "  vm.swappiness: ten\n",
		  "t.yaml:3:3: vm.swappiness: the kernel holds one integer, not 'ten'" },
		{ "  net.ipv4.tcp_rmem: \"4096 87380\"\n",
		  "t.yaml:3:3: net.ipv4.tcp_rmem: the kernel holds 3 integers, not '4096 87380'" },
		{ "  net.ipv4.tcp_rmem: 4096\n",
		  "t.yaml:3:3: net.ipv4.tcp_rmem: the kernel holds a vector of integers, not '4096'" },
		{ "  net.ipv4.tcp_congestion_control: {min: 1}\n",
		  "t.yaml:3:3: net.ipv4.tcp_congestion_control: min and max need one integer, but the kernel holds a string ('cubic')" },
	};
	struct twa_facts f;
	size_t i;

	(void)state;
	twa_facts_init(&f);
	snprintf(f.sources.sysctls, sizeof(f.sources.sysctls), "ROOT/sys");
	assert_int_equal(twa_facts_set_sysctl(&f, "vm.swappiness", "60"), 0);
	assert_int_equal(twa_facts_set_sysctl(&f, "net.ipv4.tcp_rmem", "4096\t131072\t6291456"), 0);
	assert_int_equal(twa_facts_set_sysctl(&f, "kernel.shmmax", "18446744073692774399"), 0);
	assert_int_equal(twa_facts_set_sysctl(&f, "net.ipv4.tcp_congestion_control", "cubic"), 0);
	for (i = 0; i < N(cases); i++) {
		struct twa_profile p;
		struct twa_err err = { 0 };
		char doc[400], got[700];
		int r;

		snprintf(doc, sizeof(doc), "name: t\nsysctls:\n%s", cases[i].doc);
		twa_profile_init(&p);
		assert_int_equal(twa_profile_parse(doc, strlen(doc), "t.yaml", &p, NULL, NULL, &err), 0);
		r = twa_profile_check_target(&p, &f, &err);
		twa_err_format(&err, got, sizeof(got));
		if (cases[i].msg ? r != -EBADMSG || strcmp(got, cases[i].msg) : r != 0)
			fail_msg("case %zu: got %d '%s', want '%s'", i, r, got,
				 cases[i].msg ? cases[i].msg : "ok");
		twa_profile_release(&p);
	}
	twa_facts_release(&f);
}

static void test_want_check(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(want_cases); i++) {
		const struct want_case *c = &want_cases[i];
		struct twa_sysctl_want w;
		char proposal[256];
		bool ok = !c->ok;

		memset(&w, 0, sizeof(w));
		snprintf(w.key, sizeof(w.key), "%s", c->key);
		snprintf(w.value, sizeof(w.value), "%s", c->value);
		w.has = c->has;
		w.min = c->min;
		w.max = c->max;
		w.min_size = c->min_size;
		memset(proposal, 'x', sizeof(proposal));
		proposal[sizeof(proposal) - 1] = '\0';
		assert_int_equal(twa_want_check(&w, c->current, &ok, proposal,
						sizeof(proposal)), 0);
		if (ok != c->ok || strcmp(proposal, c->proposal))
			fail_msg("case %zu: %s want '%s' current '%s': ok %d proposal '%s', want ok %d '%s'",
				 i, c->key, c->value, c->current ? c->current : "(absent)", ok,
				 proposal, c->ok, c->proposal);
	}
}

static void test_want_describe(void **state)
{
	static const struct {
		unsigned has;
		const char *value;
		int64_t min, max, min_size;
		const char *text;
	} cases[] = {
		{ TWA_WANT_VALUE, "1", 0, 0, 0, "= 1" },
		{ TWA_WANT_MIN, "", 4096, 0, 0, ">= 4096" },
		{ TWA_WANT_MIN | TWA_WANT_VALUE, "8192", 4096, 0, 0, ">= 4096 (propose 8192)" },
		{ TWA_WANT_MIN | TWA_WANT_MAX, "", 3, 9, 0, ">= 3, <= 9" },
		{ TWA_WANT_MIN_SIZE | TWA_WANT_VALUE, "10000 65535", 0, 0, 50000,
		  "at least 50000 ports (propose 10000 65535)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_sysctl_want w;
		char buf[160];

		memset(&w, 0, sizeof(w));
		w.has = cases[i].has;
		snprintf(w.value, sizeof(w.value), "%s", cases[i].value);
		w.min = cases[i].min;
		w.max = cases[i].max;
		w.min_size = cases[i].min_size;
		twa_want_describe(&w, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_corpus),
		cmocka_unit_test(test_bad_corpus_complete),
		cmocka_unit_test(test_alias_bombs_fail_fast),
		cmocka_unit_test(test_yaml_caps),
		cmocka_unit_test(test_file_size_cap),
		cmocka_unit_test(test_parent_alone),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_inherit_direct),
		cmocka_unit_test(test_everything),
		cmocka_unit_test(test_parse_buffer),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_url_extends),
		cmocka_unit_test(test_chain_depth),
		cmocka_unit_test(test_extends_long_path),
		cmocka_unit_test(test_shipped_profiles),
		cmocka_unit_test(test_any_sysctl_target),
		cmocka_unit_test(test_want_check),
		cmocka_unit_test(test_want_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
