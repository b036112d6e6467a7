/* SPDX-License-Identifier: MIT */
/* test_nsreport.c - unit tests for advisor/report/nsreport.h: report
 * --all-netns sections worst first, the section cap and its count, escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/report/nsreport.h"

static const struct twa_nsreport_opts opts = { .version = "1.2.3",
					       .time = "2026-01-02T03:04:05Z",
					       .max_sections = 2 };

/* Three namespaces: ok "<b>x</b>", critical "red", warning "amber". */
static void fill(struct twa_ns_results *rs)
{
	static const char *const names[] = { "<b>x</b>", "red", "amber" };
	static const enum twa_status st[] = { TWA_STATUS_OK, TWA_STATUS_CRITICAL,
					      TWA_STATUS_WARNING };
	struct twa_ns_ident id;
	struct twa_ns_result *r;
	size_t i;

	twa_ns_results_init(rs);
	snprintf(rs->profile, sizeof(rs->profile), "default");
	for (i = 0; i < 3; i++) {
		memset(&id, 0, sizeof(id));
		id.inode = 4026531000 + i;
		snprintf(id.name, sizeof(id.name), "%s", names[i]);
		snprintf(id.path, sizeof(id.path), "/run/netns/n%zu", i);
		r = twa_ns_results_add(rs, &id);
		assert_non_null(r);
		r->status = st[i];
	}
	twa_ns_results_finish(rs);
}

static void test_markdown_cap(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct twa_ns_results rs;
	char *red, *amber;

	(void)state;
	fill(&rs);
	assert_int_equal(twa_nsreport_write_markdown(&rs, &opts, &out), 0);
	red = strstr(out.buf, "## 1. CRITICAL: netns red");
	amber = strstr(out.buf, "## 2. WARNING: netns amber");
	assert_non_null(red);
	assert_non_null(amber);
	assert_true(red < amber);
	assert_null(strstr(out.buf, "## 3."));
	assert_non_null(strstr(out.buf, "1 more namespaces have no section here (at most 2): 0 critical, 0 warning, 0 unknown, 1 ok, 0 gone"));
	assert_non_null(strstr(out.buf, "**CRITICAL**: 3 namespaces"));
	strbuf_release(&out);
	twa_ns_results_release(&rs);
}

static void test_html_escaped(void **state)
{
	struct twa_nsreport_opts all = opts;
	struct strbuf out = STRBUF_INIT;
	struct twa_ns_results rs;

	(void)state;
	all.max_sections = 0;
	fill(&rs);
	assert_int_equal(twa_nsreport_write_html(&rs, &all, &out), 0);
	assert_non_null(strstr(out.buf, "<!DOCTYPE html>"));
	assert_non_null(strstr(out.buf, "netns &lt;b&gt;x&lt;/b&gt;"));
	assert_null(strstr(out.buf, "<b>x"));
	assert_non_null(strstr(out.buf, "id=\"ns-3\""));
	assert_non_null(strstr(out.buf, "</html>"));
	strbuf_release(&out);
	twa_ns_results_release(&rs);
}

static void test_json_omitted(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct twa_ns_results rs;
	json_object *d, *v;

	(void)state;
	fill(&rs);
	assert_int_equal(twa_nsreport_write_json(&rs, &opts, &out), 0);
	d = json_tokener_parse(out.buf);
	assert_non_null(d);
	assert_string_equal(json_object_get_string(json_object_object_get(d, "schema")),
			    TWA_NETNS_REPORT_SCHEMA);
	assert_string_equal(json_object_get_string(json_object_object_get(d, "status")), "critical");
	v = json_object_object_get(d, "namespaces");
	assert_int_equal(json_object_array_length(v), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(
				    json_object_array_get_idx(v, 0), "label")), "netns red");
	v = json_object_object_get(d, "omitted");
	assert_int_equal(json_object_get_int(json_object_object_get(v, "count")), 1);
	assert_int_equal(json_object_get_int(json_object_object_get(v, "ok")), 1);
	json_object_put(d);
	strbuf_release(&out);
	twa_ns_results_release(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_cap),
		cmocka_unit_test(test_html_escaped),
		cmocka_unit_test(test_json_omitted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
