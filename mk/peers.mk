# mk/peers.mk - the programs the interop tests talk to or run beside kssp:
# a free-port finder, Heimdal's KDC, Samba's AD DC, a misbehaving KDC, kssp's gss-sample
# peer, MIT's library as the crypto reference, a cache-rewriting tool.
# INTEROP_PEERS is what `make interop` builds first (mk/test.mk).

FREEPORT    := $(BUILD)/test/freeport
KDC_STANDIN := $(BUILD)/test/kdc-standin
GSSPEER     := $(BUILD)/test/kssp-gss-peer
CCACHE_EDIT := $(BUILD)/test/ccache-edit

.PHONY: heimdal-peer ad-peer crypto-vectors crypto-mit-check

$(FREEPORT): test/interop/freeport.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# Heimdal's KDC for the interop tests (t_heimdal_*.sh):
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
$(KDC_STANDIN): test/interop/kdc-standin.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# kssp's side of the gss-sample protocol, for the context interop tests.
$(GSSPEER): test/interop/gss_peer.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS)

INTEROP_PEERS := $(FREEPORT) $(KDC_STANDIN) $(GSSPEER)

# ---- crypto vectors: MIT krb5 as the reference (only these tools link MIT) --

MIT_CFLAGS   = $(call lazy,MIT_CFLAGS,$(PKG_CONFIG) --cflags krb5 2>/dev/null)
MIT_LIBS     = $(call lazy,MIT_LIBS,$(PKG_CONFIG) --libs krb5 2>/dev/null)
MIT_VECTORS  := $(BUILD)/test/mit-vectors
KSSP_VECTORS := $(BUILD)/test/kssp-vectors

$(MIT_VECTORS): test/tools/mit-vectors.c test/tools/vectors.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(MIT_LIBS)

$(KSSP_VECTORS): test/tools/kssp-vectors.c test/tools/vectors.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS)

# The interop run (t_crypto_mit.sh) has MIT's library check kssp's output.
ifeq ($(shell $(PKG_CONFIG) --exists krb5 2>/dev/null && echo yes),yes)
INTEROP_PEERS += $(MIT_VECTORS) $(KSSP_VECTORS)
endif

# MIT's replay cache writer (t_rcache_shared.sh; fixtures/creds/mit.rcache2).
MIT_RCSTORE := $(BUILD)/test/kssp-mit-rcstore

$(MIT_RCSTORE): test/interop/mit_rcstore.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(MIT_LIBS)

ifeq ($(shell $(PKG_CONFIG) --exists krb5 2>/dev/null && echo yes),yes)
INTEROP_PEERS += $(MIT_RCSTORE)
endif

# kssp's RPC buffer layouts against MIT's gss_wrap_iov / gss_unwrap_iov
# (t_sspi_rpcbuf.sh): the one program that links both, as a test helper.
RPC_IOV_PEER := $(BUILD)/test/kssp-rpc-iov-peer
MIT_GSS_LIBS = $(call lazy,MIT_GSS_LIBS,$(PKG_CONFIG) --libs krb5-gssapi krb5 2>/dev/null)

$(RPC_IOV_PEER): test/interop/rpc_iov_peer.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS) $(MIT_GSS_LIBS)

ifeq ($(shell $(PKG_CONFIG) --exists krb5-gssapi 2>/dev/null && echo yes),yes)
INTEROP_PEERS += $(RPC_IOV_PEER)
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
$(CCACHE_EDIT): test/interop/ccache_edit.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS)

INTEROP_PEERS += $(CCACHE_EDIT)

# context: the PAC-altering tool of the end-to-end PAC refusal test (t_pac_mit.sh).
PAC_TAMPER := $(BUILD)/test/pac-tamper

$(PAC_TAMPER): test/tools/pac_tamper.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS)

INTEROP_PEERS += $(PAC_TAMPER)

# PAC fixtures: Samba's NDR code marshals, MIT's krb5_pac_sign signs.
# `make pac-fixtures` rewrites fixtures/pac/ (deterministic: HMAC signatures).
MKPAC := $(BUILD)/test/mkpac

.PHONY: pac-fixtures

$(MKPAC): test/tools/mkpac.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(MIT_CFLAGS) $(LDFLAGS) -o $@ $< $(MIT_LIBS)

pac-fixtures: $(MKPAC)
	/usr/bin/python3 test/tools/mkpac.py fixtures/fuzz/pac/samba-unsigned.pac
	$(MKPAC) fixtures/fuzz/pac/samba-unsigned.pac fixtures/pac
