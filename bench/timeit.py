#!/usr/bin/python3
"""timeit.py RUNS DIR CMD... - median wall time of CMD run in DIR, in ms.
timeit.py --once DIR CMD... - the wall time of one run, without a warm-up run
(for commands that change what they run on, timed after a fresh set-up each).

The command is started with posix_spawn and waited for directly, its output
thrown away, and timed with perf_counter around spawn and wait: what is
measured is the command itself, process start included, without the cost of
a shell or of `date`. One untimed run first warms the page cache.
"""
import os
import statistics
import sys
import time


def run(argv, cwd):
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [
        (os.POSIX_SPAWN_DUP2, devnull, 1),
        (os.POSIX_SPAWN_DUP2, devnull, 2),
    ]
    old = os.getcwd()
    os.chdir(cwd)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        t1 = time.perf_counter()
    finally:
        os.chdir(old)
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"timeit.py: {' '.join(argv)} failed in {cwd}")
    return (t1 - t0) * 1000.0


def main():
    if sys.argv[1] == "--once":
        print(f"{run(sys.argv[3:], sys.argv[2]):.1f}")
        return
    runs, cwd, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    run(argv, cwd)
    times = [run(argv, cwd) for _ in range(runs)]
    print(f"{statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
