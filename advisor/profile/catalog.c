/* SPDX-License-Identifier: MIT */
/* catalog.c - the rule catalogue's data: ids, titles, parameters, needs. */
#include "advisor/profile/catalog.h"

#include <stddef.h>
#include <string.h>

#define S TWA_NEED_STATES
#define D TWA_NEED_DESTINATIONS
#define L TWA_NEED_LISTENERS
#define LO TWA_NEED_LISTENER_OWNERS_NOTABLE
#define CO TWA_NEED_CLOSE_WAIT_OWNERS
#define C TWA_NEED_COUNTERS
#define Y TWA_NEED_SYSCTLS

static const struct twa_rule_param no_params[] = {
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_ephemeral_exhaustion[] = {
	{ "warning", 0.5, 0.01, 1, "share of the usable range toward one destination that warns" },
	{ "critical", 0.8, 0.01, 1, "share that is critical" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_listen_overflow[] = {
	{ "near_full", 0.8, 0.1, 1, "accept queue share of the backlog that warns" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_close_wait_leak[] = {
	{ "info", 10, 1, 1e9, "CLOSE_WAIT sockets worth an info finding" },
	{ "warning", 100, 1, 1e9, "CLOSE_WAIT sockets that warn" },
	{ "critical", 1000, 1, 1e9, "CLOSE_WAIT sockets that are critical" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_time_wait_volume[] = {
	{ "info", 10000, 0, 1e9, "TIME_WAIT sockets from which an info finding explains them" },
	{ "bucket_warning", 0.8, 0.01, 1, "share of tcp_max_tw_buckets in use that warns" },
	{ "client_share", 0.5, 0.01, 1, "share of the ephemeral range toward one destination taken by TIME_WAIT worth pointing at" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_tw_reuse_off[] = {
	{ "tw_share", 0.25, 0.01, 1, "share of the range toward one destination held in TIME_WAIT that warns when tcp_tw_reuse is 0" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_fin_wait2_orphans[] = {
	{ "warning", 1000, 1, 1e9, "orphaned FIN_WAIT2 sockets that warn" },
	{ "fin_timeout", 30, 1, 3600, "tcp_fin_timeout to propose when they do" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_fin_wait1_orphans[] = {
	{ "warning", 500, 1, 1e9, "orphaned FIN_WAIT1 sockets that warn" },
	{ "orphan_retries", 3, 1, 15, "tcp_orphan_retries to propose when they do" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_fin_timeout_misconception[] = {
	{ "time_wait", 1000, 0, 1e9, "TIME_WAIT sockets from which a lowered tcp_fin_timeout is pointed out" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_orphans_near_limit[] = {
	{ "warning", 0.5, 0.01, 1, "share of tcp_max_orphans that warns" },
	{ "critical", 0.8, 0.01, 1, "share that is critical" },
	{ NULL, 0, 0, 0, NULL },
};

static const struct twa_rule_param params_conntrack_near_full[] = {
	{ "warning", 0.75, 0.01, 1, "share of nf_conntrack_max that warns" },
	{ "critical", 0.9, 0.01, 1, "share that is critical" },
	{ NULL, 0, 0, 0, NULL },
};

const struct twa_rule twa_rules[TWA_RULE_COUNT + 1] = {
	[TWA_RULE_EPHEMERAL_EXHAUSTION] = {
		"ephemeral-exhaustion",
		"ephemeral ports toward one destination",
		D | Y | C, params_ephemeral_exhaustion,
	},
	[TWA_RULE_TIME_WAIT_OVERFLOW] = {
		"time-wait-overflow",
		"TIME_WAIT table overflows",
		C | Y | S, no_params,
	},
	[TWA_RULE_TW_RECYCLE_ENABLED] = {
		"tw-recycle-enabled",
		"tcp_tw_recycle (removed in 4.12) is on",
		Y, no_params,
	},
	[TWA_RULE_LISTEN_OVERFLOW] = {
		"listen-overflow",
		"accept queues overflowing",
		L | LO | C | Y, params_listen_overflow,
	},
	[TWA_RULE_CLOSE_WAIT_LEAK] = {
		"close-wait-leak",
		"sockets the application never closed",
		S | CO, params_close_wait_leak,
	},
	[TWA_RULE_TIME_WAIT_VOLUME] = {
		"time-wait-volume",
		"how many sockets wait in TIME_WAIT",
		S | D | Y, params_time_wait_volume,
	},
	[TWA_RULE_TW_REUSE_OFF] = {
		"tw-reuse-off",
		"TIME_WAIT reuse for outgoing connections",
		D | Y | C, params_tw_reuse_off,
	},
	[TWA_RULE_TW_REUSE_WITHOUT_TIMESTAMPS] = {
		"tw-reuse-without-timestamps",
		"tcp_tw_reuse without timestamps",
		Y, no_params,
	},
	[TWA_RULE_EPHEMERAL_RANGE_NARROW] = {
		"ephemeral-range-narrow",
		"size of the ephemeral port range",
		Y | L, no_params,
	},
	[TWA_RULE_LISTENER_IN_EPHEMERAL_RANGE] = {
		"listener-in-ephemeral-range",
		"listening ports inside the ephemeral range",
		L | LO | Y, no_params,
	},
	[TWA_RULE_FIN_WAIT2_ORPHANS] = {
		"fin-wait2-orphans",
		"orphaned FIN_WAIT2 sockets",
		S | Y, params_fin_wait2_orphans,
	},
	[TWA_RULE_FIN_WAIT1_ORPHANS] = {
		"fin-wait1-orphans",
		"orphaned FIN_WAIT1 sockets retransmitting to dead peers",
		S | Y | C, params_fin_wait1_orphans,
	},
	[TWA_RULE_FIN_TIMEOUT_MISCONCEPTION] = {
		"fin-timeout-misconception",
		"tcp_fin_timeout and TIME_WAIT",
		S | Y, params_fin_timeout_misconception,
	},
	[TWA_RULE_SOMAXCONN_LOW] = {
		"somaxconn-low",
		"net.core.somaxconn",
		Y | L, no_params,
	},
	[TWA_RULE_SYN_BACKLOG_LOW] = {
		"syn-backlog-low",
		"SYN queues: listen() backlogs, tcp_max_syn_backlog, SYN cookies",
		Y | C | L | LO, no_params,
	},
	[TWA_RULE_ORPHANS_NEAR_LIMIT] = {
		"orphans-near-limit",
		"orphaned sockets against tcp_max_orphans",
		C | Y, params_orphans_near_limit,
	},
	[TWA_RULE_CONNTRACK_NEAR_FULL] = {
		"conntrack-near-full",
		"connection tracking table",
		Y, params_conntrack_near_full,
	},
	[TWA_RULE_SYSCTL_MISMATCH] = {
		"sysctl-mismatch",
		"sysctls the profile wants",
		Y, no_params,
	},
	[TWA_RULE_SYSCTL_PERSIST_OVERRIDDEN] = {
		"sysctl-persist-overridden",
		"persisted sysctls lost at boot",
		Y, no_params,
	},
	[TWA_RULE_COUNT] = { NULL, NULL, 0, NULL },
};

const struct twa_rule *twa_rule_find(const char *id)
{
	const struct twa_rule *r;

	for (r = twa_rules; r->id; r++)
		if (!strcmp(r->id, id))
			return r;
	return NULL;
}

const struct twa_rule_param *twa_rule_param_find(const struct twa_rule *r,
						 const char *name)
{
	const struct twa_rule_param *p;

	for (p = r->params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}
