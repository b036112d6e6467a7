/* SPDX-License-Identifier: MIT */
/* test_snapshot.c - unit tests for advisor/snapshot.h: round trips and hand-edited (hostile) snapshots. */
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
#include "advisor/util/jsonutil.h"
#include "advisor/apply/snapshot.h"
#include "advisor/util/strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* What an apply with --persist saves, including a file no one would write
 * by hand: quotes, backslashes, tabs, CRLF, UTF-8, a NUL-free binary-ish
 * tail and JSON/HTML look-alikes. */
static const char persist_text[] =
	"# Written by twadvise: do not edit by hand.\n"
	"# profile: reverse-proxy\n"
	"net.ipv4.ip_local_port_range = 10000 65535\n"
	"net.ipv4.tcp_tw_reuse\t=\t1\n"
	"; \"quoted\" \\backslash\\ 'single' </script><!-- {\"json\": [1]} -->\n"
	"-net.ipv4.tcp_fin_timeout = 30";

static void build(struct twa_snapshot *s, bool persist, bool existed)
{
	twa_snapshot_init(s);
	snprintf(s->id, sizeof(s->id), "20260101-120000-000001");
	snprintf(s->created, sizeof(s->created), "2026-01-01T12:00:00Z");
	snprintf(s->operation, sizeof(s->operation), "apply");
	snprintf(s->host, sizeof(s->host), "proxy-1");
	snprintf(s->netns, sizeof(s->netns), "net:[4026531840]");
	snprintf(s->profile, sizeof(s->profile), "reverse-proxy");
	snprintf(s->plan_fingerprint, sizeof(s->plan_fingerprint),
		 "sha256:2d5b347019308757650f29f2582003e1ff5ec2f6bcb98d33a56b720578147af3");
	assert_int_equal(twa_snapshot_add(s, "net.ipv4.tcp_tw_reuse", "2"), 0);
	assert_int_equal(twa_snapshot_set_written(s, "1"), 0);
	assert_int_equal(twa_snapshot_add(s, "net.ipv4.ip_local_port_range", "32768\t60999"), 0);
	assert_int_equal(twa_snapshot_add(s, "net.ipv4.ip_local_reserved_ports", ""), 0);
	if (persist)
		assert_int_equal(twa_snapshot_set_persist(s, "/etc/sysctl.d/90-twadvise.conf",
							  existed ? persist_text : NULL,
							  existed ? sizeof(persist_text) - 1 : 0), 0);
}

static void encode(const struct twa_snapshot *s, struct strbuf *out)
{
	json_object *o = twa_snapshot_to_json(s);

	assert_non_null(o);
	strbuf_reset(out);
	assert_int_equal(twa_json_write(o, true, out), 0);
	json_object_put(o);
}

static void assert_same(const struct twa_snapshot *a, const struct twa_snapshot *b)
{
	size_t i;

	assert_string_equal(a->id, b->id);
	assert_string_equal(a->created, b->created);
	assert_string_equal(a->operation, b->operation);
	assert_string_equal(a->host, b->host);
	assert_string_equal(a->netns, b->netns);
	assert_string_equal(a->profile, b->profile);
	assert_string_equal(a->plan_fingerprint, b->plan_fingerprint);
	assert_string_equal(a->rolls_back, b->rolls_back);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_string_equal(a->values[i].key, b->values[i].key);
		assert_string_equal(a->values[i].value, b->values[i].value);
	}
	assert_int_equal(a->has_persist, b->has_persist);
	assert_string_equal(a->persist_path, b->persist_path);
	assert_int_equal(a->persist_existed, b->persist_existed);
	if (a->persist_content || b->persist_content) {
		assert_non_null(a->persist_content);
		assert_non_null(b->persist_content);
		assert_string_equal(a->persist_content, b->persist_content);
	}
}

static void test_round_trip(void **state)
{
	static const struct {
		bool persist, existed;
		const char *operation, *rolls_back;
	} variants[] = {
		{ false, false, "apply", "" },
		{ true, true, "apply", "" },
		{ true, false, "apply", "" },
		{ true, true, "rollback", "20251231-235959-999999" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(variants); i++) {
		struct twa_snapshot s, t;
		struct twa_err err = { 0 };
		struct strbuf js = STRBUF_INIT, again = STRBUF_INIT;

		build(&s, variants[i].persist, variants[i].existed);
		snprintf(s.operation, sizeof(s.operation), "%s", variants[i].operation);
		snprintf(s.rolls_back, sizeof(s.rolls_back), "%s", variants[i].rolls_back);
		encode(&s, &js);
		assert_non_null(strstr(js.buf, "\"schema\": \"twadvise.snapshot/1\""));
		if (variants[i].persist && !variants[i].existed)
			assert_non_null(strstr(js.buf, "\"content\": null"));
		twa_snapshot_init(&t);
		if (twa_snapshot_parse(js.buf, js.len, "snap.json", &t, &err) < 0)
			fail_msg("variant %zu: %s", i, err.msg);
		assert_same(&s, &t);
		if (variants[i].existed)
			assert_memory_equal(t.persist_content, persist_text, sizeof(persist_text));
		else
			assert_null(t.persist_content);
		encode(&t, &again);
		assert_string_equal(again.buf, js.buf);
		twa_snapshot_release(&s);
		twa_snapshot_release(&t);
		strbuf_release(&js);
		strbuf_release(&again);
	}
}

static void test_api(void **state)
{
	struct twa_snapshot s;
	char key[96];
	int i;

	(void)state;
	/* ids are file names */
	assert_true(twa_snapshot_id_valid("20260101-120000-000001"));
	assert_true(twa_snapshot_id_valid("a.b_c-D"));
	assert_false(twa_snapshot_id_valid(""));
	assert_false(twa_snapshot_id_valid(".hidden"));
	assert_false(twa_snapshot_id_valid(".."));
	assert_false(twa_snapshot_id_valid("../etc/passwd"));
	assert_false(twa_snapshot_id_valid("a/b"));
	assert_false(twa_snapshot_id_valid("a b"));
	assert_false(twa_snapshot_id_valid("a\nb"));
	assert_true(twa_snapshot_id_valid("123456789012345678901234567890123456789012345678901234567890123"));
	assert_false(twa_snapshot_id_valid("1234567890123456789012345678901234567890123456789012345678901234"));

	/* at most 256 values */
	twa_snapshot_init(&s);
	for (i = 0; i < TWA_SNAPSHOT_MAX_KEYS; i++) {
		snprintf(key, sizeof(key), "net.ipv4.conf.eth%d.rp_filter", i);
		assert_int_equal(twa_snapshot_add(&s, key, "1"), 0);
	}
	assert_int_equal(twa_snapshot_add(&s, "net.x", "1"), -E2BIG);
	assert_int_equal(s.n, TWA_SNAPSHOT_MAX_KEYS);
	/* set_persist replaces, and NULL content means "did not exist" */
	assert_int_equal(twa_snapshot_set_persist(&s, "/a", "x", 1), 0);
	assert_true(s.persist_existed);
	assert_int_equal(twa_snapshot_set_persist(&s, "/b", NULL, 0), 0);
	assert_false(s.persist_existed);
	assert_null(s.persist_content);
	assert_string_equal(s.persist_path, "/b");
	/* an existing empty file is not an absent one */
	assert_int_equal(twa_snapshot_set_persist(&s, "/c", "", 0), 0);
	assert_true(s.persist_existed);
	assert_string_equal(s.persist_content, "");
	twa_snapshot_release(&s);
	twa_snapshot_release(&s);
	twa_snapshot_release(NULL);
}

/* An empty persisted file survives the trip as empty, not absent. */
static void test_empty_file_round_trip(void **state)
{
	struct twa_snapshot s, t;
	struct twa_err err = { 0 };
	struct strbuf js = STRBUF_INIT;

	(void)state;
	build(&s, false, false);
	assert_int_equal(twa_snapshot_set_persist(&s, "/etc/sysctl.d/90-twadvise.conf", "", 0), 0);
	encode(&s, &js);
	twa_snapshot_init(&t);
	assert_int_equal(twa_snapshot_parse(js.buf, js.len, "e.json", &t, &err), 0);
	assert_true(t.persist_existed);
	assert_non_null(t.persist_content);
	assert_string_equal(t.persist_content, "");
	twa_snapshot_release(&s);
	twa_snapshot_release(&t);
	strbuf_release(&js);
}

/* ---- hostile edits ----------------------------------------------------- */

/*
 * Each case edits a valid snapshot document: replace the first 'find'
 * with 'repl'. The result must be refused with -EBADMSG and a message
 * containing msg.
 */
static const struct edit {
	const char *name, *find, *repl, *msg;
} edits[] = {
	{ "schema", "twadvise.snapshot/1", "twadvise.snapshot/9",
	  "schema 'twadvise.snapshot/9' is not twadvise.snapshot/1" },
	{ "no id", "\"id\": \"20260101-120000-000001\",", "", "snapshot.id: missing" },
	{ "id with a slash", "\"id\": \"20260101-120000-000001\"", "\"id\": \"../../etc/passwd\"",
	  "bad snapshot id '../../etc/passwd'" },
	{ "id hidden", "\"id\": \"20260101-120000-000001\"", "\"id\": \".x\"",
	  "bad snapshot id '.x'" },
	{ "id empty", "\"id\": \"20260101-120000-000001\"", "\"id\": \"\"", "bad snapshot id ''" },
	{ "id not a string", "\"id\": \"20260101-120000-000001\"", "\"id\": 7",
	  "snapshot.id: expected a string" },
	{ "operation", "\"operation\": \"apply\"", "\"operation\": \"delete\"",
	  "operation 'delete' is not apply or rollback" },
	{ "values missing", "\"values\":", "\"vals\":", "snapshot.values: missing" },
	{ "value entry not an object",
	  "{\n      \"key\": \"net.ipv4.tcp_tw_reuse\",\n      \"value\": \"2\",\n      \"written\": \"1\"\n    }",
	  "\"net.ipv4.tcp_tw_reuse=2\"", "values[0]: expected an object" },
	{ "key outside net.", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"kernel.core_pattern\"",
	  "values[0]: sysctl 'kernel.core_pattern' names a program the kernel runs as root" },
	{ "key kernel.modprobe", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"kernel.modprobe\"",
	  "names a program the kernel runs as root" },
	{ "key outside /proc/sys", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"proc.sys.x\"",
	  "is not under a /proc/sys tree" },
	{ "key with ..", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"net.ipv4..tcp_tw_reuse\"",
	  "has an empty segment" },
	{ "key climbing out", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"net/../../../etc/shadow\"",
	  "is not under a /proc/sys tree" },
	{ "key with a slash", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"net.ipv4/../../kernel/core_pattern\"",
	  "has a bad character at 9" },
	{ "key uppercase", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"net.IPv4.tcp_tw_reuse\"",
	  "has a bad character at 5" },
	{ "key empty", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": \"\"", "empty sysctl name" },
	{ "key not a string", "\"key\": \"net.ipv4.tcp_tw_reuse\"", "\"key\": [\"net\"]",
	  "values[0].key: expected a string" },
	{ "value with a newline", "\"value\": \"2\"", "\"value\": \"2\\nkernel.core_pattern = |/tmp/x\"",
	  "values[0]: value has a control or non-ASCII character at byte 2" },
	{ "value with escape", "\"value\": \"2\"", "\"value\": \"\\u001b[2J\"",
	  "value has a control or non-ASCII character at byte 1" },
	{ "value with DEL", "\"value\": \"2\"", "\"value\": \"2\\u007f\"",
	  "value has a control or non-ASCII character at byte 2" },
	{ "value with NUL", "\"value\": \"2\"", "\"value\": \"2\\u0000 3\"",
	  "values[0].value: string too long or contains NUL" },
	{ "persist content with a foreign key", "\"existed\": false,\n    \"content\": null",
	  "\"existed\": true,\n    \"content\": \"# x\\nkernel.core_pattern = |/tmp/p %p\\n\"",
	  "names a program the kernel runs as root" },
	{ "persist content with a carriage return", "\"existed\": false,\n    \"content\": null",
	  "\"existed\": true,\n    \"content\": \"# x\\rkernel.core_pattern = |/x\\n\"",
	  "control or non-ASCII byte at 4" },
	{ "persist content with a bare word", "\"existed\": false,\n    \"content\": null",
	  "\"existed\": true,\n    \"content\": \"words\\n\"", "expected 'key = value'" },
	{ "profile with a newline", "\"profile\": \"reverse-proxy\"",
	  "\"profile\": \"x\\nnet.core.somaxconn = 1\"", "control or non-ASCII character" },
	{ "written out of range", "\"written\": \"1\"", "\"written\": \"9\"",
	  "out of range" },
	{ "persist existed without content", "\"existed\": false", "\"existed\": true",
	  "persist: 'existed' and 'content' disagree" },
	{ "persist content that did not exist", "\"content\": null",
	  "\"content\": \"net.ipv4.tcp_tw_reuse = 1\\n\"",
	  "persist: 'existed' and 'content' disagree" },
	{ "persist content not a string", "\"content\": null", "\"content\": 5",
	  "persist.content: expected a string" },
	{ "persist content with NUL", "\"existed\": false,\n    \"content\": null",
	  "\"existed\": true,\n    \"content\": \"a\\u0000b\"",
	  "persist.content too large or contains NUL" },
	{ "persist without a path", "\"path\": \"/etc/sysctl.d/90-twadvise.conf\",", "",
	  "persist.path: missing" },
	{ "persist existed not a bool", "\"existed\": false", "\"existed\": \"no\"",
	  "persist.existed: expected true or false" },
	{ "persist not an object", "\"persist\": {", "\"persist\": [{", "" },
	{ "persist a string", "\"persist\": {", "\"persist\": \"x\", \"p\": {",
	  "snapshot.persist: expected an object" },
	{ "values not an array", "\"values\": [", "\"values\": {}, \"v\": [",
	  "snapshot.values: expected an array" },
	{ "value missing", "\"value\":", "\"val\":", "values[0].value: missing" },
	{ "created not a string", "\"created\":", "\"created\": 1, \"c\":",
	  "snapshot.created: expected a string" },
	/* A second "id" (json-c would keep it, a reader sees the first) is
	 * refused before any member is decoded. */
	{ "a second id", "\"persist\": {",
	  "\"id\": \"../x\", \"persist\": 1, \"p\": {", "duplicate key \"id\" in one object" },
	{ "trailing garbage", "\n}\n", "\n}\n}\n", "" },
	{ "not JSON", "{", "#", "bad JSON" },
};

static void test_hostile_edits(void **state)
{
	struct twa_snapshot s;
	struct strbuf good = STRBUF_INIT, bad = STRBUF_INIT;
	size_t i;

	(void)state;
	build(&s, true, false);
	encode(&s, &good);
	twa_snapshot_release(&s);
	for (i = 0; i < N(edits); i++) {
		const struct edit *e = &edits[i];
		const char *at = strstr(good.buf, e->find);
		struct twa_snapshot t;
		struct twa_err err = { 0 };
		int r;

		if (!at)
			fail_msg("%s: '%s' not in the document:\n%s", e->name, e->find, good.buf);
		strbuf_reset(&bad);
		strbuf_add(&bad, good.buf, (size_t)(at - good.buf));
		strbuf_addstr(&bad, e->repl);
		strbuf_addstr(&bad, at + strlen(e->find));
		twa_snapshot_init(&t);
		r = twa_snapshot_parse(bad.buf, bad.len, "edited.json", &t, &err);
		if (r != -EBADMSG)
			fail_msg("%s: got %d (%s), want -EBADMSG", e->name, r, err.msg);
		assert_int_equal(err.code, -EBADMSG);
		if (!strstr(err.msg, e->msg))
			fail_msg("%s: '%s' lacks '%s'", e->name, err.msg, e->msg);
		/* the message names the file */
		if (strcmp(err.file, "edited.json") && !strstr(err.msg, "edited.json"))
			fail_msg("%s: '%s' does not name the file", e->name, err.msg);
		twa_snapshot_release(&t);
	}
	/* the unedited document parses: the edits are what is refused */
	twa_snapshot_init(&s);
	assert_int_equal(twa_snapshot_parse(good.buf, good.len, "good.json", &s, &(struct twa_err){ 0 }), 0);
	twa_snapshot_release(&s);
	strbuf_release(&good);
	strbuf_release(&bad);
}

/* Sizes: the document, the persisted content, the number of values. */
static void test_oversize(void **state)
{
	struct twa_snapshot s, t;
	struct twa_err err = { 0 };
	struct strbuf js = STRBUF_INIT;
	char *content;
	size_t i;

	(void)state;
	/* a document over 2 MiB is refused before parsing */
	strbuf_addstr(&js, "{}");
	strbuf_addchars(&js, ' ', TWA_SNAPSHOT_MAX_BYTES - 1);
	twa_snapshot_init(&t);
	assert_int_equal(twa_snapshot_parse(js.buf, js.len, "big.json", &t, &err), -EBADMSG);
	assert_string_equal(err.msg, "snapshot larger than 2097152 bytes");
	twa_snapshot_release(&t);

	/* persisted content of exactly 1 MiB is kept, one byte more refused */
	content = malloc(TWA_PERSIST_MAX_BYTES + 2);
	assert_non_null(content);
	for (i = 0; i < TWA_PERSIST_MAX_BYTES + 1; i++)
		content[i] = i % 64 == 63 ? '\n' : i % 64 == 0 ? '#' : 'a' + (char)(i % 26);
	content[TWA_PERSIST_MAX_BYTES + 1] = '\0';
	build(&s, false, false);
	assert_int_equal(twa_snapshot_set_persist(&s, "/etc/sysctl.d/90-twadvise.conf", content,
						  TWA_PERSIST_MAX_BYTES), 0);
	encode(&s, &js);
	twa_snapshot_init(&t);
	assert_int_equal(twa_snapshot_parse(js.buf, js.len, "max.json", &t, &err), 0);
	assert_int_equal(strlen(t.persist_content), TWA_PERSIST_MAX_BYTES);
	twa_snapshot_release(&t);
	assert_int_equal(twa_snapshot_set_persist(&s, "/etc/sysctl.d/90-twadvise.conf", content,
						  TWA_PERSIST_MAX_BYTES + 1), 0);
	encode(&s, &js);
	twa_snapshot_init(&t);
	assert_int_equal(twa_snapshot_parse(js.buf, js.len, "over.json", &t, &err), -EBADMSG);
	assert_string_equal(err.msg, "persist.content too large or contains NUL");
	twa_snapshot_release(&t);
	twa_snapshot_release(&s);
	free(content);

	/* 257 values */
	strbuf_reset(&js);
	strbuf_addstr(&js, "{\"schema\": \"twadvise.snapshot/1\", \"id\": \"x\", \"operation\": \"apply\", \"values\": [");
	for (i = 0; i < TWA_SNAPSHOT_MAX_KEYS + 1; i++)
		strbuf_addf(&js, "%s{\"key\": \"net.ipv4.conf.eth%zu.rp_filter\", \"value\": \"1\"}",
			    i ? ", " : "", i);
	strbuf_addstr(&js, "]}");
	twa_snapshot_init(&t);
	assert_int_equal(twa_snapshot_parse(js.buf, js.len, "many.json", &t, &err), -EBADMSG);
	assert_string_equal(err.msg, "more than 256 values");
	twa_snapshot_release(&t);
	strbuf_release(&js);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_empty_file_round_trip),
		cmocka_unit_test(test_hostile_edits),
		cmocka_unit_test(test_oversize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
