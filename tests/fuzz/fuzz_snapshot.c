/* SPDX-License-Identifier: MIT */
/* fuzz_snapshot.c - libFuzzer harness: a twadvise.snapshot/1 file (twa_snapshot_parse) and the round trip. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsonutil.h"
#include "advisor/apply/snapshot.h"
#include "advisor/apply/sysctl_conf.h"
#include "advisor/util/strbuf.h"
#include "fuzz.h"

/* Issue 17's property: what a rollback of this snapshot writes to the
 * persisted file (its content, verbatim) passes the persisted-file
 * grammar, holds only net. keys, and a file rendered from its values
 * holds the snapshot's keys and nothing else. */
static void fuzz_snapshot_render(const struct twa_snapshot *s)
{
	struct twa_conf_setting *v = calloc(s->n + 1, sizeof(*v)), *back = NULL;
	const char **named = calloc(s->n + 1, sizeof(*named));
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, n_back = 0;

	FUZZ_ASSERT(v && named);
	if (s->persist_content) {
		size_t len = strlen(s->persist_content);

		FUZZ_ASSERT(twa_persist_content_check(s->persist_content, len, "c", NULL) == 0);
		FUZZ_ASSERT(twa_sysctl_conf_settings(s->persist_content, len, "c", &back,
						     &n_back, NULL) == 0);
		for (j = 0; j < n_back; j++)
			FUZZ_ASSERT(twa_sysctl_key_valid(back[j].key));
		free(back);
		back = NULL;
	}
	for (i = 0; i < s->n; i++) {
		snprintf(v[i].key, sizeof(v[i].key), "%s", s->values[i].key);
		FUZZ_ASSERT(twa_sysctl_value_copy(v[i].value, sizeof(v[i].value),
						  s->values[i].value) == 0);
		named[i] = s->values[i].key;
	}
	if (twa_persist_render(s->profile, s->id, s->created, v, s->n, named, s->n, &sb,
			       NULL) == 0) {
		FUZZ_ASSERT(twa_sysctl_conf_settings(sb.buf, sb.len, "r", &back, &n_back,
						     NULL) == 0);
		FUZZ_ASSERT(n_back <= s->n);
		for (j = 0; j < n_back; j++) {
			for (i = 0; i < s->n && strcmp(back[j].key, named[i]); i++)
				;
			FUZZ_ASSERT(i < s->n);
		}
	}
	free(back);
	free(named);
	free(v);
	strbuf_release(&sb);
}

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
	fuzz_snapshot_render(&s);
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
