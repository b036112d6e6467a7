/* apply.c - `twadvise apply PLAN`, `rollback` and `snapshots`: change sysctls safely, go back. */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "advisor/apply/apply.h"
#include "advisor/apply/boot.h"
#include "advisor/inspect/host.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/apply/plan.h"
#include "advisor/inspect/procfs.h"
#include "advisor/apply/state.h"
#include "advisor/facts/sysctl_key.h"

enum { OPT_PERSIST = OPT_COMMAND_BASE, OPT_DRY_RUN, OPT_FORCE, OPT_LAST };

static const char *const state_names[] = { "pending", "done", "drifted", "absent" };

static void log_op(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Every apply and rollback goes to syslog (the journal), with its snapshot. */
static void log_op(int prio, const char *fmt, ...)
{
	va_list ap;

	openlog("twadvise", LOG_PID, LOG_USER);
	va_start(ap, fmt);
	vsyslog(prio, fmt, ap);
	va_end(ap);
	closelog();
}

/* Test-only: TWADVISE_TEST_PAUSE_AFTER_WRITE=N stops after the N-th write,
 * touching TWADVISE_TEST_PAUSE_FILE, so a test can SIGKILL the apply there.
 * The pause is bounded (30 s). */
static void test_pause(unsigned n, void *ctx)
{
	const char *at = getenv("TWADVISE_TEST_PAUSE_AFTER_WRITE");
	const char *file = getenv("TWADVISE_TEST_PAUSE_FILE");
	uint64_t want;

	(void)ctx;
	if (!at || twa_parse_u64_str(at, &want) < 0 || want != n)
		return;
	if (file) {
		FILE *fp = fopen(file, "w");

		if (fp)
			fclose(fp);
	}
	sleep(30);
}

static void result_json(const struct twa_apply_result *res, bool dry_run,
			struct strbuf *out)
{
	json_object *o = json_object_new_object(), *keys = json_object_new_array();
	json_object *ov = json_object_new_array();
	bool changed = res->written > 0 || res->persist_written;
	size_t i;

	if (dry_run)
		changed = !res->nothing_to_do;
	json_object_object_add(o, "changed", json_object_new_boolean(changed));
	json_object_object_add(o, "dry_run", json_object_new_boolean(dry_run));
	json_object_object_add(o, "snapshot", res->snapshot[0] ?
			       json_object_new_string(res->snapshot) : NULL);
	if (res->rolled_back[0])
		json_object_object_add(o, "rolled_back", json_object_new_string(res->rolled_back));
	for (i = 0; i < res->n; i++) {
		json_object *k = json_object_new_object();

		json_object_object_add(k, "key", json_object_new_string(res->keys[i].key));
		json_object_object_add(k, "from", json_object_new_string(res->keys[i].from));
		json_object_object_add(k, "to", json_object_new_string(res->keys[i].to));
		json_object_object_add(k, "state",
				       json_object_new_string(state_names[res->keys[i].state]));
		json_object_array_add(keys, k);
	}
	json_object_object_add(o, "keys", keys);
	json_object_object_add(o, "persisted", res->persist_written ?
			       json_object_new_string(res->persist_path) : NULL);
	for (i = 0; i < res->boot.n_overrides; i++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "key", json_object_new_string(res->boot.overrides[i].key));
		json_object_object_add(x, "value", json_object_new_string(res->boot.overrides[i].theirs));
		json_object_object_add(x, "file", json_object_new_string(res->boot.overrides[i].file));
		json_object_array_add(ov, x);
	}
	json_object_object_add(o, "boot_overrides", ov);
	twa_json_write(o, true, out);
	json_object_put(o);
}

static void result_text(const struct twa_apply_result *res, const char *what,
			bool dry_run, struct strbuf *out)
{
	size_t i;

	if (res->nothing_to_do) {
		strbuf_addf(out, "%s: nothing to change, every key is already in place%s\n", what,
			    res->persist_path[0] ? " and persisted" : "");
		return;
	}
	for (i = 0; i < res->n; i++) {
		const struct twa_applied *k = &res->keys[i];
		char from[256], to[256];

		twa_sysctl_value_display(k->from, from, sizeof(from));
		twa_sysctl_value_display(k->to, to, sizeof(to));
		if (k->state == TWA_CHANGE_DONE)
			strbuf_addf(out, "  %-36s %s (already)\n", k->key, to);
		else
			strbuf_addf(out, "  %-36s %s -> %s%s\n", k->key, from, to,
				    dry_run ? " (would change)" : "");
	}
	if (dry_run) {
		strbuf_addf(out, "%s: dry run, nothing written%s\n", what,
			    res->persist_path[0] ? "; the persisted file would be updated too" : "");
		return;
	}
	if (res->persist_written)
		strbuf_addf(out, "persisted: %s\n", res->persist_path);
	strbuf_addf(out, "%s: %zu key%s written; snapshot %s (undo with: twadvise rollback %s)\n",
		    what, res->written, res->written == 1 ? "" : "s", res->snapshot, res->snapshot);
}

static int parse_common(int argc, char **argv, const char *cmd, struct twa_globals *g,
			struct twa_apply_opts *ao, bool *last)
{
	static const struct option opts[] = {
		{ "persist", no_argument, NULL, OPT_PERSIST },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "last", no_argument, NULL, OPT_LAST },
		TWA_GLOBAL_OPTIONS,
		{ 0 },
	};
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, TWA_GLOBAL_SHORT, opts, NULL)) != -1) {
		switch (opt) {
		case OPT_PERSIST:
			if (strcmp(cmd, "apply"))
				return twa_usage_error(cmd, "--persist is an apply option");
			ao->persist = true;
			break;
		case OPT_DRY_RUN:
			ao->dry_run = true;
			break;
		case OPT_FORCE:
			if (strcmp(cmd, "apply"))
				return twa_usage_error(cmd, "--force is an apply option");
			ao->force = true;
			break;
		case OPT_LAST:
			if (!last)
				return twa_usage_error(cmd, "--last is a rollback option");
			*last = true;
			break;
		case '?':
			return twa_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		default:
			r = twa_global_option(g, opt, optarg, cmd);
			if (r)
				return r;
		}
	}
	if (g->format && strcmp(g->format, "text") && strcmp(g->format, "json"))
		return twa_usage_error(cmd, "--format takes text or json, not '%s'", g->format);
	twa_globals_finish(g);
	ao->proc_root = g->proc_root;
	ao->state_dir = g->state_dir;
	ao->sysctl_dir = g->sysctl_dir;
	return 0;
}

static int finish(const struct twa_globals *g, const struct twa_apply_result *res,
		  const char *what, bool dry_run)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;
	int r;

	if (g->format && !strcmp(g->format, "json"))
		result_json(res, dry_run, &out);
	else if (!g->quiet)
		result_text(res, what, dry_run, &out);
	for (i = 0; i < res->boot.n_overrides; i++)
		twa_warnf("%s = %s in %s overrides the persisted %s at boot: the host would lose this fix at the next reboot",
			  res->boot.overrides[i].key, res->boot.overrides[i].theirs,
			  res->boot.overrides[i].file, res->boot.overrides[i].ours);
	r = twa_write_output(g, &out);
	strbuf_release(&out);
	return r;
}

int cmd_apply(int argc, char **argv, const struct twa_globals *gin)
{
	struct twa_globals g = *gin;
	struct twa_apply_opts ao = { .after_write = test_pause };
	struct twa_apply_result res;
	struct strbuf buf = STRBUF_INIT;
	struct twa_plan plan;
	struct twa_err err = { 0 };
	struct twa_host h = { 0 };
	const char *file;
	size_t i;
	int r;

	r = parse_common(argc, argv, "apply", &g, &ao, NULL);
	if (r)
		return r;
	if (optind != argc - 1)
		return twa_usage_error("apply", "apply takes one PLAN file (from 'twadvise plan')");
	file = argv[optind];
	if (ao.persist && g.netns)
		return twa_usage_error("apply",
				       "--persist writes the host's boot configuration; values of another namespace (--netns) belong in that container's own configuration");
	twa_plan_init(&plan);
	memset(&res, 0, sizeof(res));
	r = twa_read_file(file, TWA_PLAN_MAX_BYTES, &buf, &err);
	if (r == 0)
		r = twa_plan_parse(buf.buf, buf.len, file, &plan, &err);
	if (r < 0) {
		r = twa_fail(&err);
		goto out;
	}
	r = twa_enter_netns(&g);
	if (r)
		goto out;
	/* This host and namespace, to compare with the plan's. */
	twa_host_read(g.proc_root, &h);
	ao.host = h.hostname;
	ao.netns = h.netns;
	if (!plan.n) {
		if (!g.quiet)
			printf("%s: the plan is empty, nothing to change\n", file);
		r = 0;
		goto out;
	}
	r = twa_apply(&ao, &plan, &res, &err);
	if (r < 0) {
		if (res.snapshot[0])
			log_op(LOG_ERR, "apply of %s failed (snapshot %s): %s", file, res.snapshot,
			       err.msg);
		r = twa_fail(&err);
		goto out;
	}
	if (!ao.dry_run && !res.nothing_to_do) {
		struct strbuf keys = STRBUF_INIT;

		for (i = 0; i < res.n; i++)
			if (res.keys[i].state != TWA_CHANGE_DONE)
				strbuf_addf(&keys, "%s%s=%s", keys.len ? " " : "", res.keys[i].key,
					    res.keys[i].to);
		log_op(LOG_NOTICE, "applied %s profile=%s snapshot=%s%s%s: %s", file, plan.profile,
		       res.snapshot, res.persist_written ? " persisted=" : "",
		       res.persist_written ? res.persist_path : "", keys.buf);
		strbuf_release(&keys);
	}
	r = finish(&g, &res, "apply", ao.dry_run);
out:
	twa_apply_result_release(&res);
	twa_plan_release(&plan);
	strbuf_release(&buf);
	return r;
}

int cmd_rollback(int argc, char **argv, const struct twa_globals *gin)
{
	struct twa_globals g = *gin;
	struct twa_apply_opts ao = { .after_write = test_pause };
	struct twa_apply_result res;
	struct twa_err err = { 0 };
	struct twa_host h = { 0 };
	const char *id = NULL;
	bool last = false;
	int r;

	r = parse_common(argc, argv, "rollback", &g, &ao, &last);
	if (r)
		return r;
	if (optind < argc)
		id = argv[optind++];
	if (optind < argc || (id && last) || (!id && !last))
		return twa_usage_error("rollback", "say which snapshot: an ID ('twadvise snapshots') or --last");
	r = twa_enter_netns(&g);
	if (r)
		return r;
	/* This host and namespace, to compare with the plan's. */
	twa_host_read(g.proc_root, &h);
	ao.host = h.hostname;
	ao.netns = h.netns;
	memset(&res, 0, sizeof(res));
	r = twa_rollback(&ao, id, &res, &err);
	if (r < 0) {
		if (res.snapshot[0])
			log_op(LOG_ERR, "rollback of %s failed (snapshot %s): %s", res.rolled_back,
			       res.snapshot, err.msg);
		r = twa_fail(&err);
		goto out;
	}
	if (!ao.dry_run && !res.nothing_to_do)
		log_op(LOG_NOTICE, "rolled back snapshot=%s (undo snapshot=%s)%s%s", res.rolled_back,
		       res.snapshot, res.persist_written ? " restored " : "",
		       res.persist_written ? res.persist_path : "");
	r = finish(&g, &res, "rollback", ao.dry_run);
out:
	twa_apply_result_release(&res);
	return r;
}

int cmd_snapshots(int argc, char **argv, const struct twa_globals *gin)
{
	static const struct option opts[] = { TWA_GLOBAL_OPTIONS, { 0 } };
	struct twa_globals g = *gin;
	struct strbuf out = STRBUF_INIT;
	struct twa_state st;
	struct twa_err err = { 0 };
	json_object *list = NULL;
	char **ids = NULL;
	size_t n = 0, i, k;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, TWA_GLOBAL_SHORT, opts, NULL)) != -1) {
		if (opt == '?')
			return twa_usage_error("snapshots", "unknown option '%s'", argv[optind - 1]);
		r = twa_global_option(&g, opt, optarg, "snapshots");
		if (r)
			return r;
	}
	if (optind < argc)
		return twa_usage_error("snapshots", "unexpected argument '%s'", argv[optind]);
	twa_globals_finish(&g);
	r = twa_state_open(&st, g.state_dir, false, &err);
	if (r == -ENOENT) {
		if (!g.quiet && !(g.format && !strcmp(g.format, "json")))
			printf("no snapshots in %s\n", g.state_dir ? g.state_dir : TWA_STATE_DIR_DEFAULT);
		else if (g.format && !strcmp(g.format, "json"))
			printf("[]\n");
		return 0;
	}
	if (r < 0)
		return twa_fail(&err);
	r = twa_state_ids(&st, &ids, &n, &err);
	if (r < 0) {
		r = twa_fail(&err);
		goto out;
	}
	list = json_object_new_array();
	if (!(g.format && !strcmp(g.format, "json")))
		strbuf_addf(&out, "%-24s %-20s %-9s %-18s %s\n", "ID", "TIME", "OPERATION",
			    "PROFILE", "KEYS");
	for (i = 0; i < n; i++) {
		struct twa_snapshot s;
		struct twa_err e = { 0 };
		struct strbuf keys = STRBUF_INIT;

		twa_snapshot_init(&s);
		if (twa_state_load(&st, ids[i], &s, &e) < 0) {
			twa_warnf("skipping snapshot %s: %s", ids[i], e.msg);
			continue;
		}
		for (k = 0; k < s.n; k++)
			strbuf_addf(&keys, "%s%s", k ? "," : "", s.values[k].key);
		if (s.has_persist)
			strbuf_addf(&keys, "%s%s", keys.len ? "," : "", "+sysctl.d");
		if (g.format && !strcmp(g.format, "json")) {
			json_object *o = json_object_new_object(), *ks = json_object_new_array();

			json_object_object_add(o, "id", json_object_new_string(s.id));
			json_object_object_add(o, "created", json_object_new_string(s.created));
			json_object_object_add(o, "operation", json_object_new_string(s.operation));
			json_object_object_add(o, "profile", json_object_new_string(s.profile));
			for (k = 0; k < s.n; k++)
				json_object_array_add(ks, json_object_new_string(s.values[k].key));
			json_object_object_add(o, "keys", ks);
			json_object_object_add(o, "persist", json_object_new_boolean(s.has_persist));
			json_object_array_add(list, o);
		} else {
			strbuf_addf(&out, "%-24s %-20s %-9s %-18s %s\n", s.id, s.created, s.operation,
				    s.profile, keys.buf);
		}
		strbuf_release(&keys);
		twa_snapshot_release(&s);
	}
	if (g.format && !strcmp(g.format, "json"))
		twa_json_write(list, true, &out);
	r = twa_write_output(&g, &out);
out:
	json_object_put(list);
	twa_state_ids_free(ids, n);
	strbuf_release(&out);
	return r;
}
