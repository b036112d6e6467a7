/* SPDX-License-Identifier: MIT */
/* test_trace_agg.c - unit tests for advisor/trace/trace_agg.h: the tracer's maps
 * (as t_trace.sh's run left them: N=5 client-first, M=3 server-first, K=4
 * EADDRNOTAVAIL, L=2 held in CLOSE_WAIT) folded into trace facts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/tracefacts.h"
#include "advisor/rules/rule_trace.h"
#include "advisor/trace/trace_agg.h"

#define MS 1000000ull
#define NETNS 4026532246u

static struct twa_tr_key key(unsigned tgid, const char *comm, unsigned role, unsigned port)
{
	struct twa_tr_key k = { .netns = NETNS, .tgid = tgid, .cgroup = 77,
				.port = (__u16)port, .family = 2, .role = (__u8)role };

	strncpy(k.comm, comm, sizeof(k.comm) - 1);
	k.addr[0] = 127;
	k.addr[3] = 1;
	return k;
}

/* The maps after the t_trace.sh run, 500 ms after its last close. */
static void recorded(struct twa_trace_dump *d)
{
	struct twa_trace_row_raw *rows = calloc(3, sizeof(*rows));
	struct twa_tr_sock *socks = calloc(3, sizeof(*socks));
	unsigned i;

	rows[0].key = key(4242, "twa_tracegen", TWA_TR_ROLE_CLIENT, 5000);
	rows[0].stats = (struct twa_tr_stats){ .opened = 8, .closed = 8, .active_close = 5,
		.passive_close = 3, .close_wait = 3, .close_wait_ns = 3 * 200 * MS,
		.close_wait_max_ns = 210 * MS, .lifetime_ns = 8 * MS / 2 };
	rows[0].stats.lifetime_hist[8] = 8;		/* 256..511 us */
	rows[0].stats.connect_err[TWA_TR_ERR_EADDRNOTAVAIL] = 4;
	rows[1].key = key(4243, "twa-trsrv", TWA_TR_ROLE_SERVER, 5000);
	rows[1].stats = (struct twa_tr_stats){ .opened = 10, .closed = 10, .active_close = 5,
		.passive_close = 5, .close_wait = 5, .close_wait_ns = 5 * MS / 10,
		.close_wait_max_ns = MS / 10, .lifetime_ns = 10 * MS / 2 };
	rows[1].stats.lifetime_hist[8] = 6;
	rows[1].stats.lifetime_hist[9] = 4;
	rows[2].key = key(99, "curl", TWA_TR_ROLE_CLIENT, 1);
	rows[2].stats.connect_err[TWA_TR_ERR_ECONNREFUSED] = 3;
	/* The two the client holds in CLOSE_WAIT, and one server socket
	 * nobody has accepted yet (no process: not shown). */
	for (i = 0; i < 2; i++) {
		socks[i].key = rows[0].key;
		socks[i].established_ns = 1000 * MS;
		socks[i].cw_start_ns = 1400 * MS;
		socks[i].closed_first = 2;
	}
	socks[2].key = key(0, "", TWA_TR_ROLE_SERVER, 5000);
	socks[2].established_ns = 1000 * MS;
	*d = (struct twa_trace_dump){ .rows = rows, .n_rows = 3, .socks = socks, .n_socks = 3,
				      .now_ns = 2000 * MS, .netns = NETNS };
	d->counters[TWA_TR_CTR_SOCKS_OVERFLOW] = 7;
	d->counters[TWA_TR_CTR_UNOWNED] = 1;
}

static void test_recorded_run(void **state)
{
	struct twa_trace_dump d;
	struct twa_trace t = { 0 };
	const struct twa_trace_row *c, *s;

	(void)state;
	recorded(&d);
	assert_int_equal(twa_trace_aggregate(&d, 2.5, false, &t, NULL), 0);
	assert_true(t.present && t.requested);
	assert_int_equal(t.n_rows, 3);
	c = &t.rows[0];		/* connect() failures first */
	assert_string_equal(c->comm, "twa_tracegen");
	assert_int_equal(c->pid, 4242);
	assert_string_equal(c->role, "client");
	assert_string_equal(c->addr, "127.0.0.1");
	assert_int_equal(c->port, 5000);
	assert_int_equal(c->opened, 10);
	assert_int_equal(c->closed, 8);
	assert_int_equal(c->active_close, 5);
	assert_int_equal(c->passive_close, 5);	/* 3 closed + 2 still in CLOSE_WAIT */
	assert_int_equal(c->still_open, 2);
	assert_int_equal(c->close_wait, 5);
	assert_int_equal(c->close_wait_open, 2);
	/* (3 x 200 + 2 x 600 ms) / 5 */
	assert_float_equal(c->close_wait_mean_ms, 360.0, 1e-6);
	assert_float_equal(c->close_wait_max_ms, 600.0, 1e-6);
	assert_int_equal(c->connect_errors[TWA_TRACE_EADDRNOTAVAIL], 4);
	assert_int_equal(c->connect_failed, 4);
	assert_float_equal(c->lifetime_mean_ms, 0.5, 1e-9);
	assert_float_equal(c->lifetime_median_ms, 0.512, 1e-9);
	s = &t.rows[2];
	assert_string_equal(s->comm, "twa-trsrv");
	assert_string_equal(s->role, "server");
	assert_int_equal(s->still_open, 0);
	assert_float_equal(s->lifetime_median_ms, 0.512, 1e-9);
	assert_string_equal(t.rows[1].comm, "curl");	/* 3 refused: failures first */
	assert_int_equal(t.rows[1].connect_errors[TWA_TRACE_ECONNREFUSED], 3);
	assert_int_equal(t.socks_overflow, 7);
	assert_int_equal(t.rows_overflow, 0);
	assert_int_equal(t.unowned, 1);
	assert_int_equal(t.netns, NETNS);
	twa_trace_release(&t);
	twa_trace_dump_release(&d);
}

static void test_json_and_text(void **state)
{
	struct strbuf out = STRBUF_INIT;
	struct twa_trace_dump d;
	struct twa_trace t = { 0 };
	json_object *o, *rows, *r, *v;

	(void)state;
	recorded(&d);
	assert_int_equal(twa_trace_aggregate(&d, 2.5, false, &t, NULL), 0);
	o = twa_trace_to_json(&t);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "rows", &rows));
	r = json_object_array_get_idx(rows, 0);
	assert_true(json_object_object_get_ex(r, "connect_errors", &v));
	assert_true(json_object_object_get_ex(v, "EADDRNOTAVAIL", &v));
	assert_int_equal(json_object_get_int(v), 4);
	assert_true(json_object_object_get_ex(o, "overflow", &v));
	assert_true(json_object_object_get_ex(v, "sockets", &v));
	assert_int_equal(json_object_get_int(v), 7);
	json_object_put(o);
	assert_int_equal(twa_trace_write_text(&t, &out), 0);
	assert_non_null(strstr(out.buf, "twa_tracegen[4242]"));
	assert_non_null(strstr(out.buf, "EADDRNOTAVAIL=4"));
	assert_non_null(strstr(out.buf, "7 sockets not tracked"));
	strbuf_release(&out);
	twa_trace_release(&t);
	/* Not requested: no "trace" member at all; unavailable: says why. */
	assert_null(twa_trace_to_json(&t));
	t.requested = true;
	strcpy(t.unavailable, "tracing unavailable: it needs root");
	o = twa_trace_to_json(&t);
	assert_true(json_object_object_get_ex(o, "available", &v));
	assert_false(json_object_get_boolean(v));
	json_object_put(o);
	twa_trace_dump_release(&d);
}

static void test_empty_and_median(void **state)
{
	struct twa_trace_dump d = { 0 };
	struct twa_trace t = { 0 };
	uint64_t hist[TWA_TRACE_HIST] = { 0 };

	(void)state;
	assert_int_equal(twa_trace_aggregate(&d, 1, true, &t, NULL), 0);
	assert_int_equal(t.n_rows, 0);
	assert_true(t.all_netns);
	twa_trace_release(&t);
	assert_float_equal(twa_trace_hist_median_ms(hist), 0, 0);
	hist[0] = 1;		/* < 2 us */
	hist[11] = 1;		/* 2048..4095 us */
	hist[12] = 1;
	assert_float_equal(twa_trace_hist_median_ms(hist), 4.096, 1e-9);
}

/* The rules' reading: CRITICAL naming the process, destination, rate, lifetime. */
static void test_rules(void **state)
{
	struct twa_trace_dump d;
	struct twa_facts f;
	struct twa_finding out;

	(void)state;
	twa_facts_init(&f);
	recorded(&d);
	d.rows[0].stats.lifetime_hist[8] = 0;
	d.rows[0].stats.lifetime_hist[11] = 8;		/* 2048..4095 us */
	assert_int_equal(twa_trace_aggregate(&d, 10, false, &f.trace, NULL), 0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(rule_trace_exhaustion(&f, &out), 0);
	assert_int_equal(out.severity, TWA_SEV_CRITICAL);
	assert_string_equal(out.summary, "twa_tracegen[4242]: 4 connect() calls failed with EADDRNOTAVAIL toward 127.0.0.1:5000 in 10 s; it opened 1/s, median lifetime 4.1 ms: enable keep-alive (connection reuse) toward it");
	twa_finding_release(&out);
	memset(&out, 0, sizeof(out));
	assert_int_equal(rule_trace_active_closers(&f, &out), 0);
	assert_true(out.n_evidence >= 2);
	assert_non_null(strstr(out.evidence[0].value, "twa_tracegen[4242], client 127.0.0.1:5000: 5 in 10.0 s"));
	twa_finding_release(&out);
	memset(&out, 0, sizeof(out));
	assert_int_equal(rule_trace_close_wait(&f, &out), 0);
	assert_non_null(strstr(out.evidence[0].value, "5 sockets, 2 still in CLOSE_WAIT"));
	twa_finding_release(&out);
	/* Not traced: nothing; asked but unavailable: says why. */
	twa_trace_release(&f.trace);
	memset(&out, 0, sizeof(out));
	assert_int_equal(rule_trace_exhaustion(&f, &out), 0);
	assert_int_equal(out.n_evidence, 0);
	f.trace.requested = true;
	strcpy(f.trace.unavailable, "tracing unavailable: it needs root");
	assert_int_equal(rule_trace_close_wait(&f, &out), 0);
	assert_int_equal(out.n_evidence, 1);
	twa_finding_release(&out);
	twa_facts_release(&f);
	twa_trace_dump_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_run),
		cmocka_unit_test(test_json_and_text),
		cmocka_unit_test(test_empty_and_median),
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
