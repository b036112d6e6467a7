/* SPDX-License-Identifier: MIT */
/* test_inspect_fixture.c - twa_inspect() on recorded /proc trees: the busy-host recording against its expected facts and ss counts, and broken trees. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/facts_json.h"
#include "advisor/inspect/inspect.h"
#include "advisor/facts/tcpstate.h"

#include "tests/unit/testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Everything runs from FIXTURES/proc with relative roots, so the sources
 * in the facts ("busy-host/net/sockstat") are the same wherever the repo
 * is, as in the expected file (made by record-busy-host.sh the same way). */
static int enter_fixtures(void **state)
{
	char path[4096];

	(void)state;
	tl_fixture_path(path, sizeof(path), "proc");
	if (chdir(path) < 0) {
		print_error("cannot enter %s: set FIXTURES or run from the repo root\n", path);
		return -1;
	}
	return 0;
}

/* busy-host.ss.txt: "FAMILY STATE COUNT" per line, from ss at recording. */
static void load_ss(uint64_t want[TWA_FAM_MAX][TWA_TCP_STATE_MAX], unsigned *ret_lines)
{
	char line[256];
	FILE *fp = fopen("busy-host.ss.txt", "r");

	memset(want, 0, sizeof(uint64_t) * TWA_FAM_MAX * TWA_TCP_STATE_MAX);
	*ret_lines = 0;
	if (!fp)
		fail_msg("cannot open busy-host.ss.txt");
	while (fgets(line, sizeof(line), fp)) {
		char fam[16], st[32];
		unsigned long long n;
		unsigned s = 0;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%15s %31s %llu", fam, st, &n) != 3 ||
		    !(s = twa_tcp_state_from_name(st)) ||
		    (strcmp(fam, "inet") && strcmp(fam, "inet6")))
			fail_msg("busy-host.ss.txt: bad line '%s'", line);
		want[strcmp(fam, "inet") ? TWA_FAM_INET6 : TWA_FAM_INET][s] = n;
		++*ret_lines;
	}
	fclose(fp);
}

static void inspect(const char *root, unsigned want, struct twa_facts *f)
{
	struct twa_inspect_opts o = { .proc_root = root, .want = want };
	struct twa_err err = { 0 };
	int r;

	twa_facts_init(f);
	r = twa_inspect(&o, f, &err);
	if (r != 0) {
		char buf[1200];

		twa_err_format(&err, buf, sizeof(buf));
		fail_msg("twa_inspect(%s): %d %s", root, r, buf);
	}
}

/* The whole facts document equals the expected one, host.time aside.
 * Compared as documents: what was written, parsed again (a share is
 * written with 6 significant digits). */
static void test_busy_host_facts(void **state)
{
	struct twa_facts f;
	json_object *got, *want, *host, *obj;
	char *text;
	int budget = 25;

	(void)state;
	inspect("busy-host", TWA_NEED_ALL, &f);
	obj = twa_facts_to_json(&f);
	assert_non_null(obj);
	got = json_tokener_parse(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
	json_object_put(obj);
	assert_non_null(got);
	assert_true(json_object_object_get_ex(got, "host", &host));
	json_object_object_del(host, "time");
	text = tl_read_file("busy-host.facts.json", NULL);
	want = json_tokener_parse(text);
	if (!want)
		fail_msg("busy-host.facts.json is not JSON");
	if (!json_object_equal(want, got)) {
		print_error("facts differ from busy-host.facts.json (if the facts gained a "
			    "field on purpose: tests/fixtures/record-busy-host.sh --facts-only):\n");
		tl_json_diff("", want, got, &budget);
		fail_msg("inspect --proc-root busy-host no longer gives busy-host.facts.json");
	}
	json_object_put(want);
	json_object_put(got);
	free(text);
	twa_facts_release(&f);
}

/* The expected file is not trusted alone: the counts equal ss's, taken
 * when the namespace was recorded, and hang together. */
static void test_busy_host_vs_ss(void **state)
{
	uint64_t want[TWA_FAM_MAX][TWA_TCP_STATE_MAX], owned = 0, ss_total = 0;
	struct twa_facts f;
	unsigned lines, fam, s;
	int64_t tw = -1;
	size_t i;

	(void)state;
	load_ss(want, &lines);
	assert_int_equal(lines, 22);	/* 11 states ss knows, two families */
	inspect("busy-host", TWA_NEED_ALL, &f);
	assert_string_equal(f.sockets.source, "proc");
	for (fam = 0; fam < TWA_FAM_MAX; fam++)
		for (s = 1; s < TWA_TCP_STATE_MAX; s++) {
			if (f.sockets.states[fam][s] != want[fam][s])
				fail_msg("%s %s: inspect counts %llu, ss counted %llu",
					 fam ? "inet6" : "inet", twa_tcp_state_name(s),
					 (unsigned long long)f.sockets.states[fam][s],
					 (unsigned long long)want[fam][s]);
			ss_total += want[fam][s];
		}
	assert_int_equal(twa_facts_total(&f), ss_total);
	/* ss has no NEW_SYN_RECV: the kernel shows request sockets as SYN_RECV */
	assert_int_equal(twa_facts_state(&f, TWA_TCP_NEW_SYN_RECV), 0);
	/* thousands of sockets, as recorded */
	assert_true(ss_total > 3000);
	assert_true(f.sockets.states[TWA_FAM_INET6][TWA_TCP_TIME_WAIT] > 0);
	/* sockstat's tw is TIME_WAIT plus FIN_WAIT2 timewait minisocks: here
	 * every FIN_WAIT2 orphan is one (tcp_fin_timeout 60 s) */
	assert_true(twa_facts_sockstat(&f, "tw", &tw));
	assert_int_equal((uint64_t)tw, twa_facts_state(&f, TWA_TCP_TIME_WAIT) +
				       f.sockets.fin_wait2_orphans);
	/* every CLOSE_WAIT socket has its owner */
	assert_true(f.close_wait.searched);
	assert_int_equal(f.close_wait.unattributed, 0);
	for (i = 0; i < f.close_wait.n; i++) {
		assert_string_equal(f.close_wait.v[i].comm, "sockgen");
		owned += f.close_wait.v[i].count;
	}
	assert_int_equal(owned, twa_facts_state(&f, TWA_TCP_CLOSE_WAIT));
	/* every listener is listed, with its owner */
	assert_true(f.have_listeners);
	assert_int_equal(f.n_listeners, twa_facts_state(&f, TWA_TCP_LISTEN));
	for (i = 0; i < f.n_listeners; i++) {
		assert_true(f.listeners[i].process.pid > 0);
		assert_int_equal(f.listeners[i].backlog, -1);	/* /proc has none */
	}
	/* destinations: largest first, shares of the usable range */
	assert_true(f.ephemeral.present && f.ephemeral.dumped);
	assert_int_equal(f.ephemeral.usable, 28232 - 12);	/* 50000-50010,55555 reserved */
	assert_true(f.ephemeral.n_dest > 0);
	for (i = 0; i < f.ephemeral.n_dest; i++) {
		const struct twa_destination *d = &f.ephemeral.dest[i];

		if (i)
			assert_true(f.ephemeral.dest[i - 1].in_use >= d->in_use);
		assert_true(d->share > 0 &&
			    d->share == (double)d->in_use / f.ephemeral.usable);
	}
	twa_facts_release(&f);
}

/* Asking for less does less: states alone find the same counts, and no
 * listeners or owners. */
static void test_busy_host_states_only(void **state)
{
	struct twa_facts all, few;

	(void)state;
	inspect("busy-host", TWA_NEED_ALL, &all);
	inspect("busy-host", TWA_NEED_STATES, &few);
	assert_memory_equal(all.sockets.states, few.sockets.states, sizeof(all.sockets.states));
	assert_false(few.have_listeners);
	assert_int_equal(few.n_listeners, 0);
	assert_false(few.close_wait.searched);
	assert_int_equal(few.ephemeral.n_dest, 0);
	twa_facts_release(&all);
	twa_facts_release(&few);
}

/* Broken trees: the error names the file, line and column where the
 * parser has them. file is relative to the tree's root; NULL: none. */
static const struct {
	const char *tree;
	int code;
	const char *file;
	unsigned line, col;
	const char *msg;
} bad_trees[] = {
	{ "tcp-truncated", -EBADMSG, "net/tcp", 4, 55, "truncated line: 5 of 10 fields" },
	{ "tcp-header-middle", -EBADMSG, "net/tcp", 3, 1, "header line in the middle of the file" },
	{ "tcp-missing-field", -EBADMSG, "net/tcp", 3, 91, "truncated line: 9 of 10 fields" },
	{ "tcp-bad-state", -EBADMSG, "net/tcp", 2, 35, "bad state '0D'" },
	{ "tcp6-nonhex", -EBADMSG, "net/tcp6", 3, 7,
	  "bad local address '0000000000000000000000000100000X:C350'" },
	{ "sockstat-huge", -EBADMSG, "net/sockstat", 2, 12,
	  "bad value '9223372036854775808' for 'inuse'" },
	{ "sockstat-missing-value", -EBADMSG, "net/sockstat", 2, 23, "'tw' has no value" },
	{ "netstat-count-mismatch", -EBADMSG, "net/netstat", 2, 18,
	  "fewer values than names in 'TcpExt:' (no value for 'ListenDrops')" },
	{ "netstat-header-only", -EBADMSG, "net/netstat", 2, 1, "'TcpExt:' header without a value line" },
	{ "snmp-huge", -EBADMSG, "net/snmp", 4, 8, "bad value '99999999999999999999' for Tcp ActiveOpens" },
	{ "port-range-reversed", -EBADMSG, NULL, 0, 0,
	  "net.ipv4.ip_local_port_range: bad port range '60999 32768'" },
	{ "reserved-ports-bad", -EBADMSG, NULL, 0, 0,
	  "net.ipv4.ip_local_reserved_ports: bad reserved port list '8080,'" },
	{ "no-tcp", -EIO, "net/tcp", 0, 0, "cannot open: No such file or directory" },
	/* a 5 KB line arriving whole in one read is refused too */
	{ "tcp-long-line", -EBADMSG, "net/tcp", 2, 0, "line longer than 4096 bytes" },
};

static void test_bad_trees(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(bad_trees); i++) {
		char root[256], file[512];
		struct twa_inspect_opts o = { .proc_root = root, .want = TWA_NEED_ALL };
		struct twa_err err = { 0 };
		struct twa_facts f;
		int r;

		snprintf(root, sizeof(root), "../proc-bad/%s", bad_trees[i].tree);
		if (access(root, F_OK) < 0)
			fail_msg("missing fixture %s", root);
		twa_facts_init(&f);
		r = twa_inspect(&o, &f, &err);
		twa_facts_release(&f);
		if (r != bad_trees[i].code)
			fail_msg("%s: %d (%s), want %d", bad_trees[i].tree, r, err.msg,
				 bad_trees[i].code);
		if (bad_trees[i].file)
			snprintf(file, sizeof(file), "%s/%s", root, bad_trees[i].file);
		else
			file[0] = '\0';
		if (strcmp(err.file, file) || err.line != bad_trees[i].line ||
		    err.col != bad_trees[i].col)
			fail_msg("%s: at '%s' %u:%u, want '%s' %u:%u (%s)", bad_trees[i].tree,
				 err.file, err.line, err.col, file, bad_trees[i].line,
				 bad_trees[i].col, err.msg);
		if (!strstr(err.msg, bad_trees[i].msg))
			fail_msg("%s: message '%s' lacks '%s'", bad_trees[i].tree, err.msg,
				 bad_trees[i].msg);
	}
}

/* Odd but valid: counters this code has never heard of are kept, a last
 * line without newline counts, absent tcp6 and sysctls are absent; one
 * CLOSE_WAIT socket has an owner (pid 4242, among a foreign socket, a
 * pipe and /dev/null), the other none; pid 4243 has no fd directory. */
static void test_odd_tree(void **state)
{
	struct twa_facts f;
	int64_t v;
	size_t i;

	(void)state;
	inspect("../proc-bad/odd-but-valid", TWA_NEED_ALL, &f);
	assert_true(twa_facts_counter(&f, "BrandNewCounter2031", &v));
	assert_int_equal(v, 42);
	assert_true(twa_facts_counter(&f, "TW", &v));
	assert_int_equal(v, 5);
	assert_false(twa_facts_counter(&f, "X", NULL));	/* MPTcpExt's */
	assert_false(f.have_sockstat);
	assert_false(f.ephemeral.present);
	assert_int_equal(f.n_sysctls, 0);
	assert_int_equal(twa_facts_total(&f), 4);
	assert_int_equal(twa_facts_state(&f, TWA_TCP_LISTEN), 2);
	assert_int_equal(twa_facts_state(&f, TWA_TCP_CLOSE_WAIT), 2);
	assert_int_equal(f.n_listeners, 2);
	for (i = 0; i < f.n_listeners; i++)
		assert_int_equal(f.listeners[i].process.pid, 0);	/* nobody holds them */
	assert_true(f.close_wait.searched);
	assert_int_equal(f.close_wait.n, 1);
	assert_int_equal(f.close_wait.v[0].pid, 4242);
	assert_string_equal(f.close_wait.v[0].comm, "java");
	assert_int_equal(f.close_wait.v[0].count, 1);
	assert_int_equal(f.close_wait.unattributed, 1);
	assert_int_equal(f.close_wait.unreadable, 0);
	twa_facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busy_host_facts),
		cmocka_unit_test(test_busy_host_vs_ss),
		cmocka_unit_test(test_busy_host_states_only),
		cmocka_unit_test(test_bad_trees),
		cmocka_unit_test(test_odd_tree),
	};

	return cmocka_run_group_tests(tests, enter_fixtures, NULL);
}
