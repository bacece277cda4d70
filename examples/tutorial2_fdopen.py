# The tutorial's second program: the same pipe, wrapped in file objects.
import os

r, w = os.pipe()
writer = os.fdopen(w, 'wb')
writer.write('hello world!'.encode())
writer.flush()
reader = os.fdopen(r, 'rb')
print(reader.read(12).decode())
writer.close()
reader.close()
