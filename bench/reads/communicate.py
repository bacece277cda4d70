# CPython's side of bench/reads.ts's communicate figure: Popen.communicate()
# of a child writing total bytes to its stdout; prints one JSON line.
import json, resource, subprocess, sys, time

total = int(sys.argv[1])
r0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
out, _ = subprocess.Popen(['head', '-c', str(total), '/dev/zero'], stdout=subprocess.PIPE).communicate()
t = time.perf_counter() - t0
r1 = resource.getrusage(resource.RUSAGE_SELF)
assert len(out) == total
print(json.dumps({'s': t, 'cpu': r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime,
                  'minflt': r1.ru_minflt - r0.ru_minflt}))
