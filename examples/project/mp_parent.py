# A parent that hands tasks to a Python worker (mp_worker.py) over
# multiprocessing.Pipe(): one end passed to the worker with pass_fds, objects
# going both ways as pickles. Its port, mp_parent.ts, is a Node parent
# talking to the same Python worker.
import os
import subprocess
import sys
from multiprocessing import Pipe

HERE = os.path.dirname(os.path.abspath(__file__))

TASKS = [
    {'id': 1, 'op': 'sum', 'args': [1, 2, 3, 2**70]},
    {'id': 2, 'op': 'upper', 'args': ['pipe', 'fork', 'naïve']},
    {'id': 3, 'op': 'stats', 'args': [1.5, 2.5, 4.25]},
    {'id': 4, 'op': 'bytes', 'args': b'\x00\x01\xff'},
    {'id': 5, 'op': 'divide', 'args': [1, 0]},
]

ours, theirs = Pipe()
worker = subprocess.Popen(
    [sys.executable, os.path.join(HERE, 'mp_worker.py'), str(theirs.fileno())],
    pass_fds=(theirs.fileno(),),
)
theirs.close()
for task in TASKS:
    ours.send(task)
    answer = ours.recv()
    print(task['op'], '->', answer)
ours.send(None)
ours.close()
print('worker exited with', worker.wait())
