/* SPDX-License-Identifier: MIT */
/* fuzz_proctcp.c - libFuzzer harness: /proc/net/tcp and tcp6 lines (twa_proctcp_parse_line, both families) streamed into the aggregator as the inspector does. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/facts/facts.h"
#include "advisor/facts/proctext.h"
#include "advisor/inspect/sockagg.h"
#include "advisor/facts/tcpstate.h"
#include "fuzz.h"

/* One family's pass over the lines; returns the sockets counted. */
static uint64_t proctcp_pass(const uint8_t *data, size_t size, int family,
			     struct twa_sockagg *agg)
{
	const uint8_t *p = data, *end = data + size;
	unsigned lineno = 0;
	uint64_t n = 0;

	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		/* Each line in its own exact-size block: no NUL, no slack. */
		char *line = fuzz_copy(p, len);
		struct twa_err err = { 0 };
		struct twa_sock s;
		int r;

		lineno++;
		memset(&s, 0xa5, sizeof(s));
		r = twa_proctcp_parse_line(line, len, family, "fuzz/net/tcp", lineno,
					   &s, &err);
		if (r == 0) {
			FUZZ_ASSERT(s.family == family);
			FUZZ_ASSERT(s.state > 0 && s.state < TWA_TCP_STATE_MAX);
			FUZZ_ASSERT(twa_sockagg_add(&s, agg) == 0);
			n++;
		} else if (r < 0) {
			FUZZ_ASSERT_ERR(r, err);
			FUZZ_ASSERT(err.line == lineno);
			FUZZ_ASSERT(twa_proctcp_parse_line(line, len, family, NULL,
							   lineno, &s, NULL) == r);
		} else {
			FUZZ_ASSERT(r == 1);
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct twa_sockagg agg;
	struct twa_facts f;
	uint64_t n, total = 0;
	unsigned fam, st;

	twa_facts_init(&f);
	f.ephemeral.present = true;
	f.ephemeral.low = 32768;
	f.ephemeral.high = 60999;
	f.ephemeral.usable = twa_usable_ports(32768, 60999, NULL, 0);
	FUZZ_ASSERT(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS |
				     TWA_AGG_LISTENERS | TWA_AGG_CLOSE_WAIT, 10) == 0);
	n = proctcp_pass(data, size, TWA_AF_INET, &agg);
	n += proctcp_pass(data, size, TWA_AF_INET6, &agg);
	FUZZ_ASSERT(twa_sockagg_finish(&agg) == 0);
	/* Counts, never lists: every socket parsed is counted exactly once. */
	for (fam = 0; fam < TWA_FAM_MAX; fam++)
		for (st = 0; st < TWA_TCP_STATE_MAX; st++)
			total += f.sockets.states[fam][st];
	FUZZ_ASSERT(total == n);
	FUZZ_ASSERT(f.ephemeral.n_dest <= TWA_TOP_DESTINATIONS);
	twa_sockagg_reset(&agg);
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
	return 0;
}
