/* SPDX-License-Identifier: MIT */
/* fsutil.h - careful file operations: atomic replace, no symlink following (edge). */
#ifndef TWA_FSUTIL_H
#define TWA_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

/*
 * Replace path with data atomically: a temporary file in the same
 * directory (O_EXCL, O_NOFOLLOW, mode), fsync, rename over path, fsync the
 * directory. A path that is a symlink (or not a regular file) is refused
 * with -ELOOP, so nothing is ever written through a link.
 */
int twa_file_replace(const char *path, const char *data, size_t len,
		     mode_t mode, struct twa_err *err);

/*
 * The one opener of every file twadvise reads (and of /proc/sys files it
 * writes): open(path, oflags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), so a
 * FIFO or a device cannot block the open, then fstat: anything but a
 * regular file is refused with -EBADMSG ("not a regular file (a FIFO)"),
 * and O_NONBLOCK is cleared again. Add O_NOFOLLOW to oflags where a link
 * makes no sense (token and state files): a final symlink is -ELOOP.
 * /proc, /proc/sys and nsfs files are regular files too. mode goes with
 * O_CREAT. Returns the fd, or a negative errno with err filled in (what
 * names the file in messages: "profile", "token file", NULL for none).
 * st (may be NULL) receives the file's fstat.
 */
int twa_file_open(const char *path, int oflags, mode_t mode, const char *what,
		  struct stat *st, struct twa_err *err);

/* Read all of an open fd into out (reset first), at most max bytes: more
 * gives too_big (e.g. -EFBIG or -EBADMSG). path names the file in errors.
 * The one read loop every whole-file reader uses. */
int twa_fd_read_all(int fd, const char *path, size_t max, int too_big,
		    struct strbuf *out, struct twa_err *err);

/* Read a regular file without following a final symlink (-ELOOP), at most
 * max bytes (-EFBIG). *ret_exists is false (and 0 returned) when absent. */
int twa_file_read(const char *path, size_t max, struct strbuf *out,
		  bool *ret_exists, struct twa_err *err);

/* Remove a regular file; absent is fine; a symlink is refused (-ELOOP). */
int twa_file_remove(const char *path, struct twa_err *err);

/*
 * Walk path from / with openat(O_PATH | O_NOFOLLOW), one component at a
 * time, and refuse (-EACCES) a symbolic link or a directory that another
 * user could change: each must be owned by root or by us and be writable
 * by no one else unless sticky (/tmp). Then nobody but root and us can
 * rename, exchange or replace anything on the path while we use it. A
 * missing component is -ENOENT, a file -ENOTDIR. Relative paths are
 * taken from the working directory.
 */
int twa_dir_check_trusted(const char *path, struct twa_err *err);

/* Remove what a killed twa_file_replace left in dir: regular files of
 * ours named "...STEM.tmp.<pid>.<nsec>". Call it only under the lock that
 * serializes the writers of those files. Returns how many were removed. */
int twa_stale_tmp_clean(const char *dir, const char *stem);

/* fsync a directory so a rename in it is durable. */
int twa_dir_sync(const char *dir);

#endif
