# CPython's textbook version of the tutorial's message exchange: file objects
# from os.fdopen, a struct header, flush() per message.
import os
import struct
import sys
import time


def child(r, w):
    reader = os.fdopen(r, 'rb')
    writer = os.fdopen(w, 'wb')
    writer.write(b'R')
    writer.flush()
    while True:
        header = reader.read(4)
        if not header:
            break
        n, = struct.unpack('<i', header)
        data = reader.read(n)
        writer.write(struct.pack('<i', n))
        writer.write(data)
        writer.flush()


def main(count, size):
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w1)
        os.close(r2)
        child(r1, w2)
        os._exit(0)
    os.close(r1)
    os.close(w2)
    writer = os.fdopen(w1, 'wb')
    reader = os.fdopen(r2, 'rb')
    reader.read(1)
    data = b'x' * size
    t = time.perf_counter()
    for _ in range(count):
        writer.write(struct.pack('<i', len(data)))
        writer.write(data)
        writer.flush()
        n, = struct.unpack('<i', reader.read(4))
        reader.read(n)
    elapsed = time.perf_counter() - t
    writer.close()
    reader.close()
    os.waitpid(pid, 0)
    print('TIME %.6f' % elapsed)


main(int(sys.argv[1]), int(sys.argv[2]))
