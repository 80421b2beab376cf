# mk/bench.mk - `make bench` (not part of `make check`): kssp against MIT's
# libraries and raw Nettle.  MIT_CFLAGS and MIT_LIBS come from mk/peers.mk.

BENCH     := $(BUILD)/test/crypto-bench
BENCH_ALL := $(BUILD)/test/bench
BENCH_CONTEXTS ?=

.PHONY: bench bench-run bench-crypto

# With MIT's development files the benchmark also measures MIT's library.
BENCH_MIT = $(if $(MIT_LIBS),-DKSSP_BENCH_MIT $(MIT_CFLAGS))

$(BENCH): test/bench/crypto_bench.c test/bench/raw.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(BENCH_MIT) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS) $(MIT_LIBS)

# The one table of test/bench/bench.c: kssp against MIT's libraries and raw
# Nettle (message protection, handshakes, cold logon, footprint, scaling),
# against a throwaway loopback MIT realm.  BENCH_CONTEXTS caps the scaling rows.
$(BENCH_ALL): test/bench/bench.c test/bench/raw.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -pthread $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS) \
		$(call lazy,MIT_GSS_LIBS,$(PKG_CONFIG) --libs krb5-gssapi krb5 2>/dev/null)

bench:
	@sh build-aux/deps.sh bench
	@$(MAKE) --no-print-directory bench-run

bench-run: $(BENCH_ALL) $(KSSP) $(LIB_SO) $(BUILD)/kssp-static $(FREEPORT)
	bash test/bench/bench.sh $(BUILD) $(BENCH_CONTEXTS)

# kssp's encrypt/decrypt per enctype and size against raw Nettle and libk5crypto.
bench-crypto: $(BENCH)
	$(BENCH)
