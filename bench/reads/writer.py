# CPython's writer for bench/reads.ts: os.write of chunk bytes to stdout
# until total, as bench/os/os_py.py's stream writer.
import os, sys

total, chunk = int(sys.argv[1]), int(sys.argv[2])
buf = b'x' * chunk
sent = 0
while sent < total:
    sent += os.write(1, buf[: min(chunk, total - sent)])
