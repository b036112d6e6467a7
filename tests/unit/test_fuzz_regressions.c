/* SPDX-License-Identifier: MIT */
/* test_fuzz_regressions.c - replays every input the fuzzers ever crashed on (tests/fixtures/fuzz-regressions/HARNESS/) and the seed corpora (tests/fuzz/corpus/HARNESS/) through the harnesses themselves, built with the ordinary compiler. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "advisor/profile/yamltree.h"

#include "tests/unit/testlib.h"

/*
 * Each harness is compiled in here with its LLVMFuzzerTestOneInput
 * renamed, so a regression runs through exactly the code libFuzzer ran:
 * in `make unit` (gcc), `make unit SANITIZE=address,undefined` and
 * `make valgrind`. A harness aborts on a broken property; a crash is a
 * failed test binary.
 */
#define LLVMFuzzerTestOneInput fuzz_profile_one
#include "../fuzz/fuzz_profile.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_plan_one
#include "../fuzz/fuzz_plan.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_snapshot_one
#include "../fuzz/fuzz_snapshot.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_facts_one
#include "../fuzz/fuzz_facts.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_findings_one
#include "../fuzz/fuzz_findings.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_proctcp_one
#include "../fuzz/fuzz_proctcp.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_procstat_one
#include "../fuzz/fuzz_procstat.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_diag_one
#include "../fuzz/fuzz_diag.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_sysctl_conf_one
#include "../fuzz/fuzz_sysctl_conf.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_fleet_one
#include "../fuzz/fuzz_fleet.c"
#undef LLVMFuzzerTestOneInput

struct harness {
	const char *name;	/* the directory name: tests/fuzz/NAME.c */
	int (*one)(const uint8_t *data, size_t size);
};

static const struct harness harnesses[] = {
	{ "fuzz_profile", fuzz_profile_one },
	{ "fuzz_plan", fuzz_plan_one },
	{ "fuzz_snapshot", fuzz_snapshot_one },
	{ "fuzz_facts", fuzz_facts_one },
	{ "fuzz_findings", fuzz_findings_one },
	{ "fuzz_proctcp", fuzz_proctcp_one },
	{ "fuzz_procstat", fuzz_procstat_one },
	{ "fuzz_diag", fuzz_diag_one },
	{ "fuzz_sysctl_conf", fuzz_sysctl_conf_one },
	{ "fuzz_fleet", fuzz_fleet_one },
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feed every regular file of dir to h, in name order; returns how many
 * (0 when dir does not exist). */
static size_t replay_dir(const struct harness *h, const char *dir)
{
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		assert_int_equal(errno, ENOENT);
		return 0;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "README.md"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		assert_non_null(names);
		names[n] = strdup(de->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		uint8_t *buf;
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		fp = fopen(path, "rb");
		assert_non_null(fp);
		buf = malloc(st.st_size ? (size_t)st.st_size : 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)st.st_size, fp), (size_t)st.st_size);
		fclose(fp);
		/* Named on stderr first: if it crashes, the log says which. */
		fprintf(stderr, "replay %s\n", path);
		assert_int_equal(h->one(buf, (size_t)st.st_size), 0);
		free(buf);
		free(names[i]);
	}
	free(names);
	return n;
}

static void test_replay(void **state)
{
	const struct harness *h = *state;
	char dir[4096];
	size_t n;

	snprintf(dir, sizeof(dir), "%s/fuzz-regressions/%s", tl_fixtures(), h->name);
	n = replay_dir(h, dir);
	snprintf(dir, sizeof(dir), "%s/../fuzz/corpus/%s", tl_fixtures(), h->name);
	n += replay_dir(h, dir);
	print_message("%s: %zu inputs replayed\n", h->name, n);
	/* Every harness has seeds: none found means a wrong FIXTURES. */
	assert_true(n > 0);
}

/* Degenerate inputs every harness must take. */
static void test_edges(void **state)
{
	static const uint8_t nothing[1] = { 0 };
	static const char *const small[] = {
		"", "\n", "\0", "{}", "[]", "null", "---", "~", "\xff\xfe",
		"name: x\n", "TCP:\n", "a=b", "\n\n\n\n",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(harnesses) / sizeof(harnesses[0]); i++) {
		assert_int_equal(harnesses[i].one(nothing, 0), 0);
		for (k = 0; k < sizeof(small) / sizeof(small[0]); k++)
			assert_int_equal(harnesses[i].one((const uint8_t *)small[k],
							  strlen(small[k]) + !small[k][0]), 0);
	}
}

/* The bugs the fuzzers (and their seeds) found, pinned down one by one. */
static void test_found_bugs(void **state)
{
	static const uint8_t done_int_min[] = {	/* NLMSG_DONE, status INT32_MIN */
		20, 0, 0, 0, 3, 0, 2, 0, 7, 0, 0, 0, 0xd2, 4, 0, 0, 0, 0, 0, 0x80,
	};
	static const uint8_t error_int_min[] = {	/* NLMSG_ERROR, error INT32_MIN */
		36, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 0xd2, 4, 0, 0, 0, 0, 0, 0x80,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	static const char bad_range_plan[] =
		"{\"schema\":\"twadvise.plan/1\",\"changes\":[{\"key\":\"net.ipv4.ip_local_port_range\","
		"\"from\":\"1 2\",\"to\":\"60000 1000\"}]}";
	struct twa_diag_walk walk = { 0 };
	struct twa_err err = { 0 };
	struct twa_plan p;

	(void)state;
	/* diag.c negated a kernel status of INT32_MIN (UB) and passed any
	 * int on as an errno: only -4095..-1 are errnos. */
	assert_int_equal(twa_diag_parse(done_int_min, sizeof(done_int_min), 7, NULL, NULL,
					&walk, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "not an errno"));
	memset(&walk, 0, sizeof(walk));
	assert_int_equal(twa_diag_parse(error_int_min, sizeof(error_int_min), 7, NULL, NULL,
					&walk, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "not an errno"));

	/* twa_err_prefix(NULL, ...) returns 0: callers that returned it
	 * accepted a bad value when the caller passed no error struct. */
	assert_int_equal(twa_plan_check_value("net.ipv4.ip_local_port_range", "60000 1000",
					      NULL), -EBADMSG);
	assert_int_equal(twa_plan_check_value("net.ipv4.ip_local_reserved_ports", "9-8",
					      NULL), -EBADMSG);
	twa_plan_init(&p);
	assert_int_equal(twa_plan_parse(bad_range_plan, strlen(bad_range_plan), "p.json", &p,
					NULL), -EBADMSG);
	twa_plan_release(&p);
	{
		/* proctext.c: twa_usable_ports() walked every port of every
		 * reserved range: a facts file of a million "1-65535" items
		 * took 23 s of CPU (check --facts, report --merge). Word at a
		 * time now; this took minutes before. */
		size_t n = 100000, i;
		struct twa_portrange *v = calloc(n, sizeof(*v));

		assert_non_null(v);
		for (i = 0; i < n; i++) {
			v[i].lo = 1;
			v[i].hi = 65535;
		}
		assert_int_equal(twa_usable_ports(1, 65535, v, n), 0);
		v[n - 1].lo = 2;
		for (i = 0; i + 1 < n; i++)
			v[i].lo = v[i].hi = 65535;
		assert_int_equal(twa_usable_ports(1, 65535, v, n), 1);
		free(v);
	}
	{
		/* yamltree.c: more than TWA_YAML_MAX_NODES nodes was -ENOMEM
		 * (exit 70) instead of -EBADMSG without an error struct. */
		struct strbuf y = STRBUF_INIT;
		struct twa_ynode *root = NULL;
		int i;

		strbuf_addstr(&y, "[");
		for (i = 0; i <= TWA_YAML_MAX_NODES; i++)
			strbuf_addstr(&y, "1,");
		strbuf_addstr(&y, "1]\n");
		assert_int_equal(twa_yaml_parse(y.buf, y.len, "big.yaml", &root, NULL), -EBADMSG);
		assert_int_equal(twa_yaml_parse(y.buf, y.len, "big.yaml", &root, &err), -EBADMSG);
		assert_non_null(strstr(err.msg, "too many YAML nodes"));
		assert_null(root);
		strbuf_release(&y);
	}
	{
		/* The same in facts: a reversed reserved range. */
		const char *path = "proc/busy-host.facts.json";
		struct twa_facts f;
		char *buf, *at;
		size_t n;

		buf = tl_read_fixture(path, &n);
		twa_facts_init(&f);
		assert_int_equal(twa_facts_parse(buf, n, path, &f, NULL), 0);
		twa_facts_release(&f);
		at = strstr(buf, "\"50000-50010\"");
		assert_non_null(at);
		memcpy(at, "\"50010-50000\"", 13);
		twa_facts_init(&f);
		assert_int_equal(twa_facts_parse(buf, n, path, &f, NULL), -EBADMSG);
		twa_facts_release(&f);
		twa_facts_init(&f);
		assert_int_equal(twa_facts_parse(buf, n, path, &f, &err), -EBADMSG);
		assert_non_null(strstr(err.msg, "ephemeral.reserved"));
		twa_facts_release(&f);
		free(buf);
	}
}

#define REPLAY(i) cmocka_unit_test_prestate(test_replay, (void *)&harnesses[i])

int main(void)
{
	const struct CMUnitTest tests[] = {
		REPLAY(0), REPLAY(1), REPLAY(2), REPLAY(3), REPLAY(4),
		REPLAY(5), REPLAY(6), REPLAY(7), REPLAY(8), REPLAY(9),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_found_bugs),
	};

	assert_int_equal(sizeof(harnesses) / sizeof(harnesses[0]), 10);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
