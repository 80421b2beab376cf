# mk/test.mk - `make check` and its groups: the unit suites (Check), the
# export, install and SSPI-sample tests, the CLI tests, the replays and the
# interop tests; `make asan` and `make tsan` run it all again sanitized.

UNIT := $(BUILD)/test/unit-tests

.PHONY: check unit interop check-replay asan tsan check-exports check-install \
	check-sspi-sample check-decode

# The runner's list of suites, generated from the suite functions' names.
$(BUILD)/test/suites.inc: $(UNIT_SRC)
	@mkdir -p $(@D)
	grep -ho 'Suite \*kssp_suite_[a-z0-9_]*(void)' $(UNIT_SRC) | \
		sed 's/Suite \*\(.*\)(void)/KSSP_SUITE(\1)/' | sort -u > $@.tmp
	mv $@.tmp $@

$(BUILD)/obj/test/unit/main.o: $(BUILD)/test/suites.inc
$(BUILD)/obj/test/unit/main.o: ALL_CFLAGS += -I$(BUILD)/test

# The runner's calls to these go through test/unit/iofault.c, which injects
# short transfers, EINTR and a full disk when a test arms it.
UNIT_WRAP := -Wl,--wrap=write,--wrap=fsync,--wrap=send,--wrap=recv,--wrap=recvfrom,--wrap=poll
# And the library's allocator calls through test/unit/memfault.c: allocation
# failures on demand and a release observer, which the shipped library lacks.
UNIT_WRAP += -Wl,--wrap=kssp_malloc,--wrap=kssp_calloc,--wrap=kssp_free,--wrap=kssp_free_secret

$(UNIT): $(UNIT_OBJ) $(LIB_A)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(UNIT_WRAP) -o $@ $(UNIT_OBJ) $(LIB_A) $(TEST_LIBS) \
		$(LIB_LIBS)

unit: $(UNIT)
	cd test/unit && KSSP_FIXTURES=$(CURDIR)/fixtures $(CURDIR)/$(UNIT)

interop: $(KSSP) $(INTEROP_PEERS)
	KSSP_BUILD=$(CURDIR)/$(BUILD) KSSP_MUSL=$(CURDIR)/$(MUSL_BUILD)/kssp-static \
		KSSP_LIB_LIBS="$(LIB_LIBS)" bash test/interop/run.sh

check-exports: $(LIB_SO)
	sh test/check-exports.sh $(LIB_SO) include/kssp

# A Windows-style SSPI program compiles against <kssp/sspi.h> unchanged and runs.
check-sspi-sample: $(LIB_SO)
	CC="$(CC)" KSSP_TEST_CFLAGS="$(SAN_FLAGS)" sh test/check-sspi-sample.sh $(BUILD)

check-install: $(LIB_SO) $(LIB_A) $(KSSP)
	CC="$(CC)" KSSP_TEST_CFLAGS="$(SAN_FLAGS)" sh test/check-install.sh "$(MAKE)" $(BUILD)

# `kssp decode` on every captured fixture, random and corrupted input.
check-decode: $(KSSP)
	sh test/cli/decode.sh $(KSSP)

# `kssp replay` of every recording under fixtures/, and tampered copies;
# `kssp decode --keytab / --password` on captured messages; the README's C
# example compiles; every subcommand has help text and a man page entry.
check-replay: $(KSSP)
	sh test/cli/replay.sh $(KSSP)
	sh test/cli/decode-keys.sh $(KSSP)
	CC="$(CC)" sh test/cli/readme-example.sh
	sh test/cli/help.sh $(KSSP)

# Runs every group even when one fails, then fails if any did.
check:
	@sh build-aux/deps.sh check
	@$(MAKE) --no-print-directory heimdal-peer || \
		echo "make check: no Heimdal peer; its interop tests will say SKIPPED"
	@$(MAKE) --no-print-directory ad-peer || \
		echo "make check: no Samba AD peer; its interop tests will say SKIPPED"
	@$(MAKE) --no-print-directory static-musl || \
		echo "make check: no musl build; t_static_musl will say SKIPPED"
	@$(MAKE) --no-print-directory build $(UNIT) $(FREEPORT)
	@fail=0; \
	$(MAKE) --no-print-directory check-layers || fail=1; \
	$(MAKE) --no-print-directory unit || fail=1; \
	$(MAKE) --no-print-directory check-exports || fail=1; \
	$(MAKE) --no-print-directory check-sspi-sample || fail=1; \
	$(MAKE) --no-print-directory check-install || fail=1; \
	$(MAKE) --no-print-directory check-decode || fail=1; \
	$(MAKE) --no-print-directory check-replay || fail=1; \
	$(MAKE) --no-print-directory interop || fail=1; \
	if [ $$fail -ne 0 ]; then echo "make check: FAILED"; exit 1; fi; \
	echo "make check: all groups passed"

# Under the sanitizers every process starts several times slower: the
# interop tests that run the tool thousands of times (t_creds_malformed cuts
# each fixture at every byte) get three times the usual 300 s, and the
# shared replay cache is checked with 250 tokens instead of 1,000 (the
# sanitizers look for memory and thread errors; make check proves the count).
SAN_TEST_ENV := KSSP_TEST_TIMEOUT=900 KSSP_RCACHE_TOKENS=250
asan:
	$(MAKE) BUILD=build/asan SAN=asan $(SAN_TEST_ENV) check

tsan:
	$(MAKE) BUILD=build/tsan SAN=tsan CC=clang $(SAN_TEST_ENV) check
