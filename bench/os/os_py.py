# CPython contenders for bench/os.ts: the same loops as os_c.c, written the
# way Python IPC code is written (os.read / os.write, struct for the header).
import os, struct, sys, time

mode = sys.argv[1]
if mode == 'pair':
    n = int(sys.argv[2])
    r, w = os.pipe()
    t0 = time.perf_counter()
    for _ in range(n):
        os.write(w, b'x')
        os.read(r, 1)
    print(f'{time.perf_counter() - t0:.6f}')
elif mode == 'stream':
    total, chunk = int(sys.argv[2]), int(sys.argv[3])
    r, w = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        buf = b'x' * chunk
        sent = 0
        while sent < total:
            sent += os.write(w, buf)
        os._exit(0)
    os.close(w)
    got = 0
    while True:
        b = os.read(r, chunk)
        if not b:
            break
        got += len(b)
    os.waitpid(pid, 0)
    assert got == total
    print(f'{time.perf_counter() - t0:.6f}')
elif mode == 'pingpong':
    n = int(sys.argv[2])
    a_r, a_w = os.pipe()
    b_r, b_w = os.pipe()

    def read_full(fd, k):
        data = os.read(fd, k)
        while len(data) < k:
            more = os.read(fd, k - len(data))
            if not more:
                raise EOFError
            data += more
        return data

    pid = os.fork()
    if pid == 0:
        os.close(a_w)
        os.close(b_r)
        while True:
            h = os.read(a_r, 4)
            if len(h) != 4:
                os._exit(0)
            (length,) = struct.unpack('<i', h)
            body = read_full(a_r, length)
            os.write(b_w, h)
            os.write(b_w, body)
    os.close(a_r)
    os.close(b_w)
    msg = b'x' * 16
    t0 = time.perf_counter()
    for _ in range(n):
        os.write(a_w, struct.pack('<i', len(msg)))
        os.write(a_w, msg)
        (length,) = struct.unpack('<i', read_full(b_r, 4))
        read_full(b_r, length)
    t = time.perf_counter() - t0
    os.close(a_w)
    os.waitpid(pid, 0)
    print(f'{t:.6f}')
