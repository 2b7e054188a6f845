#!/usr/bin/python3
"""cputime.py RUNS DIR CMD... - median CPU time (user + system, the command and its
children) of CMD run in DIR, in ms, after one untimed run. On a shared machine the
wall time (timeit.py) also counts the time spent waiting for a core; this does not."""
import os
import statistics
import sys


def run(argv, cwd):
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    old = os.getcwd()
    os.chdir(cwd)
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        _, _, ru = os.wait4(pid, 0)
    finally:
        os.chdir(old)
        os.close(devnull)
    return (ru.ru_utime + ru.ru_stime) * 1000


runs, cwd, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
run(argv, cwd)
print("%.1f" % statistics.median(run(argv, cwd) for _ in range(runs)))
