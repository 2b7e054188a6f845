#!/usr/bin/env bash
# run.sh [SECONDS [TARGET...]] | --merge [TARGET...] - build the libFuzzer harnesses with clang and run
# each for SECONDS (default 600) on top of its seed corpus (tests/fuzz/corpus/TARGET),
# several at a time (AG_FUZZ_JOBS, default one per core). TARGET is model,
# revfile or url; default all.
#
# New corpus entries go to a scratch folder ($AG_FUZZ_WORK/TARGET/corpus, default
# build-fuzz/runs), never into the tree; --merge minimizes them into the seed
# corpus instead (libFuzzer -merge=1) for a commit.
#
# Exit status 1 when a target crashes, leaks, trips a sanitizer or times out: the
# reproducer's path and the end of the target's log are printed; rerun it with
#   build-fuzz/tests/fuzz/fuzz_TARGET REPRODUCER
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${AG_FUZZ_BUILD:-$root/build-fuzz}
work=${AG_FUZZ_WORK:-$build/runs}
jobs=${AG_FUZZ_JOBS:-$(nproc)}

merge=0 seconds=600
if [ "${1:-}" = --merge ]; then
    merge=1
    shift
elif [ $# -gt 0 ]; then
    seconds=$1
    shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(model revfile url)

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DAUTOGEN_FUZZ=ON \
    -DAUTOGEN_TESTS=OFF -DAUTOGEN_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1

if [ "$merge" = 1 ]; then
    for t in "${targets[@]}"; do
        mkdir -p "$work/$t/corpus"
        "$build/tests/fuzz/fuzz_$t" -merge=1 "tests/fuzz/corpus/$t" "$work/$t/corpus" \
            >"$work/$t/merge.log" 2>&1
        echo "fuzz_$t: $(ls "tests/fuzz/corpus/$t" | wc -l) seed inputs after merging"
    done
    exit 0
fi

# run TARGET: one bounded run; its status in $work/TARGET/status.
run() {
    local t=$1 dir=$work/$1
    rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir/status"
    mkdir -p "$dir/corpus"
    local rc=0
    "$build/tests/fuzz/fuzz_$t" "$dir/corpus" "tests/fuzz/corpus/$t" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$dir/" >"$dir/log" 2>&1 || rc=$?
    echo "$rc" >"$dir/status"
}

running=0
for t in "${targets[@]}"; do
    [ -x "$build/tests/fuzz/fuzz_$t" ] || {
        echo "autogen: error: no fuzz target '$t' (model, revfile, url)" >&2
        exit 2
    }
    run "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

status=0
for t in "${targets[@]}"; do
    dir=$work/$t
    rc=$(cat "$dir/status" 2>/dev/null || echo "?")
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    if [ "$rc" = 0 ]; then
        echo "fuzz_$t: ok, ${runs:-?} inputs in ${seconds} s (scratch corpus: $(ls "$dir/corpus" | wc -l) inputs)"
        continue
    fi
    status=1
    echo "FAIL: fuzz_$t exited $rc; its log ends:" >&2
    tail -n 40 "$dir/log" >&2
    for f in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
        [ -e "$f" ] && echo "FAIL: fuzz_$t reproducer: $f (rerun: $build/tests/fuzz/fuzz_$t $f)" >&2
    done
done
exit "$status"
