/* SPDX-License-Identifier: MIT */
/* trace_load.c - load the tracer (libbpf, loaded on first use), read its maps. */
#include "advisor/trace/trace_load.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dlfcn.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/*
 * libbpf is loaded, not linked (as util/http.c does with libcurl): only a
 * run that traces needs libbpf1 installed. The generated skeleton calls
 * four libbpf functions by name; the macros below send them through the
 * table instead, so the skeleton itself stays as bpftool wrote it.
 */
static struct {
	int (*open_skeleton)(struct bpf_object_skeleton *, const struct bpf_object_open_opts *);
	int (*load_skeleton)(struct bpf_object_skeleton *);
	int (*attach_skeleton)(struct bpf_object_skeleton *);
	void (*detach_skeleton)(struct bpf_object_skeleton *);
	void (*destroy_skeleton)(struct bpf_object_skeleton *);
	int (*map_fd)(const struct bpf_map *);
	int (*get_next_key)(int, const void *, void *);
	int (*lookup)(int, const void *, void *);
	libbpf_print_fn_t (*set_print)(libbpf_print_fn_t);
} lb;

#define bpf_object__open_skeleton(s, o) lb.open_skeleton(s, o)
#define bpf_object__load_skeleton(s) lb.load_skeleton(s)
#define bpf_object__attach_skeleton(s) lb.attach_skeleton(s)
#define bpf_object__detach_skeleton(s) lb.detach_skeleton(s)
#define bpf_object__destroy_skeleton(s) lb.destroy_skeleton(s)

#include "trace.skel.h"

#include "advisor/trace/trace_agg.h"

struct twa_tracer {
	struct twa_trace_bpf *skel;
	unsigned netns;
};

/* libbpf's last complaint, for the error message. */
static char lb_last[256];

__attribute__((format(printf, 2, 0)))
static int lb_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[256];
	size_t n;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strcspn(line, "\n");
	line[n] = '\0';
	if (n)
		memcpy(lb_last, line, n + 1);
	return 0;
}

static int load_libbpf(struct twa_err *err)
{
	static const char *const names[] = {
		"bpf_object__open_skeleton", "bpf_object__load_skeleton",
		"bpf_object__attach_skeleton", "bpf_object__detach_skeleton",
		"bpf_object__destroy_skeleton", "bpf_map__fd", "bpf_map_get_next_key",
		"bpf_map_lookup_elem", "libbpf_set_print",
	};
	void *slots[sizeof(names) / sizeof(names[0])];
	void *h;
	size_t i;

	_Static_assert(sizeof(slots) == sizeof(lb), "one name per libbpf function");
	if (lb.open_skeleton)
		return 0;
	h = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return twa_err_set(err, -ENOSYS, "tracing unavailable: cannot load libbpf.so.1 (install libbpf1)");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		slots[i] = dlsym(h, names[i]);
		if (!slots[i]) {
			dlclose(h);
			return twa_err_set(err, -ENOSYS, "tracing unavailable: libbpf.so.1 lacks %s",
					   names[i]);
		}
	}
	memcpy(&lb, slots, sizeof(lb));
	lb.set_print(lb_print);
	return 0;	/* stays loaded for the life of the process */
}

/* What the machine lacks, checked before libbpf's longer story. */
static int preflight(struct twa_err *err)
{
	int r = load_libbpf(err);

	if (r < 0)
		return r;
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return twa_err_set(err, -ENOENT,
				   "tracing unavailable: the kernel has no BTF (/sys/kernel/btf/vmlinux)");
	if (geteuid() != 0)
		return twa_err_set(err, -EPERM, "tracing unavailable: it needs root (CAP_BPF, CAP_PERFMON)");
	return 0;
}

static unsigned current_netns(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) != 0 && stat("/proc/self/ns/net", &st) != 0)
		return 0;
	return (unsigned)st.st_ino;
}

static int refused(int r, const char *what, struct twa_err *err)
{
	if (r == -EPERM)
		return twa_err_set(err, -EPERM, "tracing unavailable: the kernel refused to %s "
				   "the BPF program (needs CAP_BPF, CAP_PERFMON): %s", what, lb_last);
	/* EACCES: the verifier refused it; ENOENT, EINVAL: no such attach point. */
	return twa_err_set(err, -EOPNOTSUPP, "tracing unavailable: cannot %s the BPF program "
			   "(%s)%s%s", what, strerror(-r), lb_last[0] ? ": " : "", lb_last);
}

int twa_trace_start(bool all_netns, struct twa_tracer **out, struct twa_err *err)
{
	struct twa_tracer *t;
	int r;

	*out = NULL;
	r = preflight(err);
	if (r < 0)
		return r;
	t = calloc(1, sizeof(*t));
	if (!t)
		return twa_err_set(err, -ENOMEM, "out of memory");
	t->netns = all_netns ? 0 : current_netns();
	if (!all_netns && !t->netns) {
		free(t);
		return twa_err_set(err, -ENOENT, "tracing unavailable: cannot tell this network namespace");
	}
	lb_last[0] = '\0';
	t->skel = twa_trace_bpf__open();
	if (!t->skel) {
		r = refused(-errno, "open", err);
		free(t);
		return r;
	}
	t->skel->rodata->target_netns = t->netns;
	r = twa_trace_bpf__load(t->skel);
	if (r == 0)
		r = twa_trace_bpf__attach(t->skel);
	if (r) {
		r = refused(r, r == -EPERM ? "load" : "load or attach", err);
		twa_trace_stop(t);
		return r;
	}
	*out = t;
	return 0;
}

void twa_trace_stop(struct twa_tracer *t)
{
	if (!t)
		return;
	twa_trace_bpf__destroy(t->skel);
	free(t);
}

/* Walk a hash map: every (key, value) into a growing array of recs. */
static int read_map(int fd, size_t ksz, size_t vsz, size_t max, void **recs, size_t *n)
{
	char key[sizeof(struct twa_tr_key)], next[sizeof(struct twa_tr_key)];
	char *buf = calloc(max, ksz + vsz);
	const void *prev = NULL;

	*recs = buf;
	*n = 0;
	if (!buf)
		return -ENOMEM;
	while (*n < max && lb.get_next_key(fd, prev, next) == 0) {
		char *rec = buf + *n * (ksz + vsz);

		memcpy(rec, next, ksz);
		if (lb.lookup(fd, next, rec + ksz) == 0)
			(*n)++;
		memcpy(key, next, ksz);
		prev = key;
	}
	return 0;
}

static int read_socks(int fd, struct twa_trace_dump *d)
{
	struct sk { __u64 ptr; struct twa_tr_sock s; } *recs;
	size_t i, n;
	void *raw;

	_Static_assert(sizeof(struct sk) == sizeof(__u64) + sizeof(struct twa_tr_sock), "packed");
	if (read_map(fd, sizeof(__u64), sizeof(struct twa_tr_sock), TWA_TR_MAX_SOCKS, &raw, &n))
		return -ENOMEM;
	recs = raw;
	d->socks = calloc(n ? n : 1, sizeof(*d->socks));
	if (!d->socks) {
		free(raw);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		d->socks[i] = recs[i].s;
	d->n_socks = n;
	free(raw);
	return 0;
}

int twa_trace_read(struct twa_tracer *t, struct twa_trace_dump *d, struct twa_err *err)
{
	struct timespec ts;
	void *raw;
	__u32 i;

	memset(d, 0, sizeof(*d));
	d->netns = t->netns;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	d->now_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	_Static_assert(sizeof(struct twa_trace_row_raw) ==
		       sizeof(struct twa_tr_key) + sizeof(struct twa_tr_stats), "packed");
	if (read_map(lb.map_fd(t->skel->maps.stats), sizeof(struct twa_tr_key),
		     sizeof(struct twa_tr_stats), TWA_TR_MAX_STATS, &raw, &d->n_rows))
		return twa_err_set(err, -ENOMEM, "out of memory");
	d->rows = raw;
	if (read_socks(lb.map_fd(t->skel->maps.socks), d))
		return twa_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < TWA_TR_CTR_MAX; i++)
		lb.lookup(lb.map_fd(t->skel->maps.counters), &i, &d->counters[i]);
	return 0;
}
