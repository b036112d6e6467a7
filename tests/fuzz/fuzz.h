/* SPDX-License-Identifier: MIT */
/* fuzz.h - helpers shared by the libFuzzer harnesses (and by test_fuzz_regressions.c, which compiles them with gcc). */
#ifndef TWA_FUZZ_H
#define TWA_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every harness defines LLVMFuzzerTestOneInput(). The regression test
 * #includes each harness with that name #defined to a harness-specific
 * one, so the fuzzed entry points and the replayed ones are the same code.
 * Helpers here are static and guarded: included once per binary.
 */

/* An exact-size copy: no terminating NUL, so reading past len is caught
 * by ASan. NULL only for size 0 (a 1-byte block then, never read). */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	return p;
}

/* A NUL-terminated copy for parsers of C strings. Embedded NULs stay:
 * the parser then sees a shorter string, like a kernel file with one. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *p = malloc(size + 1);

	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	p[size] = '\0';
	return p;
}

/* A property the library promises but broke: crash loudly, so libFuzzer
 * keeps the input and the regression test fails. */
#define FUZZ_ASSERT(cond)                                                   \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: fuzz property failed: %s\n", \
				__FILE__, __LINE__, #cond);                 \
			abort();                                            \
		}                                                           \
	} while (0)

/* An error must carry a negative errno and a message, never be silent. */
#define FUZZ_ASSERT_ERR(r, err)                                             \
	do {                                                                \
		FUZZ_ASSERT((r) < 0);                                       \
		FUZZ_ASSERT((err).msg[0] != '\0');                          \
		FUZZ_ASSERT(memchr((err).msg, '\0', sizeof((err).msg)));   \
	} while (0)

#endif
