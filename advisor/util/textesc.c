/* SPDX-License-Identifier: MIT */
/* textesc.c - terminal control characters made visible (cat -v notation). */
#include "advisor/util/textesc.h"

#include <errno.h>

/* Length of the colour sequence ESC [ [0-9;]* m at s, or 0. */
static size_t sgr_len(const unsigned char *s, size_t len)
{
	size_t i;

	if (len < 3 || s[0] != 0x1b || s[1] != '[')
		return 0;
	for (i = 2; i < len && i < 32; i++) {
		if (s[i] == 'm')
			return i + 1;
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
			return 0;
	}
	return 0;
}

/* How many bytes at s form one control character to escape (0: none). */
static size_t control_at(const unsigned char *s, size_t len, bool keep_sgr,
			 size_t *ret_keep)
{
	*ret_keep = keep_sgr ? sgr_len(s, len) : 0;
	if (*ret_keep)
		return 0;
	if ((s[0] < 0x20 && s[0] != '\n' && s[0] != '\t') || s[0] == 0x7f)
		return 1;
	if (s[0] == 0xc2 && len > 1 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	return 0;
}

int twa_text_escape(struct strbuf *out, const char *s, size_t len, bool keep_sgr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, n, keep;

	while (i < len) {
		n = control_at(p + i, len - i, keep_sgr, &keep);
		if (!n) {
			i += keep ? keep : 1;
			continue;
		}
		strbuf_add(out, s + start, i - start);
		if (n == 2)
			strbuf_addstr(out, "M-");
		if (p[i + n - 1] == 0x7f)
			strbuf_addstr(out, "^?");
		else
			strbuf_addf(out, "^%c", (char)((p[i + n - 1] & 0x1f) + '@'));
		i += n;
		start = i;
	}
	strbuf_add(out, s + start, len - start);
	return strbuf_failed(out) ? -ENOMEM : 0;
}

bool twa_text_is_clean(const char *s, size_t len, bool keep_sgr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, keep;

	while (i < len) {
		if (control_at(p + i, len - i, keep_sgr, &keep))
			return false;
		i += keep ? keep : 1;
	}
	return true;
}
