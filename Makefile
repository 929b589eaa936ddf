# quire - study notes to PDF booklet, EPUB and Anki deck.
#
#   make            install missing Debian packages, build ./quire, compile input/*.md into out/
#   make quire      build the binary only
#   make test       build and run every test; ends with "N passed, N failed"
#   make asan       the tests under AddressSanitizer + UBSan
#   make bench      speed and memory numbers (a benchmark, not a test)
#   make fuzz       a longer fuzzing run of the reader and every back end
#   make install    PREFIX=/usr/local
#   V=1             show the compiler command lines

CC       ?= cc
BUILD    ?= build
OPT      ?= -O2 -g
WARN     := -std=c17 -Wall -Wextra -Wshadow -Werror -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -DQUIRE_SHARE_DIR=\"$(PREFIX)/share/quire\" \
	-DQUIRE_LIB_DIR=\"$(PREFIX)/lib/quire\" -I/usr/include/freetype2 -I/usr/include/fribidi -MMD -MP
CFLAGS   += $(OPT) $(WARN) -fPIC
PREFIX   ?= /usr/local

# The program holds the reader, the model, the renderers and the tree
# dump; pdf, epub and apkg are modules (build/lib/quire-NAME.so) loaded
# when asked for, each with only the libraries it needs: a run starts in
# a millisecond instead of loading sqlite, libharu and FreeType every
# time. epub and apkg share backend/zip. The tests and the fuzzer link
# everything in, and libzip as an independent reader of our archives.
LIBS_CORE := -pthread -Wl,-Bstatic -lcmark -Wl,-Bdynamic -lm
LIBS_PDF  := -lhpdf -lfreetype -lhyphen -lfribidi -lz -lm -pthread
LIBS_EPUB := -lz -pthread
LIBS_APKG := -lsqlite3 -lz -pthread
LDLIBS    := -pthread -lcmark -lhpdf -lzip -lsqlite3 -lfreetype -lhyphen -lfribidi -lz -lm
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

SRC      := $(sort $(shell find src -name '*.c'))
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
LIBOBJ   := $(filter-out $(BUILD)/src/main.o,$(OBJ))
PDF_OBJ  := $(filter $(BUILD)/src/backend/pdf/% $(BUILD)/src/typeset/%,$(OBJ))
ZIP_OBJ  := $(filter $(BUILD)/src/backend/zip/%,$(OBJ))
EPUB_OBJ := $(filter $(BUILD)/src/backend/epub/%,$(OBJ)) $(ZIP_OBJ)
APKG_OBJ := $(filter $(BUILD)/src/backend/apkg/%,$(OBJ)) $(ZIP_OBJ)
CORE_OBJ := $(filter-out $(PDF_OBJ) $(EPUB_OBJ) $(APKG_OBJ),$(OBJ))
MODULES  := $(BUILD)/lib/quire-pdf.so $(BUILD)/lib/quire-epub.so $(BUILD)/lib/quire-apkg.so
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
INPUTS   := $(sort $(wildcard input/*.md))

# Debian packages: what building needs, and what the tests add.
DEB_BUILD := gcc make libcmark-dev libhpdf-dev libsqlite3-dev \
	zlib1g-dev libhyphen-dev hyphen-en-us libfreetype-dev libfribidi-dev \
	fonts-dejavu-core fonts-dejavu-extra fonts-symbola \
	fonts-noto-color-emoji fonts-droid-fallback
DEB_TEST  := hyphen-de hyphen-es hyphen-fr hyphen-pt-br hyphen-ru \
	libzip-dev epubcheck default-jdk-headless qpdf poppler-utils sqlite3 unzip python3 clang libxml2-utils \
	libclang-rt-14-dev valgrind

.PHONY: all quire test unit asan bench fuzz deps deps-test outputs clean install check-deps spec
.DEFAULT_GOAL := all

all: deps quire outputs

quire: $(BUILD)/quire $(MODULES)
	@cp $(BUILD)/quire quire

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

spec: $(SPEC_BIN)
	@$(SPEC_BIN) tests/spec/spec.txt tests/spec/dialect.txt

# Compile every input/*.md into out/ with every back end that exists.
outputs: quire
	@mkdir -p out
	@if [ -n "$(INPUTS)" ]; then ./quire -o out $(INPUTS); fi

deps:
	@tests/deps.sh $(DEB_BUILD)

deps-test:
	@tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

unit: $(UNIT_BIN) $(SPEC_BIN)

test: deps-test $(BUILD)/quire $(MODULES) unit
	@BUILD=$(BUILD) QUIRE=$(CURDIR)/$(BUILD)/quire tests/run.sh

asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) BUILD=build/asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" test

bench: quire
	@tests/bench.sh

fuzz: deps-test
	@tests/fuzz/run.sh 300

man: quire.1

install: quire
	install -D -m 755 quire $(DESTDIR)$(PREFIX)/bin/quire
	for m in $(MODULES); do install -D -m 644 $$m $(DESTDIR)$(PREFIX)/lib/quire/$$(basename $$m); done
	install -D -m 644 quire.1 $(DESTDIR)$(PREFIX)/share/man/man1/quire.1
	install -D -m 644 quire-notes.5 $(DESTDIR)$(PREFIX)/share/man/man5/quire-notes.5
	mkdir -p $(DESTDIR)$(PREFIX)/share/quire
	cp -r styles fonts $(DESTDIR)$(PREFIX)/share/quire/

clean:
	rm -rf build quire out

-include $(OBJ:.o=.d) $(UNIT_BIN:=.d) $(SPEC_BIN).d
