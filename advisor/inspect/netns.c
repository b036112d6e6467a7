/* SPDX-License-Identifier: MIT */
/* netns.c - setns(2) into a named or given network namespace. */
#include "advisor/inspect/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"

int twa_netns_enter(const char *spec, struct twa_err *err)
{
	char path[512];
	int fd, r = 0;

	if (!*spec || !strcmp(spec, ".") || !strcmp(spec, ".."))
		return twa_err_set(err, -EINVAL, "bad namespace name '%s'", spec);
	if (strchr(spec, '/'))
		snprintf(path, sizeof(path), "%s", spec);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", spec);
	/* nsfs files are regular files; a FIFO here must not block */
	fd = twa_file_open(path, O_RDONLY, 0, "network namespace", NULL, err);
	if (fd == -ENOENT)
		return twa_err_set_at(err, -ENOENT, path, 0, 0,
				      "cannot open network namespace: %s (see 'ip netns list')",
				      strerror(ENOENT));
	if (fd < 0)
		return fd;
	if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		twa_err_set_at(err, r, path, 0, 0,
			       "cannot enter network namespace: %s%s", strerror(errno),
			       errno == EPERM ? " (needs CAP_SYS_ADMIN: run as root)" :
			       errno == EINVAL ? " (not a network namespace)" : "");
	}
	close(fd);
	return r;
}

int twa_netns_open_current(struct twa_err *err)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return twa_err_set(err, -errno, "cannot open this namespace: %s", strerror(errno));
	return fd;
}

int twa_netns_enter_inode(const char *path, uint64_t inode, struct twa_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), r = 0;

	if (fd < 0)
		return twa_err_set_at(err, -errno, path, 0, 0, "%s", strerror(errno));
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != inode) {
		close(fd);
		return twa_err_set_at(err, -ESTALE, path, 0, 0, "now another namespace (its process exited)");
	}
	if (setns(fd, CLONE_NEWNET) < 0)
		r = twa_err_set_at(err, -errno, path, 0, 0, "cannot enter: %s%s", strerror(errno),
				   errno == EPERM ? " (needs CAP_SYS_ADMIN: run as root)" : "");
	close(fd);
	return r;
}

int twa_netns_return(int fd, struct twa_err *err)
{
	if (setns(fd, CLONE_NEWNET) < 0)
		return twa_err_set(err, -errno, "cannot return to the original namespace: %s",
				   strerror(errno));
	return 0;
}
