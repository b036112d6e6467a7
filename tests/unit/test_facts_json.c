/* SPDX-License-Identifier: MIT */
/* test_facts_json.c - unit tests for advisor/facts_json.h: round trips and malformed twadvise.facts/1 documents. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/facts_json.h"
#include "advisor/util/jsonutil.h"
#include "advisor/facts/proctext.h"
#include "advisor/util/strbuf.h"

#include "tests/unit/testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- building facts ---------------------------------------------------- */

enum {
	G_CORE = 1 << 0,	/* host, sockets, sockstat, counters, sysctls */
	G_PORTS = 1 << 1,	/* ephemeral, listeners, CLOSE_WAIT owners */
	G_SKIPPED = 1 << 2,	/* a dump that skipped TIME_WAIT: bound, skipped */
	G_SOURCES = 1 << 3,	/* where each group came from */
	G_FALLBACK = 1 << 4,	/* netlink failed, /proc was read */
	G_RATES = 1 << 5,	/* --samples: rates, series, close rates */
	G_BOOT = 1 << 6,	/* sysctl.d overrides */
};

static void build(struct twa_facts *f, unsigned groups)
{
	unsigned s;

	twa_facts_init(f);
	strcpy(f->host.hostname, "web-1.example.net");
	strcpy(f->host.kernel, "6.1.0-18-amd64");
	strcpy(f->host.netns, "net:[4026531840]");
	strcpy(f->host.time, "2026-01-01T00:00:00Z");
	if (groups & G_CORE) {
		f->sockets.present = true;
		strcpy(f->sockets.source, "netlink");
		for (s = 1; s < TWA_TCP_STATE_MAX; s++) {
			f->sockets.states[TWA_FAM_INET][s] = s * 3;
			f->sockets.states[TWA_FAM_INET6][s] = s % 2;
		}
		f->sockets.states[TWA_FAM_INET][TWA_TCP_TIME_WAIT] = 188860;
		f->sockets.fin_wait2_orphans = 4;
		f->have_sockstat = true;
		assert_int_equal(twa_named_set(&f->sockstat, "inuse", 25), 0);
		assert_int_equal(twa_named_set(&f->sockstat, "orphan", 0), 0);
		assert_int_equal(twa_named_set(&f->sockstat, "tw", 188860), 0);
		assert_int_equal(twa_named_set(&f->sockstat, "alloc", 30), 0);
		assert_int_equal(twa_named_set(&f->sockstat, "mem", 254), 0);
		assert_int_equal(twa_named_set(&f->counters, "TCPTimeWaitOverflow", 0), 0);
		assert_int_equal(twa_named_set(&f->counters, "ListenOverflows", 12), 0);
		assert_int_equal(twa_named_set(&f->counters, "MaxConn", -1), 0);
		assert_int_equal(twa_named_set(&f->counters, "InSegs", 9000000000000ll), 0);
		assert_int_equal(twa_facts_set_sysctl(f, "net.ipv4.tcp_tw_reuse", "2"), 0);
		assert_int_equal(twa_facts_set_sysctl(f, "net.ipv4.ip_local_port_range",
						      "32768\t60999"), 0);
		assert_int_equal(twa_facts_set_sysctl(f, "net.ipv4.ip_local_reserved_ports",
						      "8080,9000-9010"), 0);
		assert_int_equal(twa_facts_set_sysctl(f, "net.core.somaxconn", "4096"), 0);
	}
	if (groups & (G_PORTS | G_SKIPPED | G_RATES)) {
		struct twa_ephemeral *e = &f->ephemeral;

		e->present = true;
		e->low = 32768;
		e->high = 60999;
		assert_int_equal(twa_reserved_ports_parse("40000,50000-50010", &e->reserved,
							  &e->n_reserved, NULL), 0);
		e->usable = twa_usable_ports(e->low, e->high, e->reserved, e->n_reserved);
		e->dumped = true;
	}
	if (groups & (G_PORTS | G_RATES)) {
		struct twa_ephemeral *e = &f->ephemeral;
		struct twa_destination *d;

		e->dest = calloc(3, sizeof(*e->dest));
		assert_non_null(e->dest);
		e->n_dest = 3;
		e->dest_total = 17;
		e->untracked = 5;
		e->time_wait = 23001;
		d = &e->dest[0];
		d->family = TWA_AF_INET;
		strcpy(d->local, "127.0.0.1");
		strcpy(d->remote, "127.0.0.1");
		d->remote_port = 20000;
		d->in_use = 23611;
		d->time_wait = 23000;
		d->share = 23611.0 / e->usable;
		d->have_tw_recent = true;
		d->tw_recent = 390;
		d->have_loopback = true;
		d->loopback = true;
		d = &e->dest[1];
		d->family = TWA_AF_INET6;
		strcpy(d->local, "2001:db8::1");
		strcpy(d->remote, "::ffff:10.0.0.2");
		d->remote_port = 443;
		d->in_use = 1;
		d->share = 1.0 / e->usable;
		d->have_loopback = true;	/* false, and said so */
		d = &e->dest[2];
		d->have_loopback = true;
		d->family = TWA_AF_INET;
		strcpy(d->local, "10.0.0.1");
		strcpy(d->remote, "10.0.0.9");
		d->remote_port = 5432;
		if (groups & G_RATES) {
			e->dest[0].have_rate = true;
			e->dest[0].close_rate = 393.5;
			e->dest[0].projected_time_wait = 23610;
			d->have_rate = true;	/* 0/s is a rate too */
		}
	}
	if (groups & G_PORTS) {
		struct twa_listener l;

		f->have_listeners = true;
		memset(&l, 0, sizeof(l));
		l.family = TWA_AF_INET;
		strcpy(l.local, "0.0.0.0");
		l.port = 8080;
		l.queue = 3;
		l.backlog = 4096;
		l.process.pid = 812;
		strcpy(l.process.comm, "nginx");
		assert_int_equal(twa_facts_add_listener(f, &l), 0);
		memset(&l, 0, sizeof(l));
		l.family = TWA_AF_INET6;
		strcpy(l.local, "::");
		l.port = 45000;
		l.backlog = -1;	/* from /proc: unknown */
		l.in_ephemeral_range = true;
		assert_int_equal(twa_facts_add_listener(f, &l), 0);
		f->close_wait.searched = true;
		f->close_wait.v = calloc(2, sizeof(*f->close_wait.v));
		assert_non_null(f->close_wait.v);
		f->close_wait.n = 2;
		f->close_wait.v[0].pid = 4242;
		strcpy(f->close_wait.v[0].comm, "java");
		f->close_wait.v[0].count = 1200;
		f->close_wait.v[1].pid = 77;
		strcpy(f->close_wait.v[1].comm, "a \"quoted\" name");
		f->close_wait.v[1].count = 1;
		f->close_wait.unattributed = 3;
		f->close_wait.unreadable = 2;
	}
	if (groups & G_SKIPPED) {
		f->ephemeral.dumped = false;
		f->ephemeral.bound = 2075;
		f->sockets.skipped = TWA_TCPF(TWA_TCP_TIME_WAIT);
	}
	if (groups & G_SOURCES) {
		strcpy(f->sources.sockstat, "/proc/net/sockstat");
		strcpy(f->sources.counters, "/proc/net/{netstat,snmp}");
		strcpy(f->sources.sysctls, "/proc/sys");
		strcpy(f->sources.owners, "/proc/PID/fd");
	}
	if (groups & G_FALLBACK) {
		strcpy(f->sockets.source, "proc");
		strcpy(f->sockets.fallback, "netlink sock_diag unavailable: Operation not permitted");
	}
	if (groups & G_RATES) {
		struct twa_rates *r = &f->rates;

		r->present = true;
		r->samples = 3;
		r->interval = 1;
		r->elapsed = 2.004;
		assert_int_equal(twa_rate_add(&r->counters, "TW", 393.5), 0);
		assert_int_equal(twa_rate_add(&r->counters, "ActiveOpens", 400), 0);
		assert_int_equal(twa_rate_add(&r->states, "TIME_WAIT", 12.25), 0);
		assert_int_equal(twa_rate_add(&r->states, "ESTABLISHED", -0.5), 0);
		r->series = calloc(3, sizeof(*r->series));
		assert_non_null(r->series);
		r->n_series = 3;
		for (s = 0; s < 3; s++) {
			r->series[s].t = s * 1.002;
			r->series[s].states[TWA_TCP_TIME_WAIT] = 1000 + s * 12;
			r->series[s].states[TWA_TCP_ESTABLISHED] = 7;
		}
	}
	if (groups & G_BOOT) {
		struct twa_boot *b = &f->boot;

		b->present = true;
		strcpy(b->file, "/etc/sysctl.d/90-twadvise.conf");
		b->overrides = calloc(1, sizeof(*b->overrides));
		assert_non_null(b->overrides);
		b->n_overrides = 1;
		strcpy(b->overrides[0].key, "net.ipv4.tcp_tw_reuse");
		strcpy(b->overrides[0].ours, "1");
		strcpy(b->overrides[0].theirs, "0");
		strcpy(b->overrides[0].file, "/etc/sysctl.conf");
	}
}

/* ---- round trips --------------------------------------------------------- */

static char *facts_text(const struct twa_facts *f)
{
	struct strbuf sb = STRBUF_INIT;
	json_object *o = twa_facts_to_json(f);

	assert_non_null(o);
	assert_int_equal(twa_json_write(o, true, &sb), 0);
	json_object_put(o);
	return strbuf_detach(&sb, NULL);
}

/* Print where two texts first differ, a line of each. */
static void diff_hint(const char *what, const char *a, const char *b)
{
	unsigned line = 1;
	const char *la = a, *lb = b;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			la = a + 1;
			lb = b + 1;
		}
		a++;
		b++;
	}
	print_error("%s: first difference at line %u:\n  first:  %.*s\n  second: %.*s\n",
		    what, line, (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

/* facts -> JSON text -> facts -> JSON text: the two texts must be equal.
 * Returns 0 when they are. */
static int round_trip(const char *name, const struct twa_facts *f)
{
	struct twa_facts back;
	struct twa_err err = { 0 };
	char *t1 = facts_text(f), *t2;
	json_object *o1, *o2;
	int r, same;

	twa_facts_init(&back);
	r = twa_facts_parse(t1, strlen(t1), name, &back, &err);
	if (r != 0)
		fail_msg("%s: its own JSON does not parse back: %s", name, err.msg);
	t2 = facts_text(&back);
	o1 = json_tokener_parse(t1);
	o2 = json_tokener_parse(t2);
	assert_non_null(o1);
	assert_non_null(o2);
	same = !strcmp(t1, t2) && json_object_equal(o1, o2);
	if (!json_object_equal(o1, o2)) {
		int budget = 10;

		print_error("%s: facts -> JSON -> facts -> JSON differs:\n", name);
		tl_json_diff("", o1, o2, &budget);
	} else if (!same) {
		diff_hint(name, t1, t2);
	}
	json_object_put(o1);
	json_object_put(o2);
	free(t1);
	free(t2);
	twa_facts_release(&back);
	return same ? 0 : -1;
}

static const struct {
	const char *name;
	unsigned groups;
} trips[] = {
	{ "empty", 0 },
	{ "core", G_CORE },
	{ "ports", G_PORTS },
	{ "core+ports", G_CORE | G_PORTS },
	{ "skipped-dump", G_CORE | G_SKIPPED },
};

/* Groups the decoder dropped when this was written: see the BUG note. */
static const struct {
	const char *name;
	unsigned groups;
} lossy_trips[] = {
	{ "sources", G_CORE | G_SOURCES },
	{ "fallback", G_CORE | G_FALLBACK },
	{ "rates", G_CORE | G_RATES },
	{ "boot", G_CORE | G_BOOT },
};

static void test_round_trip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(trips); i++) {
		struct twa_facts f;

		build(&f, trips[i].groups);
		if (round_trip(trips[i].name, &f) != 0)
			fail_msg("round trip '%s' changed the facts", trips[i].name);
		twa_facts_release(&f);
	}
}

static void test_round_trip_every_group(void **state)
{
	size_t i;
	char failed[256] = "";

	(void)state;
	for (i = 0; i < N(lossy_trips); i++) {
		struct twa_facts f;

		build(&f, lossy_trips[i].groups);
		if (round_trip(lossy_trips[i].name, &f) != 0)
			snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed),
				 " %s", lossy_trips[i].name);
		twa_facts_release(&f);
	}
	/* BUG (advisor/facts_json.c twa_facts_from_json): "sources",
	 * "sockets.fallback" and "boot" are written but never read back
	 * (nor were "rates.states" and "rates.series" until the change that
	 * added rates_series_from_json), so `check --facts`, `report` and
	 * `report --merge` lose them. */
	if (failed[0])
		fail_msg("these groups do not survive facts -> JSON -> facts:%s", failed);
}

/* The recorded inspect output decodes, and encodes to the same document. */
static void test_round_trip_fixture(void **state)
{
	static const char rel[] = "proc/busy-host.facts.json";
	struct twa_facts f;
	struct twa_err err = { 0 };
	char *buf, *again;
	json_object *want, *got;
	size_t n;

	(void)state;
	buf = tl_read_fixture(rel, &n);
	twa_facts_init(&f);
	if (twa_facts_parse(buf, n, rel, &f, &err) != 0)
		fail_msg("%s: %s", rel, err.msg);
	assert_true(f.sockets.present);
	assert_int_equal(twa_facts_state(&f, TWA_TCP_TIME_WAIT), 3600);
	assert_int_equal(f.n_listeners, 4);
	assert_int_equal(f.close_wait.n, 2);
	again = facts_text(&f);
	want = json_tokener_parse(buf);
	got = json_tokener_parse(again);
	assert_non_null(want);
	assert_non_null(got);
	/* host.time was removed from the fixture; sources is checked by
	 * test_round_trip_every_group */
	json_object_object_del(got, "sources");
	json_object_object_del(want, "sources");
	json_object_object_del(json_object_object_get(got, "host"), "time");
	if (!tl_json_equal(want, got, 10))
		fail_msg("busy-host.facts.json changed in a round trip");
	json_object_put(want);
	json_object_put(got);
	free(again);
	free(buf);
	twa_facts_release(&f);
}

/* What the decoder rebuilds that the JSON does not spell out. */
static void test_decode_details(void **state)
{
	static const char doc[] =
		"{\"schema\": \"twadvise.facts/1\",\n"
		" \"sockets\": {\"source\": \"proc\", \"states\": {\"TIME_WAIT\": 5, \"LISTEN\": 2}},\n"
		" \"sysctls\": {\"net.core.somaxconn\": 4096},\n"
		" \"ephemeral\": {\"low\": 32768, \"high\": 60999, \"reserved\": [\"40000\", 50000, \"50001-50010\"],\n"
		"   \"usable\": 1, \"destinations\": [{\"local\": \"::1\", \"remote\": \"::1\", \"remote_port\": 80,\n"
		"   \"in_use\": 3, \"share\": 0.5, \"time_wait\": 1}]},\n"
		" \"listeners\": [{\"local\": \"10.0.0.1\", \"port\": 80, \"queue\": 0, \"backlog\": null,\n"
		"   \"in_ephemeral_range\": false, \"process\": null}],\n"
		" \"unknown_future_field\": {\"x\": [1, 2, 3]}}\n";
	struct twa_facts f;
	struct twa_err err = { 0 };

	(void)state;
	twa_facts_init(&f);
	if (twa_facts_parse(doc, strlen(doc), "d.json", &f, &err) != 0)
		fail_msg("%s", err.msg);
	/* states without families: all counted as inet */
	assert_int_equal(twa_facts_state(&f, TWA_TCP_TIME_WAIT), 5);
	assert_int_equal(twa_facts_total(&f), 7);
	/* an integer sysctl value is taken as its text */
	assert_string_equal(twa_facts_sysctl(&f, "net.core.somaxconn"), "4096");
	/* usable is recomputed from the range and reserved ports, not trusted */
	assert_int_equal(f.ephemeral.n_reserved, 3);
	assert_int_equal(f.ephemeral.usable, 28232 - 12);
	assert_true(f.ephemeral.dumped);	/* "complete" defaults to true */
	assert_int_equal(f.ephemeral.dest[0].family, TWA_AF_INET6);
	/* facts without loopback or tw_recent: loopback from the addresses,
	 * the ages unknown */
	assert_true(f.ephemeral.dest[0].loopback);
	assert_false(f.ephemeral.dest[0].have_tw_recent);
	assert_int_equal(f.ephemeral.dest_total, 1);
	assert_int_equal(f.listeners[0].family, TWA_AF_INET);
	assert_int_equal(f.listeners[0].backlog, -1);
	assert_int_equal(f.listeners[0].process.pid, 0);
	assert_true(f.have_listeners);
	assert_false(f.close_wait.searched);
	twa_facts_release(&f);
}

/* ---- malformed documents ------------------------------------------------- */

#define S "\"schema\": \"twadvise.facts/1\""

struct bad_case {
	const char *doc;
	const char *msg;
	unsigned line, col;	/* 0: semantic errors have no position */
};

static const struct bad_case bad_cases[] = {
	/* schema */
	{ "[1]", "expected a JSON object with \"schema\": \"twadvise.facts/1\"", 0, 0 },
	{ "\"facts\"", "expected a JSON object", 0, 0 },
	{ "{}", "facts.schema: missing", 0, 0 },
	{ "{\"schema\": \"twadvise.facts/2\"}", "schema 'twadvise.facts/2' is not twadvise.facts/1", 0, 0 },
	{ "{\"schema\": \"twadvise.findings/1\"}", "schema 'twadvise.findings/1' is not twadvise.facts/1", 0, 0 },
	{ "{\"schema\": 1}", "facts.schema: expected a string", 0, 0 },
	{ "{\"schema\": null}", "facts.schema: missing", 0, 0 },
	/* wrong types */
	{ "{" S ", \"host\": \"web-1\"}", "facts.host: expected an object", 0, 0 },
	{ "{" S ", \"host\": {\"hostname\": 7}}", "host.hostname: expected a string", 0, 0 },
	{ "{" S ", \"host\": {\"hostname\": \"a\\u0000b\"}}", "host.hostname: string too long or contains NUL", 0, 0 },
	{ "{" S ", \"sockets\": []}", "facts.sockets: expected an object", 0, 0 },
	{ "{" S ", \"sockets\": {\"states\": {}}}", "sockets.source: missing", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\"}}", "sockets.states: missing", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": [1]}}", "sockets.states: expected an object", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {\"TIME_WAIT\": \"5\"}}}",
	  "sockets.states.TIME_WAIT: expected an integer", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {\"TIME_WAIT\": 1.5}}}",
	  "sockets.states.TIME_WAIT: expected an integer", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {\"TIME_WAIT\": -1}}}",
	  "sockets.states.TIME_WAIT: -1 is out of range [0, 9223372036854775807]", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {}, \"fin_wait2_orphans\": true}}",
	  "sockets.fin_wait2_orphans: expected an integer", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"families\": {\"inet\": {}}}}",
	  "sockets.families.inet6: missing", 0, 0 },
	{ "{" S ", \"sockstat\": {\"inuse\": \"25\"}}", "sockstat.inuse: expected an integer", 0, 0 },
	{ "{" S ", \"counters\": {\"ListenOverflows\": [0]}}", "counters.ListenOverflows: expected an integer", 0, 0 },
	{ "{" S ", \"counters\": {\"A234567890123456789012345678901234567890123456789012345678901234\": 1}}",
	  "name too long", 0, 0 },
	{ "{" S ", \"sysctls\": {\"net.ipv4.tcp_tw_reuse\": [2]}}", "sysctls.net.ipv4.tcp_tw_reuse: expected a string", 0, 0 },
	{ "{" S ", \"sysctls\": []}", "facts.sysctls: expected an object", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 0, \"high\": 60999}}", "ephemeral.low: 0 is out of range [1, 65535]", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 32768}}", "ephemeral.high: missing", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 61000, \"high\": 60999}}", "ephemeral: low 61000 is above high 60999", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"reserved\": [[1]]}}",
	  "ephemeral.reserved[0]: expected \"PORT\" or \"LOW-HIGH\"", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"reserved\": [\"9010-9000\"]}}",
	  "ephemeral.reserved: bad reserved port list '9010-9000'", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"complete\": \"yes\"}}",
	  "ephemeral.complete: expected true or false", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"destinations\": {}}}",
	  "ephemeral.destinations: expected an array", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"destinations\": [{\"local\": \"a\", \"remote\": \"b\", "
	  "\"remote_port\": 1, \"share\": 0, \"time_wait\": 0}]}}",
	  "ephemeral.destinations[0].in_use: missing", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"destinations\": [{\"local\": \"a\", \"remote\": \"b\", "
	  "\"remote_port\": 1, \"in_use\": 1, \"share\": \"most\", \"time_wait\": 0}]}}",
	  "ephemeral.destinations[0].share: expected a number", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"destinations\": [7]}}",
	  "ephemeral.destinations[0]: expected an object", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"destinations\": [{\"local\": \"a\", \"remote\": \"b\", "
	  "\"remote_port\": 65536, \"in_use\": 1, \"share\": 0, \"time_wait\": 0}]}}",
	  "ephemeral.destinations[0].remote_port: 65536 is not a port", 0, 0 },
	{ "{" S ", \"listeners\": [{\"local\": \"x\", \"port\": 70000, \"queue\": 0, \"in_ephemeral_range\": false}]}",
	  "listeners[0].port: 70000 is not a port", 0, 0 },
	{ "{" S ", \"listeners\": {}}", "facts.listeners: expected an array", 0, 0 },
	{ "{" S ", \"listeners\": [{\"local\": \"x\", \"port\": -1, \"queue\": 0, \"in_ephemeral_range\": false}]}",
	  "listeners[0].port: -1 is out of range [0, 4294967295]", 0, 0 },
	{ "{" S ", \"listeners\": [{\"local\": \"x\", \"port\": 1, \"queue\": 0, \"in_ephemeral_range\": 1}]}",
	  "listeners[0].in_ephemeral_range: expected true or false", 0, 0 },
	{ "{" S ", \"listeners\": [{\"local\": \"x\", \"port\": 1, \"queue\": 0, \"in_ephemeral_range\": false, "
	  "\"backlog\": \"4096\"}]}", "listeners[0].backlog: expected an integer", 0, 0 },
	{ "{" S ", \"listeners\": [{\"local\": \"x\", \"port\": 1, \"queue\": 0, \"in_ephemeral_range\": false, "
	  "\"process\": {\"pid\": 0, \"comm\": \"x\"}}]}",
	  "listeners[0].process.pid: 0 is out of range [1, 2147483647]", 0, 0 },
	{ "{" S ", \"listeners\": [{\"local\": \"x\", \"port\": 1, \"queue\": 0, \"in_ephemeral_range\": false, "
	  "\"process\": {\"pid\": 9}}]}", "listeners[0].process.comm: missing", 0, 0 },
	{ "{" S ", \"close_wait_owners\": [{\"pid\": \"4242\", \"comm\": \"java\", \"count\": 1}]}",
	  "close_wait_owners[0].pid: expected an integer", 0, 0 },
	{ "{" S ", \"close_wait_owners\": [], \"processes_unreadable\": -3}",
	  "facts.processes_unreadable: -3 is out of range [0, 2147483647]", 0, 0 },
	{ "{" S ", \"rates\": {\"interval\": \"1s\"}}", "rates.interval: expected a number", 0, 0 },
	{ "{" S ", \"rates\": {\"counters\": {\"TW\": \"fast\"}}}", "rates.counters.TW: expected a number", 0, 0 },
	/* groups whose decoding had no case before the dispatch tables */
	{ "{" S ", \"sources\": {\"sockstat\": 1}}", "sources.sockstat: expected a string", 0, 0 },
	{ "{" S ", \"sources\": []}", "facts.sources: expected an object", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"fallback\": false, \"states\": {}}}",
	  "sockets.fallback: expected a string", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"families\": 1}}",
	  "sockets.families: expected an object", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {}, \"skipped\": {}}}",
	  "sockets.skipped: expected an array", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"bound\": -1}}",
	  "ephemeral.bound: -1 is out of range [0, 9223372036854775807]", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"untracked\": \"0\"}}",
	  "ephemeral.untracked: expected an integer", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 2, \"time_wait\": 1.5}}",
	  "ephemeral.time_wait: expected an integer", 0, 0 },
	{ "{" S ", \"ephemeral\": {\"low\": 1, \"high\": 70000}}",
	  "ephemeral.high: 70000 is out of range [1, 65535]", 0, 0 },
	/* low above high is found before a bad reserved list */
	{ "{" S ", \"ephemeral\": {\"low\": 9, \"high\": 2, \"reserved\": [[1]]}}",
	  "ephemeral: low 9 is above high 2", 0, 0 },
	{ "{" S ", \"close_wait_owners\": [], \"close_wait_unattributed\": \"3\"}",
	  "facts.close_wait_unattributed: expected an integer", 0, 0 },
	{ "{" S ", \"close_wait_owners\": {}}", "facts.close_wait_owners: expected an array", 0, 0 },
	{ "{" S ", \"rates\": {\"samples\": 1000001}}",
	  "rates.samples: 1000001 is out of range [0, 1000000]", 0, 0 },
	{ "{" S ", \"rates\": {\"elapsed\": null, \"counters\": []}}",
	  "rates.counters: expected an object", 0, 0 },
	{ "{" S ", \"rates\": {\"states\": {\"TIMEWAIT\": 1}}}",
	  "rates.states.TIMEWAIT: expected a TCP state and a number", 0, 0 },
	{ "{" S ", \"rates\": {\"series\": [{\"t\": 0}]}}", "rates.series[0].states: missing", 0, 0 },
	{ "{" S ", \"rates\": {\"series\": [{\"t\": \"0\", \"states\": {}}]}}",
	  "rates.series[0].t: expected a number", 0, 0 },
	{ "{" S ", \"rates\": {\"series\": [3]}}", "rates.series[0]: expected an object", 0, 0 },
	{ "{" S ", \"rates\": {\"series\": [{\"t\": 0, \"states\": {\"X\": 1}}]}}",
	  "rates.series[0].states.X: unknown TCP state", 0, 0 },
	/* both types are checked before the states are read */
	{ "{" S ", \"rates\": {\"states\": {\"X\": 1}, \"series\": {}}}",
	  "rates.series: expected an array", 0, 0 },
	{ "{" S ", \"boot\": []}", "facts.boot: expected an object", 0, 0 },
	{ "{" S ", \"boot\": {\"file\": 1}}", "boot.file: expected a string", 0, 0 },
	{ "{" S ", \"boot\": {\"overrides\": {}}}", "boot.overrides: expected an array", 0, 0 },
	{ "{" S ", \"boot\": {\"overrides\": [1]}}", "boot.overrides[0]: expected an object", 0, 0 },
	{ "{" S ", \"boot\": {\"overrides\": [{\"key\": \"k\", \"ours\": \"1\", \"theirs\": \"2\"}]}}",
	  "boot.overrides[0].file: missing", 0, 0 },
	/* the first group in document order is reported */
	{ "{" S ", \"boot\": 1, \"host\": 1}", "facts.host: expected an object", 0, 0 },
	/* unknown state names */
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {\"TIME_WAITING\": 1}}}",
	  "sockets.states.TIME_WAITING: unknown TCP state", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {\"time_wait\": 1}}}",
	  "sockets.states.time_wait: unknown TCP state", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"families\": {\"inet\": {\"ESTABLISHED\": 1}, "
	  "\"inet6\": {\"SYN_RCVD\": 1}}}}", "sockets.families.inet6.SYN_RCVD: unknown TCP state", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {}, \"skipped\": [\"TIME_WAIT\", \"TIMEWAIT\"]}}",
	  "sockets.skipped[1]: not a TCP state name", 0, 0 },
	{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {}, \"skipped\": [6]}}",
	  "sockets.skipped[0]: not a TCP state name", 0, 0 },
	/* syntax errors: with line:col */
	{ "{" S ",\n \"host\": {,}}", "bad JSON: quoted object property name expected", 2, 11 },
	{ "{" S ", \"a\": tru}", "bad JSON: boolean expected", 1, 40 },
	{ "{" S ", \"a\": 1,}", "bad JSON: unexpected character", 1, 39 },
	{ "{\n\n   " S " \"a\": 1}", "bad JSON: object value separator ',' expected", 3, 33 },
	/* trailing garbage: json-c's strict mode stops at the first byte */
	{ "{" S "} x", "bad JSON: unexpected character", 1, 32 },
	{ "{" S "}\n\n  }", "bad JSON: unexpected character", 3, 3 },
	{ "{" S "}\n{" S "}\n", "bad JSON: unexpected character", 2, 1 },
	{ "{" S "}\n // comment", "bad JSON: unexpected character", 2, 2 },
	{ "{" S "}[", "bad JSON: unexpected character", 1, 31 },
	/* truncated */
	{ "{\"schema\": \"twa", "unexpected end of JSON", 1, 16 },
	{ "{" S ",\n \"sockets\": {\"source\": \"proc\",\n", "unexpected end of JSON", 3, 1 },
	{ "", "unexpected end of JSON", 1, 1 },
	{ "  \n ", "unexpected end of JSON", 2, 2 },
};

/* What the user sees is twa_err_format()'s "FILE:LINE:COL: MSG" (or
 * "FILE: MSG" without a position): check that, and the code. */
static void check_bad(const char *what, const char *doc, size_t len,
		      const char *msg, unsigned line, unsigned col)
{
	struct twa_facts f;
	struct twa_err err = { 0 };
	char shown[1200], prefix[64];
	int r;

	twa_facts_init(&f);
	r = twa_facts_parse(doc, len, "bad.json", &f, &err);
	twa_facts_release(&f);
	if (r != -EBADMSG)
		fail_msg("%s: returned %d, want -EBADMSG", what, r);
	assert_int_equal(err.code, -EBADMSG);
	twa_err_format(&err, shown, sizeof(shown));
	if (line)
		snprintf(prefix, sizeof(prefix), "bad.json:%u:%u: ", line, col);
	else
		snprintf(prefix, sizeof(prefix), "bad.json: ");
	if (strncmp(shown, prefix, strlen(prefix)))
		fail_msg("%s: '%s' does not start with '%s'", what, shown, prefix);
	if (!line && (err.line || err.col))
		fail_msg("%s: unexpected position %u:%u", what, err.line, err.col);
	if (!strstr(shown + strlen(prefix), msg))
		fail_msg("%s: message '%s' lacks '%s'", what, shown, msg);
}

static void test_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(bad_cases); i++) {
		char what[64];

		snprintf(what, sizeof(what), "bad case %zu", i);
		check_bad(what, bad_cases[i].doc, strlen(bad_cases[i].doc),
			  bad_cases[i].msg, bad_cases[i].line, bad_cases[i].col);
	}
}

/* Integers beyond int64 must be refused, not clamped. */
static void test_huge_integers(void **state)
{
	static const struct bad_case cases[] = {
		{ "{" S ", \"counters\": {\"TW\": 9223372036854775808}}", "counters.TW: ", 0, 0 },
		{ "{" S ", \"counters\": {\"TW\": 18446744073709551616}}", "counters.TW: ", 0, 0 },
		{ "{" S ", \"counters\": {\"TW\": -9223372036854775809}}", "counters.TW: ", 0, 0 },
		{ "{" S ", \"sockets\": {\"source\": \"proc\", \"states\": {\"TIME_WAIT\": 18446744073709551615}}}",
		  "sockets.states.TIME_WAIT: ", 0, 0 },
		{ "{" S ", \"listeners\": [{\"local\": \"x\", \"port\": 1, \"queue\": 99999999999999999999, "
		  "\"in_ephemeral_range\": false}]}", "listeners[0].queue: ", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		char what[64];

		snprintf(what, sizeof(what), "huge integer case %zu", i);
		/* BUG (advisor/jsonutil.c twa_json_as_i64): json-c clamps integers
		 * it cannot hold to INT64_MIN/INT64_MAX/UINT64_MAX without an
		 * error, so these are taken as 9223372036854775807 today. */
		check_bad(what, cases[i].doc, strlen(cases[i].doc), cases[i].msg, 0, 0);
		assert_true(strstr(cases[i].msg, ": ") != NULL);
	}
}

/* The nesting cap (TWA_JSON_MAX_DEPTH levels): at the cap it parses,
 * one deeper fails at the opening bracket that went too deep. */
static void test_nesting(void **state)
{
	static const char head[] = "{" S ",\n \"x\": ";
	const size_t head_len = sizeof(head) - 1;
	unsigned depths[] = { TWA_JSON_MAX_DEPTH - 1, TWA_JSON_MAX_DEPTH + 1, 1000 };
	size_t i;

	(void)state;
	for (i = 0; i < N(depths); i++) {
		unsigned arrays = depths[i] - 1;	/* the outer object is one level */
		size_t len = head_len + 2 * arrays + 1;
		char *doc = malloc(len + 1);
		char what[64];

		assert_non_null(doc);
		memcpy(doc, head, head_len);
		memset(doc + head_len, '[', arrays);
		memset(doc + head_len + arrays, ']', arrays);
		doc[len - 1] = '}';
		doc[len] = '\0';
		snprintf(what, sizeof(what), "nesting %u", depths[i]);
		if (depths[i] <= TWA_JSON_MAX_DEPTH) {
			struct twa_facts f;
			struct twa_err err = { 0 };

			twa_facts_init(&f);
			if (twa_facts_parse(doc, len, "deep.json", &f, &err) != 0)
				fail_msg("%s: %s", what, err.msg);
			twa_facts_release(&f);
		} else {
			/* line 2 is ` "x": ` then the brackets: the one that opens
			 * level MAX+1 is the MAX-th '[' */
			check_bad(what, doc, len, "bad JSON: nesting too deep", 2,
				  (unsigned)strlen(" \"x\": ") + TWA_JSON_MAX_DEPTH);
		}
		free(doc);
	}
	/* exactly at the cap */
	{
		unsigned arrays = TWA_JSON_MAX_DEPTH - 1;
		size_t len = head_len + 2 * arrays + 1;
		char *doc = malloc(len + 1);
		struct twa_facts f;
		struct twa_err err = { 0 };

		assert_non_null(doc);
		memcpy(doc, head, head_len);
		memset(doc + head_len, '[', arrays);
		memset(doc + head_len + arrays, ']', arrays);
		doc[len - 1] = '}';
		doc[len] = '\0';
		twa_facts_init(&f);
		if (twa_facts_parse(doc, len, "deep.json", &f, &err) != 0)
			fail_msg("nesting at the cap: %s", err.msg);
		twa_facts_release(&f);
		free(doc);
	}
}

/* A NUL byte inside, and a document larger than the cap. */
static void test_bytes(void **state)
{
	static const char with_nul[] = "{\"schema\": \"twadvise.facts/1\"}\0garbage";
	size_t big = TWA_FACTS_FILE_MAX + 1;
	char *doc;

	(void)state;
	check_bad("NUL byte", with_nul, sizeof(with_nul) - 1,
		  "contains a NUL byte: not a JSON text", 0, 0);
	doc = malloc(big);
	assert_non_null(doc);
	memset(doc, ' ', big);
	doc[0] = '{';
	doc[big - 1] = '}';
	check_bad("too large", doc, big, "larger than 16777216 bytes", 0, 0);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_every_group),
		cmocka_unit_test(test_round_trip_fixture),
		cmocka_unit_test(test_decode_details),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_huge_integers),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
