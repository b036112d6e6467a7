/* SPDX-License-Identifier: MIT */
/* jsonutil.c - json-c helpers. */
#include "advisor/util/jsonutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void offset_to_linecol(const char *buf, size_t off, unsigned *line,
			      unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* The index of the quote closing the string that opens at buf[i]. */
static size_t string_end(const char *buf, size_t len, size_t i)
{
	for (i++; i < len && buf[i] != '"'; i++)
		if (buf[i] == '\\')
			i++;
	return i;
}

static bool followed_by_colon(const char *buf, size_t len, size_t i)
{
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	return i < len && buf[i] == ':';
}

/* Record the key spelled buf[start..end] (quotes included) in set; 1 when
 * it was there already. Keys compare as json-c stores them: decoded, as C
 * strings. */
static int key_seen(json_object *set, const char *buf, size_t start, size_t end)
{
	size_t n = end - start - 1;
	json_object *decoded = NULL;
	char *raw = strndup(buf + start, end - start + 1);
	const char *key;
	int r = 0;

	if (!raw)
		return -ENOMEM;
	if (memchr(raw, '\\', n + 1)) {
		decoded = json_tokener_parse(raw);
		key = decoded ? json_object_get_string(decoded) : raw;
	} else {
		raw[n + 1] = '\0';
		key = raw + 1;
	}
	if (json_object_object_get_ex(set, key, NULL))
		r = 1;
	else if (json_object_object_add(set, key, NULL) < 0)
		r = -ENOMEM;
	json_object_put(decoded);
	free(raw);
	return r;
}

/*
 * json-c keeps the last of two equal keys in an object while a person
 * reading the file sees the first: a plan or snapshot could show one
 * value and act on another. On a document json-c accepted, refuse any
 * key that repeats in its object, naming where.
 */
static int duplicate_keys(const char *buf, size_t len, const char *file,
			  struct twa_err *err)
{
	json_object *sets[TWA_JSON_MAX_DEPTH + 2];
	unsigned line, col;
	size_t i, end;
	int depth = -1, r = 0;

	for (i = 0; i < len && r == 0; i++) {
		if (buf[i] == '{' || buf[i] == '[') {
			if (depth + 2 >= (int)(sizeof(sets) / sizeof(sets[0])))
				break;	/* json-c's depth limit forbids it */
			sets[++depth] = buf[i] == '{' ? json_object_new_object() : NULL;
		} else if ((buf[i] == '}' || buf[i] == ']') && depth >= 0) {
			json_object_put(sets[depth--]);
		} else if (buf[i] == '"') {
			end = string_end(buf, len, i);
			if (depth >= 0 && sets[depth] && followed_by_colon(buf, len, end + 1))
				r = key_seen(sets[depth], buf, i, end);
			if (r == 1) {
				offset_to_linecol(buf, i, &line, &col);
				r = twa_err_set_at(err, -EBADMSG, file, line, col,
						   "duplicate key %.*s in one object (a reader sees the first, "
						   "a JSON parser keeps the last): remove one",
						   (int)(end - i + 1 > 100 ? 100 : end - i + 1), buf + i);
			}
			i = end;
		}
	}
	while (depth >= 0)
		json_object_put(sets[depth--]);
	return r < 0 ? (r == -ENOMEM ? twa_err_set(err, r, "out of memory") : r) : 0;
}

int twa_json_parse(const char *buf, size_t len, const char *file,
		   json_object **ret, struct twa_err *err)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *obj;
	unsigned line, col;
	size_t end, i;
	int r;

	if (len > INT32_MAX)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "too large");
	if (memchr(buf, '\0', len))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "contains a NUL byte: not a JSON text");
	tok = json_tokener_new_ex(TWA_JSON_MAX_DEPTH);
	if (!tok)
		return twa_err_set(err, -ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* Everything was read but the document is not finished. */
		obj = NULL;
		offset_to_linecol(buf, len, &line, &col);
		json_tokener_free(tok);
		return twa_err_set_at(err, -EBADMSG, file, line, col,
				      "unexpected end of JSON");
	}
	if (jerr != json_tokener_success) {
		offset_to_linecol(buf, end, &line, &col);
		json_tokener_free(tok);
		return twa_err_set_at(err, -EBADMSG, file, line, col,
				      "bad JSON: %s", json_tokener_error_desc(jerr));
	}
	json_tokener_free(tok);
	for (i = end; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\t' &&
		    buf[i] != '\r') {
			offset_to_linecol(buf, i, &line, &col);
			json_object_put(obj);
			return twa_err_set_at(err, -EBADMSG, file, line, col,
					      "trailing data after the JSON document");
		}
	r = duplicate_keys(buf, len, file, err);
	if (r < 0) {
		json_object_put(obj);
		return r;
	}
	*ret = obj;
	return 0;
}

int twa_json_write(json_object *obj, bool pretty, struct strbuf *out)
{
	const char *s = json_object_to_json_string_ext(obj,
		(pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			  JSON_C_TO_STRING_PLAIN) | JSON_C_TO_STRING_NOSLASHESCAPE);
	int r;

	if (!s)
		return -ENOMEM;
	r = strbuf_addstr(out, s);
	return r < 0 ? r : strbuf_addch(out, '\n');
}

json_object *twa_json_double(double v)
{
	char buf[32];

	if (!isfinite(v))
		v = 0;
	if (v == (double)(int64_t)v && fabs(v) < 1e15)
		return json_object_new_int64((int64_t)v);
	snprintf(buf, sizeof(buf), "%.6g", v);
	if (strchr(buf, 'e'))
		snprintf(buf, sizeof(buf), "%.6f", v);
	return json_object_new_double_s(v, buf);
}

static int type_err(struct twa_err *err, const char *file, const char *path,
		    const char *key, const char *want)
{
	return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s%s%s: expected %s",
			      path ? path : "", path && key ? "." : "",
			      key ? key : "", want);
}

static int get_member(json_object *o, const char *key, bool required,
		      const char *file, const char *path, json_object **ret,
		      struct twa_err *err)
{
	if (!json_object_object_get_ex(o, key, ret) || !*ret) {
		if (!required)
			return 1;
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s%s%s: missing",
				      path ? path : "", path ? "." : "", key);
	}
	return 0;
}

int twa_json_get_obj(json_object *o, const char *key, bool required,
		     const char *file, const char *path, json_object **ret,
		     struct twa_err *err)
{
	json_object *v;
	int r = get_member(o, key, required, file, path, &v, err);

	if (r)
		return r < 0 ? r : 0;
	if (!json_object_is_type(v, json_type_object))
		return type_err(err, file, path, key, "an object");
	*ret = v;
	return 0;
}

int twa_json_get_array(json_object *o, const char *key, bool required,
		       const char *file, const char *path, json_object **ret,
		       struct twa_err *err)
{
	json_object *v;
	int r = get_member(o, key, required, file, path, &v, err);

	if (r)
		return r < 0 ? r : 0;
	if (!json_object_is_type(v, json_type_array))
		return type_err(err, file, path, key, "an array");
	*ret = v;
	return 0;
}

int twa_json_get_str(json_object *o, const char *key, bool required,
		     const char *file, const char *path, char *buf, size_t size,
		     struct twa_err *err)
{
	json_object *v;
	int r = get_member(o, key, required, file, path, &v, err);
	size_t len;

	if (r)
		return r < 0 ? r : 0;
	if (!json_object_is_type(v, json_type_string))
		return type_err(err, file, path, key, "a string");
	len = (size_t)json_object_get_string_len(v);
	if (len >= size || strlen(json_object_get_string(v)) != len)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "%s.%s: string too long or contains NUL", path, key);
	memcpy(buf, json_object_get_string(v), len + 1);
	return 0;
}

int twa_json_as_i64(json_object *v, const char *file, const char *path,
		    int64_t min, int64_t max, int64_t *ret, struct twa_err *err)
{
	int64_t x;

	if (!json_object_is_type(v, json_type_int))
		return type_err(err, file, path, NULL, "an integer");
	x = json_object_get_int64(v);
	/* json-c saturates what does not fit without an error: a number
	 * beyond int64 parses as INT64_MIN, INT64_MAX or UINT64_MAX, and
	 * get_int64 turns anything above INT64_MAX into INT64_MAX (errno
	 * untouched). No count or setting reaches those ends: refuse them. */
	if (x == INT64_MAX || x == INT64_MIN || x < min || x > max)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "%s: %s is out of range [%lld, %lld]", path,
				      json_object_to_json_string(v), (long long)min,
				      (long long)max);
	*ret = x;
	return 0;
}

int twa_json_get_i64(json_object *o, const char *key, bool required,
		     const char *file, const char *path, int64_t min,
		     int64_t max, int64_t *ret, struct twa_err *err)
{
	char sub[256];
	json_object *v;
	int r = get_member(o, key, required, file, path, &v, err);

	if (r)
		return r < 0 ? r : 0;
	snprintf(sub, sizeof(sub), "%s%s%s", path ? path : "", path ? "." : "", key);
	return twa_json_as_i64(v, file, sub, min, max, ret, err);
}

int twa_json_get_double(json_object *o, const char *key, bool required,
			const char *file, const char *path, double *ret,
			struct twa_err *err)
{
	json_object *v;
	int r = get_member(o, key, required, file, path, &v, err);

	if (r)
		return r < 0 ? r : 0;
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return type_err(err, file, path, key, "a number");
	*ret = json_object_get_double(v);
	if (!isfinite(*ret))
		return type_err(err, file, path, key, "a finite number");
	return 0;
}

int twa_json_get_bool(json_object *o, const char *key, bool required,
		      const char *file, const char *path, bool *ret,
		      struct twa_err *err)
{
	json_object *v;
	int r = get_member(o, key, required, file, path, &v, err);

	if (r)
		return r < 0 ? r : 0;
	if (!json_object_is_type(v, json_type_boolean))
		return type_err(err, file, path, key, "true or false");
	*ret = json_object_get_boolean(v);
	return 0;
}
