/* SPDX-License-Identifier: MIT */
/* test_apply.c - unit tests for advisor/apply.h: apply and rollback against an in-memory /proc/sys (--wrap fakes) and temporary state and sysctl.d directories. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "advisor/apply/apply.h"
#include "advisor/util/err.h"
#include "advisor/util/jsonutil.h"
#include "advisor/apply/plan.h"
#include "advisor/apply/snapshot.h"
#include "advisor/util/strbuf.h"
#include "advisor/inspect/sysctl_io.h"
#include "advisor/facts/sysctl_key.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define K_REUSE "net.ipv4.tcp_tw_reuse"
#define K_RANGE "net.ipv4.ip_local_port_range"
#define K_SOMAX "net.core.somaxconn"

/* ---- the fake /proc/sys -------------------------------------------------- */

struct fake_key {
	char key[96];
	char value[256];
};

static struct {
	struct fake_key keys[16];
	size_t n;
	unsigned reads, writes, checks;
	unsigned bad_key_io;		/* reads or writes of an invalid key */
	char log[4096];			/* "key=value\n" of every write attempted */
	unsigned fail_write[4];		/* write numbers (1-based) refused with EINVAL */
	char eacces_key[96];		/* check_writable refuses it */
	char clamp_key[96];		/* its first write keeps clamp_value instead */
	char clamp_value[64];
	bool clamped;
	/* what the first write of an operation saw in the state directory */
	const char *state_dir;
	unsigned op_writes;
	int snap_files;
	bool snap_ok;
	char snap_why[256];
} fake;

static struct fake_key *fake_find(const char *key)
{
	size_t i;

	for (i = 0; i < fake.n; i++)
		if (!strcmp(fake.keys[i].key, key))
			return &fake.keys[i];
	return NULL;
}

static void fake_set(const char *key, const char *value)
{
	struct fake_key *k = fake_find(key);

	if (!k) {
		assert_true(fake.n < N(fake.keys));
		k = &fake.keys[fake.n++];
		snprintf(k->key, sizeof(k->key), "%s", key);
	}
	snprintf(k->value, sizeof(k->value), "%s", value);
}

static const char *fake_get(const char *key)
{
	struct fake_key *k = fake_find(key);

	return k ? k->value : NULL;
}

static void fake_path(const char *key, char *buf, size_t size)
{
	char rel[128];

	if (twa_sysctl_key_to_path(key, rel, sizeof(rel)) < 0)
		snprintf(rel, sizeof(rel), "?");
	snprintf(buf, size, "/proc/sys/%s", rel);
}

/* Snapshot ids sort by time: the newest is the largest name. */
static int newest_snapshot(const char *state_dir, char *id, size_t size)
{
	char dir[600], stem[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	id[0] = '\0';
	snprintf(dir, sizeof(dir), "%s/snapshots", state_dir);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len <= 5 || len - 5 >= sizeof(stem) || strcmp(de->d_name + len - 5, ".json"))
			continue;
		n++;
		snprintf(stem, sizeof(stem), "%.*s", (int)(len - 5), de->d_name);
		if (strcmp(stem, id) > 0)
			snprintf(id, size, "%s", stem);
	}
	closedir(d);
	return n;
}

static int load_snapshot(const char *state_dir, const char *id, struct twa_snapshot *s,
			 struct twa_err *err)
{
	char path[700];
	struct strbuf buf = STRBUF_INIT;
	FILE *fp;
	size_t n;
	int r;

	snprintf(path, sizeof(path), "%s/snapshots/%s.json", state_dir, id);
	fp = fopen(path, "r");
	if (!fp)
		return twa_err_set(err, -ENOENT, "no %s", path);
	strbuf_grow(&buf, 1 << 16);
	n = fread(buf.buf, 1, buf.alloc - 1, fp);
	fclose(fp);
	buf.len = n;
	buf.buf[n] = '\0';
	twa_snapshot_init(s);
	r = twa_snapshot_parse(buf.buf, buf.len, path, s, err);
	strbuf_release(&buf);
	return r;
}

/* Called at the first write of an operation: the snapshot must already be
 * on disk and hold the values the keys have now, before any is changed. */
static void check_snapshot_before_write(void)
{
	struct twa_snapshot s;
	struct twa_err err = { 0 };
	char id[64];
	size_t i;

	fake.snap_files = newest_snapshot(fake.state_dir, id, sizeof(id));
	fake.snap_ok = false;
	if (!fake.snap_files) {
		snprintf(fake.snap_why, sizeof(fake.snap_why), "no snapshot on disk");
		return;
	}
	if (load_snapshot(fake.state_dir, id, &s, &err) < 0) {
		snprintf(fake.snap_why, sizeof(fake.snap_why), "%.200s", err.msg);
		return;
	}
	fake.snap_ok = s.n > 0;
	for (i = 0; i < s.n; i++) {
		const char *now = fake_get(s.values[i].key);

		if (!now || strcmp(now, s.values[i].value)) {
			snprintf(fake.snap_why, sizeof(fake.snap_why),
				 "snapshot %s has %.64s='%.32s', the kernel '%.32s'", id,
				 s.values[i].key, s.values[i].value, now ? now : "(absent)");
			fake.snap_ok = false;
		}
	}
	twa_snapshot_release(&s);
}

int __wrap_twa_sysctl_read(const char *root, const char *key, char *buf, size_t size,
			   struct twa_err *err);
int __wrap_twa_sysctl_write(const char *root, const char *key, const char *value,
			    struct twa_err *err);
int __wrap_twa_sysctl_check_writable(const char *root, const char *key,
				     struct twa_err *err);

int __wrap_twa_sysctl_read(const char *root, const char *key, char *buf, size_t size,
			   struct twa_err *err)
{
	const char *v;
	char path[256];

	(void)root;
	fake.reads++;
	if (!twa_sysctl_key_valid(key)) {
		fake.bad_key_io++;
		return twa_sysctl_key_check(key, err);
	}
	fake_path(key, path, sizeof(path));
	v = fake_get(key);
	if (!v)
		return twa_err_set_at(err, -ENOENT, path, 0, 0, "cannot open: No such file or directory");
	snprintf(buf, size, "%s", v);
	return 0;
}

int __wrap_twa_sysctl_write(const char *root, const char *key, const char *value,
			    struct twa_err *err)
{
	char path[256];
	size_t i;

	(void)root;
	fake.writes++;
	snprintf(fake.log + strlen(fake.log), sizeof(fake.log) - strlen(fake.log), "%s=%s\n",
		 key, value);
	if (!twa_sysctl_key_valid(key)) {
		fake.bad_key_io++;
		return twa_sysctl_key_check(key, err);
	}
	if (fake.op_writes++ == 0)
		check_snapshot_before_write();
	fake_path(key, path, sizeof(path));
	for (i = 0; i < N(fake.fail_write); i++)
		if (fake.fail_write[i] == fake.writes)
			return twa_err_set_at(err, -EINVAL, path, 0, 0,
					      "kernel refused '%s': Invalid argument", value);
	if (!fake_find(key))
		return twa_err_set_at(err, -ENOENT, path, 0, 0,
				      "cannot open for writing: No such file or directory");
	if (!fake.clamped && !strcmp(key, fake.clamp_key)) {
		fake.clamped = true;
		fake_set(key, fake.clamp_value);
		return 0;
	}
	fake_set(key, value);
	return 0;
}

int __wrap_twa_sysctl_check_writable(const char *root, const char *key,
				     struct twa_err *err)
{
	char path[256];

	(void)root;
	fake.checks++;
	fake_path(key, path, sizeof(path));
	if (!strcmp(key, fake.eacces_key))
		return twa_err_set_at(err, -EACCES, path, 0, 0,
				      "cannot write %s: Permission denied (needs root, or CAP_NET_ADMIN in the network namespace)",
				      key);
	return fake_find(key) ? 0 : twa_err_set_at(err, -ENOENT, path, 0, 0, "no such sysctl");
}

/* ---- per-test environment --------------------------------------------- */

static struct {
	char root[64];
	char state[128];
	char sysctld[128];
	char persist[192];
} env;

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	snprintf(env.root, sizeof(env.root), "/tmp/twa-test-apply.XXXXXX");
	if (!mkdtemp(env.root))
		return -1;
	snprintf(env.state, sizeof(env.state), "%s/state", env.root);
	snprintf(env.sysctld, sizeof(env.sysctld), "%s/sysctl.d", env.root);
	snprintf(env.persist, sizeof(env.persist), "%s/90-twadvise.conf", env.sysctld);
	if (mkdir(env.sysctld, 0755) < 0)
		return -1;
	fake.state_dir = env.state;
	fake_set(K_REUSE, "2");
	fake_set(K_RANGE, "32768\t60999");
	fake_set(K_SOMAX, "4096");
	return 0;
}

static int teardown(void **state)
{
	char cmd[200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", env.root,
		 env.root);
	if (system(cmd) != 0)
		return -1;
	/* no test may ever build a path from a key that is not valid */
	return fake.bad_key_io ? -1 : 0;
}

static void opts_init(struct twa_apply_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->proc_root = "/nonexistent-proc";
	o->state_dir = env.state;
	o->sysctl_dir = env.sysctld;
	o->host = "proxy-1";
	o->netns = "net:[4026531840]";
}

/* Start counting the writes of one operation. */
static void begin_op(void)
{
	fake.op_writes = 0;
	fake.snap_files = -1;
	fake.snap_ok = false;
	fake.snap_why[0] = '\0';
}

struct plan_buf {
	struct twa_plan plan;
	struct twa_plan_change v[4];
};

static void plan_add(struct plan_buf *pb, const char *key, const char *from, const char *to)
{
	struct twa_plan_change *c = &pb->v[pb->plan.n++];

	memset(c, 0, sizeof(*c));
	snprintf(c->key, sizeof(c->key), "%s", key);
	snprintf(c->from, sizeof(c->from), "%s", from);
	snprintf(c->to, sizeof(c->to), "%s", to);
	snprintf(c->rule, sizeof(c->rule), "test");
	pb->plan.changes = pb->v;
	twa_plan_fingerprint(&pb->plan, false, pb->plan.fingerprint,
			     sizeof(pb->plan.fingerprint));
}

/* The usual plan: tcp_tw_reuse 2 -> 1, the range widened. */
static void std_plan(struct plan_buf *pb)
{
	memset(pb, 0, sizeof(*pb));
	snprintf(pb->plan.host, sizeof(pb->plan.host), "proxy-1");
	snprintf(pb->plan.netns, sizeof(pb->plan.netns), "net:[4026531840]");
	snprintf(pb->plan.profile, sizeof(pb->plan.profile), "reverse-proxy");
	plan_add(pb, K_REUSE, "2", "1");
	plan_add(pb, K_RANGE, "32768\t60999", "10000 65535");
}

static int count_snapshots(void)
{
	char id[64];

	return newest_snapshot(env.state, id, sizeof(id));
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void read_text(const char *path, struct strbuf *out)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp)
		fail_msg("cannot open %s", path);
	strbuf_reset(out);
	strbuf_grow(out, 65536);
	n = fread(out->buf, 1, out->alloc - 1, fp);
	fclose(fp);
	out->len = n;
	out->buf[n] = '\0';
}

static unsigned mode_of(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		fail_msg("cannot stat %s", path);
	return st.st_mode & 07777;
}

static void formatted(const struct twa_err *err, char *buf, size_t size)
{
	twa_err_format(err, buf, size);
}

/* A state directory made by hand, as apply would. */
static void make_state_dirs(void)
{
	char snap[200];

	assert_int_equal(mkdir(env.state, 0700), 0);
	snprintf(snap, sizeof(snap), "%s/snapshots", env.state);
	assert_int_equal(mkdir(snap, 0700), 0);
}

/* ---- apply ------------------------------------------------------------- */

static void test_apply_snapshot_first(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	struct twa_snapshot s;
	char path[400];

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	begin_op();
	if (twa_apply(&o, &pb.plan, &res, &err) < 0)
		fail_msg("apply: %s", err.msg);
	assert_false(res.nothing_to_do);
	assert_int_equal(res.written, 2);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.keys[0].state, TWA_CHANGE_PENDING);
	assert_true(res.keys[0].written);
	assert_false(res.persist_written);
	assert_string_equal(fake_get(K_REUSE), "1");
	assert_string_equal(fake_get(K_RANGE), "10000 65535");
	assert_string_equal(fake_get(K_SOMAX), "4096");
	assert_string_equal(fake.log, K_REUSE "=1\n" K_RANGE "=10000 65535\n");
	/* writable checked before anything was written */
	assert_int_equal(fake.checks, 2);
	/* the snapshot was on disk, with the old values, before the first write */
	assert_int_equal(fake.snap_files, 1);
	if (!fake.snap_ok)
		fail_msg("at the first write: %s", fake.snap_why);
	/* and it is the one the result names, 0600 in 0700 directories */
	assert_true(twa_snapshot_id_valid(res.snapshot));
	snprintf(path, sizeof(path), "%s/snapshots/%s.json", env.state, res.snapshot);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(mode_of(env.state), 0700);
	snprintf(path, sizeof(path), "%s/snapshots", env.state);
	assert_int_equal(mode_of(path), 0700);
	assert_int_equal(load_snapshot(env.state, res.snapshot, &s, &err), 0);
	assert_string_equal(s.operation, "apply");
	assert_string_equal(s.profile, "reverse-proxy");
	assert_string_equal(s.host, "proxy-1");
	assert_string_equal(s.plan_fingerprint, pb.plan.fingerprint);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.values[0].key, K_REUSE);
	assert_string_equal(s.values[0].value, "2");
	assert_string_equal(s.values[1].value, "32768\t60999");
	assert_false(s.has_persist);
	twa_snapshot_release(&s);
	/* no temporary files left behind */
	assert_int_equal(count_snapshots(), 1);
	twa_apply_result_release(&res);

	/* the same plan again: nothing to do, no new snapshot, no write */
	begin_op();
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_true(res.nothing_to_do);
	assert_int_equal(res.written, 0);
	assert_string_equal(res.snapshot, "");
	assert_int_equal(res.keys[0].state, TWA_CHANGE_DONE);
	assert_int_equal(res.keys[1].state, TWA_CHANGE_DONE);
	assert_int_equal(fake.writes, 2);
	assert_int_equal(fake.checks, 2);
	assert_int_equal(count_snapshots(), 1);
	twa_apply_result_release(&res);
}

static void test_apply_partly_done(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	fake_set(K_REUSE, "1");	/* someone already did this one */
	begin_op();
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_int_equal(res.written, 1);
	assert_int_equal(res.keys[0].state, TWA_CHANGE_DONE);
	assert_false(res.keys[0].written);
	assert_string_equal(fake.log, K_RANGE "=10000 65535\n");
	assert_int_equal(fake.checks, 1);
	twa_apply_result_release(&res);
}

static void test_drift(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	struct twa_snapshot s;
	char msg[1200];

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	fake_set(K_REUSE, "0");
	begin_op();
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -ESTALE);
	formatted(&err, msg, sizeof(msg));
	assert_string_equal(msg, "drift: net.ipv4.tcp_tw_reuse is '0' (the plan expected '2'); nothing changed (make a new plan, or --force)");
	assert_int_equal(fake.writes, 0);
	assert_int_equal(fake.checks, 0);
	assert_int_equal(count_snapshots(), 0);
	assert_string_equal(fake_get(K_REUSE), "0");
	twa_apply_result_release(&res);

	/* --force writes over the drift, and snapshots what was really there */
	o.force = true;
	begin_op();
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_int_equal(res.written, 2);
	assert_int_equal(res.keys[0].state, TWA_CHANGE_DRIFTED);
	assert_string_equal(fake_get(K_REUSE), "1");
	if (!fake.snap_ok)
		fail_msg("at the first write: %s", fake.snap_why);
	assert_int_equal(load_snapshot(env.state, res.snapshot, &s, &err), 0);
	assert_string_equal(s.values[0].value, "0");
	twa_snapshot_release(&s);
	twa_apply_result_release(&res);
}

static void test_wrong_host_or_netns(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	o.host = "db-7";
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -ESTALE);
	assert_non_null(strstr(err.msg, "the plan was made on host 'proxy-1', this is 'db-7'"));
	twa_apply_result_release(&res);
	o.host = "proxy-1";
	o.netns = "net:[4026532999]";
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -ESTALE);
	assert_non_null(strstr(err.msg, "network namespace net:[4026531840], this is net:[4026532999]"));
	assert_int_equal(fake.writes, 0);
	assert_false(exists(env.state));
	twa_apply_result_release(&res);
	o.force = true;
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_int_equal(res.written, 2);
	twa_apply_result_release(&res);
}

static void test_absent_key(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	plan_add(&pb, "net.ipv4.tcp_tw_recycle", "1", "0");
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EBADMSG);
	assert_string_equal(err.msg, "net.ipv4.tcp_tw_recycle does not exist on this kernel: nothing changed");
	assert_int_equal(fake.writes, 0);
	assert_int_equal(count_snapshots(), 0);
	twa_apply_result_release(&res);
}

static void test_dry_run(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;

	(void)state;
	opts_init(&o);
	o.dry_run = true;
	o.persist = true;
	std_plan(&pb);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_false(res.nothing_to_do);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.keys[1].state, TWA_CHANGE_PENDING);
	assert_int_equal(fake.writes, 0);
	assert_int_equal(fake.checks, 0);
	assert_false(exists(env.state));
	assert_false(exists(env.persist));
	twa_apply_result_release(&res);
}

static void test_einval_restores(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	char msg[1200];

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	fake.fail_write[0] = 2;	/* the range */
	begin_op();
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EINVAL);
	formatted(&err, msg, sizeof(msg));
	assert_string_equal(msg, "/proc/sys/net/ipv4/ip_local_port_range: nothing changed (every key written was restored): kernel refused '10000 65535': Invalid argument");
	/* the first key went back */
	assert_string_equal(fake_get(K_REUSE), "2");
	assert_string_equal(fake_get(K_RANGE), "32768\t60999");
	assert_string_equal(fake.log, K_REUSE "=1\n" K_RANGE "=10000 65535\n" K_REUSE "=2\n");
	assert_false(res.restore_failed);
	assert_int_equal(res.written, 0);
	assert_false(res.keys[0].written);
	/* the snapshot stays, so nothing is lost either way */
	assert_int_equal(count_snapshots(), 1);
	twa_apply_result_release(&res);
}

static void test_restore_fails_then_rollback_last(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	char msg[1200], want[400], snap[64];

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	fake.fail_write[0] = 2;	/* the range */
	fake.fail_write[1] = 3;	/* and putting tcp_tw_reuse back */
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EINVAL);
	assert_true(res.restore_failed);
	formatted(&err, msg, sizeof(msg));
	snprintf(want, sizeof(want), "RESTORE INCOMPLETE (could not restore net.ipv4.tcp_tw_reuse to '2'; run 'twadvise rollback %s')",
		 res.snapshot);
	if (!strstr(msg, want))
		fail_msg("'%s' lacks '%s'", msg, want);
	assert_string_equal(fake_get(K_REUSE), "1");
	snprintf(snap, sizeof(snap), "%s", res.snapshot);
	twa_apply_result_release(&res);

	/* the host is recoverable: rollback --last */
	begin_op();
	if (twa_rollback(&o, NULL, &res, &err) < 0)
		fail_msg("rollback: %s", err.msg);
	assert_string_equal(res.rolled_back, snap);
	assert_string_equal(fake_get(K_REUSE), "2");
	assert_string_equal(fake_get(K_RANGE), "32768\t60999");
	twa_apply_result_release(&res);
}

static void test_eacces(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	snprintf(fake.eacces_key, sizeof(fake.eacces_key), K_RANGE);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EACCES);
	assert_non_null(strstr(err.msg, "Permission denied"));
	assert_int_equal(fake.writes, 0);
	assert_int_equal(count_snapshots(), 0);
	assert_string_equal(fake_get(K_REUSE), "2");
	twa_apply_result_release(&res);
}

static void test_readback_mismatch(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	/* the kernel takes the write but keeps another value */
	snprintf(fake.clamp_key, sizeof(fake.clamp_key), K_RANGE);
	snprintf(fake.clamp_value, sizeof(fake.clamp_value), "16384\t60999");
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EINVAL);
	assert_string_equal(err.msg, "nothing changed (every key written was restored): net.ipv4.ip_local_port_range: the kernel kept '16384\t60999' after writing '10000 65535'");
	assert_string_equal(fake_get(K_REUSE), "2");
	assert_string_equal(fake_get(K_RANGE), "32768\t60999");
	assert_false(res.restore_failed);
	twa_apply_result_release(&res);
}

/* ---- persist ------------------------------------------------------------ */

static const char old_conf[] =
	"# hand-written before twadvise\n"
	"net.core.somaxconn = 8192\n"
	"net.ipv4.tcp_tw_reuse = 0\n";

/* Check the header and return the body after it. */
static const char *persist_body(const char *text, const char *profile, const char *snap)
{
	char want[300];
	const char *date, *nl;

	snprintf(want, sizeof(want),
		 "# Written by twadvise: do not edit by hand.\n"
		 "# 'twadvise rollback' restores the previous content of this file.\n"
		 "# profile: %s\n# snapshot: %s\n# date: ", profile, snap);
	if (strncmp(text, want, strlen(want)))
		fail_msg("header:\n%s\nwant:\n%s", text, want);
	date = text + strlen(want);
	nl = strchr(date, '\n');
	assert_non_null(nl);
	/* 2026-01-01T12:00:00Z */
	assert_int_equal(nl - date, 20);
	assert_int_equal(date[10], 'T');
	assert_int_equal(date[19], 'Z');
	return nl + 1;
}

static void test_persist(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	struct twa_snapshot s;
	struct strbuf text = STRBUF_INIT;

	(void)state;
	opts_init(&o);
	o.persist = true;
	std_plan(&pb);
	write_text(env.persist, old_conf);
	begin_op();
	if (twa_apply(&o, &pb.plan, &res, &err) < 0)
		fail_msg("apply --persist: %s", err.msg);
	assert_true(res.persist_written);
	assert_string_equal(res.persist_path, env.persist);
	read_text(env.persist, &text);
	/* keys already there are kept, ours set, tabs written as spaces */
	assert_string_equal(persist_body(text.buf, "reverse-proxy", res.snapshot),
			    "net.core.somaxconn = 8192\n"
			    "net.ipv4.tcp_tw_reuse = 1\n"
			    "net.ipv4.ip_local_port_range = 10000 65535\n");
	assert_int_equal(mode_of(env.persist), 0644);
	/* the snapshot holds the file as it was */
	if (!fake.snap_ok)
		fail_msg("at the first write: %s", fake.snap_why);
	assert_int_equal(load_snapshot(env.state, res.snapshot, &s, &err), 0);
	assert_true(s.has_persist);
	assert_true(s.persist_existed);
	assert_string_equal(s.persist_path, env.persist);
	assert_string_equal(s.persist_content, old_conf);
	twa_snapshot_release(&s);
	twa_apply_result_release(&res);

	/* again: nothing to do, the file untouched */
	{
		struct strbuf again = STRBUF_INIT;

		assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
		assert_true(res.nothing_to_do);
		assert_false(res.persist_written);
		read_text(env.persist, &again);
		assert_string_equal(again.buf, text.buf);
		assert_int_equal(count_snapshots(), 1);
		strbuf_release(&again);
		twa_apply_result_release(&res);
	}
	strbuf_release(&text);
}

/* Values already live but not persisted: only the file is written. */
static void test_persist_after_plain_apply(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	struct twa_snapshot s;
	struct strbuf text = STRBUF_INIT;

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	twa_apply_result_release(&res);
	assert_false(exists(env.persist));
	o.persist = true;
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_false(res.nothing_to_do);
	assert_int_equal(res.written, 0);
	assert_true(res.persist_written);
	assert_int_equal(fake.writes, 2);
	read_text(env.persist, &text);
	assert_string_equal(persist_body(text.buf, "reverse-proxy", res.snapshot),
			    "net.ipv4.tcp_tw_reuse = 1\n"
			    "net.ipv4.ip_local_port_range = 10000 65535\n");
	/* the snapshot says the file did not exist */
	assert_int_equal(load_snapshot(env.state, res.snapshot, &s, &err), 0);
	assert_true(s.has_persist);
	assert_false(s.persist_existed);
	assert_null(s.persist_content);
	twa_snapshot_release(&s);
	twa_apply_result_release(&res);
	strbuf_release(&text);
}

static void test_persist_symlink(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	struct strbuf text = STRBUF_INIT;
	char target[200];

	(void)state;
	opts_init(&o);
	o.persist = true;
	std_plan(&pb);
	snprintf(target, sizeof(target), "%s/elsewhere.conf", env.root);
	write_text(target, "precious\n");
	assert_int_equal(symlink(target, env.persist), 0);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -ELOOP);
	assert_string_equal(err.file, env.persist);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(fake.writes, 0);
	assert_int_equal(count_snapshots(), 0);
	read_text(target, &text);
	assert_string_equal(text.buf, "precious\n");
	twa_apply_result_release(&res);
	/* a dangling link is refused too, and nothing is created through it */
	assert_int_equal(unlink(env.persist), 0);
	assert_int_equal(unlink(target), 0);
	assert_int_equal(symlink(target, env.persist), 0);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -ELOOP);
	assert_false(exists(target));
	assert_int_equal(fake.writes, 0);
	twa_apply_result_release(&res);
	strbuf_release(&text);
}

/* The persisted file swapped for a symlink after the checks, while the
 * values are being written: the write through the link is refused and
 * every value is put back. */
static char swap_target[200];

static void swap_in_symlink(unsigned n, void *ctx)
{
	(void)ctx;
	if (n != 1)
		return;
	write_text(swap_target, "precious\n");
	assert_int_equal(unlink(env.persist), 0);
	assert_int_equal(symlink(swap_target, env.persist), 0);
}

static void test_persist_symlink_race(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	struct strbuf text = STRBUF_INIT;
	char msg[1200];

	(void)state;
	opts_init(&o);
	o.persist = true;
	o.after_write = swap_in_symlink;
	std_plan(&pb);
	snprintf(swap_target, sizeof(swap_target), "%s/elsewhere.conf", env.root);
	write_text(env.persist, old_conf);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -ELOOP);
	formatted(&err, msg, sizeof(msg));
	if (!strstr(msg, "nothing changed (every key written was restored)") ||
	    !strstr(msg, "symbolic link"))
		fail_msg("message: %s", msg);
	assert_false(res.persist_written);
	assert_false(res.restore_failed);
	assert_string_equal(fake_get(K_REUSE), "2");
	assert_string_equal(fake_get(K_RANGE), "32768\t60999");
	read_text(swap_target, &text);
	assert_string_equal(text.buf, "precious\n");
	twa_apply_result_release(&res);
	strbuf_release(&text);
}

/* ---- the state directory ------------------------------------------------ */

static void test_state_dir_refused(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	char snap[200], link[200];

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	/* writable by others */
	assert_int_equal(mkdir(env.state, 0700), 0);
	assert_int_equal(chmod(env.state, 0777), 0);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EACCES);
	assert_string_equal(err.msg, "state directory is writable by others (mode 0777): fix with chmod 700");
	assert_string_equal(err.file, env.state);
	assert_int_equal(fake.writes, 0);
	twa_apply_result_release(&res);
	assert_int_equal(twa_rollback(&o, NULL, &res, &err), -EACCES);
	twa_apply_result_release(&res);
	/* group-writable */
	assert_int_equal(chmod(env.state, 0770), 0);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EACCES);
	twa_apply_result_release(&res);
	/* the snapshots directory writable by others */
	assert_int_equal(chmod(env.state, 0700), 0);
	snprintf(snap, sizeof(snap), "%s/snapshots", env.state);
	assert_int_equal(mkdir(snap, 0700), 0);
	assert_int_equal(chmod(snap, 0757), 0);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EACCES);
	assert_string_equal(err.file, snap);
	twa_apply_result_release(&res);
	assert_int_equal(chmod(snap, 0700), 0);
	/* owned by someone else */
	if (geteuid() == 0) {
		assert_int_equal(chown(env.state, 65534, 65534), 0);
		assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EACCES);
		assert_string_equal(err.msg, "state directory is owned by uid 65534, not by us (uid 0): refusing it");
		twa_apply_result_release(&res);
		assert_int_equal(twa_rollback(&o, NULL, &res, &err), -EACCES);
		twa_apply_result_release(&res);
		assert_int_equal(chown(env.state, 0, 0), 0);
	} else {
		print_message("not root: the other-owner case is skipped\n");
	}
	/* a symlink to a good directory */
	snprintf(link, sizeof(link), "%s/state-link", env.root);
	assert_int_equal(symlink(env.state, link), 0);
	o.state_dir = link;
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EACCES);
	assert_non_null(strstr(err.msg, "symbolic link"));
	twa_apply_result_release(&res);
	assert_int_equal(fake.writes, 0);
	assert_int_equal(fake.checks, 0);
	/* and the good directory itself works */
	o.state_dir = env.state;
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	twa_apply_result_release(&res);
}

static void test_lock_held(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	char lock[200];
	int fd;

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	make_state_dirs();
	snprintf(lock, sizeof(lock), "%s/lock", env.state);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "4242\n", 5), 5);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EAGAIN);
	assert_string_equal(err.msg, "another twadvise apply or rollback holds the lock (pid 4242); try again when it is done");
	assert_int_equal(fake.writes, 0);
	assert_int_equal(fake.reads, 0);
	assert_int_equal(count_snapshots(), 0);
	twa_apply_result_release(&res);
	assert_int_equal(twa_rollback(&o, NULL, &res, &err), -EAGAIN);
	twa_apply_result_release(&res);
	/* released: it goes through */
	assert_int_equal(close(fd), 0);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_int_equal(res.written, 2);
	twa_apply_result_release(&res);
	/* the lock file is not a way to write elsewhere */
	assert_int_equal(unlink(lock), 0);
	assert_int_equal(symlink("/etc/passwd", lock), 0);
	fake_set(K_REUSE, "2");
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), -EACCES);
	twa_apply_result_release(&res);
}

/* ---- rollback ----------------------------------------------------------- */

static void test_rollback_restores_values_and_file(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	struct twa_snapshot s;
	struct strbuf applied = STRBUF_INIT, now = STRBUF_INIT;
	char id[64], undo[64];

	(void)state;
	opts_init(&o);
	o.persist = true;
	std_plan(&pb);
	write_text(env.persist, old_conf);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	snprintf(id, sizeof(id), "%s", res.snapshot);
	twa_apply_result_release(&res);
	read_text(env.persist, &applied);

	begin_op();
	if (twa_rollback(&o, id, &res, &err) < 0)
		fail_msg("rollback: %s", err.msg);
	assert_string_equal(res.rolled_back, id);
	assert_true(twa_snapshot_id_valid(res.snapshot));
	assert_string_not_equal(res.snapshot, id);
	assert_int_equal(res.written, 2);
	assert_true(res.persist_written);
	assert_string_equal(fake_get(K_REUSE), "2");
	assert_string_equal(fake_get(K_RANGE), "32768\t60999");
	read_text(env.persist, &now);
	assert_string_equal(now.buf, old_conf);
	/* the rollback snapshotted first: what it was about to undo */
	if (!fake.snap_ok)
		fail_msg("at the first write of the rollback: %s", fake.snap_why);
	assert_int_equal(fake.snap_files, 2);
	snprintf(undo, sizeof(undo), "%s", res.snapshot);
	assert_int_equal(load_snapshot(env.state, undo, &s, &err), 0);
	assert_string_equal(s.operation, "rollback");
	assert_string_equal(s.rolls_back, id);
	assert_string_equal(s.values[0].value, "1");
	assert_string_equal(s.values[1].value, "10000 65535");
	assert_true(s.persist_existed);
	assert_string_equal(s.persist_content, applied.buf);
	twa_snapshot_release(&s);
	twa_apply_result_release(&res);

	/* rolling back the same snapshot again: nothing to do */
	assert_int_equal(twa_rollback(&o, id, &res, &err), 0);
	assert_true(res.nothing_to_do);
	assert_int_equal(count_snapshots(), 2);
	twa_apply_result_release(&res);

	/* the rollback can itself be rolled back */
	assert_int_equal(twa_rollback(&o, undo, &res, &err), 0);
	assert_string_equal(fake_get(K_REUSE), "1");
	assert_string_equal(fake_get(K_RANGE), "10000 65535");
	read_text(env.persist, &now);
	assert_string_equal(now.buf, applied.buf);
	twa_apply_result_release(&res);
	strbuf_release(&applied);
	strbuf_release(&now);
}

static void test_rollback_removes_created_file(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	char id[64];

	(void)state;
	opts_init(&o);
	o.persist = true;
	std_plan(&pb);
	assert_false(exists(env.persist));
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	assert_true(exists(env.persist));
	snprintf(id, sizeof(id), "%s", res.snapshot);
	twa_apply_result_release(&res);
	assert_int_equal(twa_rollback(&o, id, &res, &err), 0);
	assert_false(exists(env.persist));
	assert_true(res.persist_written);
	assert_string_equal(fake_get(K_REUSE), "2");
	twa_apply_result_release(&res);
}

static void test_rollback_last(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf p1, p2;
	char s1[64], s2[64];

	(void)state;
	opts_init(&o);
	/* nothing was ever applied here */
	assert_int_equal(twa_rollback(&o, NULL, &res, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no snapshots were taken here"));
	twa_apply_result_release(&res);
	make_state_dirs();
	/* BUG (UBSan, make unit SANITIZE=undefined): with no snapshot,
	 * twa_state_ids() calls qsort(NULL, 0, ...) (state.c); glibc declares
	 * the array nonnull. */
	assert_int_equal(twa_rollback(&o, NULL, &res, &err), -ENOENT);
	assert_string_equal(err.msg, "no snapshots to roll back");
	twa_apply_result_release(&res);

	memset(&p1, 0, sizeof(p1));
	plan_add(&p1, K_REUSE, "2", "1");
	memset(&p2, 0, sizeof(p2));
	plan_add(&p2, K_SOMAX, "4096", "8192");
	assert_int_equal(twa_apply(&o, &p1.plan, &res, &err), 0);
	snprintf(s1, sizeof(s1), "%s", res.snapshot);
	twa_apply_result_release(&res);
	assert_int_equal(twa_apply(&o, &p2.plan, &res, &err), 0);
	snprintf(s2, sizeof(s2), "%s", res.snapshot);
	twa_apply_result_release(&res);
	assert_true(strcmp(s1, s2) < 0);
	assert_int_equal(twa_rollback(&o, NULL, &res, &err), 0);
	assert_string_equal(res.rolled_back, s2);
	assert_string_equal(fake_get(K_SOMAX), "4096");
	assert_string_equal(fake_get(K_REUSE), "1");
	twa_apply_result_release(&res);
	/* a snapshot that does not exist */
	assert_int_equal(twa_rollback(&o, "20000101-000000-000000", &res, &err), -ENOENT);
	twa_apply_result_release(&res);
	/* an id that is not a file name */
	assert_int_equal(twa_rollback(&o, "../state/lock", &res, &err), -EINVAL);
	twa_apply_result_release(&res);
}

/* A snapshot file written by hand into the snapshots directory. */
static void plant_snapshot(const char *id, const char *json)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/snapshots/%s.json", env.state, id);
	write_text(path, json);
	assert_int_equal(chmod(path, 0600), 0);
}

static void test_rollback_hostile_snapshots(void **state)
{
	static const struct {
		const char *name, *values;
		int code;
		const char *msg;
	} cases[] = {
		{ "key outside net.",
		  "[{\"key\": \"kernel.core_pattern\", \"value\": \"|/tmp/x\"}]",
		  -EBADMSG, "sysctl 'kernel.core_pattern' names a program the kernel runs as root" },
		{ "key climbing out of /proc/sys/net",
		  "[{\"key\": \"net.ipv4.tcp_tw_reuse\", \"value\": \"2\"}, {\"key\": \"net/../../kernel/core_pattern\", \"value\": \"x\"}]",
		  -EBADMSG, "is not under a /proc/sys tree" },
		{ "key with a slash",
		  "[{\"key\": \"net.ipv4/../../../etc/shadow\", \"value\": \"x\"}]",
		  -EBADMSG, "has a bad character at 9" },
		{ "value with a newline",
		  "[{\"key\": \"net.ipv4.tcp_tw_reuse\", \"value\": \"1\\nnet.ipv4.ip_forward=1\"}]",
		  -EBADMSG, "value has a control or non-ASCII character at byte 2" },
	};
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	size_t i;

	(void)state;
	opts_init(&o);
	make_state_dirs();
	for (i = 0; i < N(cases); i++) {
		char json[1024], id[32];
		int r;

		snprintf(id, sizeof(id), "20260101-00000%zu-000000", i);
		snprintf(json, sizeof(json),
			 "{\"schema\": \"twadvise.snapshot/1\", \"id\": \"%s\", \"operation\": \"apply\", \"values\": %s}",
			 id, cases[i].values);
		plant_snapshot(id, json);
		r = twa_rollback(&o, id, &res, &err);
		if (r != cases[i].code || !strstr(err.msg, cases[i].msg))
			fail_msg("%s: got %d '%s', want %d '%s'", cases[i].name, r, err.msg,
				 cases[i].code, cases[i].msg);
		assert_int_equal(fake.writes, 0);
		assert_int_equal(fake.reads, 0);
		twa_apply_result_release(&res);
	}
	/* the id inside must be the file's */
	plant_snapshot("20260102-000000-000000",
		       "{\"schema\": \"twadvise.snapshot/1\", \"id\": \"20260103-000000-000000\", \"operation\": \"apply\", \"values\": [{\"key\": \"net.ipv4.tcp_tw_reuse\", \"value\": \"0\"}]}");
	assert_int_equal(twa_rollback(&o, "20260102-000000-000000", &res, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "the file says it is snapshot '20260103-000000-000000'"));
	twa_apply_result_release(&res);
	assert_int_equal(fake.writes, 0);
	assert_string_equal(fake_get(K_REUSE), "2");
}

static void test_rollback_foreign_persist_path(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct strbuf text = STRBUF_INIT;
	char json[1400], victim[200], want[600];

	(void)state;
	opts_init(&o);
	make_state_dirs();
	snprintf(victim, sizeof(victim), "%s/victim.conf", env.root);
	write_text(victim, "precious\n");
	snprintf(json, sizeof(json),
		 "{\"schema\": \"twadvise.snapshot/1\", \"id\": \"20260101-000000-000000\", \"operation\": \"apply\","
		 " \"values\": [{\"key\": \"net.ipv4.tcp_tw_reuse\", \"value\": \"0\"}],"
		 " \"persist\": {\"path\": \"%s\", \"existed\": true, \"content\": \"net.ipv4.tcp_tw_reuse = 1\\n\"}}",
		 victim);
	plant_snapshot("20260101-000000-000000", json);
	assert_int_equal(twa_rollback(&o, "20260101-000000-000000", &res, &err), -EBADMSG);
	snprintf(want, sizeof(want), "snapshot 20260101-000000-000000 restores '%s', but the persisted file is '%s'",
		 victim, env.persist);
	if (!strstr(err.msg, want))
		fail_msg("'%s' lacks '%s'", err.msg, want);
	assert_int_equal(fake.writes, 0);
	read_text(victim, &text);
	assert_string_equal(text.buf, "precious\n");
	/* nor may it delete a foreign file */
	snprintf(json, sizeof(json),
		 "{\"schema\": \"twadvise.snapshot/1\", \"id\": \"20260101-000001-000000\", \"operation\": \"apply\","
		 " \"values\": [], \"persist\": {\"path\": \"%s\", \"existed\": false, \"content\": null}}",
		 victim);
	plant_snapshot("20260101-000001-000000", json);
	twa_apply_result_release(&res);
	assert_int_equal(twa_rollback(&o, "20260101-000001-000000", &res, &err), -EBADMSG);
	assert_true(exists(victim));
	twa_apply_result_release(&res);
	strbuf_release(&text);
}

/* A rollback that fails half way puts back what it changed. */
static void test_rollback_failure_restores(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	char id[64];

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	snprintf(id, sizeof(id), "%s", res.snapshot);
	twa_apply_result_release(&res);
	fake.fail_write[0] = fake.writes + 2;	/* the rollback's second write */
	assert_int_equal(twa_rollback(&o, id, &res, &err), -EINVAL);
	assert_false(res.restore_failed);
	assert_non_null(strstr(err.msg, "nothing changed (every key written was restored)"));
	assert_string_equal(fake_get(K_REUSE), "1");
	assert_string_equal(fake_get(K_RANGE), "10000 65535");
	twa_apply_result_release(&res);
	/* a persisted file turned symlink stops a rollback before any write */
	{
		char target[200];
		unsigned before = fake.writes;

		o.persist = true;
		fake.fail_write[0] = 0;
		assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);	/* persists */
		snprintf(id, sizeof(id), "%s", res.snapshot);
		twa_apply_result_release(&res);
		snprintf(target, sizeof(target), "%s/elsewhere.conf", env.root);
		write_text(target, "precious\n");
		assert_int_equal(unlink(env.persist), 0);
		assert_int_equal(symlink(target, env.persist), 0);
		before = fake.writes;
		assert_int_equal(twa_rollback(&o, id, &res, &err), -ELOOP);
		assert_int_equal(fake.writes, before);
		twa_apply_result_release(&res);
	}
}

static void test_rollback_snapshot_symlink(void **state)
{
	struct twa_apply_opts o;
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct plan_buf pb;
	char id[64], path[300], moved[300];

	(void)state;
	opts_init(&o);
	std_plan(&pb);
	assert_int_equal(twa_apply(&o, &pb.plan, &res, &err), 0);
	snprintf(id, sizeof(id), "%s", res.snapshot);
	twa_apply_result_release(&res);
	/* the real snapshot moved away, a link left in its place */
	snprintf(path, sizeof(path), "%s/snapshots/%s.json", env.state, id);
	snprintf(moved, sizeof(moved), "%s/moved.json", env.root);
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(symlink(moved, path), 0);
	begin_op();
	fake.writes = 0;
	assert_int_equal(twa_rollback(&o, id, &res, &err), -ELOOP);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(fake.writes, 0);
	assert_string_equal(fake_get(K_REUSE), "1");
	twa_apply_result_release(&res);
	/* --last does not follow it either */
	assert_int_equal(twa_rollback(&o, NULL, &res, &err), -ELOOP);
	assert_int_equal(fake.writes, 0);
	twa_apply_result_release(&res);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_apply_snapshot_first),
		T(test_apply_partly_done),
		T(test_drift),
		T(test_wrong_host_or_netns),
		T(test_absent_key),
		T(test_dry_run),
		T(test_einval_restores),
		T(test_restore_fails_then_rollback_last),
		T(test_eacces),
		T(test_readback_mismatch),
		T(test_persist),
		T(test_persist_after_plain_apply),
		T(test_persist_symlink),
		T(test_persist_symlink_race),
		T(test_state_dir_refused),
		T(test_lock_held),
		T(test_rollback_restores_values_and_file),
		T(test_rollback_removes_created_file),
		T(test_rollback_last),
		T(test_rollback_hostile_snapshots),
		T(test_rollback_foreign_persist_path),
		T(test_rollback_failure_restores),
		T(test_rollback_snapshot_symlink),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
