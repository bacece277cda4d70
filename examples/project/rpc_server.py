# Answers each request with its upper-case form until the client hangs up.
import os
import struct
import sys


def send(f, data):
    f.write(struct.pack('<i', len(data)))
    f.write(data)
    f.flush()


def recv(f):
    header = f.read(4)
    if len(header) < 4:
        return None
    (n,) = struct.unpack('<i', header)
    return f.read(n)


req_fd, resp_fd = int(sys.argv[1]), int(sys.argv[2])
with os.fdopen(req_fd, 'rb') as requests, os.fdopen(resp_fd, 'wb') as responses:
    while (request := recv(requests)) is not None:
        send(responses, request.upper())
