# Makefile - build, test, install and benchmark twadvise. `make help` lists targets.

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SYSCONFDIR ?= /etc
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
LDFLAGS ?=

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
LIB_PKGS = yaml-0.1 json-c libcurl
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LIB_PKGS))
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(LIB_PKGS))
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNINGS) $(SAN_FLAGS) -MMD -MP \
	     -DTWA_VERSION='"$(VERSION)"' -DTWA_DATADIR='"$(DATADIR)/twadvise"' \
	     -DTWA_SYSCONFDIR='"$(SYSCONFDIR)"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)

LIB_SRC = $(sort $(wildcard advisor/*.c))
CMD_SRC = $(sort $(wildcard cmd/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
HELPER_SRC = $(sort $(wildcard tests/helpers/*.c))
BENCH_SRC = $(sort $(wildcard bench/*.c))

LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ = $(CMD_SRC:%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libtwadvise.a
BIN = $(BUILD)/twadvise
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_BIN = $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/helpers/%)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all run test unit integration bench fuzz valgrind install uninstall \
	clean help deps-build deps-test lint

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(LIB) $(PKG_LIBS) -lm

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) \
		$(CMOCKA_LIBS) $(PKG_LIBS) -lm

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lm

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lm

deps-build:
	@packaging/deps.sh build

deps-test:
	@packaging/deps.sh test

## run: build and run the main job: twadvise check on this host, default profile
run: deps-build
	@$(MAKE) --no-print-directory all
	$(BIN) check

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

## bench: fill a private namespace with 200k sockets, compare with ss, netstat, a bare dump
bench:
	@packaging/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_BIN) $(HELPER_BIN)
	@TWADVISE=$(CURDIR)/$(BIN) BENCHDIR=$(CURDIR)/$(BUILD)/bench \
		HELPERS=$(CURDIR)/$(BUILD)/tests/helpers bench/run.sh

## install: binary, profiles, man page, completion, units (PREFIX, DESTDIR)
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/twadvise/profiles
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/twadvise
	install -m 0644 profiles/*.yaml $(DESTDIR)$(DATADIR)/twadvise/profiles/

## uninstall: remove what install put in place
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/twadvise
	rm -rf $(DESTDIR)$(DATADIR)/twadvise

## clean: remove build/
clean:
	rm -rf build

## help: this list
help:
	@echo "usage: make [TARGET] [VAR=value ...]"
	@echo
	@sed -n 's/^## //p' $(MAKEFILE_LIST) | awk -F': ' '{ printf "  %-12s %s\n", $$1, $$2 }'
	@echo
	@echo "variables: PREFIX DESTDIR BINDIR SBINDIR DATADIR MANDIR SYSCONFDIR CC CFLAGS LDFLAGS"
	@echo "           PKG_CONFIG DEVELOPER=1 (-Werror) SANITIZE=address,undefined"

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
