/* SPDX-License-Identifier: MIT */
/* errors.c - every error is printed here, once, with its exit code. */
#include "cmd/errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "advisor/util/strbuf.h"
#include "advisor/util/textesc.h"
#include "cmd/cmd.h"

/* The last error printed, escaped: check repeats it as its UNKNOWN reason. */
static char last_error[1200];

const char *twa_last_error(void)
{
	return last_error[0] ? last_error : "could not evaluate";
}

/* Every message goes out escaped: it may quote a file, a profile or a
 * server's answer (textesc.h). An error (not a warning) is remembered;
 * hint follows it on the line but is not part of it. */
static void print_line(const char *prefix, bool error, const char *hint,
		       const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void print_line(const char *prefix, bool error, const char *hint,
		       const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT, out = STRBUF_INIT;

	strbuf_vaddf(&msg, fmt, ap);
	twa_text_escape(&out, msg.buf, msg.len, false);
	if (error)
		snprintf(last_error, sizeof(last_error), "%s",
			 strbuf_failed(&out) ? "out of memory" : out.buf);
	strbuf_reset(&msg);
	strbuf_addf(&msg, "%s%s%s\n", prefix, out.buf, hint);
	if (strbuf_failed(&msg))
		fprintf(stderr, "%s(out of memory)\n", prefix);
	else
		fputs(msg.buf, stderr);
	strbuf_release(&msg);
	strbuf_release(&out);
}

static void print_linef(const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void print_linef(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line(prefix, true, "", fmt, ap);
	va_end(ap);
}

void twa_print_err(const struct twa_err *err)
{
	char buf[1200];

	twa_err_format(err, buf, sizeof(buf));
	print_linef("twadvise: ", "%s", buf);
}

void twa_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line("twadvise: ", true, "", fmt, ap);
	va_end(ap);
}

void twa_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line("twadvise: warning: ", false, "", fmt, ap);
	va_end(ap);
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
	char hint[160];
	va_list ap;

	snprintf(hint, sizeof(hint), " (see 'twadvise %s%s--help')", cmd ? cmd : "",
		 cmd ? " " : "");
	va_start(ap, fmt);
	print_line("twadvise: ", true, hint, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}
