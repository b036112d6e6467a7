/* SPDX-License-Identifier: MIT */
/* textesc.h - terminal control characters made visible, at the text writers' boundary. */
#ifndef TWA_TEXTESC_H
#define TWA_TEXTESC_H

#include <stdbool.h>
#include <stddef.h>

#include "advisor/util/strbuf.h"

/*
 * Append s (len bytes) to out with every terminal control character made
 * visible in `cat -v` notation: C0 controls but newline and tab as ^@..^_
 * (ESC is ^[, CR ^M), DEL as ^?, and the UTF-8 encoded C1 controls
 * (U+0080..U+009F, 8-bit CSI among them) as M-^@..M-^_. Strings from
 * hostnames, process names, facts files, profiles and HTTP bodies reach
 * the output; none can move the cursor, rewrite a line, set the title or
 * plant a link. keep_sgr leaves colour sequences (ESC [ digits and ; m,
 * what twadvise itself writes with --color) as they are: a foreign one
 * can at worst colour text. Returns 0 or -ENOMEM.
 */
int twa_text_escape(struct strbuf *out, const char *s, size_t len, bool keep_sgr);

/* True when s (len bytes) holds nothing twa_text_escape would change. */
bool twa_text_is_clean(const char *s, size_t len, bool keep_sgr);

#endif
