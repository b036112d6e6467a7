/* inspect.h - gather facts from the kernel: the inspector's entry point. */
#ifndef TWA_INSPECT_H
#define TWA_INSPECT_H

#include <stdbool.h>

#include "advisor/util/err.h"
#include "advisor/facts/facts.h"

/* What a caller needs; the inspector does no more than asked. */
enum {
	TWA_WANT_STATES = 1 << 0,	/* every socket state counted */
	TWA_WANT_DESTINATIONS = 1 << 1,	/* ephemeral use per destination */
	TWA_WANT_LISTENERS = 1 << 2,	/* listening sockets and queues */
	TWA_WANT_CLOSE_WAIT_OWNERS = 1 << 3,
	TWA_WANT_LISTENER_OWNERS = 1 << 4,
	TWA_WANT_COUNTERS = 1 << 5,	/* sockstat, TcpExt, Tcp */
	TWA_WANT_SYSCTLS = 1 << 6,
	TWA_WANT_ALL = (1 << 7) - 1,
	/* Owners only of listeners worth naming (near full, or on an
	 * unreserved ephemeral port): what check needs, at less cost. */
	TWA_WANT_LISTENER_OWNERS_NOTABLE = 1 << 7,
};

struct twa_inspect_opts {
	const char *proc_root;	/* NULL: the live /proc */
	bool force_proc;	/* read /proc/net/tcp even when netlink works */
	unsigned want;		/* TWA_WANT_* */
	/* When > 0 and sockstat already bounds every destination below this
	 * share of the usable range, skip dumping TIME_WAIT sockets (their
	 * count then comes from sockstat) and the destinations. */
	double exhaustion_floor;
	/* TIME_WAIT entered within this many seconds gives close rates. */
	double rate_window;
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
