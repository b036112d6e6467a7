/* SPDX-License-Identifier: MIT */
/* procfs.h - the one way into /proc: honours --proc-root, caps sizes (edge). */
#ifndef TWA_PROCFS_H
#define TWA_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

/* The /proc files read whole are small; refuse anything larger. */
#define TWA_PROC_FILE_MAX (1u << 20)
#define TWA_PROC_LINE_MAX 4096

/* "ROOT/REL" or "/proc/REL". Returns -ENAMETOOLONG when it does not fit. */
int twa_proc_path(const char *root, const char *rel, char *buf, size_t size);

/* Read a whole /proc file (at most TWA_PROC_FILE_MAX bytes) into out.
 * -ENOENT when it does not exist; -EFBIG when too large. */
int twa_proc_read(const char *root, const char *rel, struct strbuf *out,
		  struct twa_err *err);

/* Read the target of a /proc symlink (ns/net, fd/N). */
int twa_proc_readlink(const char *root, const char *rel, char *buf,
		      size_t size);

/* Streaming line reader for files too large to hold (/proc/net/tcp). */
struct twa_lines {
	int fd;
	char path[512];
	char *buf;
	size_t start, end;
	unsigned lineno;
	bool eof;
};

int twa_lines_open(struct twa_lines *lr, const char *root, const char *rel,
		   struct twa_err *err);
/* 1 and a line (without '\n', not NUL-terminated), 0 at the end, or a
 * negative errno (a line longer than TWA_PROC_LINE_MAX, a read error). */
int twa_lines_next(struct twa_lines *lr, const char **ret_line,
		   size_t *ret_len, struct twa_err *err);
void twa_lines_close(struct twa_lines *lr);

#endif
