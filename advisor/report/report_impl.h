/* SPDX-License-Identifier: MIT */
/* report_impl.h - the row records the Markdown and HTML report writers share, so both show the same columns. */
#ifndef TWA_REPORT_IMPL_H
#define TWA_REPORT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "advisor/facts/record.h"
#include "advisor/report/report.h"

/* Rows the writers show, at most. */
#define TWA_REPORT_TOP 10
#define TWA_REPORT_MAX_LISTENERS 20

struct twa_report_state {
	char state[16];
	uint64_t v4, v6, total;
	char note[48];
};
extern const struct twa_field twa_report_state_fields[];
/* Socket states worth a row: every non-zero one, and ESTABLISHED,
 * TIME_WAIT and CLOSE_WAIT always. rows holds TWA_TCP_STATE_MAX. */
size_t twa_report_states(const struct twa_report *r, struct twa_report_state *rows);

struct twa_report_meta {
	char name[32];
	char value[640];
};
extern const struct twa_field twa_report_meta_fields[];
#define TWA_REPORT_META_MAX 12
size_t twa_report_meta(const struct twa_report *r, struct twa_report_meta *rows);

struct twa_report_rate {
	char name[64];
	double per_sec;
};
extern const struct twa_field twa_report_rate_fields[];
#define TWA_REPORT_RATES_MAX 32
/* The counters and states that matter here, per second (--samples). */
size_t twa_report_rates(const struct twa_report *r, struct twa_report_rate *rows);

/* The notable listeners (near their limit, or on an unreserved ephemeral
 * port), at most TWA_REPORT_MAX_LISTENERS, into rows. */
size_t twa_report_listeners(const struct twa_report *r, struct twa_listener *rows);

/* "32768-60999, 28232 usable, reserved 50000-50010,55555" */
void twa_report_range(const struct twa_report *r, char *buf, size_t size);

/* A change's value for display: tabs as spaces. */
void twa_report_value(char *dst, const char *src, size_t size);

#endif
