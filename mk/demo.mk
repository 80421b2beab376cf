# mk/demo.mk - `make demo` and the examples (EXAMPLES is in the Makefile:
# `make build` builds them).

.PHONY: demo examples

# `make demo`: the packages (krb5-kdc & co. as root), a build, then `kssp demo`:
# a live loopback realm when krb5kdc is there, else the recorded replay.
demo:
	@sh build-aux/deps.sh demo
	@$(MAKE) --no-print-directory build $(FREEPORT) examples
	KSSP_SRCDIR=$(CURDIR) KSSP_FREEPORT=$(CURDIR)/$(FREEPORT) $(KSSP) demo

examples: $(EXAMPLES)

$(BUILD)/examples/%: examples/%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_A) $(LIB_LIBS)
