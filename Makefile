# kssp - Kerberos 5 client stack with a Windows SSPI facade.  GNU make.
#
#   make            build/libkssp.a, build/libkssp.so, build/kssp, the examples
#   make check      layer rules, unit suites (Check), export and install tests,
#                   CLI and replay tests, interop tests
#   make asan       the same tests under AddressSanitizer + UBSan (build/asan/)
#   make tsan       the same tests under ThreadSanitizer, clang (build/tsan/;
#                   about 5.5 minutes on 2 cores, too long for every CI run)
#   make static     build/kssp-static, fully static (without TLS)
#   make static-musl build/musl/kssp-static and build/musl/libkssp.a, with
#                   musl-gcc against a Nettle built for musl
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need
#
# This file is the build.  The rest is in mk/: test.mk (check, asan, tsan,
# unit, interop), peers.mk (the programs the tests talk to), lint.mk (lint,
# check-layers), fuzz.mk, bench.mk, demo.mk (demo, examples) and load.mk.
#
# Sources are found by folder: every .c in a layer folder goes into the
# library, every .c in cli/ into the tool, every .c in test/unit/ into the
# unit-test runner (a file declares its suite as `Suite *kssp_suite_NAME(void)`).

BUILD      ?= build
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
CFLAGS     ?= -O2 -g
LDFLAGS    ?=
AR         ?= ar
# GNU make's built-in default is "cc"; keep it unless the caller chose.
CC         ?= cc

VERSION := $(shell sed -n 's/^\#define KSSP_VERSION_STRING "\(.*\)"/\1/p' include/kssp/kssp.h)
SONAME  := libkssp.so.0

# Sanitizer builds: SAN=asan or SAN=tsan, each in its own build folder.
SAN ?=
SO_UNDEFINED := -Wl,--no-undefined
ifeq ($(SAN),asan)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ifeq ($(SAN),tsan)
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
# clang links the ThreadSanitizer runtime into executables only: the shared
# library leaves its __tsan_* symbols to the program that loads it.
SO_UNDEFINED :=
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
# -fPIC everywhere: the same objects make the static and the shared library.
BASE_CFLAGS := -std=c11 $(WARN) -fvisibility=hidden -fPIC -D_DEFAULT_SOURCE \
	-I. -Iinclude $(SAN_FLAGS)
# One section per function and object, so that the links below drop what
# nothing reaches (--gc-sections): the shared library keeps only what its
# exported API calls, the static tool only what its commands call.
BASE_CFLAGS += -ffunction-sections -fdata-sections

# pkg-config is asked on first use and only once (the eval caches the answer),
# so `make deps` can run before pkg-config itself is installed.
lazy = $(eval $1 := $(shell $2))$($1)
NETTLE_CFLAGS = $(call lazy,NETTLE_CFLAGS,$(PKG_CONFIG) --cflags nettle 2>/dev/null)
NETTLE_LIBS   = $(call lazy,NETTLE_LIBS,$(PKG_CONFIG) --libs nettle 2>/dev/null || echo -lnettle)
NETTLE_STATIC_LIBS = $(call lazy,NETTLE_STATIC_LIBS,$(PKG_CONFIG) --static --libs nettle 2>/dev/null || echo -lnettle)
TEST_CFLAGS   = $(call lazy,TEST_CFLAGS,$(PKG_CONFIG) --cflags check libtasn1 2>/dev/null)
TEST_LIBS     = $(call lazy,TEST_LIBS,$(PKG_CONFIG) --libs check libtasn1 2>/dev/null) -lpthread

# TLS (the https:// KDC proxy transport, kdc/tls.c) through GnuTLS:
# KSSP_TLS=auto (the default) builds it when pkg-config finds gnutls,
# KSSP_TLS=yes requires it, KSSP_TLS=no leaves it out (an https:// KDC then
# fails with "built without TLS").  TLS_LIBS joins every link of the library.
KSSP_TLS ?= auto
ifeq ($(KSSP_TLS),no)
TLS_FOUND :=
else
TLS_FOUND = $(call lazy,TLS_FOUND,$(PKG_CONFIG) --exists gnutls 2>/dev/null && echo yes)
endif
TLS_CFLAGS = $(if $(TLS_FOUND),-DKSSP_TLS $(call lazy,TLS_PKG_CFLAGS,$(PKG_CONFIG) --cflags gnutls))
# GnuTLS is loaded with dlopen when a TLS connection is first made (kdc/tls.c):
# nothing of it is linked, so processes that never use TLS do not load it.
TLS_LIBS   = $(if $(TLS_FOUND),-ldl)
LIB_LIBS   = $(NETTLE_LIBS) $(TLS_LIBS)

ALL_CFLAGS = $(BASE_CFLAGS) $(NETTLE_CFLAGS) $(CFLAGS)

LAYERS    := base asn1 crypto creds kdc context sspi
LIB_SRC   := $(sort $(wildcard $(addsuffix /*.c,$(LAYERS))))
CLI_SRC   := $(sort $(wildcard cli/*.c))
UNIT_SRC  := $(sort $(wildcard test/unit/*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
ALL_OBJ   := $(LIB_OBJ) $(CLI_OBJ) $(UNIT_OBJ)

LIB_A     := $(BUILD)/libkssp.a
LIB_SO    := $(BUILD)/libkssp.so
KSSP      := $(BUILD)/kssp
# examples/: an HTTP Negotiate header helper and the SSPI client / server
# pair, built against the public headers and the static library.
EXAMPLES  := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))

.PHONY: all build deps static static-musl install uninstall clean

# The user-facing targets first make sure the Debian packages are there
# (build-aux/deps.sh: installs as root, else prints the apt-get command),
# then build in a sub-make so that nothing compiles before that finished.
all:
	@sh build-aux/deps.sh build
	@$(MAKE) --no-print-directory build

build: tls-note $(LIB_A) $(LIB_SO) $(KSSP) $(EXAMPLES)

# Says whether this build has TLS; the TLS object is rebuilt when that changes.
.PHONY: tls-note
tls-note:
	@if [ "$(KSSP_TLS)" = yes ] && [ -z "$(TLS_FOUND)" ]; then \
		echo "kssp: KSSP_TLS=yes but pkg-config finds no gnutls (apt-get install libgnutls28-dev)" >&2; exit 1; fi
	@if [ -n "$(TLS_FOUND)" ]; then echo "kssp: TLS (https:// KDC proxies): GnuTLS"; \
	else echo "kssp: TLS (https:// KDC proxies): not built$(if $(filter no,$(KSSP_TLS)), (KSSP_TLS=no), (GnuTLS not found: apt-get install libgnutls28-dev))"; fi
$(BUILD)/obj/kdc/tls.o: $(BUILD)/obj/kdc/tls.flag
# Rewritten only when the answer changes, so make rebuilds tls.o only then.
$(BUILD)/obj/kdc/tls.flag: FORCE
	@mkdir -p $(@D)
	@echo "$(TLS_FOUND)" | cmp -s - $@ || echo "$(TLS_FOUND)" > $@
.PHONY: FORCE
FORCE:

deps:
	@sh build-aux/deps.sh all

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(if $(filter test/%,$<),$(TEST_CFLAGS)) \
		$(if $(filter kdc/tls.c,$<),$(TLS_CFLAGS)) -MMD -MP -c $< -o $@

-include $(ALL_OBJ:.o=.d)

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(LIB_SO): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) $(SO_UNDEFINED) $(LDFLAGS) \
		-o $@ $^ $(LIB_LIBS)
	ln -sf libkssp.so $(BUILD)/$(SONAME)

$(LIB_SO) $(KSSP) $(BUILD)/kssp-static: LDFLAGS += -Wl,--gc-sections
# The static tool is the deployable one (appliances, minimal images): its
# symbols and debug information are left out (-s); build/kssp keeps them.
$(BUILD)/kssp-static: LDFLAGS += -s

$(KSSP): $(CLI_OBJ) $(LIB_A)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB_A) $(LIB_LIBS)

static:
	@sh build-aux/deps.sh build
	@$(MAKE) --no-print-directory $(BUILD)/kssp-static
	@echo "kssp-static: TLS (https:// KDC proxies): not built (GnuTLS needs p11-kit and libunistring, which Debian ships no static libraries of)"

# The static tool's library: the same objects, with kdc/tls.c built without TLS.
STATIC_LIB_A := $(BUILD)/static/libkssp.a
$(BUILD)/obj/kdc/tls-none.o: kdc/tls.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
-include $(BUILD)/obj/kdc/tls-none.d

$(STATIC_LIB_A): $(filter-out $(BUILD)/obj/kdc/tls.o,$(LIB_OBJ)) $(BUILD)/obj/kdc/tls-none.o
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/kssp-static: $(CLI_OBJ) $(STATIC_LIB_A)
	$(CC) $(ALL_CFLAGS) -static $(LDFLAGS) -o $@ $(CLI_OBJ) $(STATIC_LIB_A) $(NETTLE_STATIC_LIBS)

# The same static tool and library with musl instead of glibc, in their own
# build folder: musl resolves host names from /etc/hosts and DNS itself
# (glibc's static programs load NSS modules at run time), so the tool runs
# in an empty root.  musl-gcc sees only musl's headers and libraries, so
# Nettle is built for it too (build-aux/musl-nettle.sh: Debian's source
# package, kept under MUSL_NETTLE; the second run reuses it).
MUSL_BUILD  ?= build/musl
MUSL_NETTLE := $(MUSL_BUILD)/nettle
static-musl:
	@sh build-aux/deps.sh musl
	@sh build-aux/musl-nettle.sh $(MUSL_NETTLE)
	@$(MAKE) --no-print-directory BUILD=$(MUSL_BUILD) CC=musl-gcc SAN= PKG_CONFIG=false \
		NETTLE_CFLAGS=-I$(MUSL_NETTLE)/include \
		NETTLE_LIBS=$(MUSL_NETTLE)/lib/libnettle.a \
		NETTLE_STATIC_LIBS=$(MUSL_NETTLE)/lib/libnettle.a KSSP_TLS=no \
		$(MUSL_BUILD)/libkssp.a $(MUSL_BUILD)/kssp-static
	@echo "musl build: TLS (https:// KDC proxies): not built (no GnuTLS for musl)"

install: build
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/kssp $(DESTDIR)$(BINDIR)
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libkssp.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libkssp.so.$(VERSION)
	ln -sf libkssp.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libkssp.so
	install -m 644 include/kssp/*.h $(DESTDIR)$(INCLUDEDIR)/kssp/
	install -m 755 $(KSSP) $(DESTDIR)$(BINDIR)/kssp
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 kssp.1 $(DESTDIR)$(MANDIR)/man1/kssp.1
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		kssp.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/kssp.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libkssp.a $(DESTDIR)$(LIBDIR)/libkssp.so* \
		$(DESTDIR)$(LIBDIR)/pkgconfig/kssp.pc $(DESTDIR)$(BINDIR)/kssp \
		$(DESTDIR)$(MANDIR)/man1/kssp.1
	rm -rf $(DESTDIR)$(INCLUDEDIR)/kssp

clean:
	rm -rf build

# Peers first: the test targets list them as prerequisites.
include mk/peers.mk mk/test.mk mk/lint.mk mk/bench.mk mk/demo.mk mk/load.mk mk/fuzz.mk
