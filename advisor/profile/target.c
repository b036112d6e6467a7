/* SPDX-License-Identifier: MIT */
/* target.c - the sysctls a profile names that twadvise does not know, checked against the target's current values (pure). */
#include "advisor/profile/target.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "advisor/facts/sysctl_db.h"
#include "advisor/util/parse.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* One integer word at *p ("-12", "18446744073692774399"): moves past it. */
static bool int_word(const char **p)
{
	const char *s = *p;

	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s && !is_blank(*s))
		return false;
	*p = s;
	return true;
}

enum twa_value_shape twa_value_shape(const char *value, size_t *n_ints)
{
	const char *p = value;
	size_t n = 0;

	*n_ints = 0;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		if (!int_word(&p))
			return TWA_SHAPE_STRING;
		n++;
	}
	if (!n)
		return TWA_SHAPE_STRING;
	*n_ints = n;
	return n == 1 ? TWA_SHAPE_INT : TWA_SHAPE_VECTOR;
}

size_t twa_profile_unknown_keys(const struct twa_profile *p, const char **keys, size_t max)
{
	size_t i, n = 0;

	for (i = 0; p && i < p->n_wants; i++) {
		if (twa_sysctl_def_find(p->wants[i].key))
			continue;
		if (n < max)
			keys[n] = p->wants[i].key;
		n++;
	}
	return n;
}

static const char *cand_sysctl(size_t i)
{
	return twa_sysctl_defs[i].key;
}

static const char *shape_name(enum twa_value_shape s, size_t n)
{
	(void)n;
	return s == TWA_SHAPE_INT ? "one integer" : s == TWA_SHAPE_VECTOR ?
	       "a vector of integers" : "a string";
}

static int at(const struct twa_sysctl_want *w, struct twa_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int at(const struct twa_sysctl_want *w, struct twa_err *err, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return twa_err_set_at(err, -EBADMSG, w->source, w->line, w->col, "%s: %s", w->key, msg);
}

/* The wanted value and bounds against the current value's shape. */
static int check_shape(const struct twa_sysctl_want *w, const char *cur, struct twa_err *err)
{
	size_t nc, nw;
	enum twa_value_shape sc = twa_value_shape(cur, &nc), sw;
	char count[32];

	if ((w->has & (TWA_WANT_MIN | TWA_WANT_MAX)) && sc != TWA_SHAPE_INT)
		return at(w, err, "min and max need one integer, but the kernel holds %s ('%.64s')",
			  shape_name(sc, nc), cur);
	if (!(w->has & TWA_WANT_VALUE) || sc == TWA_SHAPE_STRING)
		return 0;
	sw = twa_value_shape(w->value, &nw);
	if (sw == sc && nw == nc)
		return 0;
	if (sc == TWA_SHAPE_VECTOR && sw == TWA_SHAPE_VECTOR) {
		snprintf(count, sizeof(count), "%zu integers", nc);
		return at(w, err, "the kernel holds %s, not '%.64s'", count, w->value);
	}
	return at(w, err, "the kernel holds %s, not '%.64s'", shape_name(sc, nc), w->value);
}

int twa_profile_check_target(const struct twa_profile *p, const struct twa_facts *f,
			     struct twa_err *err)
{
	size_t i;
	int r;

	for (i = 0; p && i < p->n_wants; i++) {
		const struct twa_sysctl_want *w = &p->wants[i];
		const char *cur, *best;

		if (twa_sysctl_def_find(w->key))
			continue;
		cur = twa_facts_sysctl(f, w->key);
		if (!cur) {
			best = twa_closest(w->key, 3, cand_sysctl);
			return at(w, err, "no such sysctl on the target (%s)%s%s%s",
				  f->sources.sysctls[0] ? f->sources.sysctls : "its /proc/sys",
				  best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
		}
		if ((r = check_shape(w, cur, err)) < 0)
			return r;
	}
	return 0;
}
