/* SPDX-License-Identifier: MIT */
/* inspect.h - gather facts from the kernel: the inspector's entry point. */
#ifndef TWA_INSPECT_H
#define TWA_INSPECT_H

#include <stdbool.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"
#include "advisor/facts/needs.h"

struct twa_inspect_opts {
	const char *proc_root;	/* NULL: the live /proc */
	bool force_proc;	/* read /proc/net/tcp even when netlink works */
	unsigned want;		/* TWA_NEED_* */
	/* When > 0 and sockstat already bounds every destination below this
	 * share of the usable range, skip dumping TIME_WAIT sockets (their
	 * count then comes from sockstat) and the destinations. */
	double exhaustion_floor;
	/* TIME_WAIT entered within this many seconds gives close rates. */
	double rate_window;
	/* Sysctls to read beside the known ones (a profile's keys twadvise
	 * does not know); absent or unreadable ones stay absent. */
	const char *const *extra_sysctls;
	size_t n_extra_sysctls;
};

/* One snapshot. Fills f (initialised by the caller). Errors:
 * -EIO when neither netlink nor /proc/net/tcp can be read, -EBADMSG for
 * malformed kernel answers or files (err names the source). */
int twa_inspect(const struct twa_inspect_opts *o, struct twa_facts *f,
		struct twa_err *err);

/* samples snapshots interval seconds apart; f holds the last one plus
 * rates (per second, first to last) and the series of state counts. */
int twa_inspect_sampled(const struct twa_inspect_opts *o, unsigned samples,
			double interval, struct twa_facts *f,
			struct twa_err *err);

#endif
