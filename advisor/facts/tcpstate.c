/* SPDX-License-Identifier: MIT */
/* tcpstate.c - TCP state names. */
#include "advisor/facts/tcpstate.h"

#include <string.h>

static const char *const state_names[TWA_TCP_STATE_MAX] = {
	[TWA_TCP_ESTABLISHED] = "ESTABLISHED",
	[TWA_TCP_SYN_SENT] = "SYN_SENT",
	[TWA_TCP_SYN_RECV] = "SYN_RECV",
	[TWA_TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TWA_TCP_FIN_WAIT2] = "FIN_WAIT2",
	[TWA_TCP_TIME_WAIT] = "TIME_WAIT",
	[TWA_TCP_CLOSE] = "CLOSE",
	[TWA_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TWA_TCP_LAST_ACK] = "LAST_ACK",
	[TWA_TCP_LISTEN] = "LISTEN",
	[TWA_TCP_CLOSING] = "CLOSING",
	[TWA_TCP_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *twa_tcp_state_name(unsigned state)
{
	return state && state < TWA_TCP_STATE_MAX ? state_names[state] : NULL;
}

unsigned twa_tcp_state_from_name(const char *name)
{
	unsigned s;

	for (s = 1; s < TWA_TCP_STATE_MAX; s++)
		if (!strcmp(state_names[s], name))
			return s;
	return 0;
}
