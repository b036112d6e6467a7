/* SPDX-License-Identifier: MIT */
/* sysctl_key.h - sysctl name grammar and value comparison (pure). */
#ifndef TWA_SYSCTL_KEY_H
#define TWA_SYSCTL_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "advisor/util/err.h"

#define TWA_SYSCTL_KEY_MAX 95
/* The longest value: the kernel takes at most a page less one byte from
 * one write to /proc/sys (proc_do_large_bitmap, proc_dostring), and
 * twadvise writes the value and a newline. Every value buffer is
 * TWA_SYSCTL_VALUE_SIZE; a longer value is an error, never cut. */
#define TWA_SYSCTL_VALUE_MAX 4094
#define TWA_SYSCTL_VALUE_SIZE (TWA_SYSCTL_VALUE_MAX + 1)

/* A key twadvise may touch: dot-separated segments of [a-z0-9_-], under
 * one of /proc/sys's top directories (net., vm., kernel., fs., ...), at
 * most TWA_SYSCTL_KEY_MAX bytes, and not one that names a program the
 * kernel runs (kernel.core_pattern, kernel.modprobe, ...). No '/', "..",
 * NUL or empty segment can pass, so the path built from it stays under
 * /proc/sys. */
bool twa_sysctl_key_valid(const char *key);
/* Same, with a message saying what is wrong. */
int twa_sysctl_key_check(const char *key, struct twa_err *err);

/* Outside net.: one value for the whole host, even inside a network
 * namespace (vm., kernel., fs., ...). */
bool twa_sysctl_key_host_wide(const char *key);

/* A value that may be written: printable ASCII and tabs only, no newline
 * or control character, at most TWA_SYSCTL_VALUE_MAX bytes. */
int twa_sysctl_value_check(const char *value, struct twa_err *err);

/* Copy a value into a TWA_SYSCTL_VALUE_SIZE-or-larger buffer: -E2BIG
 * (dst "") when it does not fit, so no value is ever cut. */
int twa_sysctl_value_copy(char *dst, size_t size, const char *src);

/* A line of text that may reach a file's header or comment: printable
 * ASCII and tabs, no newline or control character, at most max bytes. */
int twa_text_line_check(const char *text, size_t max, struct twa_err *err);

/* "net.ipv4.tcp_tw_reuse" -> "net/ipv4/tcp_tw_reuse". The key must be valid. */
int twa_sysctl_key_to_path(const char *key, char *buf, size_t size);

/* Collapse runs of blanks into one space and trim the ends, so that
 * "32768\t60999" and "32768 60999" compare equal. */
void twa_sysctl_value_normalize(const char *in, char *out, size_t size);
bool twa_sysctl_value_equal(const char *a, const char *b);

/* A value for display on one line: the kernel's tabs ("32768\t60999")
 * become spaces, nothing else changes. in may be out. */
void twa_sysctl_value_display(const char *in, char *out, size_t size);

#endif
