/* SPDX-License-Identifier: MIT */
/* err.c - filling and formatting struct twa_err. */
#include "advisor/util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_vset(struct twa_err *err, int code, const char *file,
		    unsigned line, unsigned col, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

static int err_vset(struct twa_err *err, int code, const char *file,
		    unsigned line, unsigned col, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int twa_err_set(struct twa_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int twa_err_set_at(struct twa_err *err, int code, const char *file,
		   unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

void twa_err_prefix(struct twa_err *err, const char *fmt, ...)
{
	char prefix[256], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%.255s: %.500s", prefix, old);
}

void twa_err_format(const struct twa_err *err, char *buf, size_t size)
{
	if (!err->file[0])
		snprintf(buf, size, "%s", err->msg);
	else if (err->line && err->col)
		snprintf(buf, size, "%s:%u:%u: %s", err->file, err->line,
			 err->col, err->msg);
	else if (err->line)
		snprintf(buf, size, "%s:%u: %s", err->file, err->line, err->msg);
	else
		snprintf(buf, size, "%s: %s", err->file, err->msg);
}

void twa_err_clear(struct twa_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int twa_err_recode(struct twa_err *err, int code)
{
	if (err)
		err->code = code;
	return code;
}
