# vmscope — one non-recursive Makefile.
#
#   make deps     install missing Debian packages (sudo when not root)
#   make          build build/release/vmscope
#   make run      deps + build + analyse the bundled sample
#   make test     deps + build + unit tests + CLI golden tests
#   make asan     the same suite under ASan+UBSan (fails on any report, leaks too)
#   make bench    1,000,000-line benchmark against mawk; the simulator's targets
#   make fuzz     libFuzzer targets, bounded time (FUZZ_SECONDS, default 60)
#   make golden   regenerate tests/golden/ (review the diff!)
#   make lint     clang-format check, cppcheck, library confinement
#   make install / uninstall   PREFIX=/usr/local DESTDIR=
#
# Variables: CFG=release|asan (build dir build/$(CFG)), V=1 (show commands),
# WERROR=1 (warnings are errors), CC, CFLAGS, LDFLAGS.

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
CFG ?= release
# clang: its UBSan also checks pointer overflow, which gcc's does not
ASAN_CC ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo $(CC))
CC ?= cc
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60

ifeq ($(V),1)
Q :=
else
Q := @
endif

B := build/$(CFG)

DEB_PACKAGES := libpcre2-dev libcsv-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev \
	libcriterion-dev libjansson-dev pkg-config fonts-dejavu-core clang \
	libclang-rt-14-dev mawk xvfb xdotool

# Project warnings come after the user's CFLAGS so they cannot be dropped.
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wpointer-arith -Wundef -Wno-unused-parameter \
	-Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifneq ($(findstring clang,$(CC)),)
# regex sources are built from concatenated literals on purpose
WARN += -Wno-string-concatenation
endif

OPT_release := -O2 -g
OPT_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
LDOPT_asan := -fsanitize=address,undefined
OPT := $(OPT_$(CFG))
LDOPT := $(LDOPT_$(CFG))

BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -MMD -MP \
	-DVMS_VERSION='"$(VERSION)"'
ALL_CFLAGS = $(OPT) $(CFLAGS) $(BASE_CFLAGS) $(WARN)

# Libraries are confined to their folders (DESIGN: one stage per folder).
# pcre2.h refuses to compile without PCRE2_CODE_UNIT_WIDTH, which only
# src/parse/ gets; every other object is built with the include guards of
# jansson.h, csv.h and SDL.h predefined, so a stray include there declares
# nothing and any use fails to build.
PCRE_CFLAGS = $(shell $(PKG_CONFIG) --cflags libpcre2-8 2>/dev/null) -DPCRE2_CODE_UNIT_WIDTH=8
PCRE_LIBS = $(shell $(PKG_CONFIG) --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
JSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JSON_LIBS = $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
CSV_LIBS := -lcsv
CRIT_CFLAGS = $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
CRIT_LIBS = $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null || echo -lcriterion)
NO_JSON := -DJANSSON_H
NO_CSV := -DLIBCSV_H__
NO_SDL := -DSDL_h_
SDL_CFLAGS = $(shell $(PKG_CONFIG) --cflags sdl2 SDL2_ttf SDL2_image 2>/dev/null)
SDL_LIBS = $(shell $(PKG_CONFIG) --libs sdl2 SDL2_ttf SDL2_image 2>/dev/null || \
	echo -lSDL2_ttf -lSDL2_image -lSDL2)
LIBS = $(PCRE_LIBS) $(JSON_LIBS) $(CSV_LIBS) $(SDL_LIBS) -lm -pthread

# src/parse holds its sub-stages in folders: vmi/ (the vmallocinfo
# assembler) and log/ (the boot-log parser) beside the driver and preparer.
LIB_DIRS := base parse parse/vmi parse/log model check report sim emit view
LIB_SRC := $(sort $(foreach d,$(LIB_DIRS),$(wildcard src/$(d)/*.c)))
PARSE_INC := -Isrc/parse -Isrc/parse/vmi -Isrc/parse/log
CLI_SRC := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/%.o)
CLI_OBJ := $(CLI_SRC:src/%.c=$(B)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)

LIB := $(B)/libvmscope.a
BIN := $(B)/vmscope
UNIT := $(B)/unit

.PHONY: all deps run test asan check-unit check-cli bench fuzz golden lint \
	format install uninstall clean
.DEFAULT_GOAL := all

all: $(BIN)

# ---- objects ---------------------------------------------------------------
$(B)/base/%.o: EXTRA_CFLAGS = -Isrc/base $(NO_JSON) $(NO_CSV) $(NO_SDL)
$(B)/parse/%.o: EXTRA_CFLAGS = $(PARSE_INC) -Isrc/base $(PCRE_CFLAGS) $(NO_JSON) \
	$(NO_CSV) $(NO_SDL)
$(B)/model/%.o: EXTRA_CFLAGS = -Isrc/model -Isrc/base $(NO_JSON) $(NO_CSV) $(NO_SDL)
$(B)/check/%.o: EXTRA_CFLAGS = -Isrc/check $(NO_JSON) $(NO_CSV) $(NO_SDL)
$(B)/report/%.o: EXTRA_CFLAGS = -Isrc/report $(NO_JSON) $(NO_CSV) $(NO_SDL)
$(B)/sim/%.o: EXTRA_CFLAGS = -Isrc/sim -Isrc/model -Isrc/base $(NO_JSON) $(NO_CSV) $(NO_SDL)
$(B)/sim/sim_script.o: EXTRA_CFLAGS = -Isrc/sim -Isrc/base $(NO_JSON) $(NO_SDL)
$(B)/emit/%.o: EXTRA_CFLAGS = -Isrc/emit $(NO_JSON) $(NO_CSV) $(NO_SDL)
$(B)/emit/emit_sarif.o: EXTRA_CFLAGS = -Isrc/emit $(JSON_CFLAGS) $(NO_CSV) $(NO_SDL)
$(B)/emit/emit_json.o: EXTRA_CFLAGS = -Isrc/emit $(JSON_CFLAGS) $(NO_CSV) $(NO_SDL)
$(B)/emit/emit_report_json.o: EXTRA_CFLAGS = -Isrc/emit $(JSON_CFLAGS) $(NO_CSV) $(NO_SDL)
$(B)/emit/emit_diff_json.o: EXTRA_CFLAGS = -Isrc/emit $(JSON_CFLAGS) $(NO_CSV) $(NO_SDL)
$(B)/emit/emit_fit_json.o: EXTRA_CFLAGS = -Isrc/emit $(JSON_CFLAGS) $(NO_CSV) $(NO_SDL)
$(B)/emit/emit_csv.o: EXTRA_CFLAGS = -Isrc/emit $(NO_JSON) $(NO_SDL)
$(B)/view/%.o: EXTRA_CFLAGS = -Isrc/view $(NO_JSON) $(NO_CSV) $(NO_SDL)
# The viewer's SDL parts; the model, selection, live reader and treemap
# layout stay SDL-free (tested without a display).
VIEW_SDL := render font overlay panel treemap_draw input app app_act
$(VIEW_SDL:%=$(B)/view/view_%.o): EXTRA_CFLAGS = -Isrc/view $(SDL_CFLAGS) $(NO_JSON) $(NO_CSV)
$(B)/cli/%.o: EXTRA_CFLAGS = -Isrc/cli $(NO_JSON) $(NO_CSV) $(NO_SDL)
$(B)/tests/%.o: EXTRA_CFLAGS = $(CRIT_CFLAGS) $(JSON_CFLAGS) $(SDL_CFLAGS) $(PARSE_INC) -Isrc/base -Isrc/model -Isrc/report -Isrc/sim -Isrc/view

$(B)/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(B)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(OPT) $(LDFLAGS) $(LDOPT) $(CLI_OBJ) $(LIB) $(LIBS) -o $@

$(UNIT): $(TEST_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(OPT) $(LDFLAGS) $(LDOPT) $(TEST_OBJ) $(LIB) $(CRIT_LIBS) $(LIBS) -o $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

# ---- set-up ----------------------------------------------------------------
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "deps: all packages present"; fi

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(BIN) report --layout samples/arm32-marvell-granite2-boot-layout-240m.txt \
	  samples/arm32-marvell-granite2-ocr-paste-vmallocinfo.txt

# ---- tests -----------------------------------------------------------------
test: deps
	$(Q)$(MAKE) --no-print-directory check-unit check-cli

check-unit: $(UNIT) $(BIN)
	$(Q)VMSCOPE_BIN=$(BIN) $(UNIT) --jobs 2

check-cli: $(BIN) $(B)/pngpix
	$(Q)bash tests/cli/run.sh $(BIN)
	$(Q)bash tests/view/e2e.sh $(BIN) $(B)/pngpix

# The viewer's end-to-end test reads its PNG snapshots with this.
$(B)/pngpix: tests/view/pngpix.c
	@mkdir -p $(@D)
	$(Q)$(CC) -O1 -g $(SDL_CFLAGS) -o $@ $< $(SDL_LIBS)

# ASan+UBSan: Criterion does not fail a test on a LeakSanitizer report, so the
# whole output is scanned for sanitizer reports as well. The viewer's real
# window (e2e.sh) runs without leak detection: SDL unloads the X11 libraries
# at exit and what they kept then shows as leaks of an unknown module; the
# app's own allocations are leak-checked in tests/test_view_app.c (SDL's
# dummy driver, in the unit run above).
asan:
	$(Q)$(MAKE) --no-print-directory CFG=asan CC=$(ASAN_CC) build/asan/unit build/asan/vmscope \
	  build/asan/pngpix
	$(Q)log=$$(mktemp); \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  VMSCOPE_BIN=build/asan/vmscope build/asan/unit --jobs 2 >$$log 2>&1; rc=$$?; \
	ASAN_OPTIONS=detect_leaks=1 bash tests/cli/run.sh build/asan/vmscope >>$$log 2>&1 || rc=1; \
	ASAN_OPTIONS=detect_leaks=0 bash tests/view/e2e.sh build/asan/vmscope build/asan/pngpix \
	  >>$$log 2>&1 || rc=1; \
	cat $$log; \
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Undefined)' $$log; then \
	  echo "asan: sanitizer reports found"; rc=1; fi; rm -f $$log; exit $$rc

golden: $(BIN)
	$(Q)bash tests/cli/run.sh --update $(BIN)

# ---- bench and fuzz --------------------------------------------------------
bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(CC) -O2 -std=c11 -Wall -Wextra -o build/bench-gen tests/bench/gen.c
	$(Q)bash tests/bench/run.sh $(BIN) build/bench-gen
	$(Q)bash tests/bench/sim.sh $(BIN) build/bench-gen
	$(Q)$(MAKE) --no-print-directory $(B)/view-bench
	$(Q)$(B)/view-bench build/bench/vmallocinfo-$${BENCH_LINES:-1000000}.txt

# Frame time of the renderer at 1,000,000 areas (headless).
$(B)/view-bench: tests/bench/view_bench.c $(LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(SDL_CFLAGS) -o $@ $< $(LIB) $(LIBS)

FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
fuzz: deps
	$(Q)mkdir -p build/fuzz
	$(Q)for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  echo "  FUZZ    $$n ($(FUZZ_SECONDS)s)"; \
	  $(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $(PARSE_INC) -Isrc/base -Isrc/model -Isrc/sim \
	    $(FUZZ_FLAGS) -fsanitize=fuzzer $(PCRE_CFLAGS) $(JSON_CFLAGS) $(SDL_CFLAGS) \
	    $$f $(LIB_SRC) $(LIBS) -o build/fuzz/$$n || exit 1; \
	  mkdir -p build/fuzz/corpus-$$n; \
	  dict=; [ -f tests/fuzz/$$n.dict ] && dict=-dict=tests/fuzz/$$n.dict; \
	  log=build/fuzz/$$n.log; \
	  if build/fuzz/$$n $$dict -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/$$n- \
	    build/fuzz/corpus-$$n tests/fuzz/seeds-$$n samples >$$log 2>&1; then \
	    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' $$log || tail -n 3 $$log; \
	  else \
	    tail -n 80 $$log; \
	    echo "fuzz: $$n FAILED (full log: $$log; reproduce: build/fuzz/$$n build/fuzz/$$n-crash-...)"; \
	    exit 1; \
	  fi; \
	done

# ---- lint, install ---------------------------------------------------------
FMT_FILES = $(shell find src include tests -name '*.[ch]')
lint:
	$(Q)clang-format --dry-run --Werror $(FMT_FILES)
	$(Q)cppcheck --quiet --error-exitcode=1 --std=c11 -Iinclude $(PARSE_INC) -Isrc/base \
	  --suppress=missingIncludeSystem --inline-suppr src
	$(Q)! grep -rlE '#include *<pcre2.h>' src include | grep -v '^src/parse/'
	$(Q)! grep -rlE '#include *<csv.h>' src include | grep -vE 'emit_csv.c|sim_script.c'
	$(Q)! grep -rlE '#include *<jansson.h>' src include | grep -vE 'emit_(json|sarif|report_json|diff_json|fit_json).c|emit_jansson.h'
	$(Q)! grep -rlE '#include *[<"](SDL2/)?SDL' src include | grep -v '^src/view/'
	@echo "lint: clean"

format:
	$(Q)clang-format -i $(FMT_FILES)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/vmscope
	install -m 0644 docs/vmscope.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmscope.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vmscope $(DESTDIR)$(PREFIX)/share/man/man1/vmscope.1

clean:
	rm -rf build
