/* SPDX-License-Identifier: MIT */
/* state.h - the state directory: its lock and the snapshots in it (edge). */
#ifndef TWA_STATE_H
#define TWA_STATE_H

#include <stdbool.h>

#include "advisor/util/err.h"
#include "advisor/apply/snapshot.h"

#define TWA_STATE_DIR_DEFAULT "/var/lib/twadvise"

struct twa_state {
	char dir[512];
	char snapdir[600];
	int lock_fd;
};

/*
 * Open (and with create, make: mode 0700) the state directory and its
 * snapshots/ subdirectory. Refused with -EACCES when either is a symlink,
 * is not owned by the caller, or is writable by group or others, or when
 * any directory above it could be changed by another user
 * (twa_dir_check_trusted: a symlink, owned by neither root nor us, or
 * writable by others without the sticky bit).
 */
int twa_state_open(struct twa_state *s, const char *dir, bool create,
		   struct twa_err *err);
/* Exclusive lock for an apply or rollback; -EAGAIN when another holds it. */
int twa_state_lock(struct twa_state *s, struct twa_err *err);
void twa_state_close(struct twa_state *s);

/*
 * The rollback mark: written before a rollback's first write, removed once
 * it is done (or cleanly undone). It names the rollback's undo snapshot and
 * the snapshot being restored, so that after a kill `rollback --last`
 * finishes that rollback instead of undoing it half way.
 */
#define TWA_ROLLBACK_MARK "rollback-in-progress"
int twa_state_mark_rollback(struct twa_state *s, const char *undo, const char *target,
			    struct twa_err *err);
int twa_state_clear_rollback_mark(struct twa_state *s, struct twa_err *err);
/* 1 with undo and target filled when a mark is there, 0 when not. */
int twa_state_rollback_mark(struct twa_state *s, char *undo, char *target, size_t size,
			    struct twa_err *err);

/* Write snapshot s (its id names the file) atomically, mode 0600. */
int twa_state_save(struct twa_state *s, const struct twa_snapshot *snap,
		   struct twa_err *err);
/* Load snapshot id (validated; never through a symlink). */
int twa_state_load(struct twa_state *s, const char *id,
		   struct twa_snapshot *snap, struct twa_err *err);
/* Snapshot ids, oldest first (ids sort by time). Caller frees with
 * twa_state_ids_free. */
int twa_state_ids(struct twa_state *s, char ***ret, size_t *ret_n,
		  struct twa_err *err);
void twa_state_ids_free(char **ids, size_t n);

/* A new, time-ordered snapshot id ("20261125-084612-123456"). */
void twa_state_new_id(char *buf, size_t size);

#endif
