# A Python worker for mp_parent.py and its port mp_parent.ts: it receives
# tasks (dicts) over a multiprocessing Connection on the fd its parent
# passed it, answers each with a dict, and stops at None.
import statistics
import sys
from multiprocessing.connection import Connection


def handle(task):
    op, args = task['op'], task['args']
    if op == 'sum':
        return sum(args)
    if op == 'upper':
        return [s.upper() for s in args]
    if op == 'stats':
        return {'n': len(args), 'mean': statistics.mean(args), 'range': (min(args), max(args))}
    if op == 'bytes':
        return args[::-1]
    raise ValueError(f'unknown op {op!r}')


with Connection(int(sys.argv[1])) as conn:
    while True:
        task = conn.recv()
        if task is None:
            break
        try:
            conn.send({'id': task['id'], 'ok': True, 'result': handle(task)})
        except Exception as e:
            conn.send({'id': task['id'], 'ok': False, 'error': f'{type(e).__name__}: {e}'})
