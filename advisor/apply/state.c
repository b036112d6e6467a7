/* SPDX-License-Identifier: MIT */
/* state.c - the state directory, its lock, and snapshot files. */
#include "advisor/apply/state.h"

#include <dirent.h>
#include <libgen.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"

static int check_dir(const char *dir, bool create, struct twa_err *err)
{
	struct stat st;

	if (lstat(dir, &st) < 0) {
		if (errno != ENOENT || !create)
			return twa_err_set_at(err, -errno, dir, 0, 0, "%s%s", strerror(errno),
					      errno == ENOENT ? " (no snapshots were taken here)" : "");
		/* EEXIST: a concurrent apply made it first; it is checked
		 * below like any existing directory. */
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return twa_err_set_at(err, -errno, dir, 0, 0,
					      "cannot create the state directory: %s%s",
					      strerror(errno),
					      errno == EACCES ? " (run as root or pass --state-dir)" : "");
		if (lstat(dir, &st) < 0)
			return twa_err_set_at(err, -errno, dir, 0, 0, "%s", strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return twa_err_set_at(err, -EACCES, dir, 0, 0,
				      "state directory is a symbolic link: refusing it");
	if (!S_ISDIR(st.st_mode))
		return twa_err_set_at(err, -EACCES, dir, 0, 0, "state directory is not a directory");
	if (st.st_uid != geteuid())
		return twa_err_set_at(err, -EACCES, dir, 0, 0,
				      "state directory is owned by uid %u, not by us (uid %u): refusing it",
				      (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 022)
		return twa_err_set_at(err, -EACCES, dir, 0, 0,
				      "state directory is writable by others (mode %04o): fix with chmod 700",
				      (unsigned)(st.st_mode & 07777));
	return 0;
}

/* Every directory above the state directory must be one no other user
 * can change (twa_dir_check_trusted): otherwise one who can write a
 * parent could exchange the state directory for theirs mid-operation. */
static int check_parent(const char *dir, struct twa_err *err)
{
	char parent[sizeof(((struct twa_state *)0)->dir)];
	int r;

	twa_strlcpy(parent, dir, sizeof(parent));
	twa_strlcpy(parent, dirname(parent), sizeof(parent));
	r = twa_dir_check_trusted(parent, err);
	if (r == -ENOENT || r == -ENOTDIR)
		return twa_err_set_at(err, r, dir, 0, 0,
				      "cannot create the state directory: %s does not exist or is not a directory",
				      parent);
	if (r < 0)
		twa_err_prefix(err, "state directory %s", dir);
	return r;
}

int twa_state_open(struct twa_state *s, const char *dir, bool create,
		   struct twa_err *err)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	twa_strlcpy(s->dir, dir ? dir : TWA_STATE_DIR_DEFAULT, sizeof(s->dir));
	snprintf(s->snapdir, sizeof(s->snapdir), "%s/snapshots", s->dir);
	r = check_parent(s->dir, err);
	if (r < 0)
		return r;
	r = check_dir(s->dir, create, err);
	if (r < 0)
		return r;
	return check_dir(s->snapdir, create, err);
}

int twa_state_lock(struct twa_state *s, struct twa_err *err)
{
	char path[600], pid[32];
	int fd;

	snprintf(path, sizeof(path), "%s/lock", s->dir);
	fd = twa_file_open(path, O_RDWR | O_CREAT | O_NOFOLLOW, 0600, "lock", NULL, err);
	if (fd < 0)	/* a link or a FIFO in its place: someone else's doing */
		return twa_err_recode(err, fd == -ELOOP || fd == -EBADMSG ? -EACCES : fd);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);

		pid[n > 0 ? n : 0] = '\0';
		twa_rstrip(pid);
		close(fd);
		if (e == EWOULDBLOCK)
			return twa_err_set_at(err, -EAGAIN, path, 0, 0,
					      "another twadvise apply or rollback holds the lock%s%s%s; try again when it is done",
					      pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "");
		return twa_err_set_at(err, -e, path, 0, 0, "cannot lock: %s", strerror(e));
	}
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, strlen(pid), 0) < 0) {
		/* The pid is only a hint in messages. */
	}
	s->lock_fd = fd;
	/* Under the lock no one else is writing: what a killed apply or
	 * rollback left half-written goes. */
	twa_stale_tmp_clean(s->snapdir, ".json");
	twa_stale_tmp_clean(s->dir, TWA_ROLLBACK_MARK);
	return 0;
}

static void mark_path(const struct twa_state *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", s->dir, TWA_ROLLBACK_MARK);
}

int twa_state_mark_rollback(struct twa_state *s, const char *undo, const char *target,
			    struct twa_err *err)
{
	char path[700], text[160];

	mark_path(s, path, sizeof(path));
	snprintf(text, sizeof(text), "%s %s\n", undo, target);
	return twa_file_replace(path, text, strlen(text), 0600, err);
}

int twa_state_clear_rollback_mark(struct twa_state *s, struct twa_err *err)
{
	char path[700];

	mark_path(s, path, sizeof(path));
	return twa_file_remove(path, err);
}

int twa_state_rollback_mark(struct twa_state *s, char *undo, char *target, size_t size,
			    struct twa_err *err)
{
	struct strbuf buf = STRBUF_INIT;
	char path[700], a[64], b[64];
	bool exists;
	int r;

	mark_path(s, path, sizeof(path));
	r = twa_file_read(path, 256, &buf, &exists, err);
	if (r == 0 && exists &&
	    (sscanf(buf.buf, "%63s %63s", a, b) != 2 || !twa_snapshot_id_valid(a) ||
	     !twa_snapshot_id_valid(b)))
		r = twa_err_set_at(err, -EBADMSG, path, 0, 0,
				   "not a rollback mark (remove it once the host is as you want it)");
	if (r == 0 && exists) {
		snprintf(undo, size, "%s", a);
		snprintf(target, size, "%s", b);
	}
	strbuf_release(&buf);
	return r < 0 ? r : exists;
}

void twa_state_close(struct twa_state *s)
{
	if (s && s->lock_fd >= 0) {
		close(s->lock_fd);	/* releases the flock */
		s->lock_fd = -1;
	}
}

void twa_state_new_id(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char t[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(t, sizeof(t), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, size, "%s-%06ld", t, ts.tv_nsec / 1000);
}

int twa_state_save(struct twa_state *s, const struct twa_snapshot *snap,
		   struct twa_err *err)
{
	struct strbuf out = STRBUF_INIT;
	json_object *o;
	char path[700];
	int r;

	if (!twa_snapshot_id_valid(snap->id))
		return twa_err_set(err, -EINVAL, "bad snapshot id '%s'", snap->id);
	snprintf(path, sizeof(path), "%s/%s.json", s->snapdir, snap->id);
	o = twa_snapshot_to_json(snap);
	r = o ? twa_json_write(o, true, &out) : -ENOMEM;
	json_object_put(o);
	if (r < 0) {
		strbuf_release(&out);
		return twa_err_set(err, -ENOMEM, "out of memory");
	}
	r = twa_file_replace(path, out.buf, out.len, 0600, err);
	strbuf_release(&out);
	return r;
}

int twa_state_load(struct twa_state *s, const char *id,
		   struct twa_snapshot *snap, struct twa_err *err)
{
	struct strbuf buf = STRBUF_INIT;
	char path[700];
	bool exists;
	int r;

	if (!twa_snapshot_id_valid(id))
		return twa_err_set(err, -EINVAL,
				   "bad snapshot id '%.64s' ('twadvise snapshots' lists them)", id);
	snprintf(path, sizeof(path), "%s/%s.json", s->snapdir, id);
	r = twa_file_read(path, TWA_SNAPSHOT_MAX_BYTES, &buf, &exists, err);
	if (r == -EFBIG)	/* an oversized snapshot is bad data, not our output */
		r = twa_err_recode(err, -EBADMSG);
	if (r == 0 && !exists)
		r = twa_err_set_at(err, -ENOENT, path, 0, 0,
				   "no snapshot '%s' ('twadvise snapshots' lists them)", id);
	if (r == 0)
		r = twa_snapshot_parse(buf.buf, buf.len, path, snap, err);
	if (r == 0 && strcmp(snap->id, id))
		r = twa_err_set_at(err, -EBADMSG, path, 0, 0,
				   "the file says it is snapshot '%s', not '%s'", snap->id, id);
	strbuf_release(&buf);
	return r;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int twa_state_ids(struct twa_state *s, char ***ret, size_t *ret_n,
		  struct twa_err *err)
{
	char **ids = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(s->snapdir);

	if (!d)
		return twa_err_set_at(err, -errno, s->snapdir, 0, 0, "cannot list: %s",
				      strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char id[64], **nv;

		if (len <= 5 || strcmp(de->d_name + len - 5, ".json") || len - 5 >= sizeof(id))
			continue;
		memcpy(id, de->d_name, len - 5);
		id[len - 5] = '\0';
		if (!twa_snapshot_id_valid(id))
			continue;
		nv = realloc(ids, (n + 1) * sizeof(*ids));
		if (!nv || !(nv[n] = strdup(id))) {
			if (nv)
				ids = nv;
			closedir(d);
			twa_state_ids_free(ids, n);
			return twa_err_set(err, -ENOMEM, "out of memory");
		}
		ids = nv;
		n++;
	}
	closedir(d);
	if (n)	/* qsort(NULL, 0) is undefined */
		qsort(ids, n, sizeof(*ids), cmp_id);
	*ret = ids;
	*ret_n = n;
	return 0;
}

void twa_state_ids_free(char **ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}
