// fork_exec for subprocess.Popen, after CPython's _posixsubprocess.c.
#include <unistd.h>
