/* SPDX-License-Identifier: MIT */
/* host.h - which host and network namespace this is, and the time (edge). */
#ifndef TWA_HOST_H
#define TWA_HOST_H

#include <stddef.h>

#include "advisor/facts/facts.h"

/* Hostname, kernel and boot id from /proc/sys/kernel, the namespace from
 * /proc/self/ns/net (under root when set: a recorded host), and the time
 * now. What cannot be read is left empty. */
void twa_host_read(const char *root, struct twa_host *h);

/* The time now, UTC, RFC 3339 ("2026-01-01T00:00:00Z"). */
void twa_time_rfc3339(char *buf, size_t size);

#endif
