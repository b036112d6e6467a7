/* SPDX-License-Identifier: MIT */
/* sysctl_conf.h - sysctl.d(5) file syntax and boot-order resolution (pure). */
#ifndef TWA_SYSCTL_CONF_H
#define TWA_SYSCTL_CONF_H

#include <stddef.h>

#include "advisor/util/err.h"
#include "advisor/facts/sysctl_key.h"

/* Called per "key = value" line with the key in dotted form. */
typedef int (*twa_sysctl_conf_cb)(const char *key, const char *value,
				  unsigned line, void *ctx);

/*
 * Parse sysctl.d syntax: '#' and ';' comments, blank lines, "key = value",
 * a leading '-' (ignore failures) dropped, keys with '/' separators turned
 * into dotted form as sysctl.d(5) says. Lines without '=' are reported as
 * -EBADMSG with file:line.
 */
int twa_sysctl_conf_parse(const char *text, size_t len, const char *file,
			  twa_sysctl_conf_cb cb, void *ctx, struct twa_err *err);

/* The same, skipping lines without '=' as systemd-sysctl does at boot
 * (it logs them and goes on), for replaying other files' settings. */
int twa_sysctl_conf_replay(const char *text, size_t len, const char *file,
			   twa_sysctl_conf_cb cb, void *ctx);

/* Normalize "net/ipv4/tcp_tw_reuse" to "net.ipv4.tcp_tw_reuse" (a key whose
 * first separator is '.' is left as is). */
void twa_sysctl_conf_key(const char *in, char *out, size_t size);

struct strbuf;

/* One setting of a persisted file. */
struct twa_conf_setting {
	char key[96];
	char value[TWA_SYSCTL_VALUE_SIZE];
};

/* The settings of sysctl.d text, last one per key, in first-seen order.
 * *ret is malloc'd. Malformed lines are errors. */
int twa_sysctl_conf_settings(const char *text, size_t len, const char *file,
			     struct twa_conf_setting **ret, size_t *ret_n,
			     struct twa_err *err);

/* twadvise's persisted file: a header naming the profile, snapshot and
 * date (escaped: a newline in them cannot start a line), then "key = value"
 * for each setting. Every setting must be a key of the grammar that named
 * lists (the plan's keys and those of the file it replaces) and a value of
 * the grammar, or nothing is rendered: -EINVAL in err. -ENOMEM when out
 * has failed: its text is then incomplete and must not be written. */
int twa_persist_render(const char *profile, const char *snapshot,
		       const char *date, const struct twa_conf_setting *v,
		       size_t n, const char *const *named, size_t n_named,
		       struct strbuf *out, struct twa_err *err);

/* Content that may be restored as the persisted file: printable ASCII,
 * tabs and newlines only, every line blank, a comment or "key = value"
 * of the key and value grammar. -EBADMSG at file:line otherwise. */
int twa_persist_content_check(const char *text, size_t len, const char *file,
			      struct twa_err *err);

#endif
