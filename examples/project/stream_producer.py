# Writes length-prefixed messages to the pipe fd given on the command line.
import os
import struct
import sys

fd = int(sys.argv[1])
with os.fdopen(fd, 'wb') as out:
    for i in range(5):
        data = f'message {i} from the producer'.encode()
        out.write(struct.pack('<i', len(data)))
        out.write(data)
        out.flush()
