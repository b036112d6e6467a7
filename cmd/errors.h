/* SPDX-License-Identifier: MIT */
/* errors.h - printing errors once, to stderr, and the exit code each maps to. */
#ifndef TWA_CMD_ERRORS_H
#define TWA_CMD_ERRORS_H

#include "advisor/util/err.h"

/* Print "twadvise: MSG" (err formatted with file:line:col) once. */
void twa_print_err(const struct twa_err *err);
void twa_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void twa_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last error printed (without "twadvise: " and the help hint), for a
 * command that must repeat it in its own format (check's UNKNOWN). */
const char *twa_last_error(void);
/* The sysexits code for a library error. */
int twa_exit_code(int negerrno);
/* Report err and return its exit code. */
int twa_fail(const struct twa_err *err);
/* Usage error: prints the message and the hint, returns 64. cmd NULL: the
 * hint names the top-level help. */
int twa_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
