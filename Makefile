# jiceng — build, run, test. See README.md for the two set-up commands.
VERSION   := 0.1.0
CC        ?= cc
BUILD     ?= build
OPT       ?= -O2
PKGS      := libmicrohttpd jansson libsodium sqlite3 libpq xlsxwriter libzip expat
WARN      := -Wall -Wextra -Werror -Wformat=2 -Wno-format-nonliteral -Wvla
CFLAGS    += -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) -DJICENG_VERSION='"$(VERSION)"' \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS    += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
DB        ?= demo.db
LISTEN    ?= 127.0.0.1:8080

SRC       := $(shell find src -name '*.c' | sort)
OBJ       := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/assets.o
LIBSRC    := $(filter-out src/main.c,$(SRC))
LIBOBJ    := $(LIBSRC:%.c=$(BUILD)/%.o) $(BUILD)/assets.o
WEB       := $(shell find web -type f | sort)
OPENAPI   := src/http/openapi-base.json $(shell find src -name openapi.json | sort)
ASSETS    := $(foreach f,$(WEB),$(patsubst web%,%,$(f))=$(f)) openapi/base.json=src/http/openapi-base.json \
             $(foreach f,$(filter-out src/http/openapi-base.json,$(OPENAPI)),openapi/$(word 2,$(subst /, ,$(f))).json=$(f))
UNIT_SRC  := $(shell find tests/unit -name 'test_*.c' | sort)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test unit api-test browser-test asan-test format format-check bench deps-build deps-test \
        clean demo-db check-clang
all: $(BUILD)/jiceng

# V=1 shows the full compiler lines
Q := $(if $(V),,@)

$(BUILD)/jiceng: $(OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDFLAGS) $(LDLIBS)

$(BUILD)/%.o: %.c $(shell find src -name '*.h')
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/assets.c: $(BUILD)/embed $(WEB) $(OPENAPI)
	@echo "  EMBED   web/ and OpenAPI"
	$(Q)$(BUILD)/embed $@ $(ASSETS)

$(BUILD)/assets.o: $(BUILD)/assets.c
	$(Q)$(CC) -std=c11 -O0 -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LIBOBJ) $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

# ---- the two front-door commands ----
# Dependencies are installed first, then make runs again: pkg-config flags are read when a
# Makefile is parsed, so the build must start after the libraries are there.

# Builds, creates the demo database on first run, and serves it.
run: deps-build
	@$(MAKE) --no-print-directory all
	@if [ ! -f $(DB) ]; then $(BUILD)/jiceng init --db $(DB) --demo --admin-password "$${JICENG_ADMIN_PASSWORD:-jiceng-demo}"; fi
	@echo "jiceng: open http://$(LISTEN) and log in as admin, password $${JICENG_ADMIN_PASSWORD:-jiceng-demo}"
	@echo "        (unless $(DB) existed before). The other demo users (\`$(BUILD)/jiceng user list --db $(DB)\`)"
	@echo "        have the same password; residents report problems at http://$(LISTEN)/#/report. Ctrl-C stops."
	$(BUILD)/jiceng serve --db $(DB) --listen $(LISTEN)

# Every test: unit (cmocka), API over HTTP on SQLite and on PostgreSQL, browser (Chromium).
test: deps-test
	@$(MAKE) --no-print-directory all unit
	tests/run-api.sh sqlite
	tests/run-api.sh pg
	tests/run-browser.sh

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

api-test: all
	tests/run-api.sh sqlite
	tests/run-api.sh pg

browser-test: all
	tests/run-browser.sh

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
ASAN_OPT := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan-test: deps-test
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="$(ASAN_OPT)" \
	    LDFLAGS="-fsanitize=address,undefined" all unit
	JICENG_BIN=build-asan/jiceng tests/run-api.sh sqlite
	JICENG_BIN=build-asan/jiceng tests/run-api.sh pg
	JICENG_BIN=build-asan/jiceng tests/run-browser.sh

check-clang:
	$(MAKE) BUILD=build-clang CC=clang all

bench: deps-test
	@$(MAKE) --no-print-directory all
	bench/run.sh

deps-build:
	@scripts/install-deps.sh build
deps-test:
	@scripts/install-deps.sh test

FORMAT_FILES = $(shell find src tests/unit tools bench -name '*.[ch]' | sort)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf build build-asan build-clang
