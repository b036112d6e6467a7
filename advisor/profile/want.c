/* SPDX-License-Identifier: MIT */
/* want.c - what a profile wants of one sysctl, and whether a value meets it (pure). */
#include "advisor/profile/want.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/parse.h"
#include "advisor/facts/proctext.h"
#include "advisor/facts/sysctl_db.h"
#include "advisor/facts/sysctl_key.h"

/* Is every port of want inside have? */
static bool ports_contained(const struct twa_portrange *want, size_t nw,
			    const struct twa_portrange *have, size_t nh)
{
	size_t i, j;
	unsigned port;

	for (i = 0; i < nw; i++)
		for (port = want[i].lo; port <= want[i].hi; port++) {
			for (j = 0; j < nh; j++)
				if (port >= have[j].lo && port <= have[j].hi)
					break;
			if (j == nh)
				return false;
		}
	return true;
}

/* The union of two port lists in the kernel's syntax, sorted and merged. */
/* -E2BIG (out "") when the union does not fit: never a cut list. */
static int ports_union(const struct twa_portrange *a, size_t na,
			const struct twa_portrange *b, size_t nb, char *out,
			size_t size)
{
	static uint8_t set[65536 / 8];
	unsigned port, lo;
	size_t i, len = 0;
	bool in = false;

	memset(set, 0, sizeof(set));
	for (i = 0; i < na + nb; i++) {
		const struct twa_portrange *r = i < na ? &a[i] : &b[i - na];

		for (port = r->lo; port <= r->hi; port++)
			set[port / 8] |= (uint8_t)(1u << (port % 8));
	}
	out[0] = '\0';
	lo = 0;
	for (port = 0; port <= 65536; port++) {
		bool on = port < 65536 && (set[port / 8] & (1u << (port % 8)));

		if (on && !in) {
			lo = port;
			in = true;
		} else if (!on && in) {
			int n = lo == port - 1 ?
				snprintf(out + len, size - len, "%s%u", len ? "," : "", lo) :
				snprintf(out + len, size - len, "%s%u-%u", len ? "," : "", lo, port - 1);

			if (n < 0 || (size_t)n >= size - len) {
				out[0] = '\0';
				return -E2BIG;
			}
			len += (size_t)n;
			in = false;
		}
	}
	return 0;
}

int twa_want_check(const struct twa_sysctl_want *w, const char *current,
		   bool *ret_ok, char *proposal, size_t size)
{
	const struct twa_sysctl_def *d = twa_sysctl_def_find(w->key);
	bool ok = true;
	int r = 0;

	proposal[0] = '\0';
	if (!current) {
		*ret_ok = false;
		return 0;
	}
	/* Unknown keys with min/max are integers: the target check saw to it. */
	if ((!d || d->type == TWA_SYSCTL_INT) && (w->has & (TWA_WANT_MIN | TWA_WANT_MAX))) {
		int64_t v;

		if (twa_parse_i64(current, strlen(current), &v) < 0) {
			ok = false;
		} else {
			if ((w->has & TWA_WANT_MIN) && v < w->min)
				ok = false;
			if ((w->has & TWA_WANT_MAX) && v > w->max)
				ok = false;
		}
		if (!ok) {
			if (w->has & TWA_WANT_VALUE)
				snprintf(proposal, size, "%s", w->value);
			else
				snprintf(proposal, size, "%" PRId64,
					 (w->has & TWA_WANT_MIN) && (twa_parse_i64(current, strlen(current), &v) < 0 || v < w->min) ?
					 w->min : w->max);
		}
	} else if (d && d->type == TWA_SYSCTL_RANGE && (w->has & TWA_WANT_MIN_SIZE)) {
		unsigned lo, hi;

		if (twa_port_range_parse(current, &lo, &hi, NULL) < 0 ||
		    (int64_t)(hi - lo + 1) < w->min_size)
			ok = false;
		if (!ok)
			snprintf(proposal, size, "%s", w->value);
	} else if (d && d->type == TWA_SYSCTL_PORTLIST) {
		struct twa_portrange *want = NULL, *have = NULL;
		size_t nw = 0, nh = 0;

		if (twa_reserved_ports_parse(w->value, &want, &nw, NULL) < 0 ||
		    twa_reserved_ports_parse(current, &have, &nh, NULL) < 0) {
			ok = false;
			snprintf(proposal, size, "%s", w->value);
		} else if (!ports_contained(want, nw, have, nh)) {
			ok = false;
			r = ports_union(have, nh, want, nw, proposal, size);
		}
		free(want);
		free(have);
	} else if (w->has & TWA_WANT_VALUE) {
		ok = twa_sysctl_value_equal(current, w->value);
		if (!ok)
			snprintf(proposal, size, "%s", w->value);
	}
	*ret_ok = ok;
	return r;
}

void twa_want_describe(const struct twa_sysctl_want *w, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	if (w->has & TWA_WANT_MIN_SIZE)
		len += (size_t)snprintf(buf, size, "at least %" PRId64 " ports", w->min_size);
	if ((w->has & TWA_WANT_MIN) && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%s>= %" PRId64,
					len ? ", " : "", w->min);
	if ((w->has & TWA_WANT_MAX) && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%s<= %" PRId64,
					len ? ", " : "", w->max);
	if ((w->has & TWA_WANT_VALUE) && len < size)
		snprintf(buf + len, size - len, len ? " (propose %s)" : "= %s", w->value);
}
