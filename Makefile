# Makefile - build, test, install and benchmark twadvise. `make help` lists targets.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
LDLIBS ?=

WARNINGS = -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	   -Wvla -Wwrite-strings -fno-common
ifeq ($(DEVELOPER),1)
WARNINGS += -Werror
endif

BUILD ?= build
ifdef SANITIZE
BUILD := $(BUILD)/sanitize
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

# Lazily expanded: pkg-config runs only when something is compiled, so
# `make help` and `make test` (which installs the -dev packages first)
# work on a machine that lacks them.
LIB_PKGS = yaml-0.1 json-c
# libcurl: its headers only; advisor/util/http.c loads libcurl.so.4 on first use.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LIB_PKGS) libcurl)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(LIB_PKGS))
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

# The GNU conventions: the user's CPPFLAGS and CFLAGS come after ours on
# every compile line, LDFLAGS before the objects, LDLIBS at the very end.
ALL_CPPFLAGS = -D_GNU_SOURCE -I. -DTWA_VERSION='"$(VERSION)"' \
	       -DTWA_DATADIR='"$(DATADIR)/twadvise"' -DTWA_SYSCONFDIR='"$(SYSCONFDIR)"' \
	       $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(ALL_CPPFLAGS) $(WARNINGS) $(SAN_FLAGS) -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
ALL_LDLIBS = $(PKG_LIBS) -lm $(LDLIBS)

# advisor/trace/*.bpf.c is the BPF side of the tracer, built below with
# clang -target bpf, not part of the library.
LIB_SRC = $(sort $(filter-out %.bpf.c,$(wildcard advisor/*/*.c)))
CMD_SRC = $(sort $(wildcard cmd/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
HELPER_SRC = $(sort $(wildcard tests/helpers/*.c))
BENCH_SRC = $(sort $(wildcard bench/*.c))

LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ = $(CMD_SRC:%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libtwadvise.a
BIN = $(BUILD)/twadvise
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# twadvise-hooks: twadvise with the test hooks (TWA_TEST_HOOKS), for the
# integration tests only; the installed binary has none.
HOOKS_BIN = $(BUILD)/tests/helpers/twadvise-hooks
HELPER_BIN = $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/helpers/%) $(HOOKS_BIN)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test unit integration bench bench-trace fuzz valgrind install uninstall \
	clean help deps-build deps-test deps-lint lint

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The tracer's BPF object: vmlinux.h from this kernel's BTF (CO-RE: the
# object relocates to the running kernel at load), compiled with clang
# -target bpf, DWARF dropped (BTF stays), embedded by bpftool into a
# skeleton that trace_load.c includes. libbpf itself is loaded at run time.
BPF_CLANG ?= clang
BPFTOOL ?= bpftool
BPF_STRIP ?= llvm-strip
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
TRACE_GEN = $(BUILD)/trace-gen
BPF_ARCH = $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

$(TRACE_GEN)/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c >$@.tmp && mv $@.tmp $@

$(TRACE_GEN)/trace.bpf.o: advisor/trace/trace.bpf.c advisor/trace/trace_abi.h $(TRACE_GEN)/vmlinux.h
	$(BPF_CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -I$(TRACE_GEN) -I. \
		-Wall -Werror -c -o $@ $<
	$(BPF_STRIP) -g $@

$(TRACE_GEN)/trace.skel.h: $(TRACE_GEN)/trace.bpf.o
	$(BPFTOOL) gen skeleton $< name twa_trace_bpf >$@.tmp && mv $@.tmp $@

$(BUILD)/advisor/trace/trace_load.o: $(TRACE_GEN)/trace.skel.h
# -isystem: the generated skeleton is bpftool's code, not held to our warnings.
$(BUILD)/advisor/trace/trace_load.o: ALL_CPPFLAGS += -isystem $(TRACE_GEN)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIB) $(ALL_LDLIBS)

$(BUILD)/tests/hooks/%.o: cmd/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DTWA_TEST_HOOKS -c -o $@ $<

$(HOOKS_BIN): $(filter-out $(BUILD)/cmd/apply.o $(BUILD)/cmd/allnetns.o,$(CMD_OBJ)) \
	      $(BUILD)/tests/hooks/apply.o $(BUILD)/tests/hooks/allnetns.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS) -lm

# Per-test -Wl,--wrap= fakes of the edge modules a test replaces.
WRAP_test_apply = -Wl,--wrap=twa_sysctl_read,--wrap=twa_sysctl_write,--wrap=twa_sysctl_check_writable
WRAP_test_state_mkdir_race = -Wl,--wrap=mkdir
WRAP_test_dump_intr = -Wl,--wrap=twa_nl_open,--wrap=twa_nl_dump,--wrap=twa_nl_close,--wrap=twa_sysctl_read,--wrap=twa_proc_read,--wrap=twa_proc_readlink,--wrap=twa_lines_open
WRAP_test_strbuf = -Wl,--wrap=malloc,--wrap=realloc
# The regression test compiles the fuzz harnesses in (#include).
$(BUILD)/tests/test_fuzz_regressions: $(wildcard tests/fuzz/*.c tests/fuzz/*.h)

# tests/unit/testlib.c (fixtures, facts, JSON comparison) is in every test.
TESTLIB_OBJ = $(BUILD)/tests/testlib.o

$(TESTLIB_OBJ): tests/unit/testlib.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(TESTLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(TESTLIB_OBJ) $(LIB) \
		$(CMOCKA_LIBS) $(ALL_LDLIBS) $(WRAP_test_$*)

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(ALL_LDLIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(ALL_LDLIBS)

deps-build:
	@packaging/deps.sh build

deps-test:
	@packaging/deps.sh test

deps-lint:
	@packaging/deps.sh lint

## run: build and run the main job: twadvise check on this host, default profile
# Findings (exit 1 WARNING, 2 CRITICAL) are the job's answer, not a build
# failure; UNKNOWN (3) is.
run: deps-build
	@$(MAKE) --no-print-directory all
	@$(BIN) check; rc=$$?; echo "twadvise check exited $$rc (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)"; \
		[ $$rc -le 2 ]

## test: install test dependencies, build, run unit and integration tests
test: deps-test
	@$(MAKE) --no-print-directory unit integration

## unit: cmocka unit tests on fixtures
unit: $(UNIT_BIN) $(BIN)
	@tests/run-unit.sh $(UNIT_BIN)

## integration: real sockets and sysctls, each test in its own network namespace
integration: $(BIN) $(HELPER_BIN)
	@TWADVISE=$(CURDIR)/$(BIN) HELPERS=$(CURDIR)/$(BUILD)/tests/helpers \
		tests/integration/run.sh

## bench: fill a private namespace with 200k sockets, compare with ss, netstat, a bare dump; trace overhead
bench:
	@packaging/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_BIN) $(HELPER_BIN)
	@TWADVISE=$(CURDIR)/$(BIN) BENCHDIR=$(CURDIR)/$(BUILD)/bench \
		HELPERS=$(CURDIR)/$(BUILD)/tests/helpers bench/run.sh
	@$(MAKE) --no-print-directory bench-trace

## bench-trace: a loopback connect/close loop at full rate, without and with `trace` attached: the ratio
bench-trace:
	@$(MAKE) --no-print-directory all $(HELPER_BIN)
	@TWADVISE=$(CURDIR)/$(BIN) HELPERS=$(CURDIR)/$(BUILD)/tests/helpers bench/trace_overhead.sh

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang whatever $(CC)
# is, against the library rebuilt in its own directory with the fuzzer's
# coverage instrumentation, ASan and UBSan.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZ_BUILD ?= build/fuzz
FUZZ_CFLAGS = -std=c11 $(ALL_CPPFLAGS) $(WARNINGS) -g -O1 \
	      -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	      $(CFLAGS)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ = $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)

$(FUZZ_BUILD)/advisor/%.o: advisor/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		-fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt -MMD -MP -c -o $@ $<

# The fuzz build's library holds the loader too: same skeleton.
$(FUZZ_BUILD)/advisor/trace/trace_load.o: $(TRACE_GEN)/trace.skel.h
$(FUZZ_BUILD)/advisor/trace/trace_load.o: FUZZ_CFLAGS += -isystem $(TRACE_GEN)

$(FUZZ_BUILD)/libtwadvise.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libtwadvise.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
		$(FUZZ_BUILD)/libtwadvise.a $(ALL_LDLIBS)

.PHONY: fuzz-build

## fuzz: libFuzzer + ASan + UBSan on every parser, FUZZ_SECONDS (60) each; fails on a crash
fuzz:
	@packaging/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_BUILD=$(CURDIR)/$(FUZZ_BUILD) \
		tests/fuzz/run.sh $(FUZZ_BIN)

## fuzz-build: build the fuzz harnesses (clang) without running them
fuzz-build: $(FUZZ_BIN)

# valgrind memcheck over the unit tests and, through tests/valgrind-wrap.sh,
# every twadvise the integration tests run. Not with SANITIZE builds.
VALGRIND_FLAGS = --leak-check=full --errors-for-leak-kinds=definite,indirect \
		 --error-exitcode=1 --track-fds=no --quiet
# Tests that start twadvise in the background and race it with fixed
# sleeps (a sample must be taken within 0.5 s): valgrind's slower start
# breaks their timing, not their memory. They run too, but only their
# twadvise runs' valgrind reports count, not their verdicts.
VALGRIND_SKIP ?= t_check_tw_overflow t_inspect_samples
VALGRIND_TESTS = $(filter-out $(VALGRIND_SKIP:%=tests/integration/%.sh),\
		 $(sort $(wildcard tests/integration/t_*.sh)))

## valgrind: unit and integration tests under valgrind memcheck (leaks are errors)
valgrind:
	@if [ -n "$(SANITIZE)" ]; then echo "make valgrind: not with SANITIZE" >&2; exit 64; fi
	@packaging/deps.sh valgrind
	@$(MAKE) --no-print-directory $(UNIT_BIN) $(BIN) $(HELPER_BIN)
	@RUNNER="valgrind $(VALGRIND_FLAGS)" UNIT_TIMEOUT=900 tests/run-unit.sh $(UNIT_BIN)
	@logs=$$(mktemp -d /tmp/twa-valgrind.XXXXXX) && chmod 1777 $$logs && \
	TWADVISE=$(CURDIR)/tests/valgrind-wrap.sh TWADVISE_REAL=$(CURDIR)/$(BIN) \
		VALGRIND_LOG_DIR=$$logs HELPERS=$(CURDIR)/$(BUILD)/tests/helpers \
		tests/integration/run.sh $(VALGRIND_TESTS); rc=$$?; \
	echo "timing-sensitive tests, verdicts not counted: $(VALGRIND_SKIP)"; \
	TWADVISE=$(CURDIR)/tests/valgrind-wrap.sh TWADVISE_REAL=$(CURDIR)/$(BIN) \
		VALGRIND_LOG_DIR=$$logs HELPERS=$(CURDIR)/$(BUILD)/tests/helpers \
		tests/integration/run.sh $(VALGRIND_SKIP:%=%.sh) | sed 's/^/    /'; \
	tests/valgrind-wrap.sh --report $$logs || rc=1; rm -rf $$logs; exit $$rc

## lint: layering, OS edges, cycles, function length, SPDX headers, shellcheck, clang -Werror build
# (tests/lint/lint.sh). Each step alone: make lint-layers, lint-edges,
# lint-cycles, lint-funclen, lint-spdx, lint-shellcheck, lint-clang.
LINT_STEPS = layers edges cycles funclen spdx shellcheck clang
.PHONY: $(LINT_STEPS:%=lint-%) lint-objs
lint: deps-lint
	@$(MAKE) --no-print-directory lint-objs
	@OBJDIR=$(BUILD) MAKE="$(MAKE)" tests/lint/lint.sh $(LINT_STEPS)

$(LINT_STEPS:%=lint-%): lint-%:
	@OBJDIR=$(BUILD) MAKE="$(MAKE)" tests/lint/lint.sh $*
# The call-cycle check reads the objects with nm.
lint-cycles: lint-objs
lint-objs: $(LIB_OBJ) $(CMD_OBJ)

## install: binary, profiles, man page, bash completion, systemd units, Ansible module, collection, role, alert rules
# (PREFIX, DESTDIR, BINDIR, DATADIR, MANDIR, SYSCONFDIR, LOCALSTATEDIR, BASHCOMPDIR,
# SYSTEMDUNITDIR). The man page, the unit and the examples name the paths
# this install uses.
INSTALL ?= install
PROFILES = $(sort $(wildcard profiles/*.yaml))
ANSIBLE_EXAMPLES = $(sort $(wildcard packaging/ansible/examples/*.yml)) \
		   packaging/ansible/examples/inventory.example
# The twadvise.twadvise collection: its sources, the tarball
# `ansible-galaxy collection build` makes of them, and its role (installed
# on its own as well, under $(DATADIR)/twadvise/ansible/roles).
COLL_DIR = packaging/ansible/collection
COLL_SRC = $(shell find $(COLL_DIR) -type f ! -name '*.tar.gz' 2>/dev/null)
COLL_TARBALL = $(BUILD)/twadvise-twadvise-$(VERSION).tar.gz
ROLE_FILES = $(sort $(wildcard $(COLL_DIR)/roles/twadvise/*/*.yml))
PROM_RULES = packaging/prometheus/twadvise.rules.yml packaging/prometheus/twadvise.rules.test.yml
TWA_SHARE = $(DESTDIR)$(DATADIR)/twadvise
INSTALL_PATHS = -e 's|/usr/bin/twadvise|$(BINDIR)/twadvise|g' \
		-e 's|/usr/share/twadvise|$(DATADIR)/twadvise|g' \
		-e 's|/etc/twadvise|$(SYSCONFDIR)/twadvise|g'

# The paths compiled into the binary: rebuild profile_path.o when PREFIX,
# DATADIR or SYSCONFDIR differ from the last build (`make && make install
# PREFIX=/usr` must not install a binary looking in /usr/local).
$(BUILD)/paths.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR) $(SYSCONFDIR)' | cmp -s - $@ || echo '$(DATADIR) $(SYSCONFDIR)' >$@
$(BUILD)/cmd/profile_path.o: $(BUILD)/paths.stamp
.PHONY: FORCE
FORCE:

## collection: build the Ansible collection tarball (ansible-galaxy, offline) into build/
.PHONY: collection
collection: $(COLL_TARBALL)
$(COLL_TARBALL): $(COLL_SRC)
	@mkdir -p $(BUILD)
	@grep -qx 'version: $(VERSION)' $(COLL_DIR)/galaxy.yml || \
		{ echo "$(COLL_DIR)/galaxy.yml: version is not $(VERSION)" >&2; exit 1; }
	HOME=$(CURDIR)/$(BUILD)/galaxy-home ansible-galaxy collection build --force \
		--output-path $(BUILD) $(COLL_DIR)

install: $(BIN) $(COLL_TARBALL)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(TWA_SHARE)/profiles $(TWA_SHARE)/ansible/library \
		$(TWA_SHARE)/ansible/examples $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(TWA_SHARE)/prometheus \
		$(addprefix $(TWA_SHARE)/ansible/roles/twadvise/,defaults meta tasks vars)
	$(INSTALL) -m 0644 $(COLL_TARBALL) $(TWA_SHARE)/ansible/
	for f in $(ROLE_FILES); do \
		$(INSTALL) -m 0644 $$f $(TWA_SHARE)/ansible/roles/twadvise/$${f#$(COLL_DIR)/roles/twadvise/} || exit 1; \
	done
	$(INSTALL) -m 0644 $(PROM_RULES) $(TWA_SHARE)/prometheus/
	$(INSTALL) -d -m 0700 $(DESTDIR)$(LOCALSTATEDIR)/lib/twadvise
	$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/twadvise
	$(INSTALL) -m 0644 $(PROFILES) $(TWA_SHARE)/profiles/
	$(INSTALL) -m 0644 packaging/completion/twadvise.bash $(DESTDIR)$(BASHCOMPDIR)/twadvise
	$(INSTALL) -m 0644 packaging/ansible/library/twadvise.py $(TWA_SHARE)/ansible/library/
	$(INSTALL) -m 0644 $(ANSIBLE_EXAMPLES) $(TWA_SHARE)/ansible/examples/
	$(INSTALL) -m 0644 packaging/systemd/twadvise-check.timer $(DESTDIR)$(SYSTEMDUNITDIR)/
	sed $(INSTALL_PATHS) packaging/man/twadvise.8 >$(DESTDIR)$(MANDIR)/man8/twadvise.8
	sed $(INSTALL_PATHS) packaging/systemd/twadvise-check.service \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/twadvise-check.service
	sed $(INSTALL_PATHS) packaging/ansible/examples/ansible.cfg >$(TWA_SHARE)/ansible/examples/ansible.cfg
	chmod 0644 $(DESTDIR)$(MANDIR)/man8/twadvise.8 $(DESTDIR)$(SYSTEMDUNITDIR)/twadvise-check.service \
		$(TWA_SHARE)/ansible/examples/ansible.cfg

## uninstall: remove exactly what install put in place (a state directory with snapshots stays)
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/twadvise $(DESTDIR)$(MANDIR)/man8/twadvise.8 \
		$(DESTDIR)$(BASHCOMPDIR)/twadvise $(DESTDIR)$(SYSTEMDUNITDIR)/twadvise-check.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/twadvise-check.timer \
		$(addprefix $(TWA_SHARE)/profiles/,$(notdir $(PROFILES))) \
		$(TWA_SHARE)/ansible/library/twadvise.py \
		$(addprefix $(TWA_SHARE)/ansible/examples/,$(notdir $(ANSIBLE_EXAMPLES)) ansible.cfg) \
		$(TWA_SHARE)/ansible/$(notdir $(COLL_TARBALL)) \
		$(ROLE_FILES:$(COLL_DIR)/roles/%=$(TWA_SHARE)/ansible/roles/%) \
		$(addprefix $(TWA_SHARE)/prometheus/,$(notdir $(PROM_RULES)))
	for d in $(TWA_SHARE)/profiles $(TWA_SHARE)/ansible/library $(TWA_SHARE)/ansible/examples \
		$(addprefix $(TWA_SHARE)/ansible/roles/twadvise/,defaults meta tasks vars) \
		$(TWA_SHARE)/ansible/roles/twadvise $(TWA_SHARE)/ansible/roles $(TWA_SHARE)/prometheus \
		$(TWA_SHARE)/ansible $(TWA_SHARE) $(DESTDIR)$(LOCALSTATEDIR)/lib/twadvise; do \
		if [ -d "$$d" ]; then rmdir --ignore-fail-on-non-empty "$$d"; fi; \
	done

.PHONY: deb rpm package-test
PKGDIR ?= $(BUILD)/packages

## deb: build the Debian package from a scratch copy of the tree into PKGDIR (build/packages)
deb:
	@packaging/deps.sh package
	packaging/build-packages.sh deb $(PKGDIR)

## rpm: build the RPM (rpmbuild, --nodeps on non-RPM systems) into PKGDIR
rpm:
	@packaging/deps.sh package
	packaging/build-packages.sh rpm $(PKGDIR)

## package-test: build both packages, lintian, check their contents (slow, not in make test)
package-test:
	@packaging/deps.sh package
	packaging/test-packages.sh

## clean: remove build/
clean:
	rm -rf build

## help: this list
help:
	@echo "usage: make [TARGET] [VAR=value ...]"
	@echo
	@sed -n 's/^## //p' $(MAKEFILE_LIST) | awk '{ i = index($$0, ": "); printf "  %-12s %s\n", substr($$0, 1, i - 1), substr($$0, i + 2) }'
	@echo
	@echo "variables: PREFIX DESTDIR BINDIR DATADIR MANDIR SYSCONFDIR LOCALSTATEDIR"
	@echo "           BASHCOMPDIR SYSTEMDUNITDIR PKGDIR CC CPPFLAGS CFLAGS LDFLAGS LDLIBS"
	@echo "           PKG_CONFIG DEVELOPER=1 (-Werror) SANITIZE=address,undefined"
	@echo "           FUZZ_SECONDS FUZZ_JOBS FUZZ_CC FUZZ_BUILD VALGRIND_SKIP FUNC_MAX (lint)"

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(BUILD)/tests/hooks/apply.d $(BUILD)/tests/hooks/allnetns.d $(UNIT_BIN:=.d) $(TESTLIB_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d)
