# CPython baseline for bench/process.ts: subprocess.Popen(['/bin/true']).wait().
# usage: popen_true.py ITERATIONS [TOUCHED_MIB]; prints mean microseconds.
import subprocess
import sys
import time

iters = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
mib = int(sys.argv[2]) if len(sys.argv) > 2 else 0
# Live, touched memory the size of the JS heap in the heavy case.
mem = bytearray(b"\x01") * (mib << 20) if mib else None
t0 = time.perf_counter()
for _ in range(iters):
    subprocess.Popen(["/bin/true"]).wait()
t1 = time.perf_counter()
print(f"{(t1 - t0) / iters * 1e6:.2f}")
