# CPython readers for the bulk figure: os.read, BufferedReader.read and read1,
# each 64 KiB per call from a pipe fed by the C writer until EOF.
import os
import subprocess
import sys
import time

variant, writer, total = sys.argv[1], sys.argv[2], sys.argv[3]
r, w = os.pipe()
p = subprocess.Popen([writer, 'write', total], stdout=w)
os.close(w)
got = 0
t = time.perf_counter()
if variant == 'os.read':
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        got += len(b)
    os.close(r)
else:
    f = os.fdopen(r, 'rb')
    read = f.read if variant == 'read' else f.read1
    while True:
        b = read(65536)
        if not b:
            break
        got += len(b)
    f.close()
elapsed = time.perf_counter() - t
p.wait()
print('TIME %.6f %d' % (elapsed, got))
