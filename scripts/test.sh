#!/usr/bin/env bash
# test.sh - install what is missing, build with AddressSanitizer and UBSan, and run
# every test (cmocka unit tests and end-to-end tests of the real binary) with ctest,
# then run each fuzz target for 30 s on top of its corpus (tests/fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ag_install_deps libcmocka-dev sqlite3 git clang-format postgresql man-db zsh \
    cppcheck clang libclang-rt-14-dev
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DAUTOGEN_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(nproc)"
# The optimized build of scripts/setup.sh must compile too: -O2 enables
# warnings (-Wformat-truncation, ...) that a debug build never sees.
cmake -S . -B build-release-check -DCMAKE_BUILD_TYPE=Release -DAUTOGEN_TESTS=OFF >/dev/null
cmake --build build-release-check -j"$(nproc)" >/dev/null
# clang too: it checks what gcc does not (format attributes under -Wformat=2, ...).
# The library, the command and the unit tests are compiled and the unit tests run.
CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Debug -DAUTOGEN_SANITIZE=ON >/dev/null
cmake --build build-clang -j"$(nproc)" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-clang --output-on-failure -j"$(nproc)" -L unit -LE pg
(cd build-test && ctest --output-on-failure -j"$(nproc)" "$@")
# A crash, leak or sanitizer report fails the run and prints the reproducer
# (AG_FUZZ_SECONDS=0 skips this step).
[ "${AG_FUZZ_SECONDS:-30}" = 0 ] || tests/fuzz/run.sh "${AG_FUZZ_SECONDS:-30}"
