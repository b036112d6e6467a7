/* SPDX-License-Identifier: MIT */
/* output.h - the one way a command's result leaves: stdout or -o FILE; reading inputs. */
#ifndef TWA_CMD_OUTPUT_H
#define TWA_CMD_OUTPUT_H

#include <stddef.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

struct twa_globals;

/* Write out to -o FILE through twa_file_replace (atomic, no symlink
 * followed, file and directory fsync'd) or to stdout ("-" or no -o).
 * Terminal control characters are made visible on the way (textesc.h;
 * colours kept when --color is on). Returns 0 or 73 after printing. */
int twa_write_output(const struct twa_globals *g, const struct strbuf *text);
/* Read a whole file (at most max bytes) for a command; "-" is stdin. */
int twa_read_file(const char *path, size_t max, struct strbuf *out,
		  struct twa_err *err);

#endif
