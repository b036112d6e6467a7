/* SPDX-License-Identifier: MIT */
/* fuzz_snapshot.c - libFuzzer harness: a twadvise.snapshot/1 file (twa_snapshot_parse) and the round trip. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsonutil.h"
#include "advisor/apply/snapshot.h"
#include "advisor/util/strbuf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct twa_snapshot s, again;
	struct twa_err err = { 0 };
	struct strbuf sb = STRBUF_INIT;
	json_object *o;
	size_t i;
	int r;

	twa_snapshot_init(&s);
	twa_snapshot_init(&again);
	r = twa_snapshot_parse(buf, size, "fuzz.json", &s, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		twa_snapshot_release(&s);
		FUZZ_ASSERT(twa_snapshot_parse(buf, size, "fuzz.json", &s, NULL) == r);
		goto out;
	}
	/* What it promises the applier: a valid id (a file name), known
	 * operation, at most the cap of keys, content iff existed. */
	FUZZ_ASSERT(twa_snapshot_id_valid(s.id));
	FUZZ_ASSERT(!strcmp(s.operation, "apply") || !strcmp(s.operation, "rollback"));
	FUZZ_ASSERT(s.n <= TWA_SNAPSHOT_MAX_KEYS);
	FUZZ_ASSERT(!s.has_persist || s.persist_existed == (s.persist_content != NULL));
	o = twa_snapshot_to_json(&s);
	FUZZ_ASSERT(o);
	FUZZ_ASSERT(twa_json_write(o, true, &sb) == 0);
	json_object_put(o);
	r = twa_snapshot_parse(sb.buf, sb.len, "again.json", &again, &err);
	if (r < 0)
		fprintf(stderr, "round trip refused: %s\n", err.msg);
	FUZZ_ASSERT(r == 0);
	FUZZ_ASSERT(again.n == s.n && again.has_persist == s.has_persist);
	for (i = 0; i < s.n; i++)
		FUZZ_ASSERT(!strcmp(again.values[i].key, s.values[i].key) &&
			    !strcmp(again.values[i].value, s.values[i].value));
	FUZZ_ASSERT(!s.persist_content ||
		    !strcmp(again.persist_content, s.persist_content));
out:
	strbuf_release(&sb);
	twa_snapshot_release(&again);
	twa_snapshot_release(&s);
	free(buf);
	return 0;
}
