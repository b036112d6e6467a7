/* snapshot.c - snapshot encoding, decoding and validation. */
#include "advisor/apply/snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/util/jsonutil.h"
#include "advisor/util/parse.h"
#include "advisor/facts/sysctl_key.h"

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

	if (s->n >= TWA_SNAPSHOT_MAX_KEYS)
		return -E2BIG;
	v = realloc(s->values, (s->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->values = v;
	v = &v[s->n++];
	twa_strlcpy(v->key, key, sizeof(v->key));
	twa_strlcpy(v->value, value, sizeof(v->value));
	return 0;
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
	if (s->rolls_back[0])
		json_object_object_add(o, "rolls_back", json_object_new_string(s->rolls_back));
	for (i = 0; i < s->n; i++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "key", json_object_new_string(s->values[i].key));
		json_object_object_add(x, "value", json_object_new_string(s->values[i].value));
		json_object_array_add(vals, x);
	}
	json_object_object_add(o, "values", vals);
	if (s->has_persist) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "path", json_object_new_string(s->persist_path));
		json_object_object_add(p, "existed", json_object_new_boolean(s->persist_existed));
		json_object_object_add(p, "content", s->persist_content ?
				       json_object_new_string(s->persist_content) : NULL);
		json_object_object_add(o, "persist", p);
	}
	return o;
}

int twa_snapshot_parse(const char *buf, size_t len, const char *file,
		       struct twa_snapshot *s, struct twa_err *err)
{
	json_object *o = NULL, *vals = NULL, *p = NULL;
	char schema[64];
	size_t i, n;
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
	if ((r = twa_json_get_str(o, "schema", true, file, "snapshot", schema, sizeof(schema), err)) < 0)
		goto out;
	if (strcmp(schema, TWA_SNAPSHOT_SCHEMA)) {
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "schema '%s' is not %s", schema,
				   TWA_SNAPSHOT_SCHEMA);
		goto out;
	}
	if ((r = twa_json_get_str(o, "id", true, file, "snapshot", s->id, sizeof(s->id), err)) < 0 ||
	    (r = twa_json_get_str(o, "created", false, file, "snapshot", s->created, sizeof(s->created), err)) < 0 ||
	    (r = twa_json_get_str(o, "operation", true, file, "snapshot", s->operation, sizeof(s->operation), err)) < 0 ||
	    (r = twa_json_get_str(o, "host", false, file, "snapshot", s->host, sizeof(s->host), err)) < 0 ||
	    (r = twa_json_get_str(o, "netns", false, file, "snapshot", s->netns, sizeof(s->netns), err)) < 0 ||
	    (r = twa_json_get_str(o, "profile", false, file, "snapshot", s->profile, sizeof(s->profile), err)) < 0 ||
	    (r = twa_json_get_str(o, "plan_fingerprint", false, file, "snapshot", s->plan_fingerprint,
				  sizeof(s->plan_fingerprint), err)) < 0 ||
	    (r = twa_json_get_str(o, "rolls_back", false, file, "snapshot", s->rolls_back,
				  sizeof(s->rolls_back), err)) < 0 ||
	    (r = twa_json_get_array(o, "values", true, file, "snapshot", &vals, err)) < 0 ||
	    (r = twa_json_get_obj(o, "persist", false, file, "snapshot", &p, err)) < 0)
		goto out;
	if (!twa_snapshot_id_valid(s->id)) {
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "bad snapshot id '%.64s'", s->id);
		goto out;
	}
	if (strcmp(s->operation, "apply") && strcmp(s->operation, "rollback")) {
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0,
				   "operation '%s' is not apply or rollback", s->operation);
		goto out;
	}
	n = json_object_array_length(vals);
	if (n > TWA_SNAPSHOT_MAX_KEYS) {
		r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "more than %d values", TWA_SNAPSHOT_MAX_KEYS);
		goto out;
	}
	for (i = 0; i < n; i++) {
		json_object *x = json_object_array_get_idx(vals, i);
		char path[48], key[96], value[256];

		snprintf(path, sizeof(path), "values[%zu]", i);
		if (!json_object_is_type(x, json_type_object)) {
			r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "%s: expected an object", path);
			goto out;
		}
		if ((r = twa_json_get_str(x, "key", true, file, path, key, sizeof(key), err)) < 0 ||
		    (r = twa_json_get_str(x, "value", true, file, path, value, sizeof(value), err)) < 0)
			goto out;
		if (twa_sysctl_key_check(key, err) < 0 || twa_sysctl_value_check(value, err) < 0) {
			twa_err_prefix(err, "%s: %s", file, path);
			r = twa_err_recode(err, -EBADMSG);
			goto out;
		}
		if ((r = twa_snapshot_add(s, key, value)) < 0) {
			r = twa_err_set(err, r, "out of memory");
			goto out;
		}
	}
	if (p) {
		json_object *content = NULL;
		bool existed = false;

		s->has_persist = true;
		if ((r = twa_json_get_str(p, "path", true, file, "persist", s->persist_path,
					  sizeof(s->persist_path), err)) < 0 ||
		    (r = twa_json_get_bool(p, "existed", true, file, "persist", &existed, err)) < 0)
			goto out;
		s->persist_existed = existed;
		if (json_object_object_get_ex(p, "content", &content) && content) {
			size_t clen;

			if (!json_object_is_type(content, json_type_string)) {
				r = twa_err_set_at(err, -EBADMSG, file, 0, 0, "persist.content: expected a string");
				goto out;
			}
			clen = (size_t)json_object_get_string_len(content);
			if (clen > TWA_PERSIST_MAX_BYTES ||
			    strlen(json_object_get_string(content)) != clen) {
				r = twa_err_set_at(err, -EBADMSG, file, 0, 0,
						   "persist.content too large or contains NUL");
				goto out;
			}
			s->persist_content = strdup(json_object_get_string(content));
			if (!s->persist_content) {
				r = twa_err_set(err, -ENOMEM, "out of memory");
				goto out;
			}
		}
		if (existed != (s->persist_content != NULL)) {
			r = twa_err_set_at(err, -EBADMSG, file, 0, 0,
					   "persist: 'existed' and 'content' disagree");
			goto out;
		}
	}
	r = 0;
out:
	json_object_put(o);
	return r;
}
