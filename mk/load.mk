# mk/load.mk - `make load` (not part of `make check`): LOAD_ACCEPTORS
# acceptor processes on 127.0.0.1 serve LOAD_CLIENTS concurrent clients doing
# full ISC / ASC / EncryptMessage / DecryptMessage exchanges for LOAD_SECONDS
# (at most LOAD_MAX exchanges); offline (fixtures/security/).

LOAD_ACCEPTORS ?= 4
LOAD_CLIENTS   ?= 64
LOAD_SECONDS   ?= 60
LOAD_MAX       ?= 10000000
SSPILOAD       := $(BUILD)/test/sspiload

.PHONY: load

$(SSPILOAD): test/load/sspiload.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -pthread -o $@ $< $(LIB_A) $(LIB_LIBS)

load: $(KSSP) $(SSPILOAD)
	bash test/load/run.sh $(KSSP) $(SSPILOAD) $(LOAD_ACCEPTORS) $(LOAD_CLIENTS) \
		$(LOAD_SECONDS) $(LOAD_MAX)
