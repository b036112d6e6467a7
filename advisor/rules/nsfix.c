/* SPDX-License-Identifier: MIT */
/* nsfix.c - the fix of a namespace where it lasts (pure). */
#include "advisor/rules/nsfix.h"

#include <string.h>

/* The kubelet's safe sysctls (pkg/kubelet/sysctl/safe_sysctls.go):
 * namespaced and isolated from other pods. */
static const struct {
	const char *key, *since;
} k8s_safe[] = {
	{ "kernel.shm_rmid_forced", "1.0" },
	{ "net.ipv4.ip_local_port_range", "1.0" },
	{ "net.ipv4.tcp_syncookies", "1.0" },
	{ "net.ipv4.ping_group_range", "1.0" },
	{ "net.ipv4.ip_unprivileged_port_start", "1.0" },
	{ "net.ipv4.ip_local_reserved_ports", "1.27" },
	{ "net.ipv4.tcp_keepalive_time", "1.29" },
	{ "net.ipv4.tcp_fin_timeout", "1.29" },
	{ "net.ipv4.tcp_keepalive_intvl", "1.29" },
	{ "net.ipv4.tcp_keepalive_probes", "1.29" },
};

#define MAX_KEYS 32

const char *twa_k8s_safe_since(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(k8s_safe) / sizeof(k8s_safe[0]); i++)
		if (!strcmp(k8s_safe[i].key, key))
			return k8s_safe[i].since;
	return NULL;
}

bool twa_nsfix_ephemeral(const struct twa_ns_ident *id)
{
	return id->container[0] || id->pod_uid[0];
}

void twa_nsfix_command(const struct twa_ns_ident *id, const char *profile,
		       struct strbuf *out)
{
	strbuf_addf(out, "twadvise --netns %s plan", id->path);
	if (profile && *profile && strcmp(profile, "default"))
		strbuf_addf(out, " --profile %s", profile);
}

/* The distinct changes of the findings, the first proposal of a key kept
 * (findings are resolved: one value per key). */
static size_t changes(const struct twa_findings *fs, struct twa_nsfix_kv *v)
{
	size_t i, k, j, n = 0;

	for (i = 0; i < fs->n; i++)
		for (k = 0; k < fs->v[i].n_changes; k++) {
			const struct twa_change *c = &fs->v[i].changes[k];

			for (j = 0; j < n && strcmp(v[j].key, c->key); j++)
				;
			if (j == n && n < MAX_KEYS)
				v[n++] = (struct twa_nsfix_kv){ c->key, c->to };
		}
	return n;
}

/* A sysctl value as one word: tabs become spaces. */
static void value(struct strbuf *out, const char *v)
{
	for (; *v; v++)
		strbuf_addch(out, *v == '\t' ? ' ' : *v);
}

static void k8s_text(const struct twa_nsfix_kv *v, size_t n, struct strbuf *out)
{
	size_t i, unsafe = 0;
	bool first = true;

	strbuf_addstr(out, "          Kubernetes (the pod spec; a sysctl written into the pod's namespace is lost when it restarts):\n"
			   "            securityContext:\n              sysctls:\n");
	for (i = 0; i < n; i++) {
		const char *since = twa_k8s_safe_since(v[i].key);

		strbuf_addf(out, "              - name: %s\n                value: \"", v[i].key);
		value(out, v[i].to);
		if (since)
			strbuf_addf(out, "\"    # safe%s%s\n", strcmp(since, "1.0") ? " since " : "",
				    strcmp(since, "1.0") ? since : "");
		else
			strbuf_addstr(out, "\"    # unsafe: the kubelet needs --allowed-unsafe-sysctls\n");
		unsafe += !since;
	}
	if (!unsafe)
		return;
	strbuf_addstr(out, "            kubelet: --allowed-unsafe-sysctls=");
	for (i = 0; i < n; i++)
		if (!twa_k8s_safe_since(v[i].key)) {
			strbuf_addf(out, "%s%s", first ? "" : ",", v[i].key);
			first = false;
		}
	strbuf_addch(out, '\n');
}

static void docker_text(const struct twa_ns_ident *id, const struct twa_nsfix_kv *v, size_t n,
			struct strbuf *out)
{
	size_t i;

	strbuf_addf(out, "          %s (the container's run flags; written into its namespace it is lost when it restarts):\n            %s run",
		    !strcmp(id->runtime, "podman") ? "Podman" : "Docker",
		    !strcmp(id->runtime, "podman") ? "podman" : "docker");
	for (i = 0; i < n; i++) {
		strbuf_addf(out, " --sysctl '%s=", v[i].key);
		value(out, v[i].to);
		strbuf_addch(out, '\'');
	}
	strbuf_addstr(out, " ...\n            compose:\n              sysctls:\n");
	for (i = 0; i < n; i++) {
		strbuf_addf(out, "                %s: \"", v[i].key);
		value(out, v[i].to);
		strbuf_addstr(out, "\"\n");
	}
}

void twa_nsfix_write_text(const struct twa_ns_ident *id, const struct twa_findings *fs,
			  const char *profile, struct strbuf *out)
{
	struct twa_nsfix_kv v[MAX_KEYS];
	size_t n = changes(fs, v);

	if (!n) {
		if (fs->n && fs->status != TWA_STATUS_OK)
			strbuf_addf(out, "          look closer: twadvise --netns %s check -v\n", id->path);
		return;
	}
	strbuf_addstr(out, "          fix now: ");
	twa_nsfix_command(id, profile, out);
	strbuf_addstr(out, twa_nsfix_ephemeral(id) ?
		      "  (ephemeral: the container keeps it only until it restarts)\n" : "\n");
	twa_nsfix_spec_text(id, v, n, out);
}

void twa_nsfix_spec_text(const struct twa_ns_ident *id, const struct twa_nsfix_kv *v, size_t n,
			 struct strbuf *out)
{
	if (!n)
		return;
	if (id->pod_uid[0])
		k8s_text(v, n, out);
	else if (id->container[0])
		docker_text(id, v, n, out);
}

static json_object *k8s_json(const struct twa_nsfix_kv *v, size_t n, struct strbuf *tmp)
{
	json_object *o = json_object_new_object(), *sys = json_object_new_array();
	json_object *unsafe = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object *e = json_object_new_object();
		const char *since = twa_k8s_safe_since(v[i].key);

		strbuf_reset(tmp);
		value(tmp, v[i].to);
		json_object_object_add(e, "name", json_object_new_string(v[i].key));
		json_object_object_add(e, "value", json_object_new_string(tmp->buf));
		json_object_object_add(e, "safe", json_object_new_boolean(since != NULL));
		json_object_object_add(e, "safe_since", since ? json_object_new_string(since) : NULL);
		json_object_array_add(sys, e);
		if (!since)
			json_object_array_add(unsafe, json_object_new_string(v[i].key));
	}
	json_object_object_add(o, "sysctls", sys);
	json_object_object_add(o, "allowed_unsafe_sysctls", unsafe);
	return o;
}

static json_object *docker_json(const struct twa_nsfix_kv *v, size_t n, struct strbuf *tmp)
{
	json_object *o = json_object_new_object(), *flags = json_object_new_array();
	json_object *compose = json_object_new_object();
	size_t i;

	for (i = 0; i < n; i++) {
		strbuf_reset(tmp);
		value(tmp, v[i].to);
		json_object_object_add(compose, v[i].key, json_object_new_string(tmp->buf));
		strbuf_reset(tmp);
		strbuf_addf(tmp, "--sysctl=%s=", v[i].key);
		value(tmp, v[i].to);
		json_object_array_add(flags, json_object_new_string(tmp->buf));
	}
	json_object_object_add(o, "run_flags", flags);
	json_object_object_add(o, "compose_sysctls", compose);
	return o;
}

json_object *twa_nsfix_to_json(const struct twa_ns_ident *id, const struct twa_findings *fs)
{
	struct twa_nsfix_kv v[MAX_KEYS];

	return twa_nsfix_spec_json(id, v, changes(fs, v));
}

json_object *twa_nsfix_spec_json(const struct twa_ns_ident *id, const struct twa_nsfix_kv *v,
				 size_t n)
{
	struct strbuf tmp = STRBUF_INIT;
	json_object *o;

	if (!n || !twa_nsfix_ephemeral(id))
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "kubernetes", id->pod_uid[0] ? k8s_json(v, n, &tmp) : NULL);
	json_object_object_add(o, "container", !id->pod_uid[0] ? docker_json(v, n, &tmp) : NULL);
	strbuf_release(&tmp);
	return o;
}
