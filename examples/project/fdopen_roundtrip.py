# The same round trip through file objects on the pipe's two ends.
import os

r, w = os.pipe()
writer = os.fdopen(w, 'wb')
writer.write('hello world!'.encode())
writer.flush()
reader = os.fdopen(r, 'rb')
print(reader.read(12).decode())
writer.close()
reader.close()
