/* SPDX-License-Identifier: MIT */
/* errors.c - every error is printed here, once, with its exit code. */
#include "cmd/errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "cmd/cmd.h"

/* The last error printed: check repeats it as its UNKNOWN reason. */
static char last_error[1200];

const char *twa_last_error(void)
{
	return last_error[0] ? last_error : "could not evaluate";
}

static void print_error(const char *msg, const char *hint)
{
	snprintf(last_error, sizeof(last_error), "%s", msg);
	fprintf(stderr, "twadvise: %s%s\n", msg, hint);
}

void twa_print_err(const struct twa_err *err)
{
	char buf[1200];

	twa_err_format(err, buf, sizeof(buf));
	print_error(buf, "");
}

void twa_errorf(const char *fmt, ...)
{
	char buf[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print_error(buf, "");
}

void twa_warnf(const char *fmt, ...)
{
	va_list ap;

	fputs("twadvise: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int twa_exit_code(int negerrno)
{
	switch (-negerrno) {
	case 0:
		return 0;
	case EBADMSG:
	case EINVAL:
	case ERANGE:
	case ELOOP:
		return EXIT_DATAERR;
	case ENOENT:
	case ENOTDIR:
		return EXIT_NOINPUT;
	case EIO:
	case ENOSYS:
	case EPROTONOSUPPORT:
	case EAFNOSUPPORT:
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ETIMEDOUT:
	case EPROTO:		/* TLS: the peer could not be verified */
		return EXIT_UNAVAILABLE;
	case EACCES:
	case EPERM:
	case EROFS:
		return EXIT_NOPERM;
	case EAGAIN:
	case EBUSY:
	case ESTALE:
		return EXIT_TEMPFAIL;
	case ENOSPC:
	case EEXIST:
	case EFBIG:
	case ENAMETOOLONG:
	case EISDIR:
		return EXIT_CANTCREAT;
	default:
		return EXIT_SOFTWARE;
	}
}

int twa_fail(const struct twa_err *err)
{
	twa_print_err(err);
	return twa_exit_code(err->code);
}

int twa_usage_error(const char *cmd, const char *fmt, ...)
{
	char buf[1200], hint[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(hint, sizeof(hint), " (see 'twadvise %s%s--help')", cmd ? cmd : "",
		 cmd ? " " : "");
	print_error(buf, hint);
	return EXIT_USAGE;
}
