# mk/fuzz.mk - the libFuzzer targets (CI runs `make fuzz-smoke`).
#
# One libFuzzer target per name in FUZZ_TARGETS (add one with `FUZZ_TARGETS +=
# NAME` in this file), linked with the library rebuilt by clang under
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

# In the recipes, so that the FUZZ_TARGETS += lines below count.
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

# creds: keytab and credential cache parsing, MIT's file2 replay cache
FUZZ_TARGETS += keytab ccache rcache

# crypto: decrypt and checksum verification of untrusted ciphertexts
FUZZ_TARGETS += decrypt
# context: GSS token framing, the acceptor (MIT's keytab, fixed clock),
# unwrap / MIC verification (seeds: test/tools/ctx_fuzz_seeds.py)
FUZZ_TARGETS += ctx_unframe ctx_accept ctx_unwrap
# context: the bare AP-REPs of DCE-style contexts, both directions (third leg included)
FUZZ_TARGETS += ctx_dce
# context: the user-to-user KERB-TGT-REQUEST and KERB-TGT-REPLY tokens
FUZZ_TARGETS += ctx_u2u
# context: the PAC container, its NDR buffers and the server signature check
FUZZ_TARGETS += pac
FUZZ_SEEDS_pac := fixtures/pac

# kdc: krb5.conf, DNS SRV replies, recordings, KDC replies to an AS-REQ
FUZZ_TARGETS += kdc
# kdc: a KDC proxy's answers (HTTP, KDC-PROXY-MESSAGE)
FUZZ_TARGETS += kkdcp
# kdc: the FAST replies and errors of an armored exchange (RFC 6113)
FUZZ_TARGETS += fast

