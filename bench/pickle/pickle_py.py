# CPython's side of bench/pickle.ts: the same values and loops as pipefork's,
# timed inside the process (start-up excluded) in CPU time, as pipefork's
# side is. argv: what (dumps|loads|roundtrip), shape, n. Prints the time and
# a digest of the pickle, which the driver checks against pipefork's (both
# sides must be timing the same bytes).
import hashlib
import pickle
import sys
import time

# The values, built as a Python program builds them; bench/pickle.ts builds
# the same ones in JS. 'x' * 10 is one str object (a folded constant) that
# every dict shares: CPython's memo writes it once, then BINGETs.
SHAPES = {
    'dicts': lambda: [{'id': i, 'name': 'x' * 10, 'ok': True, 'v': 1.5} for i in range(1000)],
    'ints': lambda: [i * i for i in range(1000)],
    'strs': lambda: [f'item-{i}' for i in range(1000)],
    'bytes': lambda: [bytes([i % 256]) * 16 for i in range(1000)],
    'tuples': lambda: tuple((i, (i, i - 500)) for i in range(1000)),
    'longstr': lambda: 'pipefork ' * 12000,
    'text': lambda: 'pipefork \u2713 \u00e9t\u00e9 ' * 8000,
}

what, shape, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = SHAPES[shape]()
blob = pickle.dumps(data, 4)  # protocol 4: what multiprocessing's ForkingPickler sends
warm = n // 10


def dumps_loop(k):
    for _ in range(k):
        pickle.dumps(data, 4)


def loads_loop(k):
    for _ in range(k):
        pickle.loads(blob)


def roundtrip_loop(k):
    for _ in range(k):
        pickle.loads(pickle.dumps(data, 4))


loop = {'dumps': dumps_loop, 'loads': loads_loop, 'roundtrip': roundtrip_loop}[what]
loop(warm)
t = time.process_time()
loop(n)
print(f'TIME {time.process_time() - t:.6f} BYTES {len(blob)} SHA1 {hashlib.sha1(blob).hexdigest()}')
