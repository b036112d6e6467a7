/* SPDX-License-Identifier: MIT */
/* fuzz_fleet.c - libFuzzer harness: a twadvise.report/1 file as `report --merge` reads it (twa_fleet_add), the fleet's writers. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/report/fleet.h"
#include "advisor/util/strbuf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct strbuf sb = STRBUF_INIT;
	struct twa_err err = { 0 };
	struct twa_fleet fl;
	json_object *o;
	int r;

	twa_fleet_init(&fl);
	r = twa_fleet_add(&fl, buf, size, "fuzz.json", &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		goto out;
	}
	/* The same host twice: a fleet of two. */
	FUZZ_ASSERT(twa_fleet_add(&fl, buf, size, "again.json", NULL) == 0);
	if (twa_fleet_finish(&fl, "0.0.0-fuzz", "2026-01-01T00:00:00Z", &err) == 0) {
		char verdict[512];
		size_t h, c;

		for (h = 0; h < fl.n_hosts; h++)
			for (c = 0; c < fl.n_rules; c++)
				(void)twa_fleet_cell(&fl, h, c);
		twa_fleet_verdict(&fl, verdict, sizeof(verdict));
		o = twa_fleet_to_json(&fl);
		FUZZ_ASSERT(o);
		json_object_put(o);
		FUZZ_ASSERT(twa_fleet_write_markdown(&fl, &sb) == 0);
		strbuf_reset(&sb);
		FUZZ_ASSERT(twa_fleet_write_html(&fl, &sb) == 0);
	}
out:
	strbuf_release(&sb);
	twa_fleet_release(&fl);
	free(buf);
	return 0;
}
