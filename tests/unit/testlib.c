/* SPDX-License-Identifier: MIT */
/* testlib.c - fixture and JSON helpers shared by the unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/testlib.h"

#include "advisor/facts/facts_json.h"
#include "advisor/util/err.h"

const char *tl_fixtures(void)
{
	const char *f = getenv("FIXTURES");

	return f && *f ? f : "tests/fixtures";
}

void tl_fixture_path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", tl_fixtures(), rel);
}

char *tl_read_file(const char *path, size_t *ret_len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL, chunk[65536];
	size_t len = 0, n;

	if (!fp)
		fail_msg("cannot open %s (set FIXTURES or run from the repo root)", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		buf = realloc(buf, len + n + 1);
		assert_non_null(buf);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(fp);
	if (!buf)
		buf = malloc(1);
	assert_non_null(buf);
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return buf;
}

char *tl_read_fixture(const char *rel, size_t *ret_len)
{
	char path[4096];

	tl_fixture_path(path, sizeof(path), rel);
	return tl_read_file(path, ret_len);
}

void tl_load_facts(const char *rel, struct twa_facts *f)
{
	struct twa_err err = { 0 };
	char path[4096], msg[1200];
	size_t len;
	char *buf;

	tl_fixture_path(path, sizeof(path), rel);
	buf = tl_read_file(path, &len);
	twa_facts_init(f);
	if (twa_facts_parse(buf, len, path, f, &err) < 0) {
		twa_err_format(&err, msg, sizeof(msg));
		free(buf);
		fail_msg("%s", msg);
	}
	free(buf);
}

static const char *plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

static void diff_object(const char *path, json_object *want, json_object *got,
			int *budget)
{
	char sub[512];

	json_object_object_foreach(want, k, wv) {
		json_object *gv;

		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
		if (!json_object_object_get_ex(got, k, &gv)) {
			print_error("  %s: missing (want %s)\n", sub, plain(wv));
			--*budget;
		} else {
			tl_json_diff(sub, wv, gv, budget);
		}
	}
	json_object_object_foreach(got, k2, gv2) {
		if (!json_object_object_get_ex(want, k2, NULL) && *budget > 0) {
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k2);
			print_error("  %s: unexpected (got %s)\n", sub, plain(gv2));
			--*budget;
		}
	}
}

static void diff_array(const char *path, json_object *want, json_object *got,
		       int *budget)
{
	size_t i, nw = json_object_array_length(want), ng = json_object_array_length(got);
	char sub[512];

	if (nw != ng) {
		print_error("  %s: %zu entries, want %zu\n", path, ng, nw);
		--*budget;
	}
	for (i = 0; i < nw && i < ng; i++) {
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		tl_json_diff(sub, json_object_array_get_idx(want, i),
			     json_object_array_get_idx(got, i), budget);
	}
}

void tl_json_diff(const char *path, json_object *want, json_object *got,
		  int *budget)
{
	if (*budget <= 0 || json_object_equal(want, got))
		return;
	if (json_object_is_type(want, json_type_object) &&
	    json_object_is_type(got, json_type_object))
		diff_object(path, want, got, budget);
	else if (json_object_is_type(want, json_type_array) &&
		 json_object_is_type(got, json_type_array))
		diff_array(path, want, got, budget);
	else {
		print_error("  %s: got %s, ", *path ? path : "(top)", plain(got));
		print_error("want %s\n", plain(want));
		--*budget;
	}
}

bool tl_json_equal(json_object *want, json_object *got, int budget)
{
	if (json_object_equal(want, got))
		return true;
	tl_json_diff("", want, got, &budget);
	return false;
}
