/* SPDX-License-Identifier: MIT */
/* trace_dump.h - the tracer's maps as read back: the input of trace_agg.c.
 *
 * Pure data (no libbpf): unit tests build these from recorded map contents. */
#ifndef TWA_TRACE_DUMP_H
#define TWA_TRACE_DUMP_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/trace/trace_abi.h"

struct twa_trace_row_raw {
	struct twa_tr_key key;
	struct twa_tr_stats stats;
};

struct twa_trace_dump {
	struct twa_trace_row_raw *rows;	/* the stats map */
	size_t n_rows;
	struct twa_tr_sock *socks;	/* sockets still tracked when read */
	size_t n_socks;
	uint64_t counters[TWA_TR_CTR_MAX];
	uint64_t now_ns;		/* CLOCK_MONOTONIC (bpf_ktime_get_ns) when read */
	unsigned netns;			/* the namespace traced; 0: all */
};

#endif
