/* SPDX-License-Identifier: MIT */
/* sysctl_io.h - read and write /proc/sys, never through a symlink (edge). */
#ifndef TWA_SYSCTL_IO_H
#define TWA_SYSCTL_IO_H

#include <stdbool.h>
#include <stddef.h>

#include "advisor/util/err.h"

/* Read key (validated first) into buf, trailing newline removed; a
 * value that does not fit (size should be TWA_SYSCTL_VALUE_SIZE + 1, for
 * the newline) is -ERANGE, never cut. root is
 * --proc-root: ROOT/sys/... instead of /proc/sys/... . -ENOENT when the
 * kernel has no such sysctl. */
int twa_sysctl_read(const char *root, const char *key, char *buf,
		    size_t size, struct twa_err *err);

/* The same, and *readonly (when not NULL): the key has no write bit in
 * this namespace (a host-global key seen from a child namespace). */
int twa_sysctl_read_ro(const char *root, const char *key, char *buf,
		       size_t size, bool *readonly, struct twa_err *err);

/* Write value (validated) to key. The kernel's error comes back as is:
 * -EINVAL for a value it refuses, -EACCES/-EPERM without the right. */
int twa_sysctl_write(const char *root, const char *key, const char *value,
		     struct twa_err *err);

/* Can key be written? Opens it for writing without writing: -EACCES or
 * -EPERM without the right (root, or CAP_NET_ADMIN in the namespace). */
int twa_sysctl_check_writable(const char *root, const char *key,
			      struct twa_err *err);

#endif
