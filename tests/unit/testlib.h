/* SPDX-License-Identifier: MIT */
/* testlib.h - what the unit tests share: finding and reading fixtures, loading facts, comparing JSON.
 *
 * Linked into every unit test binary (see the Makefile's test rule). The
 * helpers fail the running cmocka test themselves, so callers need no
 * error paths. */
#ifndef TWA_TESTLIB_H
#define TWA_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "advisor/facts/facts.h"

/* $FIXTURES, or tests/fixtures (tests run from the repository root). */
const char *tl_fixtures(void);
/* FIXTURES/rel into buf. */
void tl_fixture_path(char *buf, size_t size, const char *rel);
/* A whole file, NUL-terminated, to free(); its length in *ret_len when
 * ret_len is not NULL. Fails the test when it cannot be read. */
char *tl_read_file(const char *path, size_t *ret_len);
/* tl_read_file() of FIXTURES/rel. */
char *tl_read_fixture(const char *rel, size_t *ret_len);
/* FIXTURES/rel decoded into f (initialised here; release it). Fails the
 * test with the decoder's message. */
void tl_load_facts(const char *rel, struct twa_facts *f);
/* Print up to *budget differences between want and got, by path
 * ("ephemeral.destinations[3].in_use"). */
void tl_json_diff(const char *path, json_object *want, json_object *got,
		  int *budget);
/* True when equal; else prints the first budget differences. */
bool tl_json_equal(json_object *want, json_object *got, int budget);

#endif
