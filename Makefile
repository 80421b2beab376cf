# kssp - Kerberos 5 client stack with a Windows SSPI facade.  GNU make.
#
#   make            build/libkssp.a, build/libkssp.so, build/kssp
#   make check      unit suites (Check), export and install tests, interop tests
#   make asan       the same tests under AddressSanitizer + UBSan (build/asan/)
#   make tsan       the same tests under ThreadSanitizer, clang (build/tsan/;
#                   about 5.5 minutes on 2 cores, too long for every CI run)
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

.PHONY: all build deps check unit interop demo check-replay asan tsan static install uninstall clean \
	check-exports check-install check-sspi-sample heimdal-peer ad-peer

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
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(SONAME) $(SO_UNDEFINED) $(LDFLAGS) \
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

# The runner's calls to these go through test/unit/iofault.c, which injects
# short transfers, EINTR and a full disk when a test arms it (issue 11 item 3).
UNIT_WRAP := -Wl,--wrap=write,--wrap=fsync,--wrap=send,--wrap=recv,--wrap=recvfrom,--wrap=poll

$(UNIT): $(UNIT_OBJ) $(LIB_A)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(UNIT_WRAP) -o $@ $(UNIT_OBJ) $(LIB_A) $(TEST_LIBS) \
		$(NETTLE_LIBS)

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

# Samba's AD DC for t_ad_*.sh (build-aux/ad-peer.sh: Samba 4.22 from
# bookworm-backports, installed as root, else the commands are printed).
ad-peer:
	sh build-aux/ad-peer.sh

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
	@$(MAKE) --no-print-directory ad-peer || \
		echo "make check: no Samba AD peer; its interop tests will say SKIPPED"
	@$(MAKE) --no-print-directory build $(UNIT) $(FREEPORT)
	@fail=0; \
	$(MAKE) --no-print-directory unit || fail=1; \
	$(MAKE) --no-print-directory check-exports || fail=1; \
	$(MAKE) --no-print-directory check-sspi-sample || fail=1; \
	$(MAKE) --no-print-directory check-install || fail=1; \
	$(MAKE) --no-print-directory check-decode || fail=1; \
	$(MAKE) --no-print-directory check-replay || fail=1; \
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

.PHONY: bench-run
bench:
	@sh build-aux/deps.sh bench
	@$(MAKE) --no-print-directory bench-run

bench-run: $(BENCH_ALL) $(KSSP) $(LIB_SO) $(BUILD)/kssp-static $(FREEPORT)
	bash test/bench/bench.sh $(BUILD) $(BENCH_CONTEXTS)

# kssp's encrypt/decrypt per enctype and size against raw Nettle and libk5crypto.
bench-crypto: $(BENCH)
	$(BENCH)

# ---- PAC fixtures: Samba's NDR code marshals, MIT's krb5_pac_sign signs -----
# `make pac-fixtures` rewrites fixtures/pac/ (deterministic: HMAC signatures).
MKPAC := $(BUILD)/test/mkpac

.PHONY: pac-fixtures

$(MKPAC): test/tools/mkpac.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(MIT_LIBS)

pac-fixtures: $(MKPAC)
	/usr/bin/python3 test/tools/mkpac.py fixtures/fuzz/pac/samba-unsigned.pac
	$(MKPAC) fixtures/fuzz/pac/samba-unsigned.pac fixtures/pac

# ---- fuzzing --------------------------------------------------------------
# One libFuzzer target per name in FUZZ_TARGETS (add one with `FUZZ_TARGETS +=
# NAME` anywhere in this file), linked with the library rebuilt by clang under
# ASan+UBSan, all in $(BUILD)/fuzz/.  Target NAME is built from
# test/fuzz/fuzz_NAME.c, or from FUZZ_SRC_NAME with FUZZ_DEFS_NAME when those
# are set (the asn1 groups share one source).  Seeds: fixtures/fuzz/NAME/,
# the kept corpus test/fuzz/corpus/NAME/ and FUZZ_SEEDS_NAME.
#   make fuzz         builds every target
#   make fuzz-smoke   runs each for FUZZ_SECONDS (default 30); new inputs go to
#                     $(BUILD)/fuzz/corpus/NAME/ (CI)
#   make fuzz-long    runs each for FUZZ_LONG_SECONDS (default 600) and merges
#                     what found new coverage into test/fuzz/corpus/NAME/
#                     (committed; not for CI)
#   make fuzz-run-NAME  one target, FUZZ_RUN_SECONDS long
# Any crash, leak, sanitizer report or abort fails the run; the log is in
# $(BUILD)/fuzz/fuzz_NAME.log and the input in $(BUILD)/fuzz/crash-NAME-*.
FUZZ_TARGETS ?=
FUZZ_SECONDS ?= 30
FUZZ_LONG_SECONDS ?= 600
FUZZ_MAX_LEN ?= 65536
FUZZ_CC      ?= clang
FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_TARGET_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -g -O1
FUZZ_TARGET_OBJ   := $(LIB_SRC:%.c=$(FUZZ_BUILD)/lib/%.o)
FUZZ_RUN_SECONDS  ?= $(FUZZ_SECONDS)
FUZZ_RUN_CORPUS   ?= $(FUZZ_BUILD)/corpus

fuzz_src   = $(or $(FUZZ_SRC_$1),test/fuzz/fuzz_$1.c)
fuzz_seeds = $(filter-out $(FUZZ_RUN_CORPUS)/$1,$(wildcard fixtures/fuzz/$1 test/fuzz/corpus/$1) \
	$(FUZZ_SEEDS_$1))

.PHONY: fuzz fuzz-smoke fuzz-long

# The sanitizer objects are kept between runs (make would drop them as intermediates).
.SECONDARY: $(FUZZ_TARGET_OBJ)

$(FUZZ_BUILD)/lib/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(NETTLE_CFLAGS) $(FUZZ_TARGET_FLAGS) -fsanitize=fuzzer-no-link \
		-MMD -MP -c $< -o $@

-include $(FUZZ_TARGET_OBJ:.o=.d)

# Second expansion: a target's source is looked up by its name.
.SECONDEXPANSION:
$(FUZZ_BUILD)/targets/fuzz_%: $$(call fuzz_src,$$*) $(FUZZ_TARGET_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(NETTLE_CFLAGS) $(FUZZ_TARGET_FLAGS) $(FUZZ_DEFS_$*) \
		-fsanitize=fuzzer -o $@ $< $(FUZZ_TARGET_OBJ) $(NETTLE_LIBS)

fuzz-run-%: $(FUZZ_BUILD)/targets/fuzz_% $$(FUZZ_SEEDS_$$*)
	@mkdir -p $(FUZZ_RUN_CORPUS)/$*
	@echo "fuzz $*: $(FUZZ_RUN_SECONDS) s"
	@$< -max_total_time=$(FUZZ_RUN_SECONDS) -max_len=$(or $(FUZZ_MAX_LEN_$*),$(FUZZ_MAX_LEN)) \
		-rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crash-$*- \
		$(FUZZ_RUN_CORPUS)/$* $(call fuzz_seeds,$*) > $(FUZZ_BUILD)/fuzz_$*.log 2>&1 || \
		{ tail -40 $(FUZZ_BUILD)/fuzz_$*.log; echo "fuzz $*: FAILED"; exit 1; }
	@sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*/fuzz $*: /p' $(FUZZ_BUILD)/fuzz_$*.log
	@grep -h 'stat::number_of_executed_units' $(FUZZ_BUILD)/fuzz_$*.log

# In the recipes, so that FUZZ_TARGETS += lines anywhere in this file count.
fuzz:
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/targets/fuzz_%)

fuzz-smoke: fuzz
	@$(MAKE) --no-print-directory FUZZ_RUN_SECONDS=$(FUZZ_SECONDS) \
		FUZZ_RUN_CORPUS=$(FUZZ_BUILD)/corpus $(FUZZ_TARGETS:%=fuzz-run-%)
	@echo "fuzz-smoke: all $(words $(FUZZ_TARGETS)) targets ran clean"

# The long run's new inputs are merged into the kept corpus: only those that
# add coverage go in, so test/fuzz/corpus/ stays small.
fuzz-long: fuzz
	@$(MAKE) --no-print-directory FUZZ_RUN_SECONDS=$(FUZZ_LONG_SECONDS) \
		FUZZ_RUN_CORPUS=$(FUZZ_BUILD)/long $(FUZZ_TARGETS:%=fuzz-run-%)
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p test/fuzz/corpus/$$t; \
		$(FUZZ_BUILD)/targets/fuzz_$$t -merge=1 -max_len=65536 test/fuzz/corpus/$$t \
			$(FUZZ_BUILD)/long/$$t > $(FUZZ_BUILD)/merge_$$t.log 2>&1 || \
			{ tail -20 $(FUZZ_BUILD)/merge_$$t.log; exit 1; }; \
		echo "fuzz-long: $$t: $$(ls test/fuzz/corpus/$$t | wc -l) inputs kept"; \
	done

# asn1: one target per decoder group, all from test/fuzz/fuzz_krb5.c, seeded
# with every captured message and MIT's reference encodings (make-corpus.sh).
FUZZ_ASN1_GROUPS := as_req as_rep tgs_req tgs_rep ap_req ap_rep krb_error krb_cred krb_safe \
	krb_priv enc_parts payloads gss
FUZZ_ASN1_SEED   := $(FUZZ_BUILD)/seed/asn1
FUZZ_TARGETS     += $(FUZZ_ASN1_GROUPS)
$(foreach g,$(FUZZ_ASN1_GROUPS),$(eval FUZZ_SRC_$g := test/fuzz/fuzz_krb5.c) \
	$(eval FUZZ_DEFS_$g := -DFUZZ_GROUP_$g=1) $(eval FUZZ_SEEDS_$g := $(FUZZ_ASN1_SEED)) \
	$(eval FUZZ_MAX_LEN_$g := 4096))

$(FUZZ_ASN1_SEED): test/fuzz/make-corpus.sh fixtures/asn1/mit-reference.txt \
		$(wildcard fixtures/captures/*.der)
	rm -rf $@ && sh test/fuzz/make-corpus.sh $@

# creds: keytab and credential cache parsing
FUZZ_TARGETS += keytab ccache

# crypto: decrypt and checksum verification of untrusted ciphertexts
FUZZ_TARGETS += decrypt
# context: GSS token framing, the acceptor (MIT's keytab, fixed clock),
# unwrap / MIC verification (seeds: test/tools/ctx_fuzz_seeds.py)
FUZZ_TARGETS += ctx_unframe ctx_accept ctx_unwrap
# context: the PAC container, its NDR buffers and the server signature check
FUZZ_TARGETS += pac
FUZZ_SEEDS_pac := fixtures/pac

# kdc: krb5.conf, DNS SRV replies, recordings, KDC replies to an AS-REQ
FUZZ_TARGETS += kdc

# ---- static analysis -------------------------------------------------------
# `make lint`: cppcheck, clang-tidy (.clang-tidy) and gcc -fanalyzer over every
# library and CLI source; any finding fails.  False positives are suppressed
# where they occur, each with a one-line reason.  KSSP_STATIC_ANALYSIS shows
# the analysers what kssp_fail returns (base/err.h).
LINT_SRC   = $(LIB_SRC) $(CLI_SRC)
LINT_GCC  ?= gcc
LINT_DEFS  = -std=c11 -D_DEFAULT_SOURCE -DKSSP_STATIC_ANALYSIS -I. -Iinclude $(NETTLE_CFLAGS)
LINT_BUILD := $(BUILD)/lint
LINT_HDR   = $(wildcard $(addsuffix /*.h,$(LAYERS) cli) include/kssp/*.h)

.PHONY: lint lint-cppcheck lint-tidy lint-analyzer

# The analysers are checked for first, as `make check` checks its packages.
lint:
	@sh build-aux/deps.sh lint
	@$(MAKE) --no-print-directory lint-cppcheck lint-tidy lint-analyzer
	@echo "make lint: no findings"

lint-cppcheck:
	cppcheck --enable=warning,portability --inline-suppr --error-exitcode=1 --quiet \
		--std=c11 --language=c $(filter-out -std=c11,$(LINT_DEFS)) $(LINT_SRC)

# One file per clang-tidy run: run on several files at once, clang-tidy 14's
# va_list checker carries state from one file to the next and misreports.
lint-tidy: $(LINT_SRC:%.c=$(LINT_BUILD)/tidy/%.ok)

$(LINT_BUILD)/tidy/%.ok: %.c .clang-tidy $(LINT_HDR)
	@mkdir -p $(@D)
	clang-tidy --quiet $< -- $(LINT_DEFS)
	@touch $@

lint-analyzer: $(LINT_SRC:%.c=$(LINT_BUILD)/analyzer/%.o)

$(LINT_BUILD)/analyzer/%.o: %.c
	@mkdir -p $(@D)
	$(LINT_GCC) $(LINT_DEFS) $(WARN) -O1 -fanalyzer -MMD -MP -c $< -o $@

-include $(wildcard $(LINT_BUILD)/analyzer/*/*.d)

# ---- install --------------------------------------------------------------

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

# `kssp decode` on every captured fixture, random and corrupted input.
.PHONY: check-decode
check-decode: $(KSSP)
	sh test/cli/decode.sh $(KSSP)

# ---- demo, replays, examples --------------------------------------------
# `make demo`: the packages (krb5-kdc & co. as root), a build, then `kssp demo`:
# a live loopback realm when krb5kdc is there, else the recorded replay.
demo:
	@sh build-aux/deps.sh demo
	@$(MAKE) --no-print-directory build $(FREEPORT) examples
	KSSP_SRCDIR=$(CURDIR) KSSP_FREEPORT=$(CURDIR)/$(FREEPORT) $(KSSP) demo

# `kssp replay` of every recording under fixtures/, and tampered copies;
# `kssp decode --keytab / --password` on captured messages; the README's C
# example compiles; every subcommand has help text and a man page entry.
check-replay: $(KSSP)
	sh test/cli/replay.sh $(KSSP)
	sh test/cli/decode-keys.sh $(KSSP)
	CC="$(CC)" sh test/cli/readme-example.sh
	sh test/cli/help.sh $(KSSP)

# examples/: an HTTP Negotiate header helper and the SSPI client / server
# pair, built against the public headers and the static library.
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
.PHONY: examples
examples: $(EXAMPLES)
build: $(EXAMPLES)

$(BUILD)/examples/%: examples/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(NETTLE_LIBS)

# ---- load (issue 11 item 6; not part of `make check`) ----------------------
# LOAD_ACCEPTORS acceptor processes on 127.0.0.1 serve LOAD_CLIENTS concurrent
# clients doing full ISC / ASC / EncryptMessage / DecryptMessage exchanges for
# LOAD_SECONDS (at most LOAD_MAX exchanges); offline (fixtures/security/).
LOAD_ACCEPTORS ?= 4
LOAD_CLIENTS   ?= 64
LOAD_SECONDS   ?= 60
LOAD_MAX       ?= 10000000
SSPILOAD       := $(BUILD)/test/sspiload

$(SSPILOAD): test/load/sspiload.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -pthread -o $@ $< $(LIB_A) $(NETTLE_LIBS)

.PHONY: load
load: $(KSSP) $(SSPILOAD)
	bash test/load/run.sh $(KSSP) $(SSPILOAD) $(LOAD_ACCEPTORS) $(LOAD_CLIENTS) \
		$(LOAD_SECONDS) $(LOAD_MAX)
