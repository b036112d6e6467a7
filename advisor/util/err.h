/* SPDX-License-Identifier: MIT */
/* err.h - error details passed from library code to the one place that logs. */
#ifndef TWA_ERR_H
#define TWA_ERR_H

#include <stddef.h>

/*
 * Library functions return 0 (or a count) on success and a negative errno
 * on failure. When the caller passes a struct twa_err, the function also
 * fills in a message and, where it has them, the file, line and column the
 * problem was found at. Library code never prints: cmd/ prints err once.
 *
 * The errno chosen says what kind of failure it is, because cmd/ maps it to
 * an exit code:
 *   -EBADMSG   bad input data (profile, plan, snapshot, facts, kernel text)
 *   -ENOENT    an input file or namespace does not exist
 *   -EACCES, -EPERM   permission denied
 *   -EAGAIN    temporary: a lock is held
 *   -ESTALE    drift: the host no longer matches the plan
 *   -EIO       the kernel source (netlink, /proc) cannot be read
 *   -EINVAL    bad usage by the caller
 */
struct twa_err {
	int code;		/* negative errno, 0 when unset */
	char file[256];		/* where, when known ("" otherwise) */
	unsigned line, col;	/* 1-based; 0 when unknown */
	char msg[768];
};

/* Record an error and return code, so callers can write
 * `return twa_err_set(err, -EBADMSG, "...")`. err may be NULL. */
int twa_err_set(struct twa_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, with a location. file may be NULL. */
int twa_err_set_at(struct twa_err *err, int code, const char *file,
		   unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Prefix the existing message with more context ("reading 'x': ...").
 * Returns nothing on purpose: err may be NULL, so callers keep their own
 * error code rather than `return twa_err_prefix(...)`. */
void twa_err_prefix(struct twa_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Format "FILE:LINE:COL: MSG" (the parts it has) into buf. */
void twa_err_format(const struct twa_err *err, char *buf, size_t size);

/* Change the code of an error already recorded (keeping its message);
 * returns code. */
int twa_err_recode(struct twa_err *err, int code);

void twa_err_clear(struct twa_err *err);

#endif
