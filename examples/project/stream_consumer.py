# Reads length-prefixed messages from the pipe fd given on the command line
# until the producer closes its end.
import os
import struct
import sys

fd = int(sys.argv[1])
with os.fdopen(fd, 'rb') as inp:
    while True:
        header = inp.read(4)
        if len(header) < 4:
            break
        (n,) = struct.unpack('<i', header)
        data = inp.read(n)
        print('consumer: got', data.decode())
print('consumer: end of stream')
