/* SPDX-License-Identifier: MIT */
/* nsident.h - who lives in a network namespace: ip netns name, container,
 * Kubernetes pod, or a process; parsed from cgroup paths and kubelet log
 * directory names (pure). */
#ifndef TWA_NSIDENT_H
#define TWA_NSIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

enum twa_ns_state {
	TWA_NS_JUDGED,		/* entered and judged */
	TWA_NS_GONE,		/* vanished between discovery and setns */
	TWA_NS_UNREADABLE,	/* could not be entered (permission) */
};

struct twa_ns_ident {
	uint64_t inode;
	char path[80];		/* what --netns takes: /run/netns/NAME or /proc/PID/ns/net */
	char name[64];		/* ip netns (or docker netns) name; "" none */
	bool current;		/* the namespace twadvise runs in */
	char runtime[16];	/* docker, containerd, crio, podman, cri; "" none */
	char container[72];	/* container id (hex) */
	char pod_uid[40];	/* Kubernetes pod UID with dashes */
	char pod_namespace[64], pod_name[128];	/* from the kubelet's log dirs */
	int pid;		/* a process in it (the lowest pid seen); 0 none */
	char comm[32];
	unsigned cgroups_read;	/* cgroup files read looking for an owner */
};

/* Take what one /proc/PID/cgroup text says: a container id and runtime
 * (docker-ID.scope, /docker/ID, cri-containerd-ID, crio-ID, libpod-ID;
 * conmon scopes are not the container), a pod UID (kubepods...podUID).
 * Fills only what id lacks. True when something was found. */
bool twa_ns_ident_from_cgroup(struct twa_ns_ident *id, const char *text);

/* A kubelet log directory name NAMESPACE_NAME_UID: when UID is id's pod
 * UID, fill pod_namespace and pod_name. True on a match. */
bool twa_ns_ident_from_pod_dir(struct twa_ns_ident *id, const char *dirname);

/* "pod default/web", "pod 1f2e...", "docker 0123456789ab", "netns blue",
 * "pid 42 (sleep)", "current" — a label a person recognises. */
const char *twa_ns_ident_label(const struct twa_ns_ident *id, char *buf, size_t size);

/* "pod", "container", "named", "current", "process". */
const char *twa_ns_ident_kind(const struct twa_ns_ident *id);

/* The kernel's name: net:[INODE]. */
void twa_ns_ident_netns(const struct twa_ns_ident *id, char *buf, size_t size);

const char *twa_ns_state_name(enum twa_ns_state s);

/* Add id's members to o (netns, inode, path, label, kind, name, current,
 * container, pod, process: the netns-findings shape); returns o. */
json_object *twa_ns_ident_to_json(const struct twa_ns_ident *id, json_object *o);

#endif
