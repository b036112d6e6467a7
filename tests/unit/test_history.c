/* SPDX-License-Identifier: MIT */
/* test_history.c - the counter history: file codec, deltas, reboot, reset, corrupt files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/facts_json.h"
#include "advisor/facts/history.h"

#define BOOT_A "0b5c1f1e-0000-4000-8000-00000000000a"
#define BOOT_B "0b5c1f1e-0000-4000-8000-00000000000b"
#define NS "net:[4026531840]"

static void facts_at(struct twa_facts *f, const char *time, const char *boot,
		     int64_t overflows, int64_t tw_overflow)
{
	twa_facts_init(f);
	snprintf(f->host.netns, sizeof(f->host.netns), "%s", NS);
	snprintf(f->host.time, sizeof(f->host.time), "%s", time);
	snprintf(f->host.boot_id, sizeof(f->host.boot_id), "%s", boot);
	assert_int_equal(twa_named_set(&f->counters, "ListenOverflows", overflows), 0);
	assert_int_equal(twa_named_set(&f->counters, "TCPTimeWaitOverflow", tw_overflow), 0);
	/* Not one the history keeps. */
	assert_int_equal(twa_named_set(&f->counters, "TCPHPHits", 99), 0);
}

/* A history holding one sample, through the file format and back. */
static void history_of(struct twa_history *h, const struct twa_facts *f)
{
	struct strbuf buf = STRBUF_INIT;
	struct twa_history tmp;
	struct twa_err err = { 0 };

	twa_history_init(&tmp);
	assert_int_equal(twa_history_record(&tmp, f), 0);
	assert_int_equal(twa_history_encode(&tmp, &buf), 0);
	twa_history_release(&tmp);
	assert_int_equal(twa_history_parse(buf.buf, buf.len, "h.json", h, &err), 0);
	strbuf_release(&buf);
}

static void test_rfc3339(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(twa_rfc3339_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(twa_rfc3339_parse("2026-01-01T00:05:00Z", &t), 0);
	assert_int_equal(t, 1767225900);
	assert_int_equal(twa_rfc3339_parse("2024-02-29T12:00:00Z", &t), 0);
	assert_int_equal(t, 1709208000);
	assert_int_equal(twa_rfc3339_parse("2026-01-01T00:05:00+01:00", &t), -EINVAL);
	assert_int_equal(twa_rfc3339_parse("2026-13-01T00:00:00Z", &t), -EINVAL);
	assert_int_equal(twa_rfc3339_parse("", &t), -EINVAL);
}

static void test_deltas_valid(void **state)
{
	struct twa_facts then, now;
	struct twa_history h;
	const struct twa_named *d;

	(void)state;
	facts_at(&then, "2026-01-01T00:00:00Z", BOOT_A, 100, 7);
	facts_at(&now, "2026-01-01T00:05:00Z", BOOT_A, 440, 7);
	history_of(&h, &then);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.v[0].last.counters.n, 2);	/* TCPHPHits not kept */
	assert_int_equal(twa_history_compare(&h, &now, false, &now.history), 0);
	assert_int_equal(now.history.state, TWA_HISTORY_VALID);
	assert_true(now.history.interval == 300);
	assert_string_equal(now.history.previous_time, "2026-01-01T00:00:00Z");
	d = twa_named_get(&now.history.deltas, "ListenOverflows");
	assert_non_null(d);
	assert_int_equal(d->value, 340);
	d = twa_named_get(&now.history.deltas, "TCPTimeWaitOverflow");
	assert_non_null(d);
	assert_int_equal(d->value, 0);
	assert_null(twa_named_get(&now.history.deltas, "TCPHPHits"));
	twa_history_release(&h);
	twa_facts_release(&then);
	twa_facts_release(&now);
}

/* check at t1 judged against t0; a plan at t2 (a reader) is judged against
 * t0 too, so it proposes the fix for what that check saw; the next check
 * (a writer) is judged against t1. The baseline survives the file. */
static void test_reader_uses_check_baseline(void **state)
{
	struct twa_facts t0, t1, t2;
	struct twa_history h, back;
	struct twa_err err = { 0 };
	struct strbuf buf = STRBUF_INIT;
	const struct twa_named *d;

	(void)state;
	facts_at(&t0, "2026-01-01T00:00:00Z", BOOT_A, 100, 7);
	facts_at(&t1, "2026-01-01T00:05:00Z", BOOT_A, 440, 7);
	facts_at(&t2, "2026-01-01T00:05:10Z", BOOT_A, 440, 7);
	history_of(&h, &t0);
	assert_int_equal(twa_history_record(&h, &t1), 0);
	assert_int_equal(twa_history_encode(&h, &buf), 0);
	assert_int_equal(twa_history_parse(buf.buf, buf.len, "h.json", &back, &err), 0);
	assert_int_equal(twa_history_compare(&back, &t2, true, &t2.history), 0);
	assert_int_equal(t2.history.state, TWA_HISTORY_VALID);
	assert_string_equal(t2.history.previous_time, "2026-01-01T00:00:00Z");
	d = twa_named_get(&t2.history.deltas, "ListenOverflows");
	assert_non_null(d);
	assert_int_equal(d->value, 340);
	assert_int_equal(twa_history_compare(&back, &t2, false, &t2.history), 0);
	assert_string_equal(t2.history.previous_time, "2026-01-01T00:05:00Z");
	d = twa_named_get(&t2.history.deltas, "ListenOverflows");
	assert_non_null(d);
	assert_int_equal(d->value, 0);
	strbuf_release(&buf);
	twa_history_release(&h);
	twa_history_release(&back);
	twa_facts_release(&t0);
	twa_facts_release(&t1);
	twa_facts_release(&t2);
}

static void test_reboot_reset_none(void **state)
{
	struct twa_facts then, now;
	struct twa_history h;

	(void)state;
	facts_at(&then, "2026-01-01T00:00:00Z", BOOT_A, 100, 7);
	history_of(&h, &then);

	/* Another boot id: a reboot, whatever the counters did. */
	facts_at(&now, "2026-01-01T00:05:00Z", BOOT_B, 440, 7);
	assert_int_equal(twa_history_compare(&h, &now, false, &now.history), 0);
	assert_int_equal(now.history.state, TWA_HISTORY_REBOOT);
	assert_int_equal(now.history.deltas.n, 0);
	twa_facts_release(&now);

	/* Same boot, a counter went down: the namespace was made again. */
	facts_at(&now, "2026-01-01T00:05:00Z", BOOT_A, 440, 3);
	assert_int_equal(twa_history_compare(&h, &now, false, &now.history), 0);
	assert_int_equal(now.history.state, TWA_HISTORY_RESET);
	assert_int_equal(now.history.deltas.n, 0);
	twa_facts_release(&now);

	/* Another namespace: nothing to compare with. */
	facts_at(&now, "2026-01-01T00:05:00Z", BOOT_A, 440, 7);
	snprintf(now.host.netns, sizeof(now.host.netns), "net:[4026532000]");
	assert_int_equal(twa_history_compare(&h, &now, false, &now.history), 0);
	assert_int_equal(now.history.state, TWA_HISTORY_NONE);
	twa_facts_release(&now);

	/* The clock went backwards: no interval to judge by. */
	facts_at(&now, "2025-12-31T23:00:00Z", BOOT_A, 440, 7);
	assert_int_equal(twa_history_compare(&h, &now, false, &now.history), 0);
	assert_int_equal(now.history.state, TWA_HISTORY_NONE);
	twa_facts_release(&now);

	twa_history_release(&h);
	twa_facts_release(&then);
}

static void test_record_replaces_and_caps(void **state)
{
	struct twa_history h;
	struct twa_facts f;
	char t[32];
	int i;

	(void)state;
	twa_history_init(&h);
	for (i = 0; i < TWA_HISTORY_MAX_NS + 5; i++) {
		snprintf(t, sizeof(t), "2026-01-01T%02d:%02d:00Z", i / 60, i % 60);
		facts_at(&f, t, BOOT_A, i, 0);
		snprintf(f.host.netns, sizeof(f.host.netns), "net:[%ld]", 4026531840L + i);
		assert_int_equal(twa_history_record(&h, &f), 0);
		twa_facts_release(&f);
	}
	assert_int_equal(h.n, TWA_HISTORY_MAX_NS);
	/* Again for the newest namespace: replaced, not added. */
	facts_at(&f, "2026-01-02T00:00:00Z", BOOT_A, 1, 0);
	snprintf(f.host.netns, sizeof(f.host.netns), "net:[%ld]", 4026531840L + TWA_HISTORY_MAX_NS + 4);
	assert_int_equal(twa_history_record(&h, &f), 0);
	assert_int_equal(h.n, TWA_HISTORY_MAX_NS);
	twa_facts_release(&f);
	/* The oldest ones were dropped. */
	for (i = 0; i < (int)h.n; i++)
		assert_string_not_equal(h.v[i].netns, "net:[4026531840]");
	/* No namespace: nothing kept. */
	facts_at(&f, "2026-01-02T00:00:00Z", BOOT_A, 1, 0);
	f.host.netns[0] = '\0';
	assert_int_equal(twa_history_record(&h, &f), 0);
	assert_int_equal(h.n, TWA_HISTORY_MAX_NS);
	twa_facts_release(&f);
	twa_history_release(&h);
}

/* A full history (every namespace with a baseline, every kept counter at
 * its largest) is one file under the cap, and reads back the same. */
static void test_full_file_fits(void **state)
{
	struct strbuf buf = STRBUF_INIT, again = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_history h, back;
	struct twa_facts f;
	char t[32];
	int i, k, round;

	(void)state;
	twa_history_init(&h);
	for (round = 0; round < 2; round++)
		for (i = 0; i < TWA_HISTORY_MAX_NS; i++) {
			snprintf(t, sizeof(t), "2026-01-0%dT%02d:%02d:00Z", 1 + round, i / 60, i % 60);
			facts_at(&f, t, BOOT_A, 0, 0);
			for (k = 0; twa_history_counters[k]; k++)
				assert_int_equal(twa_named_set(&f.counters, twa_history_counters[k],
							       INT64_MAX - 1), 0);
			snprintf(f.host.netns, sizeof(f.host.netns), "net:[%ld]", 4026531840L + i);
			assert_int_equal(twa_history_record(&h, &f), 0);
			twa_facts_release(&f);
		}
	assert_int_equal(h.n, TWA_HISTORY_MAX_NS);
	assert_int_equal(twa_history_encode(&h, &buf), 0);
	assert_true(buf.len < TWA_HISTORY_FILE_MAX);
	if (twa_history_parse(buf.buf, buf.len, "h.json", &back, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(back.n, TWA_HISTORY_MAX_NS);
	assert_string_equal(back.v[7].base.time, h.v[7].base.time);
	assert_int_equal(back.v[7].last.counters.n, h.v[7].last.counters.n);
	assert_int_equal(twa_history_encode(&back, &again), 0);
	assert_string_equal(again.buf, buf.buf);
	strbuf_release(&again);
	strbuf_release(&buf);
	twa_history_release(&back);
	twa_history_release(&h);
}

static void test_corrupt_files(void **state)
{
	static const char *const bad[] = {
		"",
		"{",
		"[]",
		"{\"schema\": \"twadvise.facts/1\", \"namespaces\": {}}",
		"{\"schema\": \"twadvise.history/1\"}",
		"{\"schema\": \"twadvise.history/1\", \"namespaces\": []}",
		"{\"schema\": \"twadvise.history/1\", \"namespaces\": {\"n\": 1}}",
		"{\"schema\": \"twadvise.history/1\", \"namespaces\": {\"n\": {\"boot_id\": \"x\", \"time\": \"yesterday\", \"counters\": {}}}}",
		"{\"schema\": \"twadvise.history/1\", \"namespaces\": {\"n\": {\"boot_id\": \"x\", \"time\": \"2026-01-01T00:00:00Z\", \"counters\": {\"ListenOverflows\": -1}}}}",
		"{\"schema\": \"twadvise.history/1\", \"namespaces\": {\"n\": {\"boot_id\": \"x\", \"time\": \"2026-01-01T00:00:00Z\", \"counters\": {\"ListenOverflows\": \"many\"}}}}",
		"{\"schema\": \"twadvise.history/1\", \"namespaces\": {\"n\": {\"time\": \"2026-01-01T00:00:00Z\", \"counters\": {}}}}",
	};
	static const char good[] =
		"{\"schema\": \"twadvise.history/1\", \"namespaces\": {\"net:[1]\": {\"boot_id\": \"x\", \"time\": \"2026-01-01T00:00:00Z\", \"counters\": {\"ListenOverflows\": 3}}}}";
	struct twa_err err = { 0 };
	struct twa_history h;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int r = twa_history_parse(bad[i], strlen(bad[i]), "h.json", &h, &err);

		if (r != -EBADMSG)
			fail_msg("case %zu: %d, want -EBADMSG", i, r);
		assert_int_equal(h.n, 0);
		assert_true(err.msg[0] != '\0');
	}
	assert_int_equal(twa_history_parse(good, sizeof(good) - 1, "h.json", &h, &err), 0);
	assert_int_equal(h.n, 1);
	twa_history_release(&h);
	/* Too large: refused before parsing. */
	assert_int_equal(twa_history_parse(good, TWA_HISTORY_FILE_MAX + 1, "h.json", &h, &err),
			 -EBADMSG);
}

/* Recorded facts carry their history, in and out. */
static void test_facts_json_history(void **state)
{
	static const char doc[] =
		"{\"schema\": \"twadvise.facts/1\", \"host\": {\"netns\": \"net:[1]\", \"boot_id\": \"b\"},"
		" \"history\": {\"previous_time\": \"2026-01-01T00:00:00Z\", \"interval_seconds\": 300,"
		" \"deltas\": {\"ListenOverflows\": 340}}}";
	static const char reboot[] =
		"{\"schema\": \"twadvise.facts/1\", \"history\": {\"state\": \"reboot\"}}";
	static const char badstate[] =
		"{\"schema\": \"twadvise.facts/1\", \"history\": {\"state\": \"later\"}}";
	struct twa_err err = { 0 };
	struct twa_facts f;
	json_object *o, *h, *v;

	(void)state;
	twa_facts_init(&f);
	assert_int_equal(twa_facts_parse(doc, sizeof(doc) - 1, "f.json", &f, &err), 0);
	assert_int_equal(f.history.state, TWA_HISTORY_VALID);
	assert_true(f.history.interval == 300);
	assert_int_equal(twa_named_get(&f.history.deltas, "ListenOverflows")->value, 340);
	assert_string_equal(f.host.boot_id, "b");
	o = twa_facts_to_json(&f);
	assert_true(json_object_object_get_ex(o, "history", &h));
	assert_true(json_object_object_get_ex(h, "state", &v));
	assert_string_equal(json_object_get_string(v), "valid");
	assert_true(json_object_object_get_ex(h, "deltas", &v));
	json_object_put(o);
	twa_facts_release(&f);

	twa_facts_init(&f);
	assert_int_equal(twa_facts_parse(reboot, sizeof(reboot) - 1, "f.json", &f, &err), 0);
	assert_int_equal(f.history.state, TWA_HISTORY_REBOOT);
	o = twa_facts_to_json(&f);
	assert_true(json_object_object_get_ex(o, "history", &h));
	assert_false(json_object_object_get_ex(h, "deltas", &v));
	json_object_put(o);
	twa_facts_release(&f);

	twa_facts_init(&f);
	assert_int_equal(twa_facts_parse(badstate, sizeof(badstate) - 1, "f.json", &f, &err),
			 -EBADMSG);
	twa_facts_release(&f);

	/* No history: the member is there, null (fields never come and go). */
	twa_facts_init(&f);
	o = twa_facts_to_json(&f);
	assert_true(json_object_object_get_ex(o, "history", &h));
	assert_null(h);
	json_object_put(o);
	twa_facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_deltas_valid),
		cmocka_unit_test(test_reader_uses_check_baseline),
		cmocka_unit_test(test_reboot_reset_none),
		cmocka_unit_test(test_record_replaces_and_caps),
		cmocka_unit_test(test_full_file_fits),
		cmocka_unit_test(test_corrupt_files),
		cmocka_unit_test(test_facts_json_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
