/* SPDX-License-Identifier: MIT */
/* test_inputs.c - unit tests for the input edges of issue 17: the one opener (fsutil), duplicate JSON keys (jsonutil), terminal escaping (textesc). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/textesc.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/twa-inputs.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A FIFO, a directory, a device: refused at once, never blocking; a link
 * refused with O_NOFOLLOW; a regular file opens in blocking mode. */
static void test_open_types(void **state)
{
	struct twa_err err = { 0 };
	char fifo[128], file[128], link[128];
	struct stat st;
	int fd;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x\n", 2), 2);
	close(fd);
	assert_int_equal(symlink(file, link), 0);

	assert_int_equal(twa_file_open(fifo, O_RDONLY, 0, "facts", NULL, &err), -EBADMSG);
	assert_string_equal(err.msg, "facts is not a regular file (a FIFO): refusing to read it");
	assert_string_equal(err.file, fifo);
	/* opening a FIFO for writing without a reader must not block either */
	assert_int_equal(twa_file_open(fifo, O_WRONLY, 0, NULL, NULL, &err), -EBADMSG);
	assert_int_equal(twa_file_open(dir, O_RDONLY, 0, NULL, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "(a directory)"));
	assert_int_equal(twa_file_open("/dev/null", O_RDONLY, 0, NULL, NULL, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "(a character device)"));
	assert_int_equal(twa_file_open(link, O_RDONLY | O_NOFOLLOW, 0, "token file", NULL, &err),
			 -ELOOP);
	assert_string_equal(err.msg, "token file is a symbolic link: refusing to follow it");
	assert_int_equal(twa_file_open("/nonexistent-twa", O_RDONLY, 0, NULL, NULL, &err), -ENOENT);

	fd = twa_file_open(link, O_RDONLY, 0, NULL, &st, &err);	/* a link is fine without */
	assert_true(fd >= 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 2);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

/* twa_file_read (state files) goes through the opener: no hang on a FIFO. */
static void test_file_read_fifo(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct twa_err err = { 0 };
	char fifo[128];
	bool exists = true;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo2", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(twa_file_read(fifo, 1000, &sb, &exists, &err), -EBADMSG);
	assert_false(exists);
	snprintf(fifo, sizeof(fifo), "%s/absent", dir);
	assert_int_equal(twa_file_read(fifo, 1000, &sb, &exists, &err), 0);
	assert_false(exists);
	strbuf_release(&sb);
}

static void test_json_duplicates(void **state)
{
	static const struct {
		const char *doc;
		unsigned line, col;	/* 0: accepted */
	} cases[] = {
		{ "{\"a\": 1, \"b\": 2}", 0, 0 },
		{ "{\"a\": 1, \"a\": 2}", 1, 10 },
		{ "{\"a\": {\"x\": 1}, \"b\": {\"x\": 1}}", 0, 0 },	/* siblings may share */
		{ "[{\"x\": 1}, {\"x\": 2}]", 0, 0 },
		{ "{\"a\": [\"a\", \"a\"]}", 0, 0 },			/* values are not keys */
		{ "{\"a\": \"b\", \"b\": \"a\"}", 0, 0 },
		{ "{\"a\": {\"x\": 1,\n \"x\": 2}}", 2, 2 },		/* nested */
		{ "{\"schema\": 1, \"sch\\u0065ma\": 2}", 1, 15 },	/* spelled differently */
		{ "{\"q\\\"\": 1, \"q\\\"\": 2}", 1, 12 },		/* escaped quote */
		{ "{\"a\\u0000b\": 1, \"a\\u0000c\": 2}", 1, 17 },	/* json-c cuts at NUL */
		{ "{\"k\": {\"a\": 1}, \"k\": 2}", 1, 17 },
		{ "{\"\": 1, \"\": 2}", 1, 9 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct twa_err err = { 0 };
		json_object *o = NULL;
		int r = twa_json_parse(cases[i].doc, strlen(cases[i].doc), "d.json", &o, &err);

		if (!cases[i].line) {
			if (r != 0)
				fail_msg("%s: %s", cases[i].doc, err.msg);
			json_object_put(o);
			continue;
		}
		if (r != -EBADMSG || err.line != cases[i].line || err.col != cases[i].col)
			fail_msg("%s: got %d at %u:%u (%s), want -EBADMSG at %u:%u", cases[i].doc, r,
				 err.line, err.col, err.msg, cases[i].line, cases[i].col);
		assert_non_null(strstr(err.msg, "duplicate key"));
		assert_string_equal(err.file, "d.json");
	}
}

static void test_text_escape(void **state)
{
	static const struct {
		const char *in, *want;
		bool sgr;
	} cases[] = {
		{ "plain text\twith tab\n", "plain text\twith tab\n", false },
		{ "host\033]0;pwned\007", "host^[]0;pwned^G", false },
		{ "a\rb", "a^Mb", false },
		{ "del\177", "del^?", false },
		{ "csi \xc2\x9b" "2J", "csi M-^[2J", false },		/* UTF-8 C1 */
		{ "caf\xc3\xa9 \xc2\xa0", "caf\xc3\xa9 \xc2\xa0", false },	/* not C1 */
		{ "\033[1;31mCRIT\033[0m", "^[[1;31mCRIT^[[0m", false },
		{ "\033[1;31mCRIT\033[0m", "\033[1;31mCRIT\033[0m", true },
		{ "\033[2J\033[H", "^[[2J^[[H", true },		/* not a colour */
		{ "\033]8;;http://x\033\\", "^[]8;;http://x^[\\", true },
		{ "\033", "^[", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct strbuf sb = STRBUF_INIT;
		size_t len = strlen(cases[i].in);

		assert_int_equal(twa_text_escape(&sb, cases[i].in, len, cases[i].sgr), 0);
		if (strcmp(sb.buf, cases[i].want))
			fail_msg("case %zu: got '%s'", i, sb.buf);
		assert_int_equal(twa_text_is_clean(cases[i].in, len, cases[i].sgr),
				 !strcmp(cases[i].in, cases[i].want));
		strbuf_release(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_types),
		cmocka_unit_test(test_file_read_fifo),
		cmocka_unit_test(test_json_duplicates),
		cmocka_unit_test(test_text_escape),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
