/* SPDX-License-Identifier: MIT */
/* nsdisc.h - find every network namespace on the host (edge): /proc/PID/ns/net
 * deduplicated by inode, plus /run/netns and /var/run/docker/netns bind
 * mounts; each named by what lives in it (advisor/facts/nsident.h). */
#ifndef TWA_NSDISC_H
#define TWA_NSDISC_H

#include "advisor/facts/nsident.h"
#include "advisor/util/err.h"

/* Namespaces kept at most; beyond it discovery stops and says so. */
#define TWA_NSDISC_MAX 4096

struct twa_nsdisc_opts {
	const char *pods_dir;		/* NULL: /var/log/pods */
	const char *const *bind_dirs;	/* NULL-terminated; NULL: /run/netns, /var/run/docker/netns */
};

struct twa_ns_list {
	struct twa_ns_ident *v;		/* bind mounts first, then by lowest pid */
	size_t n, alloc;
	unsigned unreadable;		/* processes whose namespace could not be read */
	int unreadable_pid;		/* the first of them */
	char unreadable_why[96];	/* and why (strerror) */
	bool truncated;			/* more than TWA_NSDISC_MAX */
};

void twa_ns_list_release(struct twa_ns_list *l);

/* Fill l (zeroed by the caller). -ENOMEM, or -EIO when /proc cannot be
 * listed; unreadable processes are counted, not errors. */
int twa_ns_discover(const struct twa_nsdisc_opts *o, struct twa_ns_list *l,
		    struct twa_err *err);

/* Who lives in the one namespace spec names (an ip netns name, or a
 * path like /proc/PID/ns/net), by the same discovery: id->path is spec's
 * path, id->current false. -ENOENT (or another errno) when spec cannot
 * be read. */
int twa_ns_identify(const struct twa_nsdisc_opts *o, const char *spec,
		    struct twa_ns_ident *id, struct twa_err *err);

#endif
