// main2.py, line by line (run it from the folder that holds client.js and server.js).
import { builtins, os, subprocess, sys } from 'pipefork';

const { print } = builtins;
// if __name__ == '__main__':
// connect subprocess with a pair of pipes
const [worker1_read, worker2_write] = os.pipe();
const [worker2_read, worker1_write] = os.pipe();
const cmd1 = [sys.executable, 'client.js', String(worker1_read), String(worker1_write)];
const cmd2 = [sys.executable, 'server.js', String(worker2_read), String(worker2_write)];
const proc1 = subprocess.Popen(cmd1, { pass_fds: [worker1_read, worker1_write] }); // 在一个新的进程中执行子程序
const proc2 = subprocess.Popen(cmd2, { pass_fds: [worker2_read, worker2_write] });
print('parent process pid: ', os.getpid());
print('child process pid(proc1): ', proc1.pid);
print('child process pid(proc2): ', proc2.pid);
proc1.wait(); // 等待子进程被终止
proc2.wait();
