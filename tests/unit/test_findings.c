/* SPDX-License-Identifier: MIT */
/* test_findings.c - unit tests for advisor/findings.h: building, ordering, status, JSON round trip, text output. */
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
#include "advisor/rules/findings.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void add(struct twa_findings *fs, const char *rule, enum twa_severity sev,
		const char *summary)
{
	struct twa_finding f;

	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "%s", rule);
	f.severity = sev;
	twa_finding_summary(&f, "%s", summary);
	assert_int_equal(twa_findings_add(fs, &f), 0);
	/* ownership moved: the source is left empty */
	assert_null(f.evidence);
	assert_null(f.changes);
	assert_string_equal(f.rule, "");
}

static void set_checked(struct twa_findings *fs, size_t n)
{
	size_t i;

	fs->checked = calloc(n, sizeof(*fs->checked));
	assert_non_null(fs->checked);
	for (i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "rule-%zu", i);
		fs->checked[i] = strdup(id);
		assert_non_null(fs->checked[i]);
	}
	fs->n_checked = n;
}

static void test_names(void **state)
{
	static const struct {
		enum twa_severity s;
		const char *name, *label;
	} sev[] = {
		{ TWA_SEV_OK, "ok", "OK" },
		{ TWA_SEV_INFO, "info", "INFO" },
		{ TWA_SEV_WARNING, "warning", "WARNING" },
		{ TWA_SEV_CRITICAL, "critical", "CRITICAL" },
	};
	enum twa_severity s;
	size_t i;

	(void)state;
	for (i = 0; i < N(sev); i++) {
		assert_string_equal(twa_severity_name(sev[i].s), sev[i].name);
		assert_string_equal(twa_severity_label(sev[i].s), sev[i].label);
		s = TWA_SEV_OK;
		assert_int_equal(twa_severity_from_name(sev[i].name, &s), 0);
		assert_int_equal(s, sev[i].s);
	}
	assert_int_equal(twa_severity_from_name("CRITICAL", &s), -EINVAL);
	assert_int_equal(twa_severity_from_name("unknown", &s), -EINVAL);
	assert_int_equal(twa_severity_from_name("", &s), -EINVAL);
	assert_string_equal(twa_severity_name((enum twa_severity)7), "unknown");
	assert_string_equal(twa_severity_label((enum twa_severity)7), "UNKNOWN");
	assert_string_equal(twa_status_name(TWA_STATUS_OK), "ok");
	assert_string_equal(twa_status_name(TWA_STATUS_WARNING), "warning");
	assert_string_equal(twa_status_name(TWA_STATUS_CRITICAL), "critical");
	assert_string_equal(twa_status_name(TWA_STATUS_UNKNOWN), "unknown");
	assert_string_equal(twa_status_name((enum twa_status)9), "unknown");
}

static void test_building(void **state)
{
	struct twa_finding f;
	size_t i;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(twa_finding_evidence(&f, "TIME_WAIT", "netlink", "%d", 188860), 0);
	assert_int_equal(twa_finding_evidence(&f, "net.ipv4.tcp_tw_reuse", NULL, "%s", "2"), 0);
	assert_int_equal(f.n_evidence, 2);
	assert_string_equal(f.evidence[0].value, "188860");
	assert_string_equal(f.evidence[1].source, "");
	/* a second change of a key replaces the first, in place */
	assert_int_equal(twa_finding_change(&f, "net.ipv4.tcp_tw_reuse", "2", "1"), 0);
	assert_int_equal(twa_finding_change(&f, "net.core.somaxconn", NULL, "4096"), 0);
	assert_int_equal(twa_finding_change(&f, "net.ipv4.tcp_tw_reuse", "2", "0"), 0);
	assert_int_equal(f.n_changes, 2);
	assert_string_equal(f.changes[0].key, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(f.changes[0].to, "0");
	assert_string_equal(f.changes[1].from, "");
	/* the summary is replaced, the recommendation appended to */
	twa_finding_summary(&f, "first %d", 1);
	twa_finding_summary(&f, "second %s", "two");
	assert_string_equal(f.summary, "second two");
	twa_finding_recommend(&f, "Do this.");
	twa_finding_recommend(&f, "Then %s.", "that");
	assert_string_equal(f.recommendation, "Do this. Then that.");
	/* far too much advice is cut, not overrun */
	for (i = 0; i < 200; i++)
		twa_finding_recommend(&f, "Again and again and again.");
	assert_true(strlen(f.recommendation) < sizeof(f.recommendation));
	/* evidence values longer than the field are cut */
	{
		char big[400];

		memset(big, 'v', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		assert_int_equal(twa_finding_evidence(&f, "big", "x", "%s", big), 0);
		assert_int_equal(strlen(f.evidence[2].value), sizeof(f.evidence[2].value) - 1);
	}
	twa_finding_release(&f);
	assert_null(f.evidence);
	assert_int_equal(f.n_changes, 0);
	twa_finding_release(&f);
	twa_finding_release(NULL);
}

static void test_order_and_status(void **state)
{
	struct twa_findings fs;

	(void)state;
	twa_findings_init(&fs);
	add(&fs, "a-info", TWA_SEV_INFO, "a");
	add(&fs, "b-crit", TWA_SEV_CRITICAL, "b");
	add(&fs, "c-warn", TWA_SEV_WARNING, "c");
	add(&fs, "d-crit", TWA_SEV_CRITICAL, "d");
	add(&fs, "e-info", TWA_SEV_INFO, "e");
	add(&fs, "f-warn", TWA_SEV_WARNING, "f");
	twa_findings_finish(&fs);
	/* most severe first; within a severity, the order they came in */
	assert_string_equal(fs.v[0].rule, "b-crit");
	assert_string_equal(fs.v[1].rule, "d-crit");
	assert_string_equal(fs.v[2].rule, "c-warn");
	assert_string_equal(fs.v[3].rule, "f-warn");
	assert_string_equal(fs.v[4].rule, "a-info");
	assert_string_equal(fs.v[5].rule, "e-info");
	assert_int_equal(fs.status, TWA_STATUS_CRITICAL);
	assert_int_equal(twa_findings_count(&fs, TWA_SEV_CRITICAL), 2);
	assert_int_equal(twa_findings_count(&fs, TWA_SEV_WARNING), 2);
	assert_int_equal(twa_findings_count(&fs, TWA_SEV_INFO), 2);
	assert_int_equal(twa_findings_count(&fs, TWA_SEV_OK), 0);
	/* finishing twice changes nothing */
	twa_findings_finish(&fs);
	assert_string_equal(fs.v[1].rule, "d-crit");
	assert_string_equal(fs.v[5].rule, "e-info");
	twa_findings_release(&fs);
	twa_findings_release(&fs);
	twa_findings_release(NULL);

	/* the status is the worst severity; info alone is ok */
	{
		static const struct {
			enum twa_severity sev[3];
			size_t n;
			enum twa_status want;
		} cases[] = {
			{ { 0 }, 0, TWA_STATUS_OK },
			{ { TWA_SEV_INFO }, 1, TWA_STATUS_OK },
			{ { TWA_SEV_INFO, TWA_SEV_WARNING }, 2, TWA_STATUS_WARNING },
			{ { TWA_SEV_WARNING, TWA_SEV_INFO, TWA_SEV_CRITICAL }, 3, TWA_STATUS_CRITICAL },
			{ { TWA_SEV_CRITICAL }, 1, TWA_STATUS_CRITICAL },
		};
		size_t i, k;

		for (i = 0; i < N(cases); i++) {
			twa_findings_init(&fs);
			fs.status = TWA_STATUS_UNKNOWN;
			for (k = 0; k < cases[i].n; k++)
				add(&fs, "r", cases[i].sev[k], "s");
			twa_findings_finish(&fs);
			if (fs.status != cases[i].want)
				fail_msg("case %zu: status %s", i, twa_status_name(fs.status));
			for (k = 1; k < fs.n; k++)
				assert_true(fs.v[k - 1].severity >= fs.v[k].severity);
			twa_findings_release(&fs);
		}
	}
}

/* Findings as a check would print them: with evidence and changes. */
static void sample(struct twa_findings *fs)
{
	struct twa_finding f;

	twa_findings_init(fs);
	snprintf(fs->profile, sizeof(fs->profile), "reverse-proxy");
	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "ephemeral-exhaustion");
	f.severity = TWA_SEV_CRITICAL;
	twa_finding_summary(&f, "83.6%% of the usable ephemeral ports toward 10.0.1.20:8080 (from 10.0.0.5) are taken: 23611 of 28232");
	twa_finding_recommend(&f, "connect() fails with EADDRNOTAVAIL when no port is left toward this destination. Open fewer connections: keep-alive and connection pools to 10.0.1.20:8080. Spread connections over more source addresses (IP_BIND_ADDRESS_NO_PORT, then bind() and connect()) or destination ports.");
	assert_int_equal(twa_finding_evidence(&f, "worst destination", "netlink", "10.0.0.5 -> 10.0.1.20:8080: 23611 ports"), 0);
	assert_int_equal(twa_finding_evidence(&f, "net.ipv4.ip_local_port_range", "/proc/sys", "32768 60999"), 0);
	assert_int_equal(twa_finding_change(&f, "net.ipv4.tcp_tw_reuse", "2", "1"), 0);
	assert_int_equal(twa_finding_change(&f, "net.ipv4.ip_local_port_range", "32768\t60999", "10000 65535"), 0);
	assert_int_equal(twa_findings_add(fs, &f), 0);
	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "close-wait-leak");
	f.severity = TWA_SEV_WARNING;
	twa_finding_summary(&f, "150 sockets in CLOSE_WAIT: \"java\"[4242] holds 150 \\ \xc3\xa9");
	twa_finding_recommend(&f, "Fix the application.");
	assert_int_equal(twa_finding_evidence(&f, "CLOSE_WAIT", "netlink", "150"), 0);
	assert_int_equal(twa_findings_add(fs, &f), 0);
	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "time-wait-volume");
	f.severity = TWA_SEV_INFO;
	twa_finding_summary(&f, "20000 sockets in TIME_WAIT");
	assert_int_equal(twa_findings_add(fs, &f), 0);
	memset(&f, 0, sizeof(f));
	snprintf(f.rule, sizeof(f.rule), "tw-recycle-enabled");
	f.severity = TWA_SEV_CRITICAL;
	twa_finding_summary(&f, "tcp_tw_recycle is 1: clients behind NAT fail to connect at random");
	twa_finding_recommend(&f, "Set net.ipv4.tcp_tw_recycle=0.");
	assert_int_equal(twa_finding_change(&f, "net.ipv4.tcp_tw_recycle", "1", "0"), 0);
	assert_int_equal(twa_findings_add(fs, &f), 0);
	twa_findings_finish(fs);
	set_checked(fs, 18);
}

static void test_json_round_trip(void **state)
{
	struct twa_findings fs, back;
	struct twa_err err = { 0 };
	struct strbuf js = STRBUF_INIT, again = STRBUF_INIT;
	json_object *o, *parsed;
	size_t i, k;

	(void)state;
	sample(&fs);
	o = twa_findings_to_json(&fs);
	assert_non_null(o);
	assert_int_equal(twa_json_write(o, true, &js), 0);
	json_object_put(o);
	/* the contract's names */
	assert_non_null(strstr(js.buf, "\"schema\": \"twadvise.findings/1\""));
	assert_non_null(strstr(js.buf, "\"status\": \"critical\""));
	assert_non_null(strstr(js.buf, "\"profile\": \"reverse-proxy\""));
	assert_non_null(strstr(js.buf, "\"recommendation\":"));
	assert_non_null(strstr(js.buf, "\"changes\": ["));
	assert_non_null(strstr(js.buf, "\"from\": \"32768\\t60999\""));
	assert_int_equal(twa_json_parse(js.buf, js.len, "f.json", &parsed, &err), 0);
	twa_findings_init(&back);
	if (twa_findings_from_json(parsed, "f.json", &back, &err) < 0)
		fail_msg("decode: %s", err.msg);
	json_object_put(parsed);
	assert_string_equal(back.profile, fs.profile);
	assert_int_equal(back.status, fs.status);
	assert_int_equal(back.n, fs.n);
	for (i = 0; i < fs.n; i++) {
		const struct twa_finding *a = &fs.v[i], *b = &back.v[i];

		assert_string_equal(a->rule, b->rule);
		assert_int_equal(a->severity, b->severity);
		assert_string_equal(a->summary, b->summary);
		assert_string_equal(a->recommendation, b->recommendation);
		assert_int_equal(a->n_evidence, b->n_evidence);
		for (k = 0; k < a->n_evidence; k++) {
			assert_string_equal(a->evidence[k].name, b->evidence[k].name);
			assert_string_equal(a->evidence[k].value, b->evidence[k].value);
			assert_string_equal(a->evidence[k].source, b->evidence[k].source);
		}
		assert_int_equal(a->n_changes, b->n_changes);
		for (k = 0; k < a->n_changes; k++) {
			assert_string_equal(a->changes[k].key, b->changes[k].key);
			assert_string_equal(a->changes[k].from, b->changes[k].from);
			assert_string_equal(a->changes[k].to, b->changes[k].to);
		}
	}
	/* the order survives: most severe first */
	assert_string_equal(back.v[0].rule, "ephemeral-exhaustion");
	assert_string_equal(back.v[1].rule, "tw-recycle-enabled");
	assert_string_equal(back.v[3].rule, "time-wait-volume");
	/* and encoding what was decoded gives the same findings */
	o = twa_findings_to_json(&back);
	twa_json_write(o, true, &again);
	json_object_put(o);
	assert_non_null(strstr(again.buf, "\"summary\": \"150 sockets in CLOSE_WAIT: \\\"java\\\"[4242] holds 150 \\\\ \xc3\xa9\""));
	twa_findings_release(&back);
	twa_findings_release(&fs);
	strbuf_release(&js);
	strbuf_release(&again);
}

static void test_json_errors(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
		{ "[]", "findings: expected an object" },
		{ "{\"findings\": []}", "findings.status: missing" },
		{ "{\"status\": \"meh\", \"findings\": []}", "findings.status: 'meh' is not ok, warning, critical or unknown" },
		{ "{\"status\": \"ok\"}", "findings.findings: missing" },
		{ "{\"status\": \"ok\", \"findings\": {}}", "findings.findings: expected an array" },
		{ "{\"status\": \"ok\", \"findings\": [7]}", "findings[0]: expected an object" },
		{ "{\"status\": \"ok\", \"findings\": [{\"rule\": \"r\", \"severity\": \"fatal\", \"summary\": \"s\"}]}",
		  "findings[0].severity: 'fatal' is not ok, info, warning or critical" },
		{ "{\"status\": \"ok\", \"findings\": [{\"rule\": \"r\", \"severity\": \"info\"}]}",
		  "findings[0].summary: missing" },
		{ "{\"status\": \"ok\", \"findings\": [{\"rule\": \"r\", \"severity\": \"info\", \"summary\": \"s\", \"evidence\": [1]}]}",
		  "findings[0].evidence[0]: expected an object" },
		{ "{\"status\": \"ok\", \"findings\": [{\"rule\": \"r\", \"severity\": \"info\", \"summary\": \"s\", \"changes\": [{\"key\": \"k\"}]}]}",
		  "findings[0].changes[0].to: missing" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_findings fs;
		struct twa_err err = { 0 };
		json_object *o;

		assert_int_equal(twa_json_parse(cases[i].doc, strlen(cases[i].doc), "f.json", &o, &err), 0);
		twa_findings_init(&fs);
		if (twa_findings_from_json(o, "f.json", &fs, &err) != -EBADMSG)
			fail_msg("case %zu accepted", i);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].msg);
		json_object_put(o);
		twa_findings_release(&fs);
	}
}

/* Lines of text that start with a severity label. */
static size_t header_lines(const char *text, const struct twa_findings *fs, bool color)
{
	size_t n = 0, i;
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		for (i = 0; i < fs->n; i++) {
			char want[700];

			snprintf(want, sizeof(want), "%s%-8s%s  %s: %s",
				 color ? (fs->v[i].severity == TWA_SEV_CRITICAL ? "\033[1;31m" :
					  fs->v[i].severity == TWA_SEV_WARNING ? "\033[1;33m" :
					  "\033[1;36m") : "",
				 twa_severity_label(fs->v[i].severity), color ? "\033[0m" : "",
				 fs->v[i].rule, fs->v[i].summary);
			if (len == strlen(want) && !strncmp(line, want, len))
				n++;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return n;
}

static void test_text(void **state)
{
	struct twa_findings fs;
	struct strbuf out = STRBUF_INIT;
	const char *line, *last;
	size_t i;

	(void)state;
	sample(&fs);
	assert_int_equal(twa_findings_write_text(&fs, false, false, &out), 0);
	/* one line per finding, in order, each whole */
	assert_int_equal(header_lines(out.buf, &fs, false), fs.n);
	assert_true(strstr(out.buf, "CRITICAL  ephemeral-exhaustion: 83.6%") <
		    strstr(out.buf, "CRITICAL  tw-recycle-enabled: ") &&
		    strstr(out.buf, "CRITICAL  tw-recycle-enabled: ") <
		    strstr(out.buf, "WARNING   close-wait-leak: ") &&
		    strstr(out.buf, "WARNING   close-wait-leak: ") <
		    strstr(out.buf, "INFO      time-wait-volume: "));
	/* changes, tab kept as the kernel prints it */
	assert_non_null(strstr(out.buf, "          change net.ipv4.tcp_tw_reuse: 2 -> 1\n"));
	assert_non_null(strstr(out.buf, "          -> connect() fails with EADDRNOTAVAIL"));
	/* no evidence unless verbose, no colour unless asked */
	assert_null(strstr(out.buf, "evidence"));
	assert_null(strchr(out.buf, '\033'));
	/* recommendations wrap at 100 columns */
	for (line = out.buf; *line;) {
		const char *nl = strchr(line, '\n');

		assert_non_null(nl);
		if (!strncmp(line, "          ", 10) || !strncmp(line, "             ", 13))
			if ((size_t)(nl - line) > 100)
				fail_msg("line longer than 100: %.*s", (int)(nl - line), line);
		line = nl + 1;
	}
	/* the closing status line */
	last = out.buf + out.len - 1;
	assert_int_equal(*last, '\n');
	while (last > out.buf && last[-1] != '\n')
		last--;
	assert_string_equal(last, "CRITICAL: 2 critical, 1 warning, 1 info; 18 rules checked (profile reverse-proxy)\n");

	strbuf_reset(&out);
	assert_int_equal(twa_findings_write_text(&fs, true, true, &out), 0);
	assert_int_equal(header_lines(out.buf, &fs, true), fs.n);
	assert_non_null(strstr(out.buf, "          evidence worst destination = 10.0.0.5 -> 10.0.1.20:8080: 23611 ports (netlink)\n"));
	assert_non_null(strstr(out.buf, "\033[1;31mCRITICAL\033[0m: 2 critical"));
	twa_findings_release(&fs);

	/* nothing found */
	twa_findings_init(&fs);
	snprintf(fs.profile, sizeof(fs.profile), "default");
	set_checked(&fs, 18);
	twa_findings_finish(&fs);
	strbuf_reset(&out);
	assert_int_equal(twa_findings_write_text(&fs, false, false, &out), 0);
	assert_string_equal(out.buf, "OK: 0 critical, 0 warning, 0 info; 18 rules checked (profile default)\n");
	for (i = 0; i < out.len; i++)
		assert_true(out.buf[i] != '\033');
	twa_findings_release(&fs);
	strbuf_release(&out);
}

/* --evidence-only: compliance findings become INFO and leave the status
 * to the health findings; JSON and text say which kind each is. */
static void test_kinds_and_evidence_only(void **state)
{
	struct twa_findings fs;
	struct twa_finding a, b;
	struct strbuf out = STRBUF_INIT;
	json_object *o, *list, *x, *v;

	(void)state;
	twa_findings_init(&fs);
	memset(&a, 0, sizeof(a));
	snprintf(a.rule, sizeof(a.rule), "somaxconn-low");
	a.severity = TWA_SEV_WARNING;
	a.kind = TWA_KIND_COMPLIANCE;
	twa_finding_summary(&a, "net.core.somaxconn is 128");
	memset(&b, 0, sizeof(b));
	snprintf(b.rule, sizeof(b.rule), "listen-overflow");
	b.severity = TWA_SEV_INFO;
	twa_finding_summary(&b, "20 listen overflows since boot");
	assert_int_equal(twa_findings_add(&fs, &a), 0);
	assert_int_equal(twa_findings_add(&fs, &b), 0);
	twa_findings_finish(&fs);
	assert_int_equal(fs.status, TWA_STATUS_WARNING);
	assert_int_equal(twa_findings_write_text(&fs, false, false, &out), 0);
	assert_non_null(strstr(out.buf, "somaxconn-low: net.core.somaxconn is 128 [compliance]\n"));
	assert_non_null(strstr(out.buf, "listen-overflow: 20 listen overflows since boot\n"));
	strbuf_release(&out);

	twa_findings_evidence_only(&fs);
	assert_int_equal(fs.status, TWA_STATUS_OK);
	assert_int_equal(twa_findings_count(&fs, TWA_SEV_WARNING), 0);
	o = twa_findings_to_json(&fs);
	assert_true(json_object_object_get_ex(o, "evidence_only", &v));
	assert_true(json_object_object_get_ex(o, "findings", &list));
	x = json_object_array_get_idx(list, 0);
	assert_true(json_object_object_get_ex(x, "kind", &v));
	assert_string_equal(json_object_get_string(v), "compliance");
	assert_true(json_object_object_get_ex(x, "severity", &v));
	assert_string_equal(json_object_get_string(v), "info");
	assert_true(json_object_object_get_ex(x, "demoted_from", &v));
	assert_string_equal(json_object_get_string(v), "warning");
	x = json_object_array_get_idx(list, 1);
	assert_true(json_object_object_get_ex(x, "kind", &v));
	assert_string_equal(json_object_get_string(v), "health");
	json_object_put(o);
	twa_findings_release(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_building),
		cmocka_unit_test(test_order_and_status),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_kinds_and_evidence_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
