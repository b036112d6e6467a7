/* SPDX-License-Identifier: MIT */
/* nsdisc.c - enumerate network namespaces and who lives in them (edge). */
#include "advisor/inspect/nsdisc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/parse.h"

/* cgroup files read per namespace looking for a container or pod. */
#define CGROUP_READS_MAX 16

static const char *const default_bind_dirs[] = { "/run/netns", "/var/run/docker/netns", NULL };

void twa_ns_list_release(struct twa_ns_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

static struct twa_ns_ident *find(struct twa_ns_list *l, uint64_t inode)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].inode == inode)
			return &l->v[i];
	return NULL;
}

static struct twa_ns_ident *add(struct twa_ns_list *l, uint64_t inode)
{
	struct twa_ns_ident *v;

	if (l->n >= TWA_NSDISC_MAX) {
		l->truncated = true;
		return NULL;
	}
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 16;

		v = realloc(l->v, na * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->alloc = na;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	l->v[l->n].inode = inode;
	return &l->v[l->n++];
}

/* A small /proc file into buf (NUL-terminated); "" on failure. */
static void read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

static int bind_dir(struct twa_ns_list *l, const char *dir, dev_t nsfs)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct twa_ns_ident *id;
	struct stat st;
	char path[512];

	if (!d)
		return 0;	/* absent: nothing bound there */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		/* a file not (or no longer) bind-mounted is not a namespace */
		if (stat(path, &st) < 0 || st.st_dev != nsfs || find(l, st.st_ino) ||
		    strlen(path) >= sizeof(id->path))
			continue;
		id = add(l, st.st_ino);
		if (!id) {
			closedir(d);
			return l->truncated ? 0 : -ENOMEM;
		}
		twa_strlcpy(id->path, path, sizeof(id->path));
		twa_strlcpy(id->name, de->d_name, sizeof(id->name));
	}
	closedir(d);
	return 0;
}

static void note_unreadable(struct twa_ns_list *l, int pid, int e)
{
	if (!l->unreadable++) {
		l->unreadable_pid = pid;
		twa_strlcpy(l->unreadable_why, strerror(e), sizeof(l->unreadable_why));
	}
}

/* Who owns the namespace: the first pid seen, and a container or pod from
 * the cgroups of its processes (a bounded number of them). */
static void owner(struct twa_ns_ident *id, int pid)
{
	char path[64], buf[4096];
	size_t n;

	if (!id->pid) {
		id->pid = pid;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		read_small(path, id->comm, sizeof(id->comm));
		n = strlen(id->comm);
		if (n && id->comm[n - 1] == '\n')
			id->comm[n - 1] = '\0';
		if (!id->path[0])
			snprintf(id->path, sizeof(id->path), "/proc/%d/ns/net", pid);
	}
	if (id->container[0] || id->pod_uid[0] || id->cgroups_read >= CGROUP_READS_MAX)
		return;
	id->cgroups_read++;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	read_small(path, buf, sizeof(buf));
	twa_ns_ident_from_cgroup(id, buf);
}

static int proc_scan(struct twa_ns_list *l, dev_t nsfs, struct twa_err *err)
{
	DIR *d = opendir("/proc");
	struct twa_ns_ident *id;
	struct dirent *de;
	struct stat st;
	char path[64];
	int pid;

	if (!d)
		return twa_err_set(err, -EIO, "cannot list /proc: %s", strerror(errno));
	while ((de = readdir(d))) {
		pid = atoi(de->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		if (stat(path, &st) < 0) {
			if (errno != ENOENT)	/* gone meanwhile: nothing to say */
				note_unreadable(l, pid, errno);
			continue;
		}
		if (st.st_dev != nsfs)
			continue;
		id = find(l, st.st_ino);
		if (!id && !(id = add(l, st.st_ino))) {
			if (l->truncated)
				break;
			closedir(d);
			return twa_err_set(err, -ENOMEM, "out of memory");
		}
		owner(id, pid);
	}
	closedir(d);
	return 0;
}

/* namespace_name_uid directories of the kubelet's pod logs. */
static void pod_names(struct twa_ns_list *l, const char *dir)
{
	DIR *d;
	struct dirent *de;
	size_t i, want = 0;

	for (i = 0; i < l->n; i++)
		want += l->v[i].pod_uid[0] != '\0';
	if (!want || !(d = opendir(dir)))
		return;
	while ((de = readdir(d)))
		for (i = 0; i < l->n; i++)
			if (!l->v[i].pod_name[0])
				twa_ns_ident_from_pod_dir(&l->v[i], de->d_name);
	closedir(d);
}

int twa_ns_discover(const struct twa_nsdisc_opts *o, struct twa_ns_list *l,
		    struct twa_err *err)
{
	const char *const *dirs = o->bind_dirs ? o->bind_dirs : default_bind_dirs;
	struct twa_ns_ident *id;
	struct stat self;
	int r;

	if (stat("/proc/self/ns/net", &self) < 0)
		return twa_err_set(err, -EIO, "cannot read /proc/self/ns/net: %s", strerror(errno));
	for (; *dirs; dirs++)
		if (bind_dir(l, *dirs, self.st_dev) < 0)
			return twa_err_set(err, -ENOMEM, "out of memory");
	r = proc_scan(l, self.st_dev, err);
	if (r < 0)
		return r;
	id = find(l, self.st_ino);
	if (id)
		id->current = true;
	pod_names(l, o->pods_dir ? o->pods_dir : "/var/log/pods");
	return 0;
}

int twa_ns_identify(const struct twa_nsdisc_opts *o, const char *spec,
		    struct twa_ns_ident *id, struct twa_err *err)
{
	struct twa_ns_list l = { 0 };
	struct stat st;
	char path[sizeof(id->path)];
	size_t i;
	int r;

	if (strchr(spec, '/'))
		twa_strlcpy(path, spec, sizeof(path));
	else
		snprintf(path, sizeof(path), "/run/netns/%s", spec);
	if (stat(path, &st) < 0)
		return twa_err_set(err, -errno, "%s: %s", path, strerror(errno));
	r = twa_ns_discover(o, &l, err);
	memset(id, 0, sizeof(*id));
	id->inode = st.st_ino;
	for (i = 0; r == 0 && i < l.n; i++)
		if (l.v[i].inode == (uint64_t)st.st_ino)
			*id = l.v[i];
	twa_strlcpy(id->path, path, sizeof(id->path));
	id->current = false;
	twa_ns_list_release(&l);
	return r;
}
