/* SPDX-License-Identifier: MIT */
/* output.c - -o FILE or stdout for every command's result, and whole-file reads. */
#include "cmd/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/textesc.h"
#include "cmd/cmd.h"
#include "cmd/errors.h"

static int write_out(const struct twa_globals *g, const struct strbuf *out,
		     struct twa_err *err)
{
	if (!g->output || !strcmp(g->output, "-")) {
		/* An empty strbuf may have no buffer: fwrite(NULL) is undefined. */
		if ((out->len && fwrite(out->buf, 1, out->len, stdout) != out->len) ||
		    fflush(stdout) != 0) {
			twa_errorf("cannot write to standard output: %s", strerror(errno));
			return EXIT_CANTCREAT;
		}
		return 0;
	}
	if (twa_file_replace(g->output, out->len ? out->buf : "", out->len, 0644, err) < 0) {
		twa_print_err(err);
		return EXIT_CANTCREAT;
	}
	return 0;
}

int twa_write_output(const struct twa_globals *g, const struct strbuf *text)
{
	struct strbuf escaped = STRBUF_INIT;
	const struct strbuf *out = text;
	struct twa_err err = { 0 };
	int r;

	/* Strings from hosts, files and servers are in the text: no terminal
	 * control character leaves, on a terminal or in a file cat shows later. */
	if (!twa_text_is_clean(text->buf, text->len, g->color)) {
		if (twa_text_escape(&escaped, text->buf, text->len, g->color) < 0) {
			twa_errorf("out of memory");
			return EXIT_SOFTWARE;
		}
		out = &escaped;
	}
	r = write_out(g, out, &err);
	strbuf_release(&escaped);
	return r;
}

int twa_read_file(const char *path, size_t max, struct strbuf *out,
		  struct twa_err *err)
{
	int fd = strcmp(path, "-") ? twa_file_open(path, O_RDONLY, 0, NULL, NULL, err) :
		 STDIN_FILENO;
	int r;

	if (fd < 0)
		return fd;
	r = twa_fd_read_all(fd, path, max, -EBADMSG, out, err);
	if (fd != STDIN_FILENO)
		close(fd);
	return r;
}
