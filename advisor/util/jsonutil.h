/* SPDX-License-Identifier: MIT */
/* jsonutil.h - json-c helpers: capped parsing with positions, typed getters. */
#ifndef TWA_JSONUTIL_H
#define TWA_JSONUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "advisor/util/err.h"
#include "advisor/util/strbuf.h"

#define TWA_JSON_MAX_DEPTH 32

/* Parse one JSON document (nothing but whitespace after it). On a syntax
 * error err has file:line:col. */
int twa_json_parse(const char *buf, size_t len, const char *file,
		   json_object **ret, struct twa_err *err);

/* Serialize pretty (or compact) with a trailing newline into out. */
int twa_json_write(json_object *obj, bool pretty, struct strbuf *out);

/* A double printed with at most 6 significant digits; NaN/inf as 0. */
json_object *twa_json_double(double v);

/*
 * Typed getters for decoding. path names the object in messages
 * ("sockets.states"). A missing key is an error when required, else the
 * getter returns 0 and leaves *ret alone. Type mismatches are -EBADMSG.
 */
int twa_json_get_obj(json_object *o, const char *key, bool required,
		     const char *file, const char *path, json_object **ret,
		     struct twa_err *err);
int twa_json_get_array(json_object *o, const char *key, bool required,
		       const char *file, const char *path, json_object **ret,
		       struct twa_err *err);
int twa_json_get_str(json_object *o, const char *key, bool required,
		     const char *file, const char *path, char *buf, size_t size,
		     struct twa_err *err);
int twa_json_get_i64(json_object *o, const char *key, bool required,
		     const char *file, const char *path, int64_t min,
		     int64_t max, int64_t *ret, struct twa_err *err);
int twa_json_get_double(json_object *o, const char *key, bool required,
			const char *file, const char *path, double *ret,
			struct twa_err *err);
int twa_json_get_bool(json_object *o, const char *key, bool required,
		      const char *file, const char *path, bool *ret,
		      struct twa_err *err);
/* An integer JSON value itself (not a member). */
int twa_json_as_i64(json_object *v, const char *file, const char *path,
		    int64_t min, int64_t max, int64_t *ret, struct twa_err *err);

#endif
