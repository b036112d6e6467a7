/* SPDX-License-Identifier: MIT */
/* history_io.h - the history file on disk: where it may live, reading and writing it (edge). */
#ifndef TWA_HISTORY_IO_H
#define TWA_HISTORY_IO_H

#include <stdbool.h>

#include "advisor/facts/history.h"
#include "advisor/util/err.h"

/*
 * 0 when dir can hold the history file: a directory (with create, made
 * mode 0700 when absent, and its missing parents too with parents) that is
 * not a symlink, belongs to the caller, is not writable by group or
 * others, and is writable. A negative errno otherwise, err saying why.
 */
int twa_history_dir_open(const char *dir, bool create, bool parents, struct twa_err *err);

/* Read dir/history.json into h (empty when absent): never through a
 * symlink, only a regular file of the caller's, at most
 * TWA_HISTORY_FILE_MAX bytes. -EBADMSG for a corrupt or foreign file (h
 * empty, err says why); other negative errnos when unreadable. */
int twa_history_load(const char *dir, struct twa_history *h, struct twa_err *err);

/* Replace dir/history.json with h, atomically, mode 0600. */
int twa_history_save(const char *dir, const struct twa_history *h, struct twa_err *err);

#endif
