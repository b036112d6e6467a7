/* SPDX-License-Identifier: MIT */
/* nsident.c - name a network namespace by what lives in it (pure). */
#include "advisor/facts/nsident.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "advisor/util/parse.h"

#define COMP_MAX 256

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool is_id(const char *s, size_t n)
{
	return n >= 12 && n < 72 && all_hex(s, n);
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* "PREFIXID" or "PREFIXID.scope": the id when it is hex. */
static bool prefixed_id(const char *comp, const char *prefix, char *id, size_t size)
{
	const char *p = comp + strlen(prefix), *dot;
	size_t n;

	if (!starts(comp, prefix))
		return false;
	dot = strstr(p, ".scope");
	n = dot ? (size_t)(dot - p) : strlen(p);
	if (!is_id(p, n) || n >= size)
		return false;
	memcpy(id, p, n);
	id[n] = '\0';
	return true;
}

static void set_container(struct twa_ns_ident *id, const char *runtime, const char *cid)
{
	if (id->container[0])
		return;
	twa_strlcpy(id->runtime, runtime, sizeof(id->runtime));
	twa_strlcpy(id->container, cid, sizeof(id->container));
}

/* A pod UID after "pod" in a kubepods component: 36 characters of hex and
 * '-' (cgroupfs) or '_' (the systemd driver). */
static void pod_uid(struct twa_ns_ident *id, const char *comp)
{
	const char *p = starts(comp, "pod") ? comp : strstr(comp, "-pod");
	size_t i;

	if (p && *p == '-')
		p++;
	if (id->pod_uid[0] || !p || strlen(p + 3) < 36)
		return;
	p += 3;
	for (i = 0; i < 36; i++) {
		char c = p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-' || c == '_'))
			return;
		id->pod_uid[i] = c == '_' ? '-' : c;
	}
	id->pod_uid[36] = '\0';
}

static void component(struct twa_ns_ident *id, const char *comp, const char *prev,
		      bool kube)
{
	char cid[72];

	if (kube && (starts(comp, "kubepods-") || starts(comp, "pod")))
		pod_uid(id, comp);
	if (starts(comp, "crio-conmon-") || starts(comp, "libpod-conmon-"))
		return;
	if (prefixed_id(comp, "docker-", cid, sizeof(cid)))
		set_container(id, "docker", cid);
	else if (prefixed_id(comp, "cri-containerd-", cid, sizeof(cid)))
		set_container(id, "containerd", cid);
	else if (prefixed_id(comp, "crio-", cid, sizeof(cid)))
		set_container(id, "crio", cid);
	else if (prefixed_id(comp, "libpod-", cid, sizeof(cid)))
		set_container(id, "podman", cid);
	else if (is_id(comp, strlen(comp)) && !strcmp(prev, "docker"))
		set_container(id, "docker", comp);
	else if (is_id(comp, strlen(comp)) && kube && starts(prev, "pod"))
		set_container(id, "cri", comp);
}

/* One cgroup path: its components left to right. */
static void path(struct twa_ns_ident *id, const char *p, size_t len)
{
	char comp[COMP_MAX], prev[COMP_MAX] = "";
	bool kube = memmem(p, len, "kubepods", 8) != NULL;
	size_t i = 0, n;

	while (i < len) {
		while (i < len && p[i] == '/')
			i++;
		for (n = 0; i + n < len && p[i + n] != '/'; n++)
			;
		if (n && n < COMP_MAX) {
			memcpy(comp, p + i, n);
			comp[n] = '\0';
			component(id, comp, prev, kube);
			memcpy(prev, comp, n + 1);
		}
		i += n;
	}
}

bool twa_ns_ident_from_cgroup(struct twa_ns_ident *id, const char *text)
{
	const char *line = text, *end, *p;

	while (line && *line) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		/* hierarchy-ID:controllers:path */
		p = memchr(line, ':', (size_t)(end - line));
		p = p ? memchr(p + 1, ':', (size_t)(end - p - 1)) : NULL;
		if (p)
			path(id, p + 1, (size_t)(end - p - 1));
		line = *end ? end + 1 : NULL;
	}
	return id->container[0] || id->pod_uid[0];
}

bool twa_ns_ident_from_pod_dir(struct twa_ns_ident *id, const char *dirname)
{
	const char *u, *us;
	size_t nl = strlen(dirname), ul = strlen(id->pod_uid), nsl;

	if (!ul || nl < ul + 4)
		return false;
	u = dirname + nl - ul;
	if (strcmp(u, id->pod_uid) || u[-1] != '_')
		return false;
	us = strchr(dirname, '_');
	if (!us || us >= u - 1)
		return false;
	nsl = (size_t)(us - dirname);
	if (nsl >= sizeof(id->pod_namespace) || (size_t)(u - 1 - us - 1) >= sizeof(id->pod_name))
		return false;
	memcpy(id->pod_namespace, dirname, nsl);
	id->pod_namespace[nsl] = '\0';
	memcpy(id->pod_name, us + 1, (size_t)(u - 1 - us - 1));
	id->pod_name[u - 1 - us - 1] = '\0';
	return true;
}

const char *twa_ns_ident_label(const struct twa_ns_ident *id, char *buf, size_t size)
{
	if (id->pod_name[0])
		snprintf(buf, size, "pod %s/%s", id->pod_namespace, id->pod_name);
	else if (id->pod_uid[0])
		snprintf(buf, size, "pod %s", id->pod_uid);
	else if (id->container[0])
		snprintf(buf, size, "%s %.12s", id->runtime, id->container);
	else if (id->name[0])
		snprintf(buf, size, "netns %s", id->name);
	else if (id->current)
		snprintf(buf, size, "current (twadvise's own)");
	else if (id->pid)
		snprintf(buf, size, "pid %d (%s)", id->pid, id->comm);
	else
		snprintf(buf, size, "net:[%" PRIu64 "]", id->inode);
	return buf;
}

const char *twa_ns_ident_kind(const struct twa_ns_ident *id)
{
	if (id->pod_uid[0])
		return "pod";
	if (id->container[0])
		return "container";
	if (id->name[0])
		return "named";
	if (id->current)
		return "current";
	return "process";
}

void twa_ns_ident_netns(const struct twa_ns_ident *id, char *buf, size_t size)
{
	snprintf(buf, size, "net:[%" PRIu64 "]", id->inode);
}

const char *twa_ns_state_name(enum twa_ns_state s)
{
	static const char *const names[] = { "judged", "gone", "unreadable" };

	return s <= TWA_NS_UNREADABLE ? names[s] : "unknown";
}

static json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *twa_ns_ident_to_json(const struct twa_ns_ident *id, json_object *o)
{
	json_object *c = NULL, *p = NULL, *proc = NULL;
	char buf[256];

	twa_ns_ident_netns(id, buf, sizeof(buf));
	json_object_object_add(o, "netns", json_object_new_string(buf));
	json_object_object_add(o, "inode", json_object_new_int64((int64_t)id->inode));
	json_object_object_add(o, "path", json_object_new_string(id->path));
	json_object_object_add(o, "label", json_object_new_string(twa_ns_ident_label(id, buf, sizeof(buf))));
	json_object_object_add(o, "kind", json_object_new_string(twa_ns_ident_kind(id)));
	json_object_object_add(o, "name", str_or_null(id->name));
	json_object_object_add(o, "current", json_object_new_boolean(id->current));
	if (id->container[0]) {
		c = json_object_new_object();
		json_object_object_add(c, "runtime", json_object_new_string(id->runtime));
		json_object_object_add(c, "id", json_object_new_string(id->container));
	}
	if (id->pod_uid[0]) {
		p = json_object_new_object();
		json_object_object_add(p, "uid", json_object_new_string(id->pod_uid));
		json_object_object_add(p, "namespace", str_or_null(id->pod_namespace));
		json_object_object_add(p, "name", str_or_null(id->pod_name));
	}
	if (id->pid) {
		proc = json_object_new_object();
		json_object_object_add(proc, "pid", json_object_new_int(id->pid));
		json_object_object_add(proc, "comm", json_object_new_string(id->comm));
	}
	json_object_object_add(o, "container", c);
	json_object_object_add(o, "pod", p);
	json_object_object_add(o, "process", proc);
	return o;
}
