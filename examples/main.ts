// main.py, line by line. The children are these ports too, started as
// `node consumer.js FD` (the nearest thing to `python -m consumer FD`), so
// run it from the folder that holds them.
import { builtins, os, subprocess, sys } from 'pipefork';

const { print } = builtins;
// if __name__ == '__main__':
const [r, w] = os.pipe();
const cmd1 = [sys.executable, 'consumer.js', String(r)];
const cmd2 = [sys.executable, 'producer.js', String(w)];
const proc1 = subprocess.Popen(cmd1, { pass_fds: [r] }); // 在一个新的进程中执行子程序
const proc2 = subprocess.Popen(cmd2, { pass_fds: [w] });
print('parent process pid: ', os.getpid());
print('child process pid(proc1): ', proc1.pid);
print('child process pid(proc2): ', proc2.pid);
proc1.wait(); // 等待子进程被终止
proc2.wait();
