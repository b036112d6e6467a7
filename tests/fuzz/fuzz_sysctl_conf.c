/* SPDX-License-Identifier: MIT */
/* fuzz_sysctl_conf.c - libFuzzer harness: sysctl.d(5) text (twa_sysctl_conf_parse), the settings it yields and the persisted file rendered back from them. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/strbuf.h"
#include "advisor/apply/sysctl_conf.h"
#include "fuzz.h"

struct conf_count {
	unsigned lines, last;
};

static int conf_cb(const char *key, const char *value, unsigned line, void *ctx)
{
	struct conf_count *c = ctx;

	FUZZ_ASSERT(key && value);
	FUZZ_ASSERT(line > c->last);	/* in order, each line once */
	c->last = line;
	c->lines++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size), *buf_c = fuzz_cstr(data, size);
	const char **named = NULL;
	struct twa_conf_setting *v = NULL, *v2 = NULL;
	struct conf_count c = { 0, 0 };
	struct strbuf sb = STRBUF_INIT;
	struct twa_err err = { 0 };
	size_t n = 0, n2 = 0, i;
	int r;

	r = twa_sysctl_conf_parse(buf, size, "fuzz.conf", conf_cb, &c, &err);
	if (r < 0) {
		FUZZ_ASSERT_ERR(r, err);
		FUZZ_ASSERT(twa_sysctl_conf_settings(buf, size, "fuzz.conf", &v, &n, NULL) == r);
		goto out;
	}
	r = twa_sysctl_conf_settings(buf, size, "fuzz.conf", &v, &n, &err);
	if (r < 0) {	/* a key or value too long to keep whole */
		FUZZ_ASSERT(r == -EBADMSG);
		FUZZ_ASSERT_ERR(r, err);
		goto out;
	}
	FUZZ_ASSERT(n <= c.lines);
	for (i = 0; i < n; i++) {
		char key[96];

		twa_sysctl_conf_key(v[i].key, key, sizeof(key));
		twa_sysctl_conf_key(v[i].key, key, 4);
	}
	/* twadvise's own file, rendered from them, parses back to the same
	 * keys (values: tabs become spaces), or is refused whole when a key
	 * or value is outside the grammar. */
	named = calloc(n + 1, sizeof(*named));
	FUZZ_ASSERT(named);
	for (i = 0; i < n; i++)
		named[i] = v[i].key;
	r = twa_persist_render(buf_c, "snap-1", "2026-01-01", v, n, named, n, &sb, &err);
	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL);
		goto out;
	}
	FUZZ_ASSERT(twa_persist_content_check(sb.buf, sb.len, "rendered.conf", NULL) == 0);
	r = twa_sysctl_conf_settings(sb.buf, sb.len, "rendered.conf", &v2, &n2, &err);
	if (r < 0)
		fprintf(stderr, "rendered file refused: %s\n%s", err.msg, sb.buf);
	FUZZ_ASSERT(r == 0 && n2 == n);
	for (i = 0; i < n2; i++)
		FUZZ_ASSERT(!strcmp(v2[i].key, v[i].key));
out:
	free(v);
	free(v2);
	free(named);
	free(buf_c);
	strbuf_release(&sb);
	free(buf);
	return 0;
}
