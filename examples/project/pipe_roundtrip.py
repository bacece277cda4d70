# One pipe, one process: write a message, read it back.
import os

r, w = os.pipe()
input_data = 'hello world!'
os.write(w, input_data.encode('utf-8'))
print(os.read(r, len(input_data)).decode('utf-8'))
