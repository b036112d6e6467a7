/* SPDX-License-Identifier: MIT */
/* history.h - counter samples kept across runs, per network namespace: the file's codec and the "since the last run" deltas (pure). */
#ifndef TWA_HISTORY_H
#define TWA_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "advisor/facts/facts.h"
#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

#define TWA_HISTORY_SCHEMA "twadvise.history/1"
#define TWA_HISTORY_FILE "history.json"
/* A larger file is not ours (or not sane): ignored. A namespace's entry
 * is at most ~1 KiB (two samples of the kept counters, 19-digit values). */
#define TWA_HISTORY_FILE_MAX (1024 * 1024)
/* Namespaces kept; beyond it the one sampled longest ago is dropped. A
 * node with hundreds of pods (kubelet --max-pods, 110 by default, often
 * raised to 250 or more) keeps every one; a file stays under ~512 KiB. */
#define TWA_HISTORY_MAX_NS 512
/* Counters kept per namespace at most (a file with more is refused). */
#define TWA_HISTORY_MAX_COUNTERS 64

/* One sample of a namespace's counters. */
struct twa_history_sample {
	char boot_id[40];	/* "" when the host's was unknown */
	char time[32];		/* RFC 3339, UTC; "" when there is none */
	struct twa_named_vec counters;
};

/*
 * One network namespace: the last check's sample, and the baseline that
 * check was judged against. A run that only reads the history (plan,
 * report, inspect) is judged against the same baseline as the last check,
 * so `check` then `plan` propose the same fix for the same burst.
 */
struct twa_history_entry {
	char netns[64];		/* "net:[4026531840]" */
	struct twa_history_sample last;
	struct twa_history_sample base;	/* time "" when none */
};

struct twa_history {
	struct twa_history_entry *v;
	size_t n;
};

/* The kernel counters kept: those the rules judge, NULL-terminated. */
extern const char *const twa_history_counters[];

void twa_history_init(struct twa_history *h);
void twa_history_release(struct twa_history *h);

/* Decode a history file. Anything that is not a well-formed
 * twadvise.history/1 document within the caps is -EBADMSG (err says
 * where); h is then left empty. */
int twa_history_parse(const char *buf, size_t len, const char *file,
		      struct twa_history *h, struct twa_err *err);
/* Encode h (compact JSON). */
int twa_history_encode(const struct twa_history *h, struct strbuf *out);

/*
 * What f's counters did since h's sample of f's namespace (the last one;
 * with as_reader, the baseline the last check used, none after the first):
 * ret->state is NONE (no sample, or no namespace or time to key or
 * measure by), REBOOT (boot ids differ), RESET (a counter went backwards)
 * or VALID with the deltas and the interval. ret is released and
 * refilled. -ENOMEM only.
 */
int twa_history_compare(const struct twa_history *h, const struct twa_facts *f,
			bool as_reader, struct twa_history_view *ret);

/* Keep f's counters as the last sample of its namespace, the previous
 * last one becoming the baseline (nothing when f has no namespace or
 * time). -ENOMEM only. */
int twa_history_record(struct twa_history *h, const struct twa_facts *f);

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ"; -EINVAL otherwise. */
int twa_rfc3339_parse(const char *s, int64_t *ret);

#endif
