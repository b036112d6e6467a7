/* SPDX-License-Identifier: MIT */
/* owners.c - socket owners through /proc/PID/fd. */
#include "advisor/inspect/owners.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "advisor/util/parse.h"
#include "advisor/inspect/procfs.h"

struct scan {
	const char *root;
	struct twa_inomap *close_wait;
	struct twa_inomap *bind;
	struct twa_inomap listeners;	/* inode -> listener index */
	struct twa_facts *f;
	struct twa_owner *owners;
	size_t n_owners, alloc_owners;
	struct twa_owner *bind_owners;
	size_t n_bind_owners, alloc_bind_owners;
};

static bool is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void read_comm(const char *root, const char *pid, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	char rel[300];

	snprintf(rel, sizeof(rel), "%s/comm", pid);
	if (twa_proc_read(root, rel, &sb, NULL) == 0) {
		twa_strlcpy(buf, strbuf_str(&sb), size);
		twa_rstrip(buf);
	} else {
		twa_strlcpy(buf, "?", size);
	}
	strbuf_release(&sb);
}

/* "socket:[12345]" -> 12345; 0 otherwise. */
static uint32_t socket_inode(const char *link)
{
	const char *p = link + 8, *end;
	uint64_t v;

	if (strncmp(link, "socket:[", 8))
		return 0;
	end = strchr(p, ']');
	if (!end || end[1] || twa_parse_u64(p, (size_t)(end - p), &v) < 0 ||
	    v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

static int add_owner(struct twa_owner **v, size_t *n, size_t *alloc, int pid,
		     const char *comm, uint64_t count)
{
	struct twa_owner *o;

	if (*n == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 16;
		struct twa_owner *nv = realloc(*v, na * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*alloc = na;
	}
	o = &(*v)[(*n)++];
	o->pid = pid;
	twa_strlcpy(o->comm, comm, sizeof(o->comm));
	o->count = count;
	return 0;
}

/* Scan one process's fds. */
static int scan_pid(struct scan *s, int procfd, const char *pid)
{
	char rel[300], link[64], comm[32] = "";
	uint64_t close_wait = 0, bind = 0;
	struct dirent *de;
	DIR *dir;
	int fdfd;

	snprintf(rel, sizeof(rel), "%s/fd", pid);
	fdfd = openat(procfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdfd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : 1;
	dir = fdopendir(fdfd);
	if (!dir) {
		close(fdfd);
		return 1;
	}
	while ((de = readdir(dir))) {
		struct twa_inoent *e;
		ssize_t n;
		uint32_t ino;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(fdfd, de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		ino = socket_inode(link);
		if (!ino)
			continue;
		if (s->close_wait && (e = twa_inomap_get(s->close_wait, ino))) {
			e->value = 1;
			close_wait++;
		}
		if (s->bind && (e = twa_inomap_get(s->bind, ino))) {
			e->value = 1;
			bind++;
		}
		if ((e = twa_inomap_get(&s->listeners, ino))) {
			struct twa_listener *l = &s->f->listeners[e->value];

			if (!l->process.pid) {
				if (!comm[0])
					read_comm(s->root, pid, comm, sizeof(comm));
				l->process.pid = atoi(pid);
				twa_strlcpy(l->process.comm, comm, sizeof(l->process.comm));
			}
		}
	}
	closedir(dir);
	if ((close_wait || bind) && !comm[0])
		read_comm(s->root, pid, comm, sizeof(comm));
	if (close_wait && add_owner(&s->owners, &s->n_owners, &s->alloc_owners,
				    atoi(pid), comm, close_wait) < 0)
		return -ENOMEM;
	if (bind && add_owner(&s->bind_owners, &s->n_bind_owners,
			      &s->alloc_bind_owners, atoi(pid), comm, bind) < 0)
		return -ENOMEM;
	return 0;
}

static int cmp_owner(const void *a, const void *b)
{
	const struct twa_owner *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->pid - y->pid;
}

/* The owners of bind()-before-connect() ports, largest first. */
static void keep_bind_owners(struct scan *s)
{
	struct twa_ephemeral *e = &s->f->ephemeral;

	if (s->n_bind_owners)
		qsort(s->bind_owners, s->n_bind_owners, sizeof(*s->bind_owners), cmp_owner);
	free(e->bind_owners);
	e->bind_owners = s->bind_owners;
	e->n_bind_owners = s->n_bind_owners > TWA_TOP_OWNERS ? TWA_TOP_OWNERS :
			   s->n_bind_owners;
	e->bind_searched = true;
	s->bind_owners = NULL;
}

int twa_owners_scan(const char *root, struct twa_inomap *close_wait,
		    struct twa_inomap *bind, struct twa_facts *facts,
		    enum twa_owners_listeners which, struct twa_err *err)
{
	struct scan s = { .root = root, .close_wait = close_wait, .bind = bind,
			  .f = facts };
	const char *dirpath = root ? root : "/proc";
	struct dirent *de;
	size_t i;
	DIR *dir;
	int procfd, r = 0;

	r = twa_inomap_init(&s.listeners);
	if (r < 0)
		return twa_err_set(err, r, "out of memory");
	if (which != TWA_OWNERS_NO_LISTENERS)
		for (i = 0; i < facts->n_listeners; i++)
			if (facts->listeners[i].inode &&
			    (which == TWA_OWNERS_ALL_LISTENERS ||
			     twa_listener_notable(&facts->listeners[i])))
				twa_inomap_put(&s.listeners, facts->listeners[i].inode,
					       (uint32_t)i);
	dir = opendir(dirpath);
	if (!dir) {
		r = twa_err_set_at(err, -EIO, dirpath, 0, 0, "cannot list processes: %s",
				   strerror(errno));
		goto out;
	}
	procfd = dirfd(dir);
	facts->close_wait.unreadable = 0;
	while ((de = readdir(dir))) {
		if (!is_pid(de->d_name))
			continue;
		r = scan_pid(&s, procfd, de->d_name);
		if (r < 0) {
			twa_err_set(err, r, "out of memory");
			break;
		}
		if (r > 0)
			facts->close_wait.unreadable++;
		r = 0;
	}
	closedir(dir);
	if (r < 0)
		goto out;
	if (close_wait) {
		struct twa_owners *o = &facts->close_wait;

		if (s.n_owners)	/* qsort(NULL, 0) is undefined */
			qsort(s.owners, s.n_owners, sizeof(*s.owners), cmp_owner);
		free(o->v);
		o->v = s.owners;
		o->n = s.n_owners > TWA_TOP_OWNERS ? TWA_TOP_OWNERS : s.n_owners;
		s.owners = NULL;
		o->searched = true;
		o->unattributed = close_wait->dropped;
		for (i = 0; i <= close_wait->mask; i++)
			if (close_wait->slots[i].inode && !close_wait->slots[i].value)
				o->unattributed++;
	}
	if (bind)
		keep_bind_owners(&s);
	snprintf(facts->sources.owners, sizeof(facts->sources.owners), "%s/PID/fd",
		 dirpath);
out:
	free(s.owners);
	free(s.bind_owners);
	twa_inomap_release(&s.listeners);
	return r;
}
