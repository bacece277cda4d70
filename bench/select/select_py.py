# CPython's side of bench/select.ts: the same loops as pipefork's, timed in
# CPU time (select2, poll64) or on the monotonic clock (relay, latency).
# argv: what, n.
import os
import select
import selectors
import signal
import struct
import subprocess
import sys
import time

what, n = sys.argv[1], int(sys.argv[2])
HERE = os.path.dirname(os.path.abspath(__file__))


def pipes(k):
    out = []
    for _ in range(k):
        r, w = os.pipe()
        os.write(w, b'x')
        out.append((r, w))
    return out


if what == 'select2':
    rs = [r for r, _ in pipes(2)]
    for _ in range(n // 10):
        select.select(rs, [], [], 0)
    t = time.process_time()
    for _ in range(n):
        select.select(rs, [], [], 0)
    print(f'TIME {time.process_time() - t:.6f}')
elif what == 'poll64':
    p = select.poll()
    for r, w in pipes(32):
        p.register(r, select.POLLIN)
        p.register(w, select.POLLOUT)
    for _ in range(n // 10):
        p.poll(0)
    t = time.process_time()
    for _ in range(n):
        p.poll(0)
    print(f'TIME {time.process_time() - t:.6f}')
elif what == 'relay':
    # n MiB from each of two children, relayed to /dev/null through one selector loop.
    cmd = ['head', '-c', str(n << 20), '/dev/zero']
    t = time.monotonic()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE) for _ in range(2)]
    out = os.open(os.devnull, os.O_WRONLY)
    sel = selectors.DefaultSelector()
    for p in procs:
        sel.register(p.stdout, selectors.EVENT_READ)
    total = 0
    while sel.get_map():
        for key, _ in sel.select():
            chunk = os.read(key.fd, 1 << 16)
            if not chunk:
                sel.unregister(key.fileobj)
                continue
            os.write(out, chunk)
            total += len(chunk)
    for p in procs:
        p.wait()
        p.stdout.close()
    print(f'TIME {time.monotonic() - t:.6f} BYTES {total}')
elif what == 'latency':
    stamp_r, stamp_w = os.pipe()
    ack_r, ack_w = os.pipe()
    wake_r, wake_w = os.pipe()
    lat = []

    def handler(signum, frame):
        lat.append(time.monotonic_ns() - struct.unpack('<q', os.read(stamp_r, 8))[0])
        os.write(ack_w, b'k')

    signal.signal(signal.SIGUSR1, handler)
    fds = (stamp_w, ack_r, wake_w)
    s = subprocess.Popen([sys.executable, os.path.join(HERE, 'sender.py'), str(os.getpid()), str(n), *map(str, fds)],
                         pass_fds=fds)
    os.read(wake_r, 1)
    s.wait()
    lat.sort()
    print(f'TIME {lat[len(lat) // 2] / 1e9:.9f}')
