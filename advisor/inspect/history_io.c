/* SPDX-License-Identifier: MIT */
/* history_io.c - the history file on disk: a checked directory, a no-follow read, an atomic write. */
#include "advisor/inspect/history_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/parse.h"

/* mkdir -p for the parents of dir (mode 0700 for those it makes). */
static int make_parents(const char *dir)
{
	char buf[1024];
	char *p;

	if (strlen(dir) >= sizeof(buf))
		return -ENAMETOOLONG;
	twa_strlcpy(buf, dir, sizeof(buf));
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

int twa_history_dir_open(const char *dir, bool create, bool parents, struct twa_err *err)
{
	struct stat st;
	int r;

	if (lstat(dir, &st) < 0) {
		if (errno != ENOENT || !create)
			return twa_err_set_at(err, -errno, dir, 0, 0, "cannot stat: %s", strerror(errno));
		r = parents ? make_parents(dir) : 0;
		if (r < 0 || mkdir(dir, 0700) < 0) {
			r = r < 0 ? r : -errno;
			return twa_err_set_at(err, r, dir, 0, 0, "cannot create: %s", strerror(-r));
		}
		if (lstat(dir, &st) < 0)
			return twa_err_set_at(err, -errno, dir, 0, 0, "cannot stat: %s", strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return twa_err_set_at(err, -ENOTDIR, dir, 0, 0, "not a directory (or a symlink)");
	if (st.st_uid != geteuid() || (st.st_mode & 022))
		return twa_err_set_at(err, -EACCES, dir, 0, 0,
				      "not the caller's, or writable by others");
	if (access(dir, W_OK | X_OK) < 0)
		return twa_err_set_at(err, -errno, dir, 0, 0, "not writable: %s", strerror(errno));
	return 0;
}

static int history_path(const char *dir, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, TWA_HISTORY_FILE) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int twa_history_load(const char *dir, struct twa_history *h, struct twa_err *err)
{
	struct strbuf buf = STRBUF_INIT;
	char path[1100];
	struct stat st;
	int fd, r;

	twa_history_init(h);
	if (history_path(dir, path, sizeof(path)) < 0)
		return twa_err_set(err, -ENAMETOOLONG, "state directory name too long");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		r = errno == ELOOP ? -EBADMSG : -errno;
		return twa_err_set_at(err, r, path, 0, 0, "cannot open: %s", strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return twa_err_set_at(err, -EBADMSG, path, 0, 0,
				      "not a regular file of this user's");
	}
	r = twa_fd_read_all(fd, path, TWA_HISTORY_FILE_MAX, -EBADMSG, &buf, err);
	close(fd);
	if (r == 0)
		r = twa_history_parse(buf.buf, buf.len, path, h, err);
	strbuf_release(&buf);
	return r;
}

int twa_history_save(const char *dir, const struct twa_history *h, struct twa_err *err)
{
	struct strbuf buf = STRBUF_INIT;
	char path[1100];
	int r;

	if (history_path(dir, path, sizeof(path)) < 0)
		return twa_err_set(err, -ENAMETOOLONG, "state directory name too long");
	r = twa_history_encode(h, &buf);
	if (r < 0)
		r = twa_err_set(err, r, "out of memory");
	else if (buf.len > TWA_HISTORY_FILE_MAX)
		r = twa_err_set_at(err, -EFBIG, path, 0, 0, "would exceed %d bytes",
				   TWA_HISTORY_FILE_MAX);
	else
		r = twa_file_replace(path, buf.buf, buf.len, 0600, err);
	strbuf_release(&buf);
	return r;
}
