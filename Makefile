# jingyou — top-level commands. CMake does the building; this file names the steps.
#
#   make / make build   build build/jingyou and the tests (installs nothing)
#   make run            install what is missing, build, serve the demo city (PORT=8080)
#   make test           install what is missing, build, run every test (CTest)
#   make test-asan      the same tests built with AddressSanitizer + UBSan
#   make fuzz           run each libFuzzer target for FUZZ_SECONDS (default 60)
#   make format         format the C sources; make format-check fails on a diff
#   make bench          Release build, then the limits and the service's figures side by side
#                       (bench/README.md); never part of make test

BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
FUZZ_DIR    ?= build-fuzz
BENCH_DIR   ?= build-bench
FUZZ_SECONDS ?= 60
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
PORT        ?= 8080
C_SOURCES    = $(shell find src tests bench -name '*.[ch]' -not -path '*/corpus/*' 2>/dev/null)

.PHONY: all build deps run test test-asan fuzz bench format format-check clean

all: build

build:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD_DIR) -j $(JOBS) -- --no-print-directory

deps:
	@scripts/install-deps

# Serves the demo city on http://127.0.0.1:$(PORT); the database var/jingyou.db is created (with
# the demo city) when missing.
run: deps build
	$(BUILD_DIR)/jingyou serve --demo --port $(PORT)

test: deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DJY_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

fuzz:
	@scripts/install-deps --fuzz
	CC=clang cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJY_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	@set -e; for t in $(FUZZ_DIR)/fuzz_*; do \
	  kind=$${t##*/fuzz_}; mkdir -p $(FUZZ_DIR)/new/$$kind; \
	  echo "== fuzz $$kind for $(FUZZ_SECONDS)s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_DIR)/ \
	      $(FUZZ_DIR)/new/$$kind tests/fuzz/corpus/$$kind; \
	done

bench:
	@scripts/install-deps --bench
	cmake -S . -B $(BENCH_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BENCH_DIR) -j $(JOBS) --target jingyou bench_limits -- --no-print-directory
	bench/run.sh $(BENCH_DIR)

format:
	clang-format -i $(C_SOURCES)

format-check:
	clang-format --dry-run -Werror $(C_SOURCES)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) $(BENCH_DIR)
