/* SPDX-License-Identifier: MIT */
/* procfs.c - reading /proc (or a recorded tree under --proc-root). */
#include "advisor/inspect/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"

#define LINES_BUF (64 * 1024)

int twa_proc_path(const char *root, const char *rel, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s", root ? root : "/proc", rel);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int twa_proc_read(const char *root, const char *rel, struct strbuf *out,
		  struct twa_err *err)
{
	char path[512];
	int fd, r;

	if (twa_proc_path(root, rel, path, sizeof(path)) < 0)
		return twa_err_set(err, -ENAMETOOLONG, "path too long: %s", rel);
	fd = twa_file_open(path, O_RDONLY | O_NOFOLLOW, 0, NULL, NULL, err);
	if (fd < 0)
		return fd;
	r = twa_fd_read_all(fd, path, TWA_PROC_FILE_MAX, -EFBIG, out, err);
	close(fd);
	return r;
}

int twa_proc_readlink(const char *root, const char *rel, char *buf,
		      size_t size)
{
	char path[512];
	ssize_t n;

	if (twa_proc_path(root, rel, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int twa_lines_open(struct twa_lines *lr, const char *root, const char *rel,
		   struct twa_err *err)
{
	memset(lr, 0, sizeof(*lr));
	lr->fd = -1;
	if (twa_proc_path(root, rel, lr->path, sizeof(lr->path)) < 0)
		return twa_err_set(err, -ENAMETOOLONG, "path too long: %s", rel);
	lr->buf = malloc(LINES_BUF);
	if (!lr->buf)
		return twa_err_set(err, -ENOMEM, "out of memory");
	lr->fd = twa_file_open(lr->path, O_RDONLY | O_NOFOLLOW, 0, NULL, NULL, err);
	if (lr->fd < 0) {
		int r = lr->fd;

		free(lr->buf);
		lr->buf = NULL;
		return r;
	}
	return 0;
}

int twa_lines_next(struct twa_lines *lr, const char **ret_line,
		   size_t *ret_len, struct twa_err *err)
{
	for (;;) {
		char *nl = memchr(lr->buf + lr->start, '\n', lr->end - lr->start);
		ssize_t n;

		if (nl) {
			*ret_line = lr->buf + lr->start;
			*ret_len = (size_t)(nl - *ret_line);
			lr->start = (size_t)(nl - lr->buf) + 1;
			lr->lineno++;
			if (*ret_len > TWA_PROC_LINE_MAX)
				return twa_err_set_at(err, -EBADMSG, lr->path, lr->lineno, 0,
						      "line longer than %u bytes",
						      TWA_PROC_LINE_MAX);
			return 1;
		}
		if (lr->end - lr->start > TWA_PROC_LINE_MAX)
			return twa_err_set_at(err, -EBADMSG, lr->path,
					      lr->lineno + 1, 0,
					      "line longer than %u bytes",
					      TWA_PROC_LINE_MAX);
		if (lr->eof) {
			if (lr->start == lr->end)
				return 0;
			/* A last line without a newline still counts. */
			*ret_line = lr->buf + lr->start;
			*ret_len = lr->end - lr->start;
			lr->start = lr->end;
			lr->lineno++;
			return 1;
		}
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
		n = read(lr->fd, lr->buf + lr->end, LINES_BUF - lr->end);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return twa_err_set_at(err, -errno, lr->path, 0, 0,
					      "cannot read: %s", strerror(errno));
		}
		if (!n)
			lr->eof = true;
		lr->end += (size_t)n;
	}
}

void twa_lines_close(struct twa_lines *lr)
{
	if (!lr)
		return;
	if (lr->fd >= 0)
		close(lr->fd);
	free(lr->buf);
	lr->buf = NULL;
	lr->fd = -1;
}
