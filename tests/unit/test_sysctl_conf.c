/* SPDX-License-Identifier: MIT */
/* test_sysctl_conf.c - unit tests for advisor/sysctl_conf.h: sysctl.d syntax, '/'-separated keys, settings, the persisted file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"
#include "advisor/apply/sysctl_conf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_key_form(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_tw_reuse" },
		{ "net/ipv4/tcp_tw_reuse", "net.ipv4.tcp_tw_reuse" },
		/* sysctl.d(5): with '/' first, '.' inside a segment stays a dot
		 * of the name (a VLAN interface), written back as '/' dotted */
		{ "net/ipv4/conf/eth0.100/rp_filter", "net.ipv4.conf.eth0/100.rp_filter" },
		/* with '.' first, a '/' is part of a segment */
		{ "net.ipv4.conf.eth0/100.rp_filter", "net.ipv4.conf.eth0/100.rp_filter" },
		{ "kernel", "kernel" },
		{ "", "" },
		{ "/net/core/somaxconn", ".net.core.somaxconn" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		char out[128];

		twa_sysctl_conf_key(cases[i].in, out, sizeof(out));
		if (strcmp(out, cases[i].out))
			fail_msg("'%s' -> '%s', want '%s'", cases[i].in, out, cases[i].out);
	}
	/* a small buffer is cut, never overrun */
	{
		char tiny[8];

		memset(tiny, 'x', sizeof(tiny));
		twa_sysctl_conf_key("net/ipv4/tcp_tw_reuse", tiny, 6);
		assert_string_equal(tiny, "net.i");
		assert_int_equal(tiny[6], 'x');
	}
}

struct seen {
	struct strbuf log;
	int stop_at;		/* line number whose callback fails, 0 never */
};

static int record(const char *key, const char *value, unsigned line, void *ctx)
{
	struct seen *s = ctx;

	strbuf_addf(&s->log, "%u:%s=%s|", line, key, value);
	return s->stop_at && (int)line == s->stop_at ? -ECANCELED : 0;
}

static void test_parse(void **state)
{
	static const char text[] =
		"# comment\n"
		"; also a comment\n"
		"\n"
		"   \t\n"
		"net.ipv4.tcp_tw_reuse = 1\n"
		"net.core.somaxconn=4096\n"
		"  net.ipv4.ip_local_port_range  =  10000\t65535  \n"
		"-net.ipv4.tcp_tw_recycle = 0\n"
		"- net.ipv4.tcp_fin_timeout = 30\n"
		"net/ipv4/tcp_max_tw_buckets = 262144\r\n"
		"net.ipv4.ip_local_reserved_ports =\n"
		"net.ipv4.tcp_keepalive_time = 300 # not a comment: part of the value\n"
		"kernel.core_pattern = |/usr/bin/x %p=%s\n"
		"\t# indented comment\n"
		"net.ipv4.tcp_syncookies = 1";	/* no final newline */
	struct seen s = { STRBUF_INIT, 0 };
	struct twa_err err = { 0 };

	(void)state;
	assert_int_equal(twa_sysctl_conf_parse(text, sizeof(text) - 1, "99-x.conf", record, &s,
					       &err), 0);
	assert_string_equal(s.log.buf,
			    "5:net.ipv4.tcp_tw_reuse=1|"
			    "6:net.core.somaxconn=4096|"
			    "7:net.ipv4.ip_local_port_range=10000\t65535|"
			    "8:net.ipv4.tcp_tw_recycle=0|"
			    "9:net.ipv4.tcp_fin_timeout=30|"
			    "10:net.ipv4.tcp_max_tw_buckets=262144|"
			    "11:net.ipv4.ip_local_reserved_ports=|"
			    "12:net.ipv4.tcp_keepalive_time=300 # not a comment: part of the value|"
			    "13:kernel.core_pattern=|/usr/bin/x %p=%s|"
			    "15:net.ipv4.tcp_syncookies=1|");
	strbuf_release(&s.log);

	/* a callback error stops the parse and comes back */
	s.stop_at = 6;
	strbuf_init(&s.log, 0);
	assert_int_equal(twa_sysctl_conf_parse(text, sizeof(text) - 1, "99-x.conf", record, &s,
					       &err), -ECANCELED);
	assert_string_equal(s.log.buf, "5:net.ipv4.tcp_tw_reuse=1|6:net.core.somaxconn=4096|");
	strbuf_release(&s.log);
	/* an empty file is fine */
	strbuf_init(&s.log, 0);
	s.stop_at = 0;
	assert_int_equal(twa_sysctl_conf_parse("", 0, "empty.conf", record, &s, &err), 0);
	assert_int_equal(s.log.len, 0);
	strbuf_release(&s.log);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *formatted;
	} cases[] = {
		{ "net.ipv4.tcp_tw_reuse 1\n", 1, "bad.conf:1:1: expected 'key = value'" },
		{ "# ok\nnet.ipv4.tcp_tw_reuse = 1\njunk\n", 3, "bad.conf:3:1: expected 'key = value'" },
		{ "\n\n\n[section]\n", 4, "bad.conf:4:1: expected 'key = value'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct seen s = { STRBUF_INIT, 0 };
		struct twa_err err = { 0 };
		char got[1200];

		assert_int_equal(twa_sysctl_conf_parse(cases[i].text, strlen(cases[i].text),
						       "bad.conf", record, &s, &err), -EBADMSG);
		twa_err_format(&err, got, sizeof(got));
		assert_string_equal(got, cases[i].formatted);
		assert_int_equal(err.line, cases[i].line);
		strbuf_release(&s.log);
	}
	/* a line longer than 4 KiB */
	{
		struct strbuf t = STRBUF_INIT;
		struct seen s = { STRBUF_INIT, 0 };
		struct twa_err err = { 0 };

		strbuf_addstr(&t, "net.ipv4.tcp_tw_reuse = 1\nnet.x = ");
		strbuf_addchars(&t, '1', 5000);
		strbuf_addch(&t, '\n');
		assert_int_equal(twa_sysctl_conf_parse(t.buf, t.len, "long.conf", record, &s, &err),
				 -EBADMSG);
		assert_string_equal(err.msg, "line too long");
		assert_int_equal(err.line, 2);
		strbuf_release(&t);
		strbuf_release(&s.log);
	}
}

static void test_settings(void **state)
{
	static const char text[] =
		"net.ipv4.tcp_tw_reuse = 0\n"
		"net/core/somaxconn = 1024\n"
		"net.ipv4.tcp_tw_reuse = 1\n"
		"net.core.somaxconn = 4096\n"
		"net.ipv4.ip_local_port_range = 10000\t65535\n";
	struct twa_conf_setting *v = NULL;
	struct twa_err err = { 0 };
	size_t n = 99;

	(void)state;
	assert_int_equal(twa_sysctl_conf_settings(text, sizeof(text) - 1, "a.conf", &v, &n, &err), 0);
	/* last setting per key, first-seen order */
	assert_int_equal(n, 3);
	assert_string_equal(v[0].key, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(v[0].value, "1");
	assert_string_equal(v[1].key, "net.core.somaxconn");
	assert_string_equal(v[1].value, "4096");
	assert_string_equal(v[2].value, "10000\t65535");
	free(v);
	/* nothing: n 0 */
	v = NULL;
	assert_int_equal(twa_sysctl_conf_settings("# only\n", 7, "b.conf", &v, &n, &err), 0);
	assert_int_equal(n, 0);
	free(v);
	/* a malformed line is an error, and nothing leaks */
	v = (struct twa_conf_setting *)1;
	n = 99;
	assert_int_equal(twa_sysctl_conf_settings("a = 1\nb\n", 8, "c.conf", &v, &n, &err), -EBADMSG);
	assert_string_equal(err.file, "c.conf");
	assert_int_equal(err.line, 2);
	/* out-parameters untouched on failure */
	assert_ptr_equal(v, (struct twa_conf_setting *)1);
	assert_int_equal(n, 99);
}

static void test_persist_render(void **state)
{
	struct twa_conf_setting v[3];
	struct strbuf out = STRBUF_INIT;
	struct twa_conf_setting *back = NULL;
	struct twa_err err = { 0 };
	size_t n = 0;

	(void)state;
	memset(v, 0, sizeof(v));
	snprintf(v[0].key, sizeof(v[0].key), "net.ipv4.tcp_tw_reuse");
	snprintf(v[0].value, sizeof(v[0].value), "1");
	snprintf(v[1].key, sizeof(v[1].key), "net.ipv4.ip_local_port_range");
	snprintf(v[1].value, sizeof(v[1].value), "10000\t65535");
	snprintf(v[2].key, sizeof(v[2].key), "net.ipv4.ip_local_reserved_ports");
	snprintf(v[2].value, sizeof(v[2].value), "8080,9000-9010");
	const char *named[] = { "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_tw_reuse",
				"net.ipv4.ip_local_port_range" };

	assert_int_equal(twa_persist_render("reverse-proxy", "20260101-120000-000001",
					    "2026-01-01T12:00:00Z", v, 3, named, 3, &out, &err), 0);
	assert_string_equal(out.buf,
			    "# Written by twadvise: do not edit by hand.\n"
			    "# 'twadvise rollback' restores the previous content of this file.\n"
			    "# profile: reverse-proxy\n"
			    "# snapshot: 20260101-120000-000001\n"
			    "# date: 2026-01-01T12:00:00Z\n"
			    "net.ipv4.tcp_tw_reuse = 1\n"
			    "net.ipv4.ip_local_port_range = 10000 65535\n"
			    "net.ipv4.ip_local_reserved_ports = 8080,9000-9010\n");
	/* what is written reads back as the same settings */
	assert_int_equal(twa_sysctl_conf_settings(out.buf, out.len, "90-twadvise.conf", &back, &n,
						  &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(back[0].value, "1");
	assert_string_equal(back[1].value, "10000 65535");
	assert_string_equal(back[2].key, "net.ipv4.ip_local_reserved_ports");
	assert_string_equal(back[2].value, "8080,9000-9010");
	free(back);
	/* no settings: the header alone */
	strbuf_reset(&out);
	assert_int_equal(twa_persist_render("p", "s", "d", NULL, 0, NULL, 0, &out, &err), 0);
	assert_non_null(strstr(out.buf, "# profile: p\n# snapshot: s\n# date: d\n"));
	assert_int_equal(out.buf[out.len - 1], '\n');
	strbuf_release(&out);
}

/* Issue 17: nothing but named keys of the grammar reaches the file, and a
 * newline in a header field cannot start a line. */
static void test_persist_render_refuses(void **state)
{
	struct twa_conf_setting v[2];
	struct strbuf out = STRBUF_INIT;
	struct twa_conf_setting *back = NULL;
	struct twa_err err = { 0 };
	const char *named[] = { "net.ipv4.tcp_tw_reuse" };
	size_t n = 0;

	(void)state;
	memset(v, 0, sizeof(v));
	snprintf(v[0].key, sizeof(v[0].key), "net.ipv4.tcp_tw_reuse");
	snprintf(v[0].value, sizeof(v[0].value), "1");
	assert_int_equal(twa_persist_render("x\nkernel.core_pattern = |/tmp/p %p\r", "s", "d",
					    v, 1, named, 1, &out, &err), 0);
	assert_non_null(strstr(out.buf, "# profile: x\\x0akernel.core_pattern = |/tmp/p %p\\x0d\n"));
	assert_int_equal(twa_sysctl_conf_settings(out.buf, out.len, "r", &back, &n, &err), 0);
	assert_int_equal(n, 1);
	free(back);
	/* a key the plan does not name */
	snprintf(v[1].key, sizeof(v[1].key), "net.core.somaxconn");
	snprintf(v[1].value, sizeof(v[1].value), "4096");
	strbuf_reset(&out);
	assert_int_equal(twa_persist_render("p", "s", "d", v, 2, named, 1, &out, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "neither the plan nor the snapshot names it"));
	/* a key outside the grammar, named or not */
	snprintf(v[1].key, sizeof(v[1].key), "kernel.core_pattern");
	strbuf_reset(&out);
	assert_int_equal(twa_persist_render("p", "s", "d", &v[1], 1, (const char *[]){ "kernel.core_pattern" },
					    1, &out, &err), -EINVAL);
	/* a value with a newline */
	snprintf(v[0].value, sizeof(v[0].value), "1\nnet.core.somaxconn = 1");
	strbuf_reset(&out);
	assert_int_equal(twa_persist_render("p", "s", "d", v, 1, named, 1, &out, &err), -EINVAL);
	strbuf_release(&out);
}

static void test_persist_content_check(void **state)
{
	static const char *const bad[] = {
		"net.ipv4.tcp_tw_reuse = 1\nkernel.core_pattern = |/x\n",
		"# fine\rkernel.core_pattern = |/x\n",
		"net.ipv4.tcp_tw_reuse = 1\x1b[2J\n",
		"just words\n",
		"net/ipv4/../../x = 1\n",
	};
	static const char good[] = "# Written by twadvise\n\n; c\nnet.ipv4.tcp_tw_reuse = 1\n"
				   "-net/ipv4/tcp_fin_timeout = 30\n";
	struct twa_err err = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(twa_persist_content_check(good, sizeof(good) - 1, "f", &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(twa_persist_content_check(bad[i], strlen(bad[i]), "f", &err),
				 -EBADMSG);
		assert_string_equal(err.file, "f");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_form),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_persist_render),
		cmocka_unit_test(test_persist_render_refuses),
		cmocka_unit_test(test_persist_content_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
