# Request and response over two pipes, one for each direction, between a
# client and a server that main starts; the server runs until the client
# hangs up.
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

req_r, req_w = os.pipe()    # client -> server
resp_r, resp_w = os.pipe()  # server -> client
server = subprocess.Popen(
    [sys.executable, os.path.join(HERE, 'rpc_server.py'), str(req_r), str(resp_w)],
    pass_fds=(req_r, resp_w),
)
client = subprocess.Popen(
    [sys.executable, os.path.join(HERE, 'rpc_client.py'), str(resp_r), str(req_w)],
    pass_fds=(resp_r, req_w),
)
for fd in (req_r, req_w, resp_r, resp_w):
    os.close(fd)
client.wait()
server.wait()
print('main2: client exited with', client.returncode, 'and server with', server.returncode)
