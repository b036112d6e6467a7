/* SPDX-License-Identifier: MIT */
/* test_dump_intr.c - the inspector on a netlink dump the kernel flags NLM_F_DUMP_INTR: it counts again from zero (never doubled), and after 3 interrupted dumps in a row says so (-EIO naming NLM_F_DUMP_INTR) or falls back to a full /proc count: never a silently short count. */
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

#include "advisor/facts/facts.h"
#include "advisor/inspect/inspect.h"
#include "advisor/inspect/netlink.h"
#include "advisor/inspect/procfs.h"
#include "advisor/inspect/sysctl_io.h"
#include "advisor/facts/tcpstate.h"

#include "tests/unit/testlib.h"

/*
 * Linked with -Wl,--wrap= for the netlink edge (twa_nl_open, twa_nl_dump,
 * twa_nl_close) and the /proc edge (twa_sysctl_read, twa_proc_read,
 * twa_proc_readlink, twa_lines_open): with proc_root NULL the inspector
 * believes it reads the live kernel, and reads only these fakes. A
 * proc_root passes through to the real functions (the fixture tree).
 */

#define MAX_CALLS 16

/* The script of one test: which dump calls, in order, the kernel flags
 * as interrupted. The inspector asks for both families in one walk
 * (TWA_NL_ANY_FAMILY) and, when the kernel refuses that, for one family
 * at a time (inet, then inet6). */
static struct {
	bool intr[MAX_CALLS];
	int families[MAX_CALLS];	/* what each call asked for */
	int calls;
	bool opened, closed;
	const char *fallback_root;	/* NULL: /proc/net/tcp cannot be opened */
	bool any_refused;	/* no TCPDIAG_GETSOCK: one walk is refused */
	bool no_ipv6;		/* inet6 dumps fail with ENOENT */
} fake;

struct fake_sock {
	int family;
	unsigned state;
	unsigned n;
};

/* What a consistent dump holds. */
static const struct fake_sock clean[] = {
	{ TWA_AF_INET, TWA_TCP_ESTABLISHED, 3 },
	{ TWA_AF_INET, TWA_TCP_TIME_WAIT, 5 },
	{ TWA_AF_INET, TWA_TCP_LISTEN, 1 },
	{ TWA_AF_INET6, TWA_TCP_ESTABLISHED, 2 },
	{ TWA_AF_INET6, TWA_TCP_CLOSE_WAIT, 4 },
};

/* What an interrupted one hands over before the kernel flags it: part of
 * the sockets, some twice (a dump restarted under it). */
static const struct fake_sock torn[] = {
	{ TWA_AF_INET, TWA_TCP_ESTABLISHED, 2 },
	{ TWA_AF_INET, TWA_TCP_TIME_WAIT, 7 },
	{ TWA_AF_INET6, TWA_TCP_CLOSE_WAIT, 1 },
};

int __wrap_twa_nl_open(struct twa_nl *nl, struct twa_err *err);
int __wrap_twa_nl_open(struct twa_nl *nl, struct twa_err *err)
{
	(void)err;
	nl->fd = -1;
	nl->seq = 0;
	fake.opened = true;
	return 0;
}

void __wrap_twa_nl_close(struct twa_nl *nl);
void __wrap_twa_nl_close(struct twa_nl *nl)
{
	(void)nl;
	fake.closed = true;
}

int __wrap_twa_nl_dump(struct twa_nl *nl, int family, unsigned states,
		       twa_sock_cb sock_cb, void *ctx, struct twa_diag_walk *walk,
		       struct twa_err *err);
int __wrap_twa_nl_dump(struct twa_nl *nl, int family, unsigned states,
		       twa_sock_cb sock_cb, void *ctx, struct twa_diag_walk *walk,
		       struct twa_err *err)
{
	int call = fake.calls++;
	bool intr;
	const struct fake_sock *v;
	size_t n, i;
	unsigned k;

	(void)nl;
	assert_true(call < MAX_CALLS);
	assert_true(family == TWA_NL_ANY_FAMILY || family == TWA_AF_INET ||
		    family == TWA_AF_INET6);
	assert_int_equal(states, TWA_TCPF_ALL);
	fake.families[call] = family;
	if (fake.any_refused && family == TWA_NL_ANY_FAMILY)
		return twa_err_set(err, -EINVAL, "netlink: kernel refused the dump (error 22)");
	if (fake.no_ipv6 && family == TWA_AF_INET6)
		return twa_err_set(err, -ENOENT, "netlink: no such family");
	intr = fake.intr[call];
	v = intr ? torn : clean;
	n = intr ? sizeof(torn) / sizeof(torn[0]) : sizeof(clean) / sizeof(clean[0]);
	memset(walk, 0, sizeof(*walk));
	for (i = 0; i < n; i++) {
		if (family != TWA_NL_ANY_FAMILY && v[i].family != family)
			continue;
		for (k = 0; k < v[i].n; k++) {
			struct twa_sock s;
			int r;

			memset(&s, 0, sizeof(s));
			s.family = (uint8_t)v[i].family;
			s.state = (uint8_t)v[i].state;
			s.sport = (uint16_t)(40000 + k);
			s.dport = 80;
			s.inode = v[i].state == TWA_TCP_TIME_WAIT ? 0 : 1000 + k;
			r = sock_cb(&s, ctx);
			if (r < 0)
				return r;
			walk->sockets++;
		}
	}
	walk->done = true;
	walk->interrupted = intr;
	return 0;
}

int __real_twa_sysctl_read(const char *root, const char *key, char *buf,
			   size_t size, struct twa_err *err);
int __wrap_twa_sysctl_read(const char *root, const char *key, char *buf,
			   size_t size, struct twa_err *err);
int __wrap_twa_sysctl_read(const char *root, const char *key, char *buf,
			   size_t size, struct twa_err *err)
{
	if (root)
		return __real_twa_sysctl_read(root, key, buf, size, err);
	return -ENOENT;
}

int __real_twa_proc_read(const char *root, const char *rel, struct strbuf *out,
			 struct twa_err *err);
int __wrap_twa_proc_read(const char *root, const char *rel, struct strbuf *out,
			 struct twa_err *err);
int __wrap_twa_proc_read(const char *root, const char *rel, struct strbuf *out,
			 struct twa_err *err)
{
	if (root)
		return __real_twa_proc_read(root, rel, out, err);
	return twa_err_set(err, -ENOENT, "no %s in this test", rel);
}

int __real_twa_proc_readlink(const char *root, const char *rel, char *buf,
			     size_t size);
int __wrap_twa_proc_readlink(const char *root, const char *rel, char *buf,
			     size_t size);
int __wrap_twa_proc_readlink(const char *root, const char *rel, char *buf,
			     size_t size)
{
	if (root)
		return __real_twa_proc_readlink(root, rel, buf, size);
	return -ENOENT;
}

/* The live /proc/net/tcp{,6} of the fallback: the fixture tree, or none. */
int __real_twa_lines_open(struct twa_lines *lr, const char *root,
			  const char *rel, struct twa_err *err);
int __wrap_twa_lines_open(struct twa_lines *lr, const char *root,
			  const char *rel, struct twa_err *err);
int __wrap_twa_lines_open(struct twa_lines *lr, const char *root,
			  const char *rel, struct twa_err *err)
{
	if (root)
		return __real_twa_lines_open(lr, root, rel, err);
	if (fake.fallback_root)
		return __real_twa_lines_open(lr, fake.fallback_root, rel, err);
	memset(lr, 0, sizeof(*lr));
	lr->fd = -1;
	return twa_err_set(err, -ENOENT, "cannot open '/proc/%s': No such file or directory", rel);
}

static char fixture_root[4096];

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	tl_fixture_path(fixture_root, sizeof(fixture_root), "proc/busy-host");
	return 0;
}

static int inspect_live(struct twa_facts *f, struct twa_err *err)
{
	struct twa_inspect_opts o = { .proc_root = NULL, .want = TWA_NEED_STATES };

	twa_facts_init(f);
	memset(err, 0, sizeof(*err));
	return twa_inspect(&o, f, err);
}

static void assert_clean_counts(const struct twa_facts *f)
{
	uint64_t want[TWA_FAM_MAX][TWA_TCP_STATE_MAX];
	size_t i;

	memset(want, 0, sizeof(want));
	for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		want[clean[i].family == TWA_AF_INET6][clean[i].state] += clean[i].n;
	for (i = 0; i < TWA_TCP_STATE_MAX; i++) {
		assert_int_equal(f->sockets.states[TWA_FAM_INET][i], want[0][i]);
		assert_int_equal(f->sockets.states[TWA_FAM_INET6][i], want[1][i]);
	}
	assert_true(f->sockets.present);
	assert_string_equal(f->sockets.source, "netlink");
	assert_string_equal(f->sockets.fallback, "");
}

static void assert_families(const int *want, int n)
{
	int i;

	assert_int_equal(fake.calls, n);
	for (i = 0; i < n; i++)
		assert_int_equal(fake.families[i], want[i]);
}

#define ANY TWA_NL_ANY_FAMILY
#define V4 TWA_AF_INET
#define V6 TWA_AF_INET6

static void test_clean_dump(void **state)
{
	static const int want[] = { ANY };
	struct twa_facts f;
	struct twa_err err;

	(void)state;
	assert_int_equal(inspect_live(&f, &err), 0);
	assert_families(want, 1);
	assert_true(fake.opened && fake.closed);
	assert_clean_counts(&f);
	twa_facts_release(&f);
}

/* Interrupted, then clean: the torn attempt's sockets are forgotten. */
static void test_retry_once(void **state)
{
	static const int want[] = { ANY, ANY };
	struct twa_facts f;
	struct twa_err err;

	(void)state;
	fake.intr[0] = true;
	assert_int_equal(inspect_live(&f, &err), 0);
	assert_families(want, 2);
	assert_clean_counts(&f);
	twa_facts_release(&f);
}

/* Interrupted twice, clean the third (last) time. */
static void test_retry_twice(void **state)
{
	static const int want[] = { ANY, ANY, ANY };
	struct twa_facts f;
	struct twa_err err;

	(void)state;
	fake.intr[0] = fake.intr[1] = true;
	assert_int_equal(inspect_live(&f, &err), 0);
	assert_families(want, 3);
	assert_clean_counts(&f);
	assert_true(fake.closed);
	twa_facts_release(&f);
}

/* Three in a row and no /proc to fall back on: -EIO, and the message
 * names the cause, not only the failed fallback. */
static void test_three_interrupted_no_fallback(void **state)
{
	static const int want[] = { ANY, ANY, ANY };
	struct twa_facts f;
	struct twa_err err;
	int r;

	(void)state;
	fake.intr[0] = fake.intr[1] = fake.intr[2] = true;
	r = inspect_live(&f, &err);
	assert_int_equal(r, -EIO);
	assert_int_equal(err.code, -EIO);
	assert_families(want, 3);	/* 3 attempts, no 4th */
	assert_true(fake.closed);
	if (!strstr(err.msg, "NLM_F_DUMP_INTR"))
		fail_msg("error does not name NLM_F_DUMP_INTR: '%s'", err.msg);
	assert_non_null(strstr(err.msg, "interrupted 3 times"));
	assert_false(f.sockets.present);
	twa_facts_release(&f);
}

/* Three in a row, /proc readable: a full count from /proc/net/tcp, the
 * source says proc and why (the fallback names NLM_F_DUMP_INTR); nothing
 * of the torn dumps remains. */
static void test_three_interrupted_proc_fallback(void **state)
{
	struct twa_inspect_opts fixture = { .proc_root = fixture_root,
					    .want = TWA_NEED_STATES };
	struct twa_facts f, want;
	struct twa_err err;
	unsigned fam, st;

	(void)state;
	twa_facts_init(&want);
	assert_int_equal(twa_inspect(&fixture, &want, &err), 0);
	assert_true(twa_facts_total(&want) > 1000);
	fake.fallback_root = fixture_root;
	fake.intr[0] = fake.intr[1] = fake.intr[2] = true;
	assert_int_equal(inspect_live(&f, &err), 0);
	assert_int_equal(fake.calls, 3);
	assert_string_equal(f.sockets.source, "proc");
	assert_non_null(strstr(f.sockets.fallback, "NLM_F_DUMP_INTR"));
	for (fam = 0; fam < TWA_FAM_MAX; fam++)
		for (st = 0; st < TWA_TCP_STATE_MAX; st++)
			assert_int_equal(f.sockets.states[fam][st], want.sockets.states[fam][st]);
	twa_facts_release(&want);
	twa_facts_release(&f);
}

/* A kernel without the one-walk request: a dump per family, counted from
 * zero. */
static void test_per_family(void **state)
{
	static const int want[] = { ANY, V4, V6 };
	struct twa_facts f;
	struct twa_err err;

	(void)state;
	fake.any_refused = true;
	assert_int_equal(inspect_live(&f, &err), 0);
	assert_families(want, 3);
	assert_clean_counts(&f);
	twa_facts_release(&f);
}

/* Per family, the inet6 dump interrupted: both families again, and the
 * counts are the clean attempt's, not the sum of the two. */
static void test_per_family_interrupted(void **state)
{
	static const int want[] = { ANY, V4, V6, V4, V6 };
	struct twa_facts f;
	struct twa_err err;

	(void)state;
	fake.any_refused = true;
	fake.intr[2] = true;
	assert_int_equal(inspect_live(&f, &err), 0);
	assert_families(want, 5);
	assert_clean_counts(&f);
	twa_facts_release(&f);
}

/* Per family on a kernel without IPv6 (inet6 answers ENOENT): an empty
 * family, not an error; an interrupted inet dump is still retried. */
static void test_per_family_no_ipv6(void **state)
{
	static const int want[] = { ANY, V4, V6, V4, V6 };
	struct twa_facts f;
	struct twa_err err;
	unsigned st;

	(void)state;
	fake.any_refused = true;
	fake.no_ipv6 = true;
	fake.intr[1] = true;
	assert_int_equal(inspect_live(&f, &err), 0);
	assert_families(want, 5);
	assert_int_equal(f.sockets.states[TWA_FAM_INET][TWA_TCP_ESTABLISHED], 3);
	assert_int_equal(f.sockets.states[TWA_FAM_INET][TWA_TCP_TIME_WAIT], 5);
	assert_int_equal(f.sockets.states[TWA_FAM_INET][TWA_TCP_LISTEN], 1);
	for (st = 0; st < TWA_TCP_STATE_MAX; st++)
		assert_int_equal(f.sockets.states[TWA_FAM_INET6][st], 0);
	twa_facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_clean_dump, setup),
		cmocka_unit_test_setup(test_retry_once, setup),
		cmocka_unit_test_setup(test_retry_twice, setup),
		cmocka_unit_test_setup(test_three_interrupted_no_fallback, setup),
		cmocka_unit_test_setup(test_three_interrupted_proc_fallback, setup),
		cmocka_unit_test_setup(test_per_family, setup),
		cmocka_unit_test_setup(test_per_family_interrupted, setup),
		cmocka_unit_test_setup(test_per_family_no_ipv6, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
