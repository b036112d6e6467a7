/* errors.c - every error is printed here, once, with its exit code. */
#include "cmd/errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "advisor/util/strbuf.h"
#include "advisor/util/textesc.h"
#include "cmd/cmd.h"

/* Every message goes out escaped: it may quote a file, a profile or a
 * server's answer (textesc.h). */
static void print_line(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void print_line(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT, out = STRBUF_INIT;

	strbuf_vaddf(&msg, fmt, ap);
	strbuf_addstr(&out, prefix);
	twa_text_escape(&out, msg.buf, msg.len, false);
	strbuf_addch(&out, '\n');
	if (strbuf_failed(&out))
		fprintf(stderr, "%s(out of memory)\n", prefix);
	else
		fputs(out.buf, stderr);
	strbuf_release(&msg);
	strbuf_release(&out);
}

static void print_linef(const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void print_linef(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line(prefix, fmt, ap);
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
	print_line("twadvise: ", fmt, ap);
	va_end(ap);
}

void twa_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line("twadvise: warning: ", fmt, ap);
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
	va_list ap;

	fputs("twadvise: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, " (see 'twadvise %s --help')\n", cmd);
	else
		fputs(" (see 'twadvise --help')\n", stderr);
	return EXIT_USAGE;
}
