# CPython's side of bench/multiprocessing.ts: the same loops between a
# parent and a child started with multiprocessing's fork start method over
# Pipe() (a socketpair), as pipefork's side runs them. Each side times its
# own part of the loop in CPU time (time.process_time) after a warm-up; the
# child sends its figure to the parent, which prints both and the wall time.
# argv: what (pingpong|objects|bytes), n.
import multiprocessing as mp
import sys
import time

what, n = sys.argv[1], int(sys.argv[2])
warm = max(n // 10, 1)
DATA = [{'id': i, 'name': 'x' * 10, 'ok': True, 'v': 1.5} for i in range(1000)]
MIB = b'x' * (1 << 20)
SMALL = b'0123456789abcdef'


def child(conn):
    if what == 'pingpong':
        for _ in range(warm):
            conn.send_bytes(conn.recv_bytes())
        t = time.process_time()
        for _ in range(n):
            conn.send_bytes(conn.recv_bytes())
    else:
        send = (lambda: conn.send(DATA)) if what == 'objects' else (lambda: conn.send_bytes(MIB))
        for _ in range(warm):
            send()
        t = time.process_time()
        for _ in range(n):
            send()
    conn.send_bytes(repr(time.process_time() - t).encode())


def parent():
    a, b = mp.Pipe()
    p = mp.get_context('fork').Process(target=child, args=(b,))
    p.start()
    b.close()
    if what == 'pingpong':
        for _ in range(warm):
            a.send_bytes(SMALL)
            a.recv_bytes()
        t, w = time.process_time(), time.perf_counter()
        for _ in range(n):
            a.send_bytes(SMALL)
            a.recv_bytes()
    else:
        recv = a.recv if what == 'objects' else a.recv_bytes
        for _ in range(warm):
            recv()
        t, w = time.process_time(), time.perf_counter()
        for _ in range(n):
            recv()
    mine, wall = time.process_time() - t, time.perf_counter() - w
    theirs = float(a.recv_bytes())
    p.join()
    print(f'PARENT {mine:.6f} CHILD {theirs:.6f} WALL {wall:.6f}')


parent()
