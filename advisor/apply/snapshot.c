/* SPDX-License-Identifier: MIT */
/* snapshot.c - snapshot encoding, decoding and validation. */
#include "advisor/apply/snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsondispatch.h"
#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/facts/record.h"
#include "advisor/facts/sysctl_key.h"
#include "advisor/apply/plan.h"
#include "advisor/apply/sysctl_conf.h"

void twa_snapshot_init(struct twa_snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void twa_snapshot_release(struct twa_snapshot *s)
{
	if (!s)
		return;
	free(s->values);
	free(s->persist_content);
	twa_snapshot_init(s);
}

int twa_snapshot_add(struct twa_snapshot *s, const char *key, const char *value)
{
	struct twa_snapshot_value *v;

	if (s->n >= TWA_SNAPSHOT_MAX_KEYS || strlen(value) > TWA_SYSCTL_VALUE_MAX)
		return -E2BIG;
	v = realloc(s->values, (s->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->values = v;
	v = &v[s->n++];
	twa_strlcpy(v->key, key, sizeof(v->key));
	twa_sysctl_value_copy(v->value, sizeof(v->value), value);	/* fits: checked above */
	v->has_written = false;
	v->written[0] = '\0';
	return 0;
}

int twa_snapshot_set_written(struct twa_snapshot *s, const char *written)
{
	struct twa_snapshot_value *v;

	if (!s->n)
		return -EINVAL;
	v = &s->values[s->n - 1];
	v->has_written = true;
	return twa_sysctl_value_copy(v->written, sizeof(v->written), written);
}

int twa_snapshot_set_persist(struct twa_snapshot *s, const char *path,
			     const char *content, size_t len)
{
	s->has_persist = true;
	twa_strlcpy(s->persist_path, path, sizeof(s->persist_path));
	free(s->persist_content);
	s->persist_content = NULL;
	s->persist_existed = content != NULL;
	if (content) {
		s->persist_content = malloc(len + 1);
		if (!s->persist_content)
			return -ENOMEM;
		memcpy(s->persist_content, content, len);
		s->persist_content[len] = '\0';
	}
	return 0;
}

bool twa_snapshot_id_valid(const char *id)
{
	size_t i, n = strlen(id);

	if (!n || n > 63 || id[0] == '.')
		return false;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '_' ||
		      id[i] == '.'))
			return false;
	return true;
}

/* One saved value: the encoder and the decoder share this table. */
static const struct twa_field snapshot_value_fields[] = {
	TWA_FIELD(struct twa_snapshot_value, key, "key", NULL, TWA_F_STR),
	TWA_FIELD(struct twa_snapshot_value, value, "value", NULL, TWA_F_STR),
	TWA_FIELD_OPT(struct twa_snapshot_value, written, has_written, "written", NULL,
		      TWA_F_STR),
	{ 0 },
};

json_object *twa_snapshot_to_json(const struct twa_snapshot *s)
{
	json_object *o = json_object_new_object(), *vals = json_object_new_array();
	size_t i;

	json_object_object_add(o, "schema", json_object_new_string(TWA_SNAPSHOT_SCHEMA));
	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "created", json_object_new_string(s->created));
	json_object_object_add(o, "operation", json_object_new_string(s->operation));
	json_object_object_add(o, "host", json_object_new_string(s->host));
	json_object_object_add(o, "netns", json_object_new_string(s->netns));
	json_object_object_add(o, "profile", json_object_new_string(s->profile));
	json_object_object_add(o, "plan_fingerprint", json_object_new_string(s->plan_fingerprint));
	json_object_object_add(o, "rolls_back", s->rolls_back[0] ?
			       json_object_new_string(s->rolls_back) : NULL);
	for (i = 0; i < s->n; i++)
		json_object_array_add(vals, twa_rec_to_json(snapshot_value_fields,
							    &s->values[i]));
	json_object_object_add(o, "values", vals);
	if (s->has_persist) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "path", json_object_new_string(s->persist_path));
		json_object_object_add(p, "existed", json_object_new_boolean(s->persist_existed));
		json_object_object_add(p, "content", s->persist_content ?
				       json_object_new_string(s->persist_content) : NULL);
		json_object_object_add(o, "persist", p);
	} else {
		json_object_object_add(o, "persist", NULL);	/* always present */
	}
	json_object_object_add(o, "netns_identity", s->has_ident ?
			       twa_plan_ident_json(NULL, &s->ident) : NULL);
	return o;
}

/* ---- decoding: every member is type-checked before any is validated ---- */

#define SNAP(m) struct twa_snapshot, m

static const struct twa_json_field snapshot_fields[] = {
	TWA_JD_STR(SNAP(id), "id", true),
	TWA_JD_STR(SNAP(created), "created", false),
	TWA_JD_STR(SNAP(operation), "operation", true),
	TWA_JD_STR(SNAP(host), "host", false),
	TWA_JD_STR(SNAP(netns), "netns", false),
	TWA_JD_STR(SNAP(profile), "profile", false),
	TWA_JD_STR(SNAP(plan_fingerprint), "plan_fingerprint", false),
	TWA_JD_STR(SNAP(rolls_back), "rolls_back", false),
	TWA_JD_ARRAY("values", true, NULL),
	TWA_JD_OBJECT("persist", false, NULL),
	{ 0 },
};

static const struct twa_json_field persist_fields[] = {
	TWA_JD_STR(SNAP(persist_path), "path", true),
	TWA_JD_BOOL(SNAP(persist_existed), "existed", true),
	{ 0 },
};

static int snapshot_check(const struct twa_snapshot *s, const char *file,
			  struct twa_err *err)
{
	const char *const text[] = { s->created, s->host, s->netns, s->profile,
				      s->plan_fingerprint, s->rolls_back };
	size_t i;

	/* One printable line each: they reach file headers and messages. */
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (twa_text_line_check(text[i], TWA_SYSCTL_VALUE_MAX, err) < 0) {
			twa_err_prefix(err, "%s", file);
			return twa_err_recode(err, -EBADMSG);
		}
	if (!twa_snapshot_id_valid(s->id))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "bad snapshot id '%.64s'", s->id);
	if (strcmp(s->operation, "apply") && strcmp(s->operation, "rollback"))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "operation '%s' is not apply or rollback",
				      s->operation);
	return 0;
}

static int values_from_json(json_object *vals, const char *file,
			    struct twa_snapshot *s, struct twa_err *err)
{
	size_t i, n = json_object_array_length(vals);
	int r;

	if (n > TWA_SNAPSHOT_MAX_KEYS)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "more than %d values",
				      TWA_SNAPSHOT_MAX_KEYS);
	for (i = 0; i < n; i++) {
		struct twa_snapshot_value v;
		char path[48];

		memset(&v, 0, sizeof(v));
		snprintf(path, sizeof(path), "values[%zu]", i);
		r = twa_rec_from_json(snapshot_value_fields,
				      json_object_array_get_idx(vals, i), &v, file,
				      path, err);
		if (r < 0)
			return r;
		if (twa_sysctl_key_check(v.key, err) < 0 ||
		    twa_sysctl_value_check(v.value, err) < 0 ||
		    (v.has_written && twa_plan_check_value(v.key, v.written, err) < 0)) {
			twa_err_prefix(err, "%s: %s", file, path);
			return twa_err_recode(err, -EBADMSG);
		}
		if ((r = twa_snapshot_add(s, v.key, v.value)) < 0)
			return twa_err_set(err, r, "out of memory");
		if (v.has_written && twa_snapshot_set_written(s, v.written) < 0)
			return twa_err_set(err, -EBADMSG, "%s: written: too long", path);
	}
	return 0;
}

static int persist_from_json(json_object *p, const char *file,
			     struct twa_snapshot *s, struct twa_err *err)
{
	json_object *content = NULL;
	size_t clen;
	int r;

	s->has_persist = true;
	r = twa_json_dispatch(p, persist_fields, file, "persist", s, err);
	if (r < 0)
		return r;
	if (json_object_object_get_ex(p, "content", &content) && content) {
		if (!json_object_is_type(content, json_type_string))
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "persist.content: expected a string");
		clen = (size_t)json_object_get_string_len(content);
		if (clen > TWA_PERSIST_MAX_BYTES ||
		    strlen(json_object_get_string(content)) != clen)
			return twa_err_set_at(err, -EBADMSG, file, 0, 0,
					      "persist.content too large or contains NUL");
		/* Rollback writes it back verbatim: the same grammar as any
		 * file twadvise writes, checked again before the write. */
		if (twa_persist_content_check(json_object_get_string(content), clen, file,
					      err) < 0) {
			twa_err_prefix(err, "persist.content");
			return -EBADMSG;
		}
		s->persist_content = strdup(json_object_get_string(content));
		if (!s->persist_content)
			return twa_err_set(err, -ENOMEM, "out of memory");
	}
	if (twa_text_line_check(s->persist_path, sizeof(s->persist_path) - 1, err) < 0) {
		twa_err_prefix(err, "%s: persist.path", file);
		return twa_err_recode(err, -EBADMSG);
	}
	if (s->persist_existed != (s->persist_content != NULL))
		return twa_err_set_at(err, -EBADMSG, file, 0, 0,
				      "persist: 'existed' and 'content' disagree");
	return 0;
}

int twa_snapshot_parse(const char *buf, size_t len, const char *file,
		       struct twa_snapshot *s, struct twa_err *err)
{
	json_object *o = NULL, *p = NULL;
	int r;

	if (len > TWA_SNAPSHOT_MAX_BYTES)
		return twa_err_set_at(err, -EBADMSG, file, 0, 0, "snapshot larger than %u bytes",
				      TWA_SNAPSHOT_MAX_BYTES);
	r = twa_json_parse(buf, len, file, &o, err);
	if (r < 0)
		return r;
	if (!json_object_is_type(o, json_type_object)) {
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "a snapshot is a JSON object");
		goto out;
	}
	if ((r = twa_json_check_schema(o, file, "snapshot", TWA_SNAPSHOT_SCHEMA, err)) < 0 ||
	    (r = twa_json_dispatch(o, snapshot_fields, file, "snapshot", s, err)) < 0 ||
	    (r = snapshot_check(s, file, err)) < 0 ||
	    (r = values_from_json(json_object_object_get(o, "values"), file, s, err)) < 0)
		goto out;
	if (json_object_object_get_ex(o, "persist", &p) && p &&
	    (r = persist_from_json(p, file, s, err)) < 0)
		goto out;
	r = 0;
out:
	json_object_put(o);
	return r;
}
