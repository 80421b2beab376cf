# mk/lint.mk - static checks.
#
# `make check-layers` (part of `make check`): the layering rules of DESIGN.md
# (which folder may include which, public headers only in the CLI's SSPI
# commands, sockets only in kdc/, SSPI statuses only from sspi/ up, files
# only in creds/ and kdc/); build-aux/check-layers.sh says what each rule
# is.  FACE_RULE=1 adds the rule of one face header per layer.
#
# `make lint`: cppcheck, clang-tidy (.clang-tidy) and gcc -fanalyzer over every
# library and CLI source; any finding fails.  False positives are suppressed
# where they occur, each with a one-line reason.  KSSP_STATIC_ANALYSIS shows
# the analysers what kssp_fail returns (base/err_int.h).
LINT_SRC   = $(LIB_SRC) $(CLI_SRC)
LINT_GCC  ?= gcc
LINT_DEFS  = -std=c11 -D_DEFAULT_SOURCE -DKSSP_STATIC_ANALYSIS -I. -Iinclude $(NETTLE_CFLAGS)
LINT_BUILD := $(BUILD)/lint
LINT_HDR   = $(wildcard $(addsuffix /*.h,$(LAYERS) cli) include/kssp/*.h)
# kdc/tls.c is analysed as this build compiles it (with GnuTLS when it has TLS).
lint_tls   = $(if $(filter kdc/tls.c,$1),$(TLS_CFLAGS))

.PHONY: check-layers lint lint-cppcheck lint-tidy lint-analyzer

check-layers:
	bash build-aux/check-layers.sh

# The analysers are checked for first, as `make check` checks its packages.
lint:
	@sh build-aux/deps.sh lint
	@$(MAKE) --no-print-directory lint-cppcheck lint-tidy lint-analyzer
	@echo "make lint: no findings"

lint-cppcheck:
	cppcheck --enable=warning,portability --inline-suppr --error-exitcode=1 --quiet \
		--std=c11 --language=c $(filter-out -std=c11,$(LINT_DEFS)) $(filter -D%,$(TLS_CFLAGS)) \
		$(LINT_SRC)

# One file per clang-tidy run: run on several files at once, clang-tidy 14's
# va_list checker carries state from one file to the next and misreports.
lint-tidy: $(LINT_SRC:%.c=$(LINT_BUILD)/tidy/%.ok)

$(LINT_BUILD)/tidy/%.ok: %.c .clang-tidy $(LINT_HDR)
	@mkdir -p $(@D)
	clang-tidy --quiet $< -- $(LINT_DEFS) $(call lint_tls,$<)
	@touch $@

lint-analyzer: $(LINT_SRC:%.c=$(LINT_BUILD)/analyzer/%.o)

$(LINT_BUILD)/analyzer/%.o: %.c
	@mkdir -p $(@D)
	$(LINT_GCC) $(LINT_DEFS) $(call lint_tls,$<) $(WARN) -O1 -fanalyzer -MMD -MP -c $< -o $@

-include $(wildcard $(LINT_BUILD)/analyzer/*/*.d)
