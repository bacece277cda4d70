# A producer and a consumer joined by one pipe, exchanging several framed
# messages: main makes the pipe, hands each child its end by number, closes its
# own copies (so the consumer sees end of stream) and waits.
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

r, w = os.pipe()
producer = subprocess.Popen([sys.executable, os.path.join(HERE, 'stream_producer.py'), str(w)], pass_fds=(w,))
consumer = subprocess.Popen([sys.executable, os.path.join(HERE, 'stream_consumer.py'), str(r)], pass_fds=(r,))
# Close our copies, or the consumer never sees end of stream.
os.close(r)
os.close(w)
producer.wait()
consumer.wait()
print('main: producer exited with', producer.returncode)
print('main: consumer exited with', consumer.returncode)
