/* SPDX-License-Identifier: MIT */
/* apply.c - `twadvise apply PLAN`, `rollback` and `snapshots`: change sysctls safely, go back. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "advisor/apply/apply.h"
#include "advisor/apply/boot.h"
#include "advisor/apply/plan.h"
#include "advisor/apply/state.h"
#include "advisor/facts/sysctl_key.h"
#include "advisor/inspect/host.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "cmd/errors.h"
#include "cmd/netns.h"
#include "cmd/options.h"
#include "cmd/output.h"

enum { FMT_TEXT, FMT_JSON };

/* apply's and rollback's options (each refuses the other's). */
struct apply_opts {
	bool persist, dry_run, force, last;
};

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

#ifdef TWA_TEST_HOOKS
/* Test builds only (tests/helpers/twadvise-hooks, never the installed
 * binary): TWADVISE_TEST_PAUSE_AFTER_WRITE=N stops after the N-th write,
 * touching TWADVISE_TEST_PAUSE_FILE, so a test can SIGKILL the apply
 * there. The pause is bounded (30 s). */
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
#define AFTER_WRITE test_pause
#else
#define AFTER_WRITE NULL
#endif

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
		/* A key written by this run is "applied"; the others keep
		 * what was found (done: already there; pending: dry run). */
		json_object_object_add(k, "state", json_object_new_string(
			res->keys[i].written ? "applied" : state_names[res->keys[i].state]));
		if (res->keys[i].expected[0] || res->keys[i].state == TWA_CHANGE_DRIFTED)
			json_object_object_add(k, "expected",
					       json_object_new_string(res->keys[i].expected));
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
		char from[TWA_SYSCTL_VALUE_SIZE], to[TWA_SYSCTL_VALUE_SIZE];

		twa_sysctl_value_display(k->from, from, sizeof(from));
		twa_sysctl_value_display(k->to, to, sizeof(to));
		if (k->state == TWA_CHANGE_DONE) {
			strbuf_addf(out, "  %-36s %s (already)\n", k->key, to);
		} else if (k->expected[0]) {
			char exp[TWA_SYSCTL_VALUE_SIZE];

			twa_sysctl_value_display(k->expected, exp, sizeof(exp));
			strbuf_addf(out, "  %-36s %s -> %s (drifted: expected %s, found %s)\n",
				    k->key, from, to, exp, from);
		} else {
			strbuf_addf(out, "  %-36s %s -> %s%s\n", k->key, from, to,
				    dry_run ? " (would change)" : "");
		}
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

static int finish(const struct twa_globals *g, bool json, const struct twa_apply_result *res,
		  const char *what, bool dry_run)
{
	struct strbuf out = STRBUF_INIT;
	size_t i;
	int r;

	if (json)
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

/* This host and namespace, to compare with the plan's or snapshot's, and
 * (--netns) who lives in the namespace, for the snapshot. */
static void apply_opts_init(const struct twa_cmd *c, struct twa_host *h, struct twa_apply_opts *ao,
			    struct twa_ns_ident *id)
{
	const struct apply_opts *o = c->opts;

	*ao = (struct twa_apply_opts){ .after_write = AFTER_WRITE, .persist = o->persist,
				       .dry_run = o->dry_run, .force = o->force,
				       .proc_root = c->g.proc_root, .state_dir = c->g.state_dir,
				       .sysctl_dir = c->g.sysctl_dir };
	twa_host_read(c->g.proc_root, h);
	ao->host = h->hostname;
	ao->netns = h->netns;
	ao->ident = twa_netns_identity(&c->g, id) ? id : NULL;
}

/* A change written into a container's namespace lasts until it restarts:
 * say so, with the fix in the workload's spec. */
static void say_ephemeral(const struct twa_cmd *c, const struct twa_plan *plan,
			  const struct twa_ns_ident *id, const struct twa_apply_result *res)
{
	struct strbuf out = STRBUF_INIT;

	if (!id || c->g.quiet || res->nothing_to_do)
		return;
	twa_plan_write_ephemeral(plan, id, &out);
	fputs(out.buf, c->format == FMT_JSON || c->g.output ? stderr : stdout);
	strbuf_release(&out);
}

static void log_applied(const char *file, const struct twa_plan *plan,
			const struct twa_apply_result *res)
{
	struct strbuf keys = STRBUF_INIT;
	size_t i;

	for (i = 0; i < res->n; i++)
		if (res->keys[i].state != TWA_CHANGE_DONE)
			strbuf_addf(&keys, "%s%s=%s", keys.len ? " " : "", res->keys[i].key,
				    res->keys[i].to);
	log_op(LOG_NOTICE, "applied %s profile=%s snapshot=%s%s%s: %s", file, plan->profile,
	       res->snapshot, res->persist_written ? " persisted=" : "",
	       res->persist_written ? res->persist_path : "", keys.buf);
	strbuf_release(&keys);
}

/* --netns changes one namespace: a key outside net. would change the whole
 * host, so such a plan is refused before anything is written. */
static int refuse_host_wide(const char *file, const struct twa_plan *plan)
{
	struct twa_err err = { 0 };
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (twa_sysctl_key_host_wide(plan->changes[i].key)) {
			twa_err_set(&err, -EINVAL,
				    "%s: %s is host-wide (outside net.): 'apply --netns' changes only the namespace's sysctls; nothing changed (apply it without --netns, on the host, or plan without that key)",
				    file, plan->changes[i].key);
			return twa_fail(&err);
		}
	return 0;
}

static int apply_check(struct twa_cmd *c)
{
	const struct apply_opts *o = c->opts;

	if (c->argc != 1)
		return twa_cmd_usage(c, "apply takes one PLAN file (from 'twadvise plan')");
	if (o->persist && c->g.netns)
		return twa_cmd_usage(c, "--persist writes the host's boot configuration; values of another namespace (--netns) belong in that container's own configuration");
	return 0;
}

static int apply_exec(struct twa_cmd *c)
{
	const char *file = c->argv[0];
	struct twa_apply_result res = { 0 };
	struct strbuf buf = STRBUF_INIT;
	struct twa_apply_opts ao;
	struct twa_err err = { 0 };
	struct twa_host h = { 0 };
	struct twa_ns_ident id;
	struct twa_plan plan;
	int r;

	twa_plan_init(&plan);
	r = twa_read_file(file, TWA_PLAN_MAX_BYTES, &buf, &err);
	if (r == 0)
		r = twa_plan_parse(buf.buf, buf.len, file, &plan, &err);
	if (r < 0) {
		r = twa_fail(&err);
		goto out;
	}
	if (c->g.netns && (r = refuse_host_wide(file, &plan)) != 0)
		goto out;
	apply_opts_init(c, &h, &ao, &id);
	if (!plan.n) {
		if (!c->g.quiet)
			printf("%s: the plan is empty, nothing to change\n", file);
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
	if (!ao.dry_run && !res.nothing_to_do)
		log_applied(file, &plan, &res);
	r = finish(&c->g, c->format == FMT_JSON, &res, "apply", ao.dry_run);
	if (!r)
		say_ephemeral(c, &plan, ao.ident, &res);
out:
	twa_apply_result_release(&res);
	twa_plan_release(&plan);
	strbuf_release(&buf);
	return r;
}

static int rollback_check(struct twa_cmd *c)
{
	const struct apply_opts *o = c->opts;

	if (c->argc > 1 || (c->argc == 1 && o->last) || (c->argc == 0 && !o->last))
		return twa_cmd_usage(c, "say which snapshot: an ID ('twadvise snapshots') or --last");
	return 0;
}

static int rollback_exec(struct twa_cmd *c)
{
	const char *id = c->argc ? c->argv[0] : NULL;
	struct twa_apply_result res = { 0 };
	struct twa_apply_opts ao;
	struct twa_err err = { 0 };
	struct twa_host h = { 0 };
	struct twa_ns_ident ident;
	int r;

	apply_opts_init(c, &h, &ao, &ident);
	r = twa_rollback(&ao, id, &res, &err);
	if (res.drift_unchecked)
		twa_warnf("snapshot %s records no written values (made by an older twadvise): drift cannot be checked, restoring as before",
			  res.rolled_back);
	/* A dry run shows every key, the drifted ones marked, then fails. */
	if (r == -ESTALE && ao.dry_run && res.n)
		finish(&c->g, c->format == FMT_JSON, &res, "rollback", true);
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
	r = finish(&c->g, c->format == FMT_JSON, &res, "rollback", ao.dry_run);
out:
	twa_apply_result_release(&res);
	return r;
}

/* One snapshot's row, as text or as a JSON object added to list. */
static void snapshot_row(const struct twa_snapshot *s, bool json, json_object *list,
			 struct strbuf *out)
{
	struct strbuf keys = STRBUF_INIT;
	json_object *o, *ks;
	size_t k;

	if (!json) {
		for (k = 0; k < s->n; k++)
			strbuf_addf(&keys, "%s%s", k ? "," : "", s->values[k].key);
		if (s->has_persist)
			strbuf_addf(&keys, "%s%s", keys.len ? "," : "", "+sysctl.d");
		strbuf_addf(out, "%-24s %-20s %-9s %-18s %s\n", s->id, s->created, s->operation,
			    s->profile, keys.buf);
		strbuf_release(&keys);
		return;
	}
	o = json_object_new_object();
	ks = json_object_new_array();
	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "created", json_object_new_string(s->created));
	json_object_object_add(o, "operation", json_object_new_string(s->operation));
	json_object_object_add(o, "profile", json_object_new_string(s->profile));
	for (k = 0; k < s->n; k++)
		json_object_array_add(ks, json_object_new_string(s->values[k].key));
	json_object_object_add(o, "keys", ks);
	json_object_object_add(o, "persist", json_object_new_boolean(s->has_persist));
	json_object_array_add(list, o);
}

static void snapshot_rows(struct twa_state *st, char **ids, size_t n, bool json,
			  json_object *list, struct strbuf *out)
{
	size_t i;

	if (!json)
		strbuf_addf(out, "%-24s %-20s %-9s %-18s %s\n", "ID", "TIME", "OPERATION",
			    "PROFILE", "KEYS");
	for (i = 0; i < n; i++) {
		struct twa_snapshot s;
		struct twa_err e = { 0 };

		twa_snapshot_init(&s);
		if (twa_state_load(st, ids[i], &s, &e) < 0) {
			twa_warnf("skipping snapshot %s: %s", ids[i], e.msg);
			continue;
		}
		snapshot_row(&s, json, list, out);
		twa_snapshot_release(&s);
	}
}

static int snapshots_exec(struct twa_cmd *c)
{
	/* Any --format but json is text, as it always was. */
	bool json = c->g.format && !strcmp(c->g.format, "json");
	struct strbuf out = STRBUF_INIT;
	struct twa_err err = { 0 };
	json_object *list = NULL;
	struct twa_state st;
	char **ids = NULL;
	size_t n = 0;
	int r;

	r = twa_state_open(&st, c->g.state_dir, false, &err);
	if (r == -ENOENT) {
		if (json)
			printf("[]\n");
		else if (!c->g.quiet)
			printf("no snapshots in %s\n",
			       c->g.state_dir ? c->g.state_dir : TWA_STATE_DIR_DEFAULT);
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
	snapshot_rows(&st, ids, n, json, list, &out);
	if (json)
		twa_json_write(list, true, &out);
	r = twa_write_output(&c->g, &out);
out:
	json_object_put(list);
	twa_state_ids_free(ids, n);
	strbuf_release(&out);
	return r;
}

/* Each command refuses the other's options by name. */
static int refuse_persist(struct twa_cmd *c, const char *arg)
{
	(void)arg;
	return twa_cmd_usage(c, "--persist is an apply option");
}

static int refuse_last(struct twa_cmd *c, const char *arg)
{
	(void)arg;
	return twa_cmd_usage(c, "--last is a rollback option");
}

static const struct twa_cmd_format formats[] = {
	{ "text", FMT_TEXT, false }, { "json", FMT_JSON, false }, { NULL, 0, false },
};

#define DRY_RUN TWA_OPT_ROW("dry-run", TWA_OPT_FLAG, struct apply_opts, dry_run, NULL, \
			    "say what would change, write nothing")

static const struct twa_cmd_option apply_options[] = {
	TWA_OPT_ROW("persist", TWA_OPT_FLAG, struct apply_opts, persist, NULL,
		    "also write <sysctl-dir>/90-twadvise.conf for boot"),
	DRY_RUN,
	TWA_OPT_ROW("force", TWA_OPT_FLAG, struct apply_opts, force, NULL,
		    "apply over drift, or on another host or namespace"),
	{ .name = "last", .type = TWA_OPT_FLAG_CB, .cb = refuse_last },
	{ .type = TWA_OPT_END },
};

const struct twa_cmd_entry twa_cmd_apply = {
	.name = "apply",
	.usage = "PLAN [--persist] [--dry-run] [--force]",
	.summary = "apply a reviewed plan, taking a rollback snapshot first",
	.options = apply_options,
	.formats = formats,
	.notes = "  exit 75 on drift or a held lock, 77 without permission, 65 for a bad plan\n",
	.needs = TWA_NEEDS_NETNS | TWA_NEEDS_OUTPUT,
	.opts_size = sizeof(struct apply_opts),
	.check = apply_check,
	.exec = apply_exec,
};

static const struct twa_cmd_option rollback_options[] = {
	TWA_OPT_ROW("last", TWA_OPT_FLAG, struct apply_opts, last, NULL,
		    "the most recent snapshot"),
	DRY_RUN,
	TWA_OPT_ROW("force", TWA_OPT_FLAG, struct apply_opts, force, NULL,
		    "restore over drift (keys changed since the snapshot was taken)"),
	{ .name = "persist", .type = TWA_OPT_FLAG_CB, .cb = refuse_persist },
	{ .type = TWA_OPT_END },
};

const struct twa_cmd_entry twa_cmd_rollback = {
	.name = "rollback",
	.usage = "ID | --last [--dry-run] [--force]",
	.summary = "restore the values (and persisted file) saved in a snapshot",
	.options = rollback_options,
	.formats = formats,
	.notes = "  exit 75 when a key no longer has the value the snapshot's operation wrote\n"
		 "  (drift: names key, expected and found; --dry-run shows it) or a held lock\n",
	.needs = TWA_NEEDS_NETNS | TWA_NEEDS_OUTPUT,
	.opts_size = sizeof(struct apply_opts),
	.check = rollback_check,
	.exec = rollback_exec,
};

static const struct twa_cmd_option snapshots_options[] = {
	TWA_OPT_DOC_ROW("--format text|json", ""),
	{ .type = TWA_OPT_END },
};

const struct twa_cmd_entry twa_cmd_snapshots = {
	.name = "snapshots",
	.usage = "",
	.summary = "list snapshots (id, time, operation, profile, keys)",
	.options = snapshots_options,
	.needs = TWA_NEEDS_OUTPUT,
	.check = twa_cmd_no_operands,
	.exec = snapshots_exec,
};
