# CPython baseline for bench/fork.ts: os.fork() round trips.
# usage: fork_exit.py ITERATIONS TOUCHED_MIB exit|exec; prints mean microseconds.
# exit: the child calls os._exit(0); exec: the child execs /bin/true.
import os
import sys
import time

iters = int(sys.argv[1])
mib = int(sys.argv[2])
mode = sys.argv[3]
# Live, touched memory the size of the JS heap in the heavy case.
mem = bytearray(b"\x01") * (mib << 20) if mib else None
t0 = time.perf_counter()
for _ in range(iters):
    pid = os.fork()
    if pid == 0:
        if mode == "exec":
            os.execv("/bin/true", ["/bin/true"])
        os._exit(0)
    os.waitpid(pid, 0)
t1 = time.perf_counter()
print(f"{(t1 - t0) / iters * 1e6:.2f}")
