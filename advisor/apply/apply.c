/* SPDX-License-Identifier: MIT */
/* apply.c - applying plans and rolling back snapshots, all or nothing. */
#include "advisor/apply/apply.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advisor/apply/boot.h"
#include "advisor/util/fsutil.h"
#include "advisor/inspect/host.h"
#include "advisor/util/parse.h"
#include "advisor/apply/snapshot.h"
#include "advisor/apply/state.h"
#include "advisor/apply/sysctl_conf.h"
#include "advisor/inspect/sysctl_io.h"
#include "advisor/facts/sysctl_key.h"

void twa_apply_result_release(struct twa_apply_result *r)
{
	if (!r)
		return;
	free(r->keys);
	free(r->boot.overrides);
	memset(r, 0, sizeof(*r));
}

static int add_key(struct twa_apply_result *res, const char *key, const char *from,
		   const char *to, enum twa_change_state state)
{
	struct twa_applied *v = realloc(res->keys, (res->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	res->keys = v;
	v = &v[res->n++];
	memset(v, 0, sizeof(*v));
	twa_strlcpy(v->key, key, sizeof(v->key));
	v->state = state;
	/* Values were checked or read whole: one that does not fit is an error. */
	if (twa_sysctl_value_copy(v->from, sizeof(v->from), from) < 0 ||
	    twa_sysctl_value_copy(v->to, sizeof(v->to), to) < 0)
		return -EFBIG;
	return 0;
}

/* --netns: who lives in the namespace the snapshot is of. */
static void record_ident(struct twa_snapshot *snap, const struct twa_apply_opts *o)
{
	if (!o->ident)
		return;
	snap->has_ident = true;
	snap->ident = *o->ident;
}

/* A new snapshot of the values the keys have now (res->keys[].from). */
static int snapshot_begin(struct twa_snapshot *snap, const char *operation,
			  const char *host, const char *netns, const char *profile,
			  const char *now, const struct twa_apply_result *res)
{
	size_t i;

	twa_state_new_id(snap->id, sizeof(snap->id));
	twa_strlcpy(snap->created, now, sizeof(snap->created));
	twa_strlcpy(snap->operation, operation, sizeof(snap->operation));
	twa_strlcpy(snap->host, host, sizeof(snap->host));
	twa_strlcpy(snap->netns, netns, sizeof(snap->netns));
	twa_strlcpy(snap->profile, profile, sizeof(snap->profile));
	for (i = 0; i < res->n; i++) {
		if (twa_snapshot_add(snap, res->keys[i].key, res->keys[i].from) < 0 ||
		    /* So a later rollback can tell drift from our own write. */
		    twa_snapshot_set_written(snap, res->keys[i].to) < 0)
			return -ENOMEM;
	}
	return 0;
}

static bool needs_write(const struct twa_applied *k)
{
	return k->state == TWA_CHANGE_PENDING || k->state == TWA_CHANGE_DRIFTED;
}

/* How often settle() writes again the keys that another key's write
 * changed, before it gives up. */
#define SETTLE_PASSES 2

/*
 * Read every key back, not only the ones written: writing one sysctl may
 * change another (net.ipv4.conf.all.forwarding resets every
 * conf.*.forwarding). Keys that differ from what they should hold (to, or
 * from when restoring) are written again, up to SETTLE_PASSES times; the
 * last pass only reads. When restoring, keys whose own restore failed
 * (still written) are left to the caller's message. Returns how many keys
 * still differ, named in msg.
 */
static size_t settle(const struct twa_apply_opts *o, struct twa_apply_result *res,
		     bool restoring, struct strbuf *msg)
{
	size_t bad = 0, i, start = msg->len;
	unsigned pass;

	for (pass = 0; pass <= SETTLE_PASSES; pass++) {
		bad = 0;
		if (msg->len > start) {	/* only this pass's findings count */
			msg->len = start;
			msg->buf[start] = '\0';
		}
		for (i = 0; i < res->n; i++) {
			struct twa_applied *k = &res->keys[i];
			const char *want = restoring ? k->from : k->to;
			char back[TWA_SYSCTL_VALUE_SIZE + 1];
			struct twa_err e = { 0 };

			if (restoring && k->written)
				continue;
			if (twa_sysctl_read(o->proc_root, k->key, back, sizeof(back), &e) == 0 &&
			    twa_sysctl_value_equal(back, want))
				continue;
			bad++;
			strbuf_addf(msg, "%s%s is '%s' at the end, not '%s'", msg->len ? "; " : "",
				    k->key, e.code ? "(unreadable)" : back, want);
			if (pass == SETTLE_PASSES ||
			    twa_sysctl_write(o->proc_root, k->key, want, &e) < 0 || restoring)
				continue;
			if (!k->written)
				res->written++;
			k->written = true;
		}
		if (!bad)
			return 0;
	}
	return bad;
}

/* Undo the keys written so far, newest first, then read every key back.
 * Returns how many failed. */
static unsigned restore_written(const struct twa_apply_opts *o,
				struct twa_apply_result *res, struct strbuf *msg)
{
	unsigned failed = 0;
	size_t i = res->n;

	while (i-- > 0) {
		struct twa_applied *k = &res->keys[i];
		struct twa_err e = { 0 };
		char back[TWA_SYSCTL_VALUE_SIZE + 1];

		if (!k->written)
			continue;
		if (twa_sysctl_write(o->proc_root, k->key, k->from, &e) < 0 ||
		    twa_sysctl_read(o->proc_root, k->key, back, sizeof(back), &e) < 0 ||
		    !twa_sysctl_value_equal(back, k->from)) {
			failed++;
			strbuf_addf(msg, "%scould not restore %s to '%s'", msg->len ? "; " : "",
				    k->key, k->from);
			continue;
		}
		k->written = false;
	}
	return failed + (unsigned)settle(o, res, true, msg);
}

/* Restore what was written after a later step failed, and say so. */
static void undo_after(const struct twa_apply_opts *o, struct twa_apply_result *res,
		       struct twa_err *err)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned failed = restore_written(o, res, &msg);

	res->restore_failed = failed > 0;
	if (failed)
		twa_err_prefix(err, "RESTORE INCOMPLETE (%s; run 'twadvise rollback %s')",
			       msg.buf, res->snapshot);
	else
		twa_err_prefix(err, "nothing changed (every key written was restored)");
	res->written = 0;
	strbuf_release(&msg);
}

/* Write every key that needs it, reading each back right away; then read
 * every key back once more (settle). On failure restore what was written
 * and return the error (naming the key). */
static int write_keys(const struct twa_apply_opts *o, struct twa_apply_result *res,
		      struct twa_err *err)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned n = 0;
	size_t i;
	int r = 0;

	for (i = 0; i < res->n && r == 0; i++) {
		struct twa_applied *k = &res->keys[i];
		char back[TWA_SYSCTL_VALUE_SIZE + 1];

		if (!needs_write(k))
			continue;
		r = twa_sysctl_write(o->proc_root, k->key, k->to, err);
		if (r < 0)
			break;
		k->written = true;
		res->written++;
		if (o->after_write)
			o->after_write(++n, o->hook_ctx);
		r = twa_sysctl_read(o->proc_root, k->key, back, sizeof(back), err);
		if (r == 0 && !twa_sysctl_value_equal(back, k->to))
			r = twa_err_set(err, -EINVAL, "%s: the kernel kept '%s' after writing '%s'",
					k->key, back, k->to);
	}
	if (r == 0 && settle(o, res, false, &msg))
		r = twa_err_set(err, -EINVAL,
				"the keys do not hold together (writing one changes another): %s",
				strbuf_failed(&msg) ? "(out of memory)" : msg.buf);
	strbuf_release(&msg);
	if (r < 0)
		undo_after(o, res, err);
	return r;
}

/* What commit() changes, besides the keys in res. */
struct commit_what {
	const struct twa_snapshot *snap;	/* to save first; NULL: res->snapshot is saved */
	const char *mark_target;	/* rollback: the snapshot restored (mark) */
	bool persist;
	const char *content;		/* the persisted file; NULL: remove it */
	size_t len;
};

/*
 * The changing part of apply and rollback, in this order: for a rollback,
 * the rollback mark; save the snapshot; write the keys; then, with
 * persist, replace the persisted file with content (or remove it when
 * content is NULL). A failure after the first write restores the keys.
 * The mark goes once the rollback is done or cleanly undone.
 */
static int commit(const struct twa_apply_opts *o, struct twa_state *st,
		  const struct commit_what *w, struct twa_apply_result *res,
		  struct twa_err *err)
{
	int r = 0;

	if (w->snap)
		twa_strlcpy(res->snapshot, w->snap->id, sizeof(res->snapshot));
	if (w->mark_target)
		r = twa_state_mark_rollback(st, res->snapshot, w->mark_target, err);
	if (r == 0 && w->snap)
		r = twa_state_save(st, w->snap, err);
	if (r == 0)
		r = write_keys(o, res, err);
	if (r == 0 && w->persist) {
		r = w->content ? twa_file_replace(res->persist_path, w->content, w->len, 0644, err) :
				 twa_file_remove(res->persist_path, err);
		if (r < 0)
			undo_after(o, res, err);
		else
			res->persist_written = true;
	}
	if (w->mark_target && !res->restore_failed)
		twa_state_clear_rollback_mark(st, NULL);
	return r;
}

/* Refuse writes we would not be allowed, before the snapshot. */
static int check_writable(const struct twa_apply_opts *o,
			  const struct twa_apply_result *res, struct twa_err *err)
{
	size_t i;
	int r;

	for (i = 0; i < res->n; i++) {
		if (!needs_write(&res->keys[i]))
			continue;
		r = twa_sysctl_check_writable(o->proc_root, res->keys[i].key, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The persisted file's path, once its directory is known to exist and to
 * be changeable by no one but root and us: checked before anything is
 * written, so a missing --sysctl-dir changes nothing (-ENOENT). */
static int persist_path(const struct twa_apply_opts *o, char *buf, size_t size,
			struct twa_err *err)
{
	const char *dir = o->sysctl_dir ? o->sysctl_dir : TWA_SYSCTL_DIR_DEFAULT;
	int r = twa_dir_check_trusted(dir, err);

	snprintf(buf, size, "%s/%s", dir, TWA_PERSIST_FILE);
	if (r == -ENOENT)
		twa_err_set_at(err, r, dir, 0, 0,
			       "the sysctl directory does not exist: nothing changed (create it or pass --sysctl-dir)");
	else if (r < 0)
		twa_err_prefix(err, "sysctl directory: nothing changed");
	else if (!o->dry_run)	/* under the lock: a killed replace's leftovers */
		twa_stale_tmp_clean(dir, TWA_PERSIST_FILE);
	return r;
}

/* The persisted file after this plan: its old settings, the plan's keys
 * set to their targets. *ret_changed says whether any setting differs. */
static int persist_merge(const struct twa_plan *plan, const struct strbuf *old,
			 bool existed, const char *path, struct twa_conf_setting **ret,
			 size_t *ret_n, size_t *ret_n_old, bool *ret_changed,
			 struct twa_err *err)
{
	struct twa_conf_setting *v = NULL;
	size_t n = 0, i, j;
	int r;

	*ret_changed = false;
	if (existed) {
		/* Our file holds only what we write: anything else in it is
		 * refused, not carried forward. */
		r = twa_persist_content_check(old->buf, old->len, path, err);
		if (r < 0) {
			twa_err_prefix(err, "the persisted file has a line twadvise would not write (fix or remove it)");
			return r;
		}
		r = twa_sysctl_conf_settings(old->buf, old->len, path, &v, &n, err);
		if (r < 0)
			return r;
	}
	*ret_n_old = n;
	for (i = 0; i < plan->n; i++) {
		for (j = 0; j < n && strcmp(v[j].key, plan->changes[i].key); j++)
			;
		if (j == n) {
			struct twa_conf_setting *nv = realloc(v, (n + 1) * sizeof(*v));

			if (!nv) {
				free(v);
				return twa_err_set(err, -ENOMEM, "out of memory");
			}
			v = nv;
			n++;
			twa_strlcpy(v[j].key, plan->changes[i].key, sizeof(v[j].key));
			v[j].value[0] = '\0';
			*ret_changed = true;
		}
		if (!twa_sysctl_value_equal(v[j].value, plan->changes[i].to)) {
			/* fits: plan values are checked at parse time */
			twa_sysctl_value_copy(v[j].value, sizeof(v[j].value), plan->changes[i].to);
			*ret_changed = true;
		}
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* The persisted file as it is now, and what this operation makes of it. */
struct persist {
	struct strbuf old;	/* its content now */
	bool existed;
	bool changed;		/* this operation rewrites or removes it */
	struct twa_conf_setting *settings;	/* apply: the content after the plan */
	size_t n_settings;
	size_t n_old;		/* the first n_old settings come from the old file */
};

static void persist_release(struct persist *p)
{
	strbuf_release(&p->old);
	free(p->settings);
	p->settings = NULL;
	p->n_settings = 0;
}

/* The snapshot taken before an operation writes: its header, who lives in
 * the namespace, and (keep_persist) the persisted file's content now. */
static int snapshot_header(struct twa_snapshot *snap, const char *operation,
			   const struct twa_apply_opts *o, const char *host,
			   const char *netns, const char *profile, const char *now,
			   bool keep_persist, const struct persist *p,
			   const struct twa_apply_result *res, struct twa_err *err)
{
	if (snapshot_begin(snap, operation, o->host ? o->host : host,
			   o->netns ? o->netns : netns, profile, now, res) < 0)
		return twa_err_set(err, -ENOMEM, "out of memory");
	record_ident(snap, o);
	if (keep_persist &&
	    twa_snapshot_set_persist(snap, res->persist_path,
				     p->existed ? p->old.buf : NULL, p->old.len) < 0)
		return twa_err_set(err, -ENOMEM, "out of memory");
	return 0;
}

/* Refuse a plan made on another host or in another namespace. */
static int check_origin(const struct twa_apply_opts *o, const struct twa_plan *plan,
			struct twa_err *err)
{
	if (!o->force && plan->host[0] && o->host && strcmp(plan->host, o->host))
		return twa_err_set(err, -ESTALE,
				   "the plan was made on host '%s', this is '%s': nothing changed (--force to apply anyway)",
				   plan->host, o->host);
	if (!o->force && plan->netns[0] && o->netns && strcmp(plan->netns, o->netns))
		return twa_err_set(err, -ESTALE,
				   "the plan was made in network namespace %s, this is %s: nothing changed (--force to apply anyway)",
				   plan->netns, o->netns);
	return 0;
}

/* Read the plan's keys as they are now into res->keys; refuse drift unless
 * forced. *ret_pending: how many keys are not at their target yet. */
static int read_plan_keys(const struct twa_apply_opts *o, const struct twa_plan *plan,
			  struct twa_apply_result *res, size_t *ret_pending,
			  struct twa_err *err)
{
	struct strbuf drift = STRBUF_INIT;
	size_t i, pending = 0;
	int r = 0;

	for (i = 0; i < plan->n; i++) {
		const struct twa_plan_change *c = &plan->changes[i];
		struct twa_err e = { 0 };
		char cur[TWA_SYSCTL_VALUE_SIZE + 1];
		enum twa_change_state cs;

		r = twa_sysctl_read(o->proc_root, c->key, cur, sizeof(cur), &e);
		if (r == -ENOENT || r == -ENOTDIR) {
			r = twa_err_set(err, -EBADMSG, "%s does not exist on this kernel: nothing changed",
					c->key);
			goto out;
		}
		if (r < 0) {
			if (err)
				*err = e;
			goto out;
		}
		cs = twa_plan_change_state(c, cur);
		if (cs == TWA_CHANGE_DRIFTED)
			strbuf_addf(&drift, "%s%s is '%s' (the plan expected '%s')",
				    drift.len ? ", " : "", c->key, cur, c->from);
		if (cs != TWA_CHANGE_DONE)
			pending++;
		r = add_key(res, c->key, cur, c->to, cs);
		if (r < 0) {
			r = twa_err_set(err, r, "out of memory");
			goto out;
		}
	}
	if (strbuf_failed(&drift))
		r = twa_err_set(err, -ENOMEM, "out of memory");
	else if (drift.len && !o->force)
		r = twa_err_set(err, -ESTALE,
				"drift: %s; nothing changed (make a new plan, or --force)", drift.buf);
	else
		*ret_pending = pending;
out:
	strbuf_release(&drift);
	return r;
}

/* apply --persist: the file now, and its settings after the plan. */
static int persist_load(const struct twa_apply_opts *o, const struct twa_plan *plan,
			struct twa_apply_result *res, struct persist *p,
			struct twa_err *err)
{
	int r;

	r = persist_path(o, res->persist_path, sizeof(res->persist_path), err);
	if (r < 0)
		return r;
	r = twa_file_read(res->persist_path, TWA_PERSIST_MAX_BYTES, &p->old, &p->existed, err);
	if (r < 0)
		return r;
	return persist_merge(plan, &p->old, p->existed, res->persist_path, &p->settings,
			     &p->n_settings, &p->n_old, &p->changed, err);
}

/* The new persisted file: the keys the plan names and those of the file it
 * replaces (which the snapshot keeps), nothing else. */
static int render_persist(const struct twa_plan *plan, const struct twa_snapshot *snap,
			  const char *now, const struct persist *p, struct strbuf *text,
			  struct twa_err *err)
{
	const char **named = calloc(p->n_settings + plan->n + 1, sizeof(*named));
	size_t i, n = 0;
	int r;

	if (!named)
		return twa_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < plan->n; i++)
		named[n++] = plan->changes[i].key;
	for (i = 0; i < p->n_old; i++)	/* the old file's come first */
		named[n++] = p->settings[i].key;
	r = twa_persist_render(plan->profile, snap->id, now, p->settings, p->n_settings,
			       named, n, text, err);
	free(named);
	return r;
}

/* Snapshot the keys (and the persisted file as it was), render the new
 * persisted file, then commit. */
static int apply_commit(const struct twa_apply_opts *o, const struct twa_plan *plan,
			struct twa_state *st, const struct persist *p,
			struct twa_apply_result *res, struct twa_err *err)
{
	struct twa_snapshot snap;
	struct strbuf text = STRBUF_INIT;
	bool persist = o->persist && p->changed;
	char now[32];
	int r;

	twa_snapshot_init(&snap);
	twa_time_rfc3339(now, sizeof(now));
	r = snapshot_header(&snap, "apply", o, plan->host, plan->netns, plan->profile, now,
			    o->persist, p, res, err);
	if (r < 0)
		goto out;
	twa_strlcpy(snap.plan_fingerprint, plan->fingerprint, sizeof(snap.plan_fingerprint));
	/* Never a truncated file, never a key nobody named: render fully
	 * or write nothing. */
	if (persist && (r = render_persist(plan, &snap, now, p, &text, err)) < 0)
		goto out;
	r = commit(o, st, &(struct commit_what){ &snap, NULL, persist, text.buf, text.len },
		   res, err);
out:
	twa_snapshot_release(&snap);
	strbuf_release(&text);
	return r;
}

/* Which keys of our persisted file get their boot value elsewhere. */
static void scan_boot(const struct twa_apply_opts *o, struct twa_apply_result *res)
{
	struct twa_facts f;

	twa_facts_init(&f);
	if (twa_boot_scan(o->sysctl_dir, &f, NULL) == 0) {
		res->boot = f.boot;
		memset(&f.boot, 0, sizeof(f.boot));
	}
	twa_facts_release(&f);
}

/* apply while a rollback is unfinished would bury it under a new snapshot. */
static int refuse_if_marked(struct twa_state *st, struct twa_err *err)
{
	char undo[64], target[64];
	int r = twa_state_rollback_mark(st, undo, target, sizeof(undo), err);

	if (r <= 0)
		return r;
	return twa_err_set(err, -EAGAIN,
			   "a rollback of %s was interrupted: finish it with 'twadvise rollback --last' (or undo it with 'twadvise rollback %s') before applying",
			   target, undo);
}

int twa_apply(const struct twa_apply_opts *o, const struct twa_plan *plan,
	      struct twa_apply_result *res, struct twa_err *err)
{
	struct twa_state st = { .lock_fd = -1 };
	struct persist p = { .old = STRBUF_INIT };
	size_t pending = 0;
	int r;

	memset(res, 0, sizeof(*res));
	r = check_origin(o, plan, err);
	if (r < 0)
		return r;
	if (!o->dry_run) {
		r = twa_state_open(&st, o->state_dir, true, err);
		if (r < 0)
			goto out;
		r = twa_state_lock(&st, err);
		if (r == 0)
			r = refuse_if_marked(&st, err);
		if (r < 0)
			goto out;
	}
	/* Under the lock: what the host has now. */
	r = read_plan_keys(o, plan, res, &pending, err);
	if (r < 0)
		goto out;
	if (o->persist) {
		r = persist_load(o, plan, res, &p, err);
		if (r < 0)
			goto out;
	}
	if (!pending && !p.changed) {
		res->nothing_to_do = true;
		goto out;
	}
	if (o->dry_run)
		goto out;
	r = check_writable(o, res, err);
	if (r < 0)
		goto out;
	r = apply_commit(o, plan, &st, &p, res, err);
	if (r < 0)
		goto out;
	if (o->persist)
		scan_boot(o, res);
out:
	twa_state_close(&st);
	persist_release(&p);
	return r;
}

/* The snapshot to roll back: id, or the newest. */
static int load_snapshot(struct twa_state *st, const char *id, struct twa_snapshot *snap,
			 struct twa_err *err)
{
	char **ids = NULL;
	size_t n_ids = 0;
	int r = 0;

	if (!id) {
		r = twa_state_ids(st, &ids, &n_ids, err);
		if (r < 0)
			goto out;
		if (!n_ids) {
			r = twa_err_set_at(err, -ENOENT, st->snapdir, 0, 0, "no snapshots to roll back");
			goto out;
		}
		id = ids[n_ids - 1];
	}
	r = twa_state_load(st, id, snap, err);
out:
	twa_state_ids_free(ids, n_ids);
	return r;
}

/* The persisted file now, and whether restoring snap's changes it. */
static int rollback_persist_load(const struct twa_apply_opts *o,
				 const struct twa_snapshot *snap,
				 struct twa_apply_result *res, struct persist *p,
				 struct twa_err *err)
{
	int r;

	r = persist_path(o, res->persist_path, sizeof(res->persist_path), err);
	if (r < 0)
		return r;
	/* Never write where an edited snapshot points: only our file. */
	if (strcmp(snap->persist_path, res->persist_path))
		return twa_err_set(err, -EBADMSG,
				   "snapshot %s restores '%s', but the persisted file is '%s' (pass the --sysctl-dir it was taken with)",
				   snap->id, snap->persist_path, res->persist_path);
	r = twa_file_read(res->persist_path, TWA_PERSIST_MAX_BYTES, &p->old, &p->existed, err);
	if (r < 0)
		return r;
	p->changed = snap->persist_existed ?
		     !p->existed || strcmp(p->old.buf, snap->persist_content) :
		     p->existed;
	/* Parsed already; checked again where it is about to become a file. */
	if (p->changed && snap->persist_existed)
		return twa_persist_content_check(snap->persist_content,
						 strlen(snap->persist_content),
						 snap->persist_path, err);
	return 0;
}

/* Where one of snap's keys stands: restored already, to restore, or
 * drifted (neither what the operation wrote nor the value to restore). */
static enum twa_change_state snapshot_key_state(const struct twa_snapshot_value *v,
						const char *cur)
{
	if (twa_sysctl_value_equal(cur, v->value))
		return TWA_CHANGE_DONE;
	if (v->has_written && !twa_sysctl_value_equal(cur, v->written))
		return TWA_CHANGE_DRIFTED;
	return TWA_CHANGE_PENDING;
}

/* snap's keys as they are now into res->keys; the drifted ones named in
 * drift. *ret_pending: how many differ from the snapshot. */
static int read_snapshot_keys(const struct twa_apply_opts *o,
			      const struct twa_snapshot *snap,
			      struct twa_apply_result *res, size_t *ret_pending,
			      struct strbuf *drift, struct twa_err *err)
{
	size_t i, pending = 0;
	int r;

	for (i = 0; i < snap->n; i++) {
		const struct twa_snapshot_value *v = &snap->values[i];
		enum twa_change_state cs;
		char cur[TWA_SYSCTL_VALUE_SIZE + 1];

		r = twa_sysctl_read(o->proc_root, v->key, cur, sizeof(cur), err);
		if (r < 0)
			return r;
		if (!v->has_written)
			res->drift_unchecked = true;
		cs = snapshot_key_state(v, cur);
		r = add_key(res, v->key, cur, v->value, cs);
		if (r < 0)
			return twa_err_set(err, r, "out of memory");
		if (cs == TWA_CHANGE_DRIFTED) {
			twa_strlcpy(res->keys[i].expected, v->written, sizeof(res->keys[i].expected));
			strbuf_addf(drift, "%s%s is '%s', expected '%s' (what %s wrote)",
				    drift->len ? ", " : "", v->key, cur, v->written, snap->id);
		}
		pending += cs != TWA_CHANGE_DONE;
	}
	*ret_pending = pending;
	return strbuf_failed(drift) ? twa_err_set(err, -ENOMEM, "out of memory") : 0;
}

/* Snapshot what we are about to undo, so the rollback can be undone; then
 * commit snap's values and persisted file. */
static int rollback_commit(const struct twa_apply_opts *o, struct twa_state *st,
			   const struct twa_snapshot *snap, const struct persist *p,
			   const char *reuse_undo, struct twa_apply_result *res,
			   struct twa_err *err)
{
	struct commit_what w = {
		NULL, snap->id, p->changed, snap->persist_existed ? snap->persist_content : NULL,
		snap->persist_existed ? strlen(snap->persist_content) : 0,
	};
	struct twa_snapshot undo;
	char now[32];
	int r;

	twa_snapshot_init(&undo);
	/* Finishing an interrupted rollback: its undo snapshot holds the
	 * values from before it began, so it stays the undo. */
	if (reuse_undo[0] && twa_state_load(st, reuse_undo, &undo, NULL) == 0) {
		twa_snapshot_release(&undo);
		twa_strlcpy(res->snapshot, reuse_undo, sizeof(res->snapshot));
		return commit(o, st, &w, res, err);
	}
	twa_snapshot_release(&undo);
	twa_time_rfc3339(now, sizeof(now));
	r = snapshot_header(&undo, "rollback", o, snap->host, snap->netns, snap->profile, now,
			    snap->has_persist, p, res, err);
	if (r < 0)
		goto out;
	twa_strlcpy(undo.rolls_back, snap->id, sizeof(undo.rolls_back));
	w.snap = &undo;
	r = commit(o, st, &w, res, err);
out:
	twa_snapshot_release(&undo);
	return r;
}

/*
 * An interrupted rollback (its mark is there) decides what --last means:
 * finish it (the snapshot it was restoring, reusing its undo snapshot).
 * Its undo snapshot may be rolled back too (back to before it began);
 * any other snapshot is refused (-EAGAIN) until one of those is done.
 */
static int rollback_resume(struct twa_state *st, const char **id, char *target,
			   char *reuse_undo, size_t size, struct twa_err *err)
{
	char undo[64];
	int r = twa_state_rollback_mark(st, undo, target, size, err);

	reuse_undo[0] = '\0';
	if (r <= 0)
		return r;
	if (!*id || !strcmp(*id, target)) {
		*id = target;
		twa_strlcpy(reuse_undo, undo, size);
		return 0;
	}
	if (!strcmp(*id, undo))
		return 0;
	return twa_err_set(err, -EAGAIN,
			   "a rollback of %s was interrupted: finish it with 'twadvise rollback --last' (or undo it with 'twadvise rollback %s') first",
			   target, undo);
}

int twa_rollback(const struct twa_apply_opts *o, const char *id,
		 struct twa_apply_result *res, struct twa_err *err)
{
	struct twa_snapshot snap;
	struct twa_state st = { .lock_fd = -1 };
	struct persist p = { .old = STRBUF_INIT };
	struct strbuf drift = STRBUF_INIT;
	char target[64], reuse_undo[64];
	size_t pending = 0;
	int r;

	memset(res, 0, sizeof(*res));
	twa_snapshot_init(&snap);
	r = twa_state_open(&st, o->state_dir, false, err);
	if (r < 0)
		goto out;
	r = twa_state_lock(&st, err);
	if (r < 0)
		goto out;
	r = rollback_resume(&st, &id, target, reuse_undo, sizeof(target), err);
	if (r < 0)
		goto out;
	r = load_snapshot(&st, id, &snap, err);
	if (r < 0)
		goto out;
	twa_strlcpy(res->rolled_back, snap.id, sizeof(res->rolled_back));
	if (snap.has_persist) {
		r = rollback_persist_load(o, &snap, res, &p, err);
		if (r < 0)
			goto out;
	}
	r = read_snapshot_keys(o, &snap, res, &pending, &drift, err);
	if (r < 0)
		goto out;
	if (drift.len && !o->force) {
		r = twa_err_set(err, -ESTALE,
				"drift: %s; rolling back would overwrite that change: nothing changed (--force to restore anyway)",
				drift.buf);
		goto out;
	}
	if (!pending && !p.changed) {
		res->nothing_to_do = true;
		goto out;
	}
	if (o->dry_run)
		goto out;
	r = check_writable(o, res, err);
	if (r < 0)
		goto out;
	r = rollback_commit(o, &st, &snap, &p, reuse_undo, res, err);
out:
	twa_state_close(&st);
	twa_snapshot_release(&snap);
	persist_release(&p);
	strbuf_release(&drift);
	return r;
}
