/* SPDX-License-Identifier: MIT */
/* record.h - one description of a record drives its JSON and its text table. */
#ifndef TWA_RECORD_H
#define TWA_RECORD_H

#include <stddef.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

enum twa_ftype {
	TWA_F_STR,	/* char[size] */
	TWA_F_UINT,	/* unsigned */
	TWA_F_INT,	/* int */
	TWA_F_U64,	/* uint64_t */
	TWA_F_I64_OPT,	/* int64_t, negative means unknown: JSON null, text "-" */
	TWA_F_DOUBLE,	/* double */
	TWA_F_SHARE,	/* double in [0, 1]; text shows a percentage */
	TWA_F_BOOL,	/* bool */
	TWA_F_PROCESS,	/* struct twa_process: {"pid", "comm"} or null */
};

struct twa_field {
	const char *key;	/* JSON member; NULL ends the list */
	const char *header;	/* text column; NULL: JSON only */
	enum twa_ftype type;
	size_t off;
	size_t size;		/* TWA_F_STR: buffer size */
	/* Optional fields: only present when the bool at have_off is true
	 * (have_off != 0). */
	size_t have_off;
	int right;		/* right-align in text (numbers) */
	int may_omit;		/* decoding: may be absent (left zero) */
};

#define TWA_FIELD(st, member, key, header, type) \
	{ key, header, type, offsetof(st, member), sizeof(((st *)0)->member), 0, \
	  type != TWA_F_STR && type != TWA_F_PROCESS && type != TWA_F_BOOL, 0 }
#define TWA_FIELD_OPT(st, member, have, key, header, type) \
	{ key, header, type, offsetof(st, member), sizeof(((st *)0)->member), \
	  offsetof(st, have), 1, 0 }
/* Always written; a reader accepts the member missing. */
#define TWA_FIELD_MAYBE(st, member, key, header, type) \
	{ key, header, type, offsetof(st, member), sizeof(((st *)0)->member), 0, \
	  type != TWA_F_STR && type != TWA_F_PROCESS && type != TWA_F_BOOL, 1 }

/* The record as a JSON object. NULL on allocation failure. */
json_object *twa_rec_to_json(const struct twa_field *fields, const void *rec);
/* Fill rec (zeroed by the caller) from obj; every non-optional member is
 * required. path names the record in messages ("listeners[3]"). */
int twa_rec_from_json(const struct twa_field *fields, json_object *obj,
		      void *rec, const char *file, const char *path,
		      struct twa_err *err);
/* n records of stride bytes as an aligned table, each line prefixed by
 * indent. Only fields with a header. */
int twa_rec_table(struct strbuf *out, const struct twa_field *fields,
		  const void *recs, size_t n, size_t stride, const char *indent);
/* One field of a record as text. */
void twa_rec_cell(const struct twa_field *f, const void *rec, char *buf,
		  size_t size);

#endif
