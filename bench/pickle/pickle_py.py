# CPython's side of bench/pickle.ts: the same loops as pipefork's, timed
# inside the process (start-up excluded) in CPU time, as pipefork's side is.
# argv: what (dumps|loads|roundtrip), n.
import pickle
import sys
import time

what, n = sys.argv[1], int(sys.argv[2])
data = [{'id': i, 'name': 'x' * 10, 'ok': True, 'v': 1.5} for i in range(1000)]
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
print(f'TIME {time.process_time() - t:.6f} BYTES {len(blob)}')
