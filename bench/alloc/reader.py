# The CPython reader of bench/alloc's stream figures: the loop of
# bench/os/os_py.py's 'stream' mode (os.read(fd, chunk) until b''), on stdin.
import json, os, resource, sys, time

chunk = int(sys.argv[1]) if len(sys.argv) > 1 else 65536
got = len(os.read(0, chunk))  # the clock starts at the first byte
r0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
while True:
    b = os.read(0, chunk)
    if not b:
        break
    got += len(b)
t = time.perf_counter() - t0
r1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
print(json.dumps({'s': t, 'cpu': cpu, 'bytes': got, 'minflt': r1.ru_minflt - r0.ru_minflt,
                  'nvcsw': r1.ru_nvcsw - r0.ru_nvcsw, 'nivcsw': r1.ru_nivcsw - r0.ru_nivcsw}))
