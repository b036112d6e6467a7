/* SPDX-License-Identifier: MIT */
/* tcpstate.h - the kernel's TCP states, numbered as in include/net/tcp_states.h. */
#ifndef TWA_TCPSTATE_H
#define TWA_TCPSTATE_H

enum twa_tcp_state {
	TWA_TCP_ESTABLISHED = 1,
	TWA_TCP_SYN_SENT,
	TWA_TCP_SYN_RECV,
	TWA_TCP_FIN_WAIT1,
	TWA_TCP_FIN_WAIT2,
	TWA_TCP_TIME_WAIT,
	TWA_TCP_CLOSE,
	TWA_TCP_CLOSE_WAIT,
	TWA_TCP_LAST_ACK,
	TWA_TCP_LISTEN,
	TWA_TCP_CLOSING,
	TWA_TCP_NEW_SYN_RECV,
	TWA_TCP_STATE_MAX	/* one past the last: array size */
};

#define TWA_TCPF(s) (1u << (s))
#define TWA_TCPF_ALL 0x1ffeu	/* every state 1..12 */

/* "TIME_WAIT" for 6; NULL outside 1..12. */
const char *twa_tcp_state_name(unsigned state);
/* 6 for "TIME_WAIT"; 0 when unknown. */
unsigned twa_tcp_state_from_name(const char *name);

#endif
