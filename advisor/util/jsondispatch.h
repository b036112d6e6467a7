/* SPDX-License-Identifier: MIT */
/* jsondispatch.h - decode a JSON object through a table of its members (pure). */
#ifndef TWA_JSONDISPATCH_H
#define TWA_JSONDISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "advisor/util/err.h"

/*
 * systemd's JSON dispatch tables: one row per member, one loop decodes
 * them in table order, so the first problem reported is the first row
 * that fails. Each row goes through the typed getters of jsonutil.h, so
 * messages name "path.key" exactly as they do there.
 */
enum twa_json_type {
	TWA_JSON_STR,		/* string into char[size] */
	TWA_JSON_INT,		/* integer in [min, max] into an integer of size
				 * bytes: 8, or 4 (unsigned when min >= 0) */
	TWA_JSON_DOUBLE,	/* finite number into double */
	TWA_JSON_BOOL,		/* true or false into bool */
	TWA_JSON_OBJECT,	/* object, handed to fn (NULL: type only) */
	TWA_JSON_ARRAY,		/* array, handed to fn (NULL: type only) */
	TWA_JSON_NESTED,	/* object decoded by the table sub, path key */
};

/* Decodes v (OBJECT/ARRAY) or checks the value just stored (scalars) into
 * rec, the record the whole table fills. */
typedef int (*twa_json_fn)(json_object *v, const char *file, void *rec,
			   struct twa_err *err);

struct twa_json_field {
	const char *key;	/* NULL ends the table */
	enum twa_json_type type;
	bool required;
	size_t off, size;	/* scalars: where in rec, and how big */
	int64_t min, max;	/* TWA_JSON_INT bounds */
	twa_json_fn fn;
	const struct twa_json_field *sub;	/* TWA_JSON_NESTED */
	size_t have_off;	/* != 0: bool in rec set once the member decoded */
	size_t when_off;	/* != 0: the row applies only when this bool is set */
};

/* Scalar rows: (struct, member, key, required[, min, max]). The member may
 * be a path into nested structs ("rates.samples"); the indirection lets
 * the struct and member come from one macro argument. */
#define TWA_JSON_MEMBER(st, m) .off = offsetof(st, m), .size = sizeof(((st *)0)->m)
#define TWA_JD_STR(...) TWA_JD_STR_(__VA_ARGS__)
#define TWA_JD_STR_(st, m, k, req) \
	{ .key = k, .type = TWA_JSON_STR, .required = req, TWA_JSON_MEMBER(st, m) }
#define TWA_JD_INT(...) TWA_JD_INT_(__VA_ARGS__)
#define TWA_JD_INT_(st, m, k, req, lo, hi) \
	{ .key = k, .type = TWA_JSON_INT, .required = req, TWA_JSON_MEMBER(st, m), \
	  .min = lo, .max = hi }
#define TWA_JD_DOUBLE(...) TWA_JD_DOUBLE_(__VA_ARGS__)
#define TWA_JD_DOUBLE_(st, m, k, req) \
	{ .key = k, .type = TWA_JSON_DOUBLE, .required = req, TWA_JSON_MEMBER(st, m) }
#define TWA_JD_BOOL(...) TWA_JD_BOOL_(__VA_ARGS__)
#define TWA_JD_BOOL_(st, m, k, req) \
	{ .key = k, .type = TWA_JSON_BOOL, .required = req, TWA_JSON_MEMBER(st, m) }
/* Composite rows: (key, required, fn) and (key, table). */
#define TWA_JD_OBJECT(k, req, f) \
	{ .key = k, .type = TWA_JSON_OBJECT, .required = req, .fn = f }
#define TWA_JD_ARRAY(k, req, f) \
	{ .key = k, .type = TWA_JSON_ARRAY, .required = req, .fn = f }
#define TWA_JD_NESTED(k, table) \
	{ .key = k, .type = TWA_JSON_NESTED, .sub = table }

/* Decode the members of o that fields lists into rec; path names o in
 * messages ("ephemeral"). Members the table does not list are ignored.
 * Absent optional members leave rec alone. */
int twa_json_dispatch(json_object *o, const struct twa_json_field *fields,
		      const char *file, const char *path, void *rec,
		      struct twa_err *err);

/* o's "schema" member is the string want: "path.schema: missing", or
 * "schema 'x' is not want". */
int twa_json_check_schema(json_object *o, const char *file, const char *path,
			  const char *want, struct twa_err *err);

#endif
