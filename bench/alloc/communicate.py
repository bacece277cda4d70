# CPython's side of bench/alloc's communicate figure: Popen.communicate() of
# a child writing total bytes to its stdout; prints the seconds as JSON.
import json, subprocess, sys, time

total = int(sys.argv[1])
t0 = time.perf_counter()
out, _ = subprocess.Popen(['head', '-c', str(total), '/dev/zero'], stdout=subprocess.PIPE).communicate()
t = time.perf_counter() - t0
assert len(out) == total
print(json.dumps({'s': t}))
