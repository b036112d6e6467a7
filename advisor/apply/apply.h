/* SPDX-License-Identifier: MIT */
/* apply.h - apply a reviewed plan, roll a snapshot back: never leave a host half-changed. */
#ifndef TWA_APPLY_H
#define TWA_APPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/apply/plan.h"
#include "advisor/facts/sysctl_key.h"

struct twa_apply_opts {
	const char *proc_root;	/* /proc/sys under it (tests); NULL: live */
	const char *state_dir;	/* NULL: /var/lib/twadvise */
	const char *sysctl_dir;	/* NULL: /etc/sysctl.d */
	bool persist;		/* also write <sysctl_dir>/90-twadvise.conf */
	bool dry_run;
	bool force;		/* apply over drift, another host or namespace */
	const char *host;	/* this host and namespace, to compare with */
	const char *netns;	/* the plan's */
	/* --netns: who lives in the namespace, recorded in the snapshot; NULL none */
	const struct twa_ns_ident *ident;
	const char *profile;	/* rollback: recorded in its snapshot */
	/* Called after each sysctl write (n from 1); tests pause here to
	 * kill an apply half way. */
	void (*after_write)(unsigned n, void *ctx);
	void *hook_ctx;
};

struct twa_applied {
	char key[96];
	char from[TWA_SYSCTL_VALUE_SIZE];
	char to[TWA_SYSCTL_VALUE_SIZE];
	enum twa_change_state state;	/* before the operation */
	bool written;
	/* rollback, state DRIFTED: what the snapshot's operation wrote (the
	 * key now has from instead). */
	char expected[TWA_SYSCTL_VALUE_SIZE];
};

struct twa_apply_result {
	char snapshot[64];	/* the snapshot taken, "" when none */
	char rolled_back[64];	/* rollback: the snapshot restored */
	struct twa_applied *keys;
	size_t n;
	size_t written;		/* sysctls written */
	bool persist_written;	/* the sysctl.d file was written or removed */
	char persist_path[600];
	bool nothing_to_do;	/* already applied / already as in the snapshot */
	/* rollback: the snapshot records no written values (older twadvise),
	 * so drift could not be checked. */
	bool drift_unchecked;
	/* On failure after writes began: whether everything was restored. */
	bool restore_failed;
	struct twa_boot boot;	/* keys overridden at boot (persist) */
};

void twa_apply_result_release(struct twa_apply_result *r);

/*
 * Apply plan. Order: lock the state directory; read every key and refuse
 * drift (-ESTALE naming the keys) unless force; stop with nothing_to_do
 * when every key is already at its target (and persisted, with persist);
 * check that the keys can be written (-EACCES/-EPERM, nothing changed);
 * save the snapshot (atomically, 0600); write each key and read it back;
 * on any failure restore every key already written and return the error
 * naming the key; with persist, write the sysctl.d file atomically last.
 */
int twa_apply(const struct twa_apply_opts *o, const struct twa_plan *plan,
	      struct twa_apply_result *res, struct twa_err *err);

/* Restore snapshot id (NULL: the latest) the same careful way, taking a
 * snapshot of the current values first so the rollback can be undone.
 * A key that holds neither what the snapshot's operation wrote nor the
 * value to restore has drifted (someone changed it since): -ESTALE naming
 * key, expected and found, nothing changed, unless force. With dry_run the
 * drifted keys are in res (state DRIFTED) before -ESTALE. */
int twa_rollback(const struct twa_apply_opts *o, const char *id,
		 struct twa_apply_result *res, struct twa_err *err);

#endif
