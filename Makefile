# quire - study notes to PDF booklet, EPUB and Anki deck.
#
#   make            install missing Debian packages, build ./quire, compile input/*.md into out/
#   make quire      build the binary only
#   make test       build and run every test; ends with "N passed, N failed"
#   make asan       the tests under AddressSanitizer + UBSan
#   make bench      speed and memory numbers (a benchmark, not a test)
#   make fuzz       a longer fuzzing run of the reader and every back end
#   make install    PREFIX=/usr/local (DESTDIR too); copies, never rebuilds
#   make uninstall  the same PREFIX; removes what install put there
#   V=1             show the compiler command lines

CC       ?= cc
BUILD    ?= build
OPT      ?= -O2 -g
WARN     := -std=c17 -Wall -Wextra -Wshadow -Werror -Wno-unused-parameter
# FreeType's and FriBidi's flags from pkg-config (their headers are in
# folders of their own); before `make deps` has installed pkg-config,
# Debian's folders.
FT_CFLAGS := $(shell pkg-config --cflags freetype2 2>/dev/null || echo -I/usr/include/freetype2)
FT_LIBS   := $(shell pkg-config --libs freetype2 2>/dev/null || echo -lfreetype)
FB_CFLAGS := $(shell pkg-config --cflags fribidi 2>/dev/null || echo -I/usr/include/fribidi)
FB_LIBS   := $(shell pkg-config --libs fribidi 2>/dev/null || echo -lfribidi)
PNG_LIBS  := $(shell pkg-config --libs libpng 2>/dev/null || echo -lpng) -ljpeg
# librsvg's headers only: it, giflib, libwebp and the EPUB's PNG writer
# are loaded with dlopen at the first picture that needs them
# (src/backend/raster/lazy.h), so no module links them; librsvg's many
# folders are given to svg.c alone.
RSVG_CFLAGS := $(shell pkg-config --cflags librsvg-2.0 2>/dev/null || echo -I/usr/include/librsvg-2.0 \
	-I/usr/include/glib-2.0 -I/usr/lib/x86_64-linux-gnu/glib-2.0/include -I/usr/include/gdk-pixbuf-2.0 \
	-I/usr/include/cairo)
# No folder is compiled in: the program finds its modules and share folder
# beside itself (PREFIX/bin/quire uses PREFIX/lib/quire and
# PREFIX/share/quire), so `make install PREFIX=...` rebuilds nothing.
CPPFLAGS += -D_GNU_SOURCE $(FT_CFLAGS) $(FB_CFLAGS) -MMD -MP
CFLAGS   += $(OPT) $(WARN) -fPIC
PREFIX   ?= /usr/local

# The program holds the reader, the model, the renderers and the tree
# dump; pdf, epub and apkg are modules (build/lib/quire-NAME.so) loaded
# when asked for, each with only the libraries it needs: a run starts in
# a millisecond instead of loading sqlite, libharu, FreeType and libzip
# (which brings libcrypto) every time. epub and apkg share backend/zip.
# cmark and libyaml are linked in whole (Debian's static archives): one
# shared library fewer to map and relocate at every start.
# The tests and the fuzzer link everything in.
LIBS_CORE := -pthread -Wl,-Bstatic -lcmark -lyaml -Wl,-Bdynamic -lm
LIBS_PDF  := -lhpdf $(PNG_LIBS) $(FT_LIBS) -lhyphen $(FB_LIBS) -ldeflate -lz -lm -pthread
LIBS_EPUB := -lzip -lcrypto -lz -pthread
LIBS_APKG := -lsqlite3 -lzip -lcrypto -lz -pthread
LDLIBS    := -pthread -lcmark -lyaml -lhpdf $(PNG_LIBS) -lzip -lcrypto -lsqlite3 $(FT_LIBS) -lhyphen $(FB_LIBS) -ldeflate -lz -lm
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

SRC      := $(sort $(shell find src -name '*.c'))
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
LIBOBJ   := $(filter-out $(BUILD)/src/main.o,$(OBJ))
# backend/raster: the booklet draws GIF, WebP and SVG, the EPUB and the
# deck check them, and the EPUB makes a PNG twin of a WebP (png.o, the
# EPUB's only).
RASTER   := $(filter-out %/png.o,$(filter $(BUILD)/src/backend/raster/%,$(OBJ)))
PDF_OBJ  := $(filter $(BUILD)/src/backend/pdf/% $(BUILD)/src/typeset/%,$(OBJ)) $(RASTER)
ZIP_OBJ  := $(filter $(BUILD)/src/backend/zip/%,$(OBJ))
EPUB_OBJ := $(filter $(BUILD)/src/backend/epub/% $(BUILD)/src/backend/raster/%,$(OBJ)) $(ZIP_OBJ)
APKG_OBJ := $(filter $(BUILD)/src/backend/apkg/%,$(OBJ)) $(ZIP_OBJ) $(RASTER)
CORE_OBJ := $(filter-out $(PDF_OBJ) $(EPUB_OBJ) $(APKG_OBJ),$(OBJ))
$(BUILD)/src/backend/raster/svg.o: CPPFLAGS += $(RSVG_CFLAGS)
MODULES  := $(BUILD)/lib/quire-pdf.so $(BUILD)/lib/quire-epub.so $(BUILD)/lib/quire-apkg.so
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
INPUTS   := $(sort $(wildcard input/*.md))

# Debian packages: what building needs, and what the tests add.
DEB_BUILD := gcc make pkg-config libcmark-dev libyaml-dev libhpdf-dev libsqlite3-dev libzip-dev libssl-dev \
	zlib1g-dev libdeflate-dev libpng-dev libjpeg-dev libgif-dev libwebp-dev librsvg2-dev libhyphen-dev hyphen-en-us libfreetype-dev libfribidi-dev \
	fonts-dejavu-core fonts-dejavu-extra fonts-symbola fonts-katex \
	fonts-noto-color-emoji fonts-droid-fallback fonts-nanum golang-github-yuin-goldmark-emoji-dev
DEB_TEST  := hyphen-de hyphen-es hyphen-fr hyphen-pt-br hyphen-ru \
	epubcheck default-jdk-headless qpdf poppler-utils sqlite3 unzip python3 clang libxml2-utils \
	libclang-rt-14-dev valgrind

.PHONY: all test run-tests unit asan bench fuzz deps deps-test outputs clean install uninstall spec cards-report
.DEFAULT_GOAL := all

# The packages first, then the build in a second make: under -j the
# compiler would otherwise run before apt-get has brought the headers.
all: deps
	@$(MAKE) --no-print-directory quire outputs

# ./quire is replaced by a rename, never written over: a quire still
# running from it keeps its old file ("Text file busy" otherwise).
quire: $(BUILD)/quire $(MODULES)
	@cp $(BUILD)/quire .quire.tmp && mv -f .quire.tmp quire

$(BUILD)/quire: $(CORE_OBJ) | $(MODULES)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -rdynamic -Wl,-z,now -o $@ $(CORE_OBJ) $(LIBS_CORE)

$(BUILD)/lib/quire-pdf.so: $(PDF_OBJ)
	@mkdir -p $(dir $@)
	@echo "  MODULE  $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-z,now -o $@ $^ $(LIBS_PDF)

$(BUILD)/lib/quire-epub.so: $(EPUB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  MODULE  $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-z,now -o $@ $^ $(LIBS_EPUB)

$(BUILD)/lib/quire-apkg.so: $(APKG_OBJ)
	@mkdir -p $(dir $@)
	@echo "  MODULE  $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-z,now -o $@ $^ $(LIBS_APKG)

# Objects are rebuilt when the compiler flags change (make asan, OPT=...).
FLAGS_STAMP := $(BUILD)/.flags
$(shell mkdir -p $(BUILD); echo '$(CC) $(CPPFLAGS) $(CFLAGS)' | cmp -s - $(FLAGS_STAMP) \
	|| echo '$(CC) $(CPPFLAGS) $(CFLAGS)' > $(FLAGS_STAMP))

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# GitHub's emoji shortcodes: a table generated from goldmark-emoji's
# (src/reader/emoji.awk), sorted for a binary search.
EMOJI_GO := /usr/share/gocode/src/github.com/yuin/goldmark-emoji/definition/github.go
$(BUILD)/gen/emoji-table.h: src/reader/emoji.awk
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)awk -f src/reader/emoji.awk $(EMOJI_GO) >$@.raw
	$(Q)LC_ALL=C sort $@.raw >$@.tmp && rm -f $@.raw
	$(Q)if [ $$(wc -l <$@.tmp) -lt 1000 ]; then \
		echo "$(EMOJI_GO): no emoji table (make deps installs it)"; rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@
$(BUILD)/src/reader/emoji.o: $(BUILD)/gen/emoji-table.h
$(BUILD)/src/reader/emoji.o: CPPFLAGS += -I$(BUILD)/gen

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testing.h $(LIBOBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(LIBOBJ) $(LDLIBS)

# The CommonMark spec's examples through the reader and the XHTML writer,
# compared with cmark (tests/spec/README.md).
SPEC_BIN := $(BUILD)/tests/spec_test
$(SPEC_BIN): tests/spec/spec_test.c $(LIBOBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(LIBOBJ) $(LDLIBS)

# Recall and precision of the cards on real notes (tests/corpus).
cards-report: quire
	@python3 tests/cards/report.py

spec: $(SPEC_BIN)
	@$(SPEC_BIN) tests/spec/spec.txt tests/spec/dialect.txt
	@$(SPEC_BIN) --notes tests/spec/notes-dialect.txt

# Compile every input/*.md into out/ with every back end that exists.
outputs: quire
	@mkdir -p out
	@if [ -n "$(INPUTS)" ]; then ./quire -o out $(INPUTS); fi

deps:
	@tests/deps.sh $(DEB_BUILD)

deps-test:
	@tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

unit: $(UNIT_BIN) $(SPEC_BIN)

test: deps-test
	@$(MAKE) --no-print-directory run-tests

run-tests: $(BUILD)/quire $(MODULES) unit
	@BUILD=$(BUILD) QUIRE=$(CURDIR)/$(BUILD)/quire tests/run.sh

# The tests under AddressSanitizer and UBSan, the tree of every read
# checked against the grammar of model.h (QUIRE_CHECK_TREE, check.h).
asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) BUILD=build/asan OPT="-O1 -g -DQUIRE_CHECK_TREE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" test

bench: quire
	@tests/bench.sh

fuzz: deps-test
	@tests/fuzz/run.sh 300

man: quire.1

# What `make install` puts under PREFIX (uninstall removes exactly these).
INSTALLED := bin/quire $(MODULES:$(BUILD)/lib/%=lib/quire/%) \
	share/man/man1/quire.1 share/man/man5/quire-notes.5 \
	$(patsubst %,share/quire/%,$(sort $(wildcard styles/* fonts/*))) \
	share/bash-completion/completions/quire share/zsh/site-functions/_quire

# install(1) replaces each file by a new one (a running quire keeps its own).
install: $(BUILD)/quire $(MODULES)
	install -D -m 755 $(BUILD)/quire $(DESTDIR)$(PREFIX)/bin/quire
	for m in $(MODULES); do install -D -m 644 $$m $(DESTDIR)$(PREFIX)/lib/quire/$$(basename $$m); done
	install -D -m 644 quire.1 $(DESTDIR)$(PREFIX)/share/man/man1/quire.1
	install -D -m 644 quire-notes.5 $(DESTDIR)$(PREFIX)/share/man/man5/quire-notes.5
	for f in $(sort $(wildcard styles/* fonts/*)); do install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/quire/$$f; done
	install -D -m 644 completion/quire.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/quire
	install -D -m 644 completion/_quire $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_quire

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))
	rmdir $(DESTDIR)$(PREFIX)/lib/quire $(DESTDIR)$(PREFIX)/share/quire/styles \
		$(DESTDIR)$(PREFIX)/share/quire/fonts $(DESTDIR)$(PREFIX)/share/quire 2>/dev/null || true

clean:
	rm -rf build quire .quire.tmp out

-include $(OBJ:.o=.d) $(UNIT_BIN:=.d) $(SPEC_BIN).d
