# CPython's readers for bench/reads.ts: os.read(0, chunk) until b'' (the loop
# of bench/os/os_py.py's 'stream' mode), or BufferedReader.read(chunk) on
# stdin (bench/io/bulk.py's 'read'). The clock starts at the first byte, so
# neither process's start-up counts; prints one JSON line.
import json, os, resource, sys, time

variant, chunk = sys.argv[1], int(sys.argv[2])
if variant == 'os.read':
    read = lambda: os.read(0, chunk)
else:
    f = os.fdopen(0, 'rb')
    read = lambda: f.read(chunk)
got = len(read())
r0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
while True:
    b = read()
    if not b:
        break
    got += len(b)
t = time.perf_counter() - t0
r1 = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({'s': t, 'cpu': r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, 'bytes': got,
                  'minflt': r1.ru_minflt - r0.ru_minflt,
                  'csw': r1.ru_nvcsw - r0.ru_nvcsw + r1.ru_nivcsw - r0.ru_nivcsw,
                  'rssStartMiB': r0.ru_maxrss / 1024, 'rssMaxMiB': r1.ru_maxrss / 1024}))
