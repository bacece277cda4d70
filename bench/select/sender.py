# The other process of the signal-latency figure (bench/select.ts), the same
# for both receivers: for each of n signals it writes time.monotonic_ns() to
# the stamp pipe, sends SIGUSR1, and waits for the handler's ack; then it
# ends the receiver's blocked read by writing to its pipe.
# argv: pid, n, stamp fd, ack fd, wake fd.
import os
import signal
import struct
import sys
import time

pid, n, stamp, ack, wake = (int(a) for a in sys.argv[1:])
time.sleep(0.2)  # the receiver is blocked in os.read by then
for _ in range(n):
    os.write(stamp, struct.pack('<q', time.monotonic_ns()))
    os.kill(pid, signal.SIGUSR1)
    os.read(ack, 1)
os.write(wake, b'x')
