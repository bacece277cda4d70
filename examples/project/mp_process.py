# The same exchange with both sides in one program: the worker is a
# multiprocessing.Process (the fork start method) and the tasks go over
# Pipe(). Its port, mp_process.ts, has both sides in Node.
import multiprocessing as mp
import statistics


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


def worker(conn):
    while True:
        task = conn.recv()
        if task is None:
            break
        try:
            conn.send({'id': task['id'], 'ok': True, 'result': handle(task), 'by': mp.current_process().name})
        except Exception as e:
            conn.send({'id': task['id'], 'ok': False, 'error': f'{type(e).__name__}: {e}'})


TASKS = [
    {'id': 1, 'op': 'sum', 'args': [1, 2, 3, 2**70]},
    {'id': 2, 'op': 'upper', 'args': ['pipe', 'fork', 'naïve']},
    {'id': 3, 'op': 'stats', 'args': [1.5, 2.5, 4.25]},
    {'id': 4, 'op': 'bytes', 'args': b'\x00\x01\xff'},
    {'id': 5, 'op': 'divide', 'args': [1, 0]},
]

if __name__ == '__main__':
    ours, theirs = mp.Pipe()
    p = mp.Process(target=worker, args=(theirs,))
    p.start()
    theirs.close()
    for task in TASKS:
        ours.send(task)
        print(task['op'], '->', ours.recv())
    ours.send(None)
    p.join()
    print(p.name, 'exited with', p.exitcode)
