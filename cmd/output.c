/* SPDX-License-Identifier: MIT */
/* output.c - -o FILE or stdout for every command's result, and whole-file reads. */
#include "cmd/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "cmd/cmd.h"
#include "cmd/errors.h"

int twa_write_output(const struct twa_globals *g, const struct strbuf *out)
{
	struct twa_err err = { 0 };

	if (!g->output || !strcmp(g->output, "-")) {
		/* An empty strbuf may have no buffer: fwrite(NULL) is undefined. */
		if ((out->len && fwrite(out->buf, 1, out->len, stdout) != out->len) ||
		    fflush(stdout) != 0) {
			twa_errorf("cannot write to standard output: %s", strerror(errno));
			return EXIT_CANTCREAT;
		}
		return 0;
	}
	if (twa_file_replace(g->output, out->len ? out->buf : "", out->len, 0644, &err) < 0) {
		twa_print_err(&err);
		return EXIT_CANTCREAT;
	}
	return 0;
}

int twa_read_file(const char *path, size_t max, struct strbuf *out,
		  struct twa_err *err)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	int r;

	if (fd < 0)
		return twa_err_set_at(err, -errno, path, 0, 0, "cannot open: %s",
				      strerror(errno));
	r = twa_fd_read_all(fd, path, max, -EBADMSG, out, err);
	if (fd != STDIN_FILENO)
		close(fd);
	return r;
}
