# kssp - Kerberos 5 client stack with a Windows SSPI facade.  GNU make.
#
#   make            build/libkssp.a, build/libkssp.so, build/kssp
#   make check      unit suites (Check), export and install tests, interop tests
#   make asan       the same tests under AddressSanitizer + UBSan (build/asan/)
#   make static     build/kssp-static, fully static
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need
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
ifeq ($(SAN),asan)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ifeq ($(SAN),tsan)
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
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
TEST_CFLAGS   = $(call lazy,TEST_CFLAGS,$(PKG_CONFIG) --cflags check libtasn1 2>/dev/null)
TEST_LIBS     = $(call lazy,TEST_LIBS,$(PKG_CONFIG) --libs check libtasn1 2>/dev/null) -lpthread

ALL_CFLAGS = $(BASE_CFLAGS) $(NETTLE_CFLAGS) $(CFLAGS)

LAYERS    := base asn1 crypto creds kdc context sspi
LIB_SRC   := $(sort $(wildcard $(addsuffix /*.c,$(LAYERS))))
CLI_SRC   := $(sort $(wildcard cli/*.c))
UNIT_SRC  := $(sort $(wildcard test/unit/*.c))
TOOL_SRC  := test/interop/freeport.c

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
ALL_OBJ   := $(LIB_OBJ) $(CLI_OBJ) $(UNIT_OBJ)

LIB_A     := $(BUILD)/libkssp.a
LIB_SO    := $(BUILD)/libkssp.so
KSSP      := $(BUILD)/kssp
UNIT      := $(BUILD)/test/unit-tests
FREEPORT  := $(BUILD)/test/freeport

.PHONY: all build deps check unit interop asan tsan static install uninstall clean \
	check-exports check-install check-sspi-sample heimdal-peer

# The user-facing targets first make sure the Debian packages are there
# (build-aux/deps.sh: installs as root, else prints the apt-get command),
# then build in a sub-make so that nothing compiles before that finished.
all:
	@sh build-aux/deps.sh build
	@$(MAKE) --no-print-directory build

build: $(LIB_A) $(LIB_SO) $(KSSP)

deps:
	@sh build-aux/deps.sh all

# ---- compiling ------------------------------------------------------------

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(if $(filter test/%,$<),$(TEST_CFLAGS)) -MMD -MP -c $< -o $@

-include $(ALL_OBJ:.o=.d)

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(LIB_SO): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(LDFLAGS) \
		-o $@ $^ $(NETTLE_LIBS)
	ln -sf libkssp.so $(BUILD)/$(SONAME)

$(LIB_SO) $(KSSP) $(BUILD)/kssp-static: LDFLAGS += -Wl,--gc-sections
# The static tool is the deployable one (appliances, minimal images): its
# symbols and debug information are left out (-s); build/kssp keeps them.
$(BUILD)/kssp-static: LDFLAGS += -s

$(KSSP): $(CLI_OBJ) $(LIB_A)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB_A) $(NETTLE_LIBS)

static:
	@sh build-aux/deps.sh build
	@$(MAKE) --no-print-directory $(BUILD)/kssp-static

$(BUILD)/kssp-static: $(CLI_OBJ) $(LIB_A)
	$(CC) $(ALL_CFLAGS) -static $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB_A) \
		$(shell $(PKG_CONFIG) --static --libs nettle 2>/dev/null || echo -lnettle)

# ---- tests ----------------------------------------------------------------

# The runner's list of suites, generated from the suite functions' names.
$(BUILD)/test/suites.inc: $(UNIT_SRC)
	@mkdir -p $(@D)
	grep -ho 'Suite \*kssp_suite_[a-z0-9_]*(void)' $(UNIT_SRC) | \
		sed 's/Suite \*\(.*\)(void)/KSSP_SUITE(\1)/' | sort -u > $@.tmp
	mv $@.tmp $@

$(BUILD)/obj/test/unit/main.o: $(BUILD)/test/suites.inc
$(BUILD)/obj/test/unit/main.o: ALL_CFLAGS += -I$(BUILD)/test

$(UNIT): $(UNIT_OBJ) $(LIB_A)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(LIB_A) $(TEST_LIBS) $(NETTLE_LIBS)

$(FREEPORT): $(TOOL_SRC)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# Heimdal's KDC for the interop tests (t_heimdal_*.sh, t_kdc_heimdal.sh):
# build-aux/heimdal.sh installs its libraries (as root), downloads and unpacks
# its programs into build/heimdal (shared by every BUILD, asan included) and
# never installs them (their packages conflict with MIT's).
HEIMDAL_DIR ?= $(CURDIR)/build/heimdal
heimdal-peer:
	sh build-aux/heimdal.sh $(HEIMDAL_DIR)

# A misbehaving UDP KDC for the kdc interop tests (test/interop/t_kdc_*.sh).
KDC_STANDIN := $(BUILD)/test/kdc-standin
$(KDC_STANDIN): test/interop/kdc-standin.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

unit: $(UNIT)
	cd test/unit && KSSP_FIXTURES=$(CURDIR)/fixtures $(CURDIR)/$(UNIT)

# kssp's side of the gss-sample protocol, for the context interop tests.
GSSPEER   := $(BUILD)/test/kssp-gss-peer

$(GSSPEER): test/interop/gss_peer.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(NETTLE_LIBS)

interop: $(KSSP) $(FREEPORT) $(KDC_STANDIN) $(GSSPEER)
	KSSP_BUILD=$(CURDIR)/$(BUILD) bash test/interop/run.sh

check-exports: $(LIB_SO)
	sh test/check-exports.sh $(LIB_SO) include/kssp

# A Windows-style SSPI program compiles against <kssp/sspi.h> unchanged and runs.
check-sspi-sample: $(LIB_SO)
	CC="$(CC)" KSSP_TEST_CFLAGS="$(SAN_FLAGS)" sh test/check-sspi-sample.sh $(BUILD)

check-install: $(LIB_SO) $(LIB_A) $(KSSP)
	CC="$(CC)" KSSP_TEST_CFLAGS="$(SAN_FLAGS)" sh test/check-install.sh "$(MAKE)" $(BUILD)

# Runs every group even when one fails, then fails if any did.
check:
	@sh build-aux/deps.sh check
	@$(MAKE) --no-print-directory heimdal-peer || \
		echo "make check: no Heimdal peer; its interop tests will say SKIPPED"
	@$(MAKE) --no-print-directory build $(UNIT) $(FREEPORT)
	@fail=0; \
	$(MAKE) --no-print-directory unit || fail=1; \
	$(MAKE) --no-print-directory check-exports || fail=1; \
	$(MAKE) --no-print-directory check-sspi-sample || fail=1; \
	$(MAKE) --no-print-directory check-install || fail=1; \
	$(MAKE) --no-print-directory check-decode || fail=1; \
	$(MAKE) --no-print-directory interop || fail=1; \
	if [ $$fail -ne 0 ]; then echo "make check: FAILED"; exit 1; fi; \
	echo "make check: all groups passed"

asan:
	$(MAKE) BUILD=build/asan SAN=asan check

tsan:
	$(MAKE) BUILD=build/tsan SAN=tsan CC=clang check

# ---- crypto vectors: MIT krb5 as the reference (only these tools link MIT) --

MIT_CFLAGS   = $(call lazy,MIT_CFLAGS,$(PKG_CONFIG) --cflags krb5 2>/dev/null)
MIT_LIBS     = $(call lazy,MIT_LIBS,$(PKG_CONFIG) --libs krb5 2>/dev/null)
MIT_VECTORS  := $(BUILD)/test/mit-vectors
KSSP_VECTORS := $(BUILD)/test/kssp-vectors

.PHONY: crypto-vectors crypto-mit-check

$(MIT_VECTORS): test/tools/mit-vectors.c test/tools/vectors.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(MIT_LIBS)

$(KSSP_VECTORS): test/tools/kssp-vectors.c test/tools/vectors.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(NETTLE_LIBS)

# The interop run (t_crypto_mit.sh) has MIT's library check kssp's output.
ifeq ($(shell $(PKG_CONFIG) --exists krb5 2>/dev/null && echo yes),yes)
interop: $(MIT_VECTORS) $(KSSP_VECTORS)
endif

# Regenerates fixtures/crypto/mit-vectors.txt with MIT's libk5crypto.
crypto-vectors: $(MIT_VECTORS)
	$(MIT_VECTORS) gen > fixtures/crypto/mit-vectors.txt.tmp
	mv fixtures/crypto/mit-vectors.txt.tmp fixtures/crypto/mit-vectors.txt

# The reverse direction: MIT's library decrypts, verifies and re-derives
# everything kssp produces.  Without MIT's headers it says SKIPPED (a
# failure under KSSP_REQUIRE_INTEROP=1).
crypto-mit-check:
	@if $(PKG_CONFIG) --exists krb5 2>/dev/null; then \
		$(MAKE) --no-print-directory $(MIT_VECTORS) $(KSSP_VECTORS) && \
		$(KSSP_VECTORS) > $(BUILD)/test/kssp-vectors.txt && \
		$(MIT_VECTORS) check $(BUILD)/test/kssp-vectors.txt; \
	else \
		echo "crypto-mit-check: SKIPPED (libkrb5-dev not installed)"; \
		test "$${KSSP_REQUIRE_INTEROP:-0}" != 1; \
	fi

# creds: the cache-rewriting tool of the t_creds_* interop tests.
CCACHE_EDIT := $(BUILD)/test/ccache-edit

$(CCACHE_EDIT): test/interop/ccache_edit.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(NETTLE_LIBS)

interop: $(CCACHE_EDIT)
# ---- benchmarks -------------------------------------------------------------

BENCH := $(BUILD)/test/crypto-bench

.PHONY: bench

# With MIT's development files the benchmark also measures MIT's library.
BENCH_MIT = $(if $(MIT_LIBS),-DKSSP_BENCH_MIT $(MIT_CFLAGS))

$(BENCH): test/bench/crypto_bench.c test/bench/raw.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(BENCH_MIT) $(LDFLAGS) -o $@ $< $(LIB_A) $(NETTLE_LIBS) $(MIT_LIBS)

# The one table of test/bench/bench.c: kssp against MIT's libraries and raw
# Nettle (message protection, handshakes, cold logon, footprint, scaling),
# against a throwaway loopback MIT realm.  BENCH_CONTEXTS caps the scaling rows.
BENCH_ALL := $(BUILD)/test/bench
BENCH_CONTEXTS ?=

.PHONY: bench-crypto

$(BENCH_ALL): test/bench/bench.c test/bench/raw.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(NETTLE_LIBS) \
		$(call lazy,MIT_GSS_LIBS,$(PKG_CONFIG) --libs krb5-gssapi krb5 2>/dev/null)

bench: $(BENCH_ALL) $(KSSP) $(LIB_SO) $(BUILD)/kssp-static $(FREEPORT)
	bash test/bench/bench.sh $(BUILD) $(BENCH_CONTEXTS)

# kssp's encrypt/decrypt per enctype and size against raw Nettle and libk5crypto.
bench-crypto: $(BENCH)
	$(BENCH)

# ---- fuzzing --------------------------------------------------------------
# One libFuzzer target per name in FUZZ_TARGETS, from test/fuzz/fuzz_NAME.c,
# linked with the library rebuilt by clang under ASan+UBSan, all in
# $(BUILD)/fuzz/targets/ and $(BUILD)/fuzz/lib/ (names no other rule uses).
#   make fuzz         builds every target
#   make fuzz-smoke   runs each for FUZZ_SECONDS (default 30) seeded from
#                     fixtures/fuzz/NAME/ (new inputs go to $(BUILD)/fuzz/corpus/)
FUZZ_TARGETS ?=
FUZZ_SECONDS ?= 30
FUZZ_CC      ?= clang
FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_TARGET_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -g -O1
FUZZ_TARGET_OBJ   := $(LIB_SRC:%.c=$(FUZZ_BUILD)/lib/%.o)

.PHONY: fuzz fuzz-smoke

$(FUZZ_BUILD)/lib/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(NETTLE_CFLAGS) $(FUZZ_TARGET_FLAGS) -fsanitize=fuzzer-no-link \
		-c $< -o $@

$(FUZZ_BUILD)/targets/fuzz_%: test/fuzz/fuzz_%.c $(FUZZ_TARGET_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(NETTLE_CFLAGS) $(FUZZ_TARGET_FLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_TARGET_OBJ) $(NETTLE_LIBS)

# In the recipe, so that FUZZ_TARGETS += lines anywhere in this file count.
fuzz:
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/targets/fuzz_%)

fuzz-smoke: fuzz
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
		echo "fuzz-smoke: $$t for $(FUZZ_SECONDS) s"; \
		$(FUZZ_BUILD)/targets/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			$(FUZZ_BUILD)/corpus/$$t fixtures/fuzz/$$t || exit 1; \
	done

# creds: keytab and credential cache parsing
FUZZ_TARGETS += keytab ccache

# crypto: decrypt and checksum verification of untrusted ciphertexts
FUZZ_TARGETS += decrypt
# context: GSS token framing, the acceptor (MIT's keytab, fixed clock),
# unwrap / MIC verification (seeds: test/tools/ctx_fuzz_seeds.py)
FUZZ_TARGETS += ctx_unframe ctx_accept ctx_unwrap

# kdc: krb5.conf, DNS SRV replies, recordings, KDC replies to an AS-REQ
FUZZ_TARGETS += kdc

# ---- install --------------------------------------------------------------

install: build
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/kssp $(DESTDIR)$(BINDIR)
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libkssp.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libkssp.so.$(VERSION)
	ln -sf libkssp.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libkssp.so
	install -m 644 include/kssp/*.h $(DESTDIR)$(INCLUDEDIR)/kssp/
	install -m 755 $(KSSP) $(DESTDIR)$(BINDIR)/kssp
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		kssp.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/kssp.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libkssp.a $(DESTDIR)$(LIBDIR)/libkssp.so* \
		$(DESTDIR)$(LIBDIR)/pkgconfig/kssp.pc $(DESTDIR)$(BINDIR)/kssp
	rm -rf $(DESTDIR)$(INCLUDEDIR)/kssp

clean:
	rm -rf build

# `kssp decode` on every captured fixture, random and corrupted input.
.PHONY: check-decode
check-decode: $(KSSP)
	sh test/cli/decode.sh $(KSSP)

# ---- fuzzing (asn1) ---------------------------------------------------------
# `make fuzz` builds one libFuzzer target per decoder group with clang
# (-fsanitize=fuzzer,address,undefined); `make fuzz-smoke` runs each for
# FUZZ_SECONDS from the fixtures as seed corpus and fails on any crash or leak.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_GROUPS  := as_req as_rep tgs_req tgs_rep ap_req ap_rep krb_error krb_cred krb_safe \
	krb_priv enc_parts payloads gss
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -g -O1 -I. -Iinclude -D_DEFAULT_SOURCE $(FUZZ_SAN)
FUZZ_LIB_SRC := $(sort $(wildcard asn1/*.c base/*.c))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BINS    := $(FUZZ_GROUPS:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: fuzz fuzz-smoke

fuzz: $(FUZZ_BINS)

# The sanitizer objects are kept between runs (make would drop them as intermediates).
.SECONDARY: $(FUZZ_LIB_OBJ)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_%: test/fuzz/fuzz_krb5.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -DFUZZ_GROUP_$*=1 -o $@ $< $(FUZZ_LIB_OBJ)

fuzz-smoke: fuzz-smoke-asn1

.PHONY: fuzz-smoke-asn1
fuzz-smoke-asn1: $(FUZZ_BINS)
	rm -rf $(FUZZ_DIR)/seed && sh test/fuzz/make-corpus.sh $(FUZZ_DIR)/seed
	@set -e; for g in $(FUZZ_GROUPS); do \
		rm -rf $(FUZZ_DIR)/corpus/$$g && mkdir -p $(FUZZ_DIR)/corpus/$$g; \
		echo "fuzz_$$g: $(FUZZ_SECONDS) s"; \
		$(FUZZ_DIR)/fuzz_$$g -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -rss_limit_mb=1024 \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash-$$g- \
			$(FUZZ_DIR)/corpus/$$g $(FUZZ_DIR)/seed > $(FUZZ_DIR)/fuzz_$$g.log 2>&1 || \
			{ tail -40 $(FUZZ_DIR)/fuzz_$$g.log; echo "fuzz_$$g: FAILED"; exit 1; }; \
		grep -h 'stat::number_of_executed_units' $(FUZZ_DIR)/fuzz_$$g.log; \
	done; echo "fuzz-smoke: all $(words $(FUZZ_GROUPS)) targets ran clean"
