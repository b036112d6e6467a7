/* SPDX-License-Identifier: MIT */
/* test_nsident.c - unit tests for advisor/facts/nsident.h and advisor/rules/nsfix.h:
 * container and pod ids from cgroup paths, pod names, labels, the safe list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "advisor/facts/nsident.h"
#include "advisor/rules/nsfix.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "1f2e3d4c-5b6a-4789-8abc-0123456789ab"
#define UID_ "1f2e3d4c_5b6a_4789_8abc_0123456789ab"

static void parse(const char *text, const char *runtime, const char *cid, const char *uid)
{
	struct twa_ns_ident id;

	memset(&id, 0, sizeof(id));
	assert_int_equal(twa_ns_ident_from_cgroup(&id, text), runtime[0] || uid[0]);
	assert_string_equal(id.runtime, runtime);
	assert_string_equal(id.container, cid);
	assert_string_equal(id.pod_uid, uid);
}

static void test_cgroup_shapes(void **state)
{
	(void)state;
	parse("0::/system.slice/docker-" ID64 ".scope\n", "docker", ID64, "");
	parse("12:memory:/docker/" ID64 "\n0::/\n", "docker", ID64, "");
	parse("0::/machine.slice/libpod-" ID64 ".scope/container\n", "podman", ID64, "");
	parse("0::/machine.slice/libpod-conmon-" ID64 ".scope\n", "", "", "");
	parse("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	      ".slice/cri-containerd-" ID64 ".scope\n", "containerd", ID64, UID);
	parse("0::/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID64 ".scope\n", "crio", ID64, UID);
	parse("0::/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID64 ".scope\n", "", "", UID);
	parse("0::/kubepods/besteffort/pod" UID "/" ID64 "\n", "cri", ID64, UID);
	parse("0::/user.slice/user-0.slice/session-1.scope\n", "", "", "");
	parse("garbage without colons", "", "", "");
	parse("0::/docker/not-hex\n", "", "", "");
}

static void test_pod_dir_and_label(void **state)
{
	struct twa_ns_ident id;
	char buf[256];

	(void)state;
	memset(&id, 0, sizeof(id));
	id.pid = 42;
	strcpy(id.comm, "sleep");
	assert_string_equal(twa_ns_ident_label(&id, buf, sizeof(buf)), "pid 42 (sleep)");
	strcpy(id.name, "blue");
	assert_string_equal(twa_ns_ident_label(&id, buf, sizeof(buf)), "netns blue");
	twa_ns_ident_from_cgroup(&id, "0::/kubepods/pod" UID "/" ID64 "\n");
	assert_string_equal(twa_ns_ident_label(&id, buf, sizeof(buf)), "pod " UID);
	assert_false(twa_ns_ident_from_pod_dir(&id, "default_web_0000"));
	assert_false(twa_ns_ident_from_pod_dir(&id, UID));
	assert_true(twa_ns_ident_from_pod_dir(&id, "shop_web-0_" UID));
	assert_string_equal(id.pod_namespace, "shop");
	assert_string_equal(id.pod_name, "web-0");
	assert_string_equal(twa_ns_ident_label(&id, buf, sizeof(buf)), "pod shop/web-0");
	assert_string_equal(twa_ns_ident_kind(&id), "pod");
}

static void test_safe_list(void **state)
{
	(void)state;
	assert_string_equal(twa_k8s_safe_since("net.ipv4.ip_local_port_range"), "1.0");
	assert_string_equal(twa_k8s_safe_since("net.ipv4.ip_local_reserved_ports"), "1.27");
	assert_string_equal(twa_k8s_safe_since("net.ipv4.tcp_fin_timeout"), "1.29");
	assert_null(twa_k8s_safe_since("net.ipv4.tcp_tw_reuse"));
	assert_null(twa_k8s_safe_since("net.core.somaxconn"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_shapes),
		cmocka_unit_test(test_pod_dir_and_label),
		cmocka_unit_test(test_safe_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
