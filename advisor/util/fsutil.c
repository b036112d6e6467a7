/* SPDX-License-Identifier: MIT */
/* fsutil.c - atomic, symlink-safe file writes and reads. */
#include "advisor/util/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "advisor/util/parse.h"

int twa_dir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

static int refuse_nonregular(const char *path, struct twa_err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : twa_err_set_at(err, -errno, path, 0, 0,
							     "cannot stat: %s", strerror(errno));
	if (S_ISLNK(st.st_mode))
		return twa_err_set_at(err, -ELOOP, path, 0, 0,
				      "is a symbolic link: refusing to write through it");
	if (!S_ISREG(st.st_mode))
		return twa_err_set_at(err, -ELOOP, path, 0, 0, "is not a regular file");
	return 0;
}

int twa_file_replace(const char *path, const char *data, size_t len,
		     mode_t mode, struct twa_err *err)
{
	char dir[1024], tmp[1100];
	struct timespec ts;
	size_t off = 0;
	int fd, r;

	r = refuse_nonregular(path, err);
	if (r < 0)
		return r;
	twa_strlcpy(dir, path, sizeof(dir));
	twa_strlcpy(dir, dirname(dir), sizeof(dir));
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d.%ld", path, (int)getpid(), ts.tv_nsec);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return twa_err_set_at(err, -errno, path, 0, 0, "cannot create: %s",
				      strerror(errno));	/* the file asked for, not the temp name */
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto fail;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		r = -errno;
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto fail;
	}
	r = twa_dir_sync(dir);
	if (r < 0)
		return twa_err_set_at(err, r, dir, 0, 0, "cannot sync directory: %s", strerror(-r));
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return twa_err_set_at(err, r, path, 0, 0, "cannot write: %s", strerror(-r));
}

static const char *file_type(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device" :
	       S_ISSOCK(m) ? "a socket" : "not a file";
}

int twa_file_open(const char *path, int oflags, mode_t mode, const char *what,
		  struct stat *st, struct twa_err *err)
{
	const char *sp = what ? " " : "";
	struct stat tmp;
	int fd, e, fl;

	if (!st)
		st = &tmp;
	memset(st, 0, sizeof(*st));
	fd = open(path, oflags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, mode);
	if (fd < 0) {
		e = errno;
		if (e == ELOOP && (oflags & O_NOFOLLOW))
			return twa_err_set_at(err, -ELOOP, path, 0, 0,
					      "%s%sis a symbolic link: refusing to follow it",
					      what ? what : "", sp);
		if (e == ENXIO || e == EISDIR)	/* a FIFO or directory opened for writing */
			return twa_err_set_at(err, -EBADMSG, path, 0, 0, "%s%sis not a regular file",
					      what ? what : "", sp);
		return twa_err_set_at(err, -e, path, 0, 0, "cannot open%s%s: %s", sp,
				      what ? what : "", strerror(e));
	}
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		e = errno;
		close(fd);
		if (!S_ISREG(st->st_mode) && st->st_mode)
			return twa_err_set_at(err, -EBADMSG, path, 0, 0,
					      "%s%sis not a regular file (%s): refusing to read it",
					      what ? what : "", sp, file_type(st->st_mode));
		return twa_err_set_at(err, -e, path, 0, 0, "cannot stat: %s", strerror(e));
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		e = errno;
		close(fd);
		return twa_err_set_at(err, -e, path, 0, 0, "cannot clear O_NONBLOCK: %s",
				      strerror(e));
	}
	return fd;
}

int twa_fd_read_all(int fd, const char *path, size_t max, int too_big,
		    struct strbuf *out, struct twa_err *err)
{
	strbuf_reset(out);
	for (;;) {
		ssize_t n;

		if (strbuf_grow(out, 65536) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
		n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return twa_err_set_at(err, -errno, path, 0, 0, "cannot read: %s",
					      strerror(errno));
		if (!n)
			return 0;
		out->len += (size_t)n;
		out->buf[out->len] = '\0';
		if (out->len > max)
			return twa_err_set_at(err, too_big, path, 0, 0,
					      "larger than %zu bytes", max);
	}
}

int twa_file_read(const char *path, size_t max, struct strbuf *out,
		  bool *ret_exists, struct twa_err *err)
{
	struct stat st;
	int fd, r;

	*ret_exists = false;
	strbuf_reset(out);
	fd = twa_file_open(path, O_RDONLY | O_NOFOLLOW, 0, NULL, &st, err);
	if (fd == -ENOENT) {
		twa_err_clear(err);
		return 0;
	}
	if (fd < 0)
		return fd;
	if ((size_t)st.st_size > max) {
		close(fd);
		return twa_err_set_at(err, -EFBIG, path, 0, 0, "larger than %zu bytes", max);
	}
	r = twa_fd_read_all(fd, path, max, -EFBIG, out, err);
	close(fd);
	if (r == 0)
		*ret_exists = true;
	return r;
}

int twa_file_remove(const char *path, struct twa_err *err)
{
	char dir[1024];
	int r = refuse_nonregular(path, err);

	if (r < 0)
		return r;
	if (unlink(path) < 0 && errno != ENOENT)
		return twa_err_set_at(err, -errno, path, 0, 0, "cannot remove: %s", strerror(errno));
	twa_strlcpy(dir, path, sizeof(dir));
	twa_dir_sync(dirname(dir));
	return 0;
}

/* May this directory lie on the way to a file twadvise trusts? Owned by
 * root or by us, and writable by no one else unless sticky (/tmp): then
 * no other user can rename, exchange or replace what lies below it. */
static int trusted_dir_stat(const struct stat *st, const char *shown, struct twa_err *err)
{
	if (S_ISLNK(st->st_mode))
		return twa_err_set_at(err, -EACCES, shown, 0, 0,
				      "is a symbolic link: refusing to follow it on the way to a trusted directory");
	if (!S_ISDIR(st->st_mode))
		return twa_err_set_at(err, -ENOTDIR, shown, 0, 0, "is not a directory");
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return twa_err_set_at(err, -EACCES, shown, 0, 0,
				      "is owned by uid %u, neither root nor us: that user could swap what lies below it; refusing it",
				      (unsigned)st->st_uid);
	if ((st->st_mode & 022) && !(st->st_mode & S_ISVTX))
		return twa_err_set_at(err, -EACCES, shown, 0, 0,
				      "is writable by group or others (mode %04o) and not sticky: they could swap what lies below it; refusing it",
				      (unsigned)(st->st_mode & 07777));
	return 0;
}

/* path made absolute (relative to the working directory). */
static int absolute_path(const char *path, char *buf, size_t size, struct twa_err *err)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] == '/')
		n = snprintf(buf, size, "%s", path);
	else if (!getcwd(cwd, sizeof(cwd)))
		return twa_err_set_at(err, -errno, path, 0, 0, "cannot resolve: %s", strerror(errno));
	else
		n = snprintf(buf, size, "%s/%s", cwd, path);
	if (n < 0 || (size_t)n >= size)
		return twa_err_set_at(err, -ENAMETOOLONG, path, 0, 0, "path too long");
	return 0;
}

int twa_dir_check_trusted(const char *path, struct twa_err *err)
{
	char abs[PATH_MAX], shown[PATH_MAX], *comp, *save = NULL;
	size_t shown_len = 0;
	struct stat st;
	int fd, nfd, r;

	r = absolute_path(path, abs, sizeof(abs), err);
	if (r < 0)
		return r;
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return twa_err_set_at(err, -errno, "/", 0, 0, "%s", strerror(errno));
	r = trusted_dir_stat(&st, "/", err);
	for (comp = strtok_r(abs, "/", &save); comp && r == 0; comp = strtok_r(NULL, "/", &save)) {
		shown_len += (size_t)snprintf(shown + shown_len, sizeof(shown) - shown_len, "/%s", comp);
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, ".."))
			r = twa_err_set_at(err, -EACCES, path, 0, 0, "has a '..' component: refusing it");
		else if ((nfd = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
			r = twa_err_set_at(err, -errno, shown, 0, 0, "%s", strerror(errno));
		else {
			close(fd);
			fd = nfd;
			r = fstat(fd, &st) < 0 ? twa_err_set_at(err, -errno, shown, 0, 0, "%s",
								  strerror(errno)) :
						 trusted_dir_stat(&st, shown, err);
		}
	}
	close(fd);
	return r;
}

/* "<anything>STEM.tmp.<pid>.<nsec>": a temporary file of twa_file_replace. */
static bool is_stale_tmp(const char *name, const char *stem)
{
	const char *t = strstr(name, ".tmp.");
	size_t sl = strlen(stem);

	if (!t || (size_t)(t - name) < sl || strncmp(t - sl, stem, sl))
		return false;
	for (t += 5; *t; t++)
		if (!((*t >= '0' && *t <= '9') || *t == '.'))
			return false;
	return true;
}

int twa_stale_tmp_clean(const char *dir, const char *stem)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct stat st;

		if (!is_stale_tmp(de->d_name, stem) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}
