/* SPDX-License-Identifier: MIT */
/* sysctl_io.c - /proc/sys reads and writes. */
#include "advisor/inspect/sysctl_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/parse.h"
#include "advisor/facts/sysctl_key.h"

static int sysctl_path(const char *root, const char *key, char *buf,
		       size_t size, struct twa_err *err)
{
	char rel[128];
	int n, r;

	r = twa_sysctl_key_check(key, err);
	if (r < 0)
		return r;
	if (twa_sysctl_key_to_path(key, rel, sizeof(rel)) < 0)
		return twa_err_set(err, -EINVAL, "sysctl name too long");
	n = snprintf(buf, size, "%s/sys/%s", root ? root : "/proc", rel);
	if (n < 0 || (size_t)n >= size)
		return twa_err_set(err, -ENAMETOOLONG, "path too long");
	return 0;
}

/* Read the whole value: -EFBIG when it (and its newline) does not fit. */
static ssize_t read_value(int fd, char *buf, size_t size)
{
	size_t off = 0;
	ssize_t n;

	for (;;) {
		char extra;

		if (off + 1 >= size) {
			do
				n = read(fd, &extra, 1);
			while (n < 0 && errno == EINTR);
			return n == 0 ? (ssize_t)off : n < 0 ? -errno : -EFBIG;
		}
		do
			n = read(fd, buf + off, size - 1 - off);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		if (n == 0)
			return (ssize_t)off;
		off += (size_t)n;
	}
}

int twa_sysctl_read(const char *root, const char *key, char *buf,
		    size_t size, struct twa_err *err)
{
	return twa_sysctl_read_ro(root, key, buf, size, NULL, err);
}

int twa_sysctl_read_ro(const char *root, const char *key, char *buf,
		       size_t size, bool *readonly, struct twa_err *err)
{
	char path[512];
	struct stat st;
	ssize_t n;
	int fd, r;

	r = sysctl_path(root, key, path, sizeof(path), err);
	if (r < 0)
		return r;
	fd = twa_file_open(path, O_RDONLY | O_NOFOLLOW, 0, NULL, NULL, err);
	if (fd < 0)
		return fd;
	/* The kernel shows a table entry's mode: no write bit, nobody may
	 * write it here (root included, proc_sys_permission()). */
	if (readonly)
		*readonly = fstat(fd, &st) == 0 && !(st.st_mode & 0222);
	n = read_value(fd, buf, size);
	close(fd);
	if (n == -EFBIG)
		return twa_err_set_at(err, -ERANGE, path, 0, 0,	/* exit 65: data */
				      "value longer than %zu bytes: twadvise will not cut it",
				      size - 2);
	if (n < 0)
		return twa_err_set_at(err, (int)n, path, 0, 0, "cannot read: %s",
				      strerror((int)-n));
	buf[n] = '\0';
	/* Normalised once here: "40000\t41999" becomes "40000 41999" in
	 * facts, plans and snapshots alike (in place: it never grows). */
	twa_sysctl_value_normalize(buf, buf, size);
	return 0;
}

int twa_sysctl_write(const char *root, const char *key, const char *value,
		     struct twa_err *err)
{
	char path[512], line[TWA_SYSCTL_VALUE_SIZE + 1];
	size_t len;
	ssize_t n;
	int fd, r;

	r = sysctl_path(root, key, path, sizeof(path), err);
	if (r < 0)
		return r;
	r = twa_sysctl_value_check(value, err);
	if (r < 0)
		return r;
	len = (size_t)snprintf(line, sizeof(line), "%s\n", value);
	fd = twa_file_open(path, O_WRONLY | O_NOFOLLOW, 0, NULL, NULL, err);
	if (fd < 0)
		return fd;
	do
		n = write(fd, line, len);
	while (n < 0 && errno == EINTR);
	r = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (r < 0)
		return twa_err_set_at(err, r, path, 0, 0,
				      "kernel refused '%s': %s", value, strerror(-r));
	return 0;
}

int twa_sysctl_check_writable(const char *root, const char *key,
			      struct twa_err *err)
{
	struct stat st;
	char path[512];
	int fd, r;

	r = sysctl_path(root, key, path, sizeof(path), err);
	if (r < 0)
		return r;
	fd = twa_file_open(path, O_WRONLY | O_NOFOLLOW, 0, NULL, NULL, err);
	if ((fd == -EACCES || fd == -EPERM) && stat(path, &st) == 0 && !(st.st_mode & 0222))
		return twa_err_set_at(err, fd, path, 0, 0, "cannot write %s: read-only in this "
				      "network namespace (a host-global setting: change it on the "
				      "host, in the initial network namespace)", key);
	if (fd == -EACCES || fd == -EPERM)
		return twa_err_set_at(err, fd, path, 0, 0, "cannot write %s: %s%s", key,
				      strerror(-fd),
				      " (needs root, or CAP_NET_ADMIN in the network namespace)");
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
