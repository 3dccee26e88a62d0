/* Prints its arguments and environment. "exit N" ends with exit(N) (proc_exit);
   "raise" raises SIGTERM with proc_raise; "append" sets O_APPEND on stdout and reports
   whether fcntl sees it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

extern char **environ;

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
    for (char **e = environ; *e; e++) printf("env: %s\n", *e);
    const char *home = getenv("HOME");
    printf("HOME=%s\n", home ? home : "(unset)");
    fflush(stdout);
    if (argc >= 2 && strcmp(argv[1], "append") == 0) {
        int set = fcntl(1, F_SETFL, O_APPEND);
        printf("append %d %d\n", set, (fcntl(1, F_GETFL) & O_APPEND) != 0);
    }
    if (argc >= 3 && strcmp(argv[1], "exit") == 0) exit(atoi(argv[2]));
    if (argc >= 2 && strcmp(argv[1], "raise") == 0) {
        raw_proc_raise(15 /* TERM */);
        printf("still here\n");
    }
    return 0;
}
