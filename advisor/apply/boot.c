/* SPDX-License-Identifier: MIT */
/* boot.c - replaying the boot-time order of sysctl.d files. */
#include "advisor/apply/boot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/util/fsutil.h"
#include "advisor/util/parse.h"
#include "advisor/inspect/procfs.h"
#include "advisor/apply/sysctl_conf.h"
#include "advisor/facts/sysctl_key.h"

#define MAX_FILES 512

static const char *const later_dirs[] = {
	"/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
	"/lib/sysctl.d",
};

struct conf_file {
	char name[256];
	char path[768];
};

struct setting {
	char key[96];
	char value[TWA_SYSCTL_VALUE_SIZE];
	char file[512];
};

struct replay {
	struct setting *v;	/* last setting per key */
	size_t n;
	const char *file;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name,
		      ((const struct conf_file *)b)->name);
}

static int on_setting(const char *key, const char *value, unsigned line,
		      void *ctx)
{
	struct replay *rp = ctx;
	size_t i;

	(void)line;
	if (!twa_sysctl_key_valid(key))
		return 0;	/* not a network key: not ours to judge */
	for (i = 0; i < rp->n && strcmp(rp->v[i].key, key); i++)
		;
	if (i == rp->n) {
		struct setting *nv = realloc(rp->v, (rp->n + 1) * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		rp->v = nv;
		rp->n++;
		twa_strlcpy(rp->v[i].key, key, sizeof(rp->v[i].key));
	}
	twa_strlcpy(rp->v[i].value, value, sizeof(rp->v[i].value));
	twa_strlcpy(rp->v[i].file, rp->file, sizeof(rp->v[i].file));
	return 0;
}

/* Apply one file's settings; unreadable files and malformed lines are
 * skipped, as systemd-sysctl does. */
static int replay_file(struct replay *rp, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int fd, r;

	/* Follows symlinks: systemd's 99-sysctl.conf links to ../sysctl.conf. */
	fd = twa_file_open(path, O_RDONLY, 0, NULL, NULL, NULL);
	if (fd < 0)	/* a FIFO, directory or unreadable file is skipped */
		return 0;
	r = twa_fd_read_all(fd, path, TWA_PROC_FILE_MAX, -EFBIG, &sb, NULL);
	close(fd);
	if (r == -ENOMEM) {
		strbuf_release(&sb);
		return r;
	}
	/* A read error or an oversized file: what was read still counts. */
	rp->file = path;
	r = twa_sysctl_conf_replay(sb.buf, sb.len, path, on_setting, rp);
	strbuf_release(&sb);
	return r;
}

static int collect(const char *dir, struct conf_file *files, size_t *n)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t i;

	if (!d)
		return 0;
	while ((de = readdir(d)) && *n < MAX_FILES) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") ||
		    len >= sizeof(files->name))
			continue;
		for (i = 0; i < *n && strcmp(files[i].name, de->d_name); i++)
			;
		if (i < *n)
			continue;	/* masked by an earlier directory */
		twa_strlcpy(files[*n].name, de->d_name, sizeof(files->name));
		snprintf(files[*n].path, sizeof(files->path), "%s/%s", dir, de->d_name);
		(*n)++;
	}
	closedir(d);
	return 0;
}

int twa_boot_scan(const char *sysctl_dir, struct twa_facts *f,
		  struct twa_err *err)
{
	struct conf_file *files;
	struct replay all = { 0 }, ours = { 0 };
	char ours_path[768];
	struct stat st;
	size_t n = 0, i, j;
	int r = 0;

	if (!sysctl_dir)
		sysctl_dir = TWA_SYSCTL_DIR_DEFAULT;
	snprintf(ours_path, sizeof(ours_path), "%s/%s", sysctl_dir, TWA_PERSIST_FILE);
	if (lstat(ours_path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;	/* nothing persisted by twadvise */
	files = calloc(MAX_FILES, sizeof(*files));
	if (!files)
		return twa_err_set(err, -ENOMEM, "out of memory");
	collect(sysctl_dir, files, &n);
	for (i = 0; i < sizeof(later_dirs) / sizeof(later_dirs[0]); i++)
		collect(later_dirs[i], files, &n);
	qsort(files, n, sizeof(*files), cmp_name);
	for (i = 0; i < n && r == 0; i++)
		r = replay_file(&all, files[i].path);
	if (r == 0)
		r = replay_file(&all, "/etc/sysctl.conf");
	if (r == 0)
		r = replay_file(&ours, ours_path);
	if (r < 0) {
		r = twa_err_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	f->boot.present = true;
	twa_strlcpy(f->boot.file, ours_path, sizeof(f->boot.file));
	for (i = 0; i < ours.n; i++) {
		for (j = 0; j < all.n && strcmp(all.v[j].key, ours.v[i].key); j++)
			;
		if (j == all.n || !strcmp(all.v[j].file, ours_path) ||
		    twa_sysctl_value_equal(all.v[j].value, ours.v[i].value))
			continue;
		{
			struct twa_boot_override *o = realloc(f->boot.overrides,
				(f->boot.n_overrides + 1) * sizeof(*o));

			if (!o) {
				r = twa_err_set(err, -ENOMEM, "out of memory");
				goto out;
			}
			f->boot.overrides = o;
			o = &o[f->boot.n_overrides++];
			twa_strlcpy(o->key, ours.v[i].key, sizeof(o->key));
			twa_strlcpy(o->ours, ours.v[i].value, sizeof(o->ours));
			twa_strlcpy(o->theirs, all.v[j].value, sizeof(o->theirs));
			twa_strlcpy(o->file, all.v[j].file, sizeof(o->file));
		}
	}
out:
	free(all.v);
	free(ours.v);
	free(files);
	return r;
}
