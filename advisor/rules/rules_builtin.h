/* SPDX-License-Identifier: MIT */
/* rules_builtin.h - the descriptors of the built-in rules, each defined beside its code in rules_*.c and listed by the engine (rules.c). */
#ifndef TWA_RULES_BUILTIN_H
#define TWA_RULES_BUILTIN_H

#include "advisor/rules/rule.h"

/* rules_listen.c */
extern const struct twa_rule_entry twa_rule_listen_overflow_entry;
extern const struct twa_rule_entry twa_rule_somaxconn_low_entry;
extern const struct twa_rule_entry twa_rule_syn_backlog_low_entry;
/* rules_ports.c */
extern const struct twa_rule_entry twa_rule_ephemeral_exhaustion_entry;
extern const struct twa_rule_entry twa_rule_ephemeral_range_narrow_entry;
extern const struct twa_rule_entry twa_rule_listener_in_ephemeral_range_entry;
/* rules_system.c */
extern const struct twa_rule_entry twa_rule_close_wait_leak_entry;
extern const struct twa_rule_entry twa_rule_orphans_near_limit_entry;
extern const struct twa_rule_entry twa_rule_conntrack_near_full_entry;
extern const struct twa_rule_entry twa_rule_sysctl_mismatch_entry;
extern const struct twa_rule_entry twa_rule_sysctl_persist_overridden_entry;
/* rules_timewait.c */
extern const struct twa_rule_entry twa_rule_time_wait_overflow_entry;
extern const struct twa_rule_entry twa_rule_tw_recycle_enabled_entry;
extern const struct twa_rule_entry twa_rule_time_wait_volume_entry;
extern const struct twa_rule_entry twa_rule_tw_reuse_off_entry;
extern const struct twa_rule_entry twa_rule_tw_reuse_without_timestamps_entry;
extern const struct twa_rule_entry twa_rule_fin_wait2_orphans_entry;
extern const struct twa_rule_entry twa_rule_fin_wait1_orphans_entry;
extern const struct twa_rule_entry twa_rule_fin_timeout_misconception_entry;

#endif
