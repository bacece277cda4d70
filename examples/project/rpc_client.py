# Sends each word as a request and prints the server's response.
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


resp_fd, req_fd = int(sys.argv[1]), int(sys.argv[2])
with os.fdopen(req_fd, 'wb') as requests, os.fdopen(resp_fd, 'rb') as responses:
    for word in ['apple', 'banana', 'cherry']:
        send(requests, word.encode())
        reply = recv(responses)
        print(f'client: {word} -> {reply.decode()}')
