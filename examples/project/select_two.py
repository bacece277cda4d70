# Two children's output, streamed as it comes: one selectors loop reads
# whichever pipe is ready and prints each whole line with its child's name.
import os
import selectors
import subprocess

SCRIPT = 'for i in 1 2 3 4 5; do echo "$0 line $i"; sleep 0.02; done'
children = {name: subprocess.Popen(['sh', '-c', SCRIPT, name], stdout=subprocess.PIPE) for name in ('alpha', 'beta')}
sel = selectors.DefaultSelector()
for name, p in children.items():
    sel.register(p.stdout, selectors.EVENT_READ, name)
pending = {name: b'' for name in children}
while sel.get_map():
    for key, events in sel.select():
        chunk = os.read(key.fd, 65536)
        if not chunk:
            sel.unregister(key.fileobj)  # end of that child's output
            continue
        lines = (pending[key.data] + chunk).split(b'\n')
        pending[key.data] = lines.pop()  # an unfinished line waits for the rest
        for line in lines:
            print(f'{key.data}: {line.decode()}')
sel.close()
for name, p in children.items():
    p.stdout.close()
    print(name, 'exited with', p.wait())
