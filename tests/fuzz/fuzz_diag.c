/* SPDX-License-Identifier: MIT */
/* fuzz_diag.c - libFuzzer harness: an inet_diag netlink buffer (twa_diag_parse) fed through the real aggregator (twa_sockagg_add), with the inspector's restart on NLM_F_DUMP_INTR. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/inspect/diag.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/proctext.h"
#include "advisor/inspect/sockagg.h"
#include "advisor/facts/tcpstate.h"
#include "fuzz.h"

static uint64_t diag_counted(const struct twa_facts *f)
{
	uint64_t total = 0;
	unsigned fam, st;

	for (fam = 0; fam < TWA_FAM_MAX; fam++)
		for (st = 0; st < TWA_TCP_STATE_MAX; st++)
			total += f->sockets.states[fam][st];
	return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The buffer as recvmsg() fills it: aligned, exactly size bytes. */
	char *buf = fuzz_copy(data, size);
	struct twa_diag_walk walk;
	struct twa_err err = { 0 };
	struct twa_sockagg agg;
	struct twa_facts f;
	uint32_t seq = 0;
	int r, attempt;

	/* The dump's sequence number is the first message's, so the fuzzer
	 * need not guess it; a later mismatch is still an error. */
	if (size >= 12)
		memcpy(&seq, buf + 8, sizeof(seq));
	twa_facts_init(&f);
	f.ephemeral.present = true;
	f.ephemeral.low = 1024;
	f.ephemeral.high = 65535;
	f.ephemeral.usable = twa_usable_ports(1024, 65535, NULL, 0);
	FUZZ_ASSERT(twa_sockagg_init(&agg, &f, TWA_AGG_DESTINATIONS |
				     TWA_AGG_LISTENERS | TWA_AGG_CLOSE_WAIT, 5) == 0);
	for (attempt = 0; attempt < 2; attempt++) {
		memset(&walk, 0, sizeof(walk));
		r = twa_diag_parse(buf, size, seq, twa_sockagg_add, &agg, &walk, &err);
		if (r < 0) {
			FUZZ_ASSERT_ERR(r, err);
			break;
		}
		/* Every socket handed over is counted once. */
		FUZZ_ASSERT(diag_counted(&f) == walk.sockets);
		if (!walk.interrupted)
			break;
		/* The inspector counts again from zero. */
		twa_sockagg_reset(&agg);
		FUZZ_ASSERT(diag_counted(&f) == 0);
	}
	if (r == 0) {
		FUZZ_ASSERT(twa_sockagg_finish(&agg) == 0);
		FUZZ_ASSERT(f.ephemeral.n_dest <= TWA_TOP_DESTINATIONS);
		FUZZ_ASSERT(f.ephemeral.dest_total >= f.ephemeral.n_dest);
	}
	twa_sockagg_release(&agg);
	twa_facts_release(&f);
	free(buf);
	return 0;
}
