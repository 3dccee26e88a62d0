/* Copies stdin to stdout until end of file, then prints "total N". With the argument
   "nonblock", first marks stdin non-blocking and reports what a read on an empty
   input returns, then makes it blocking again. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void say(const char *s) { (void)write(1, s, strlen(s)); }

int main(int argc, char **argv) {
    char buf[4096];
    if (argc > 1 && strcmp(argv[1], "nonblock") == 0) {
        fcntl(0, F_SETFL, O_NONBLOCK);
        ssize_t r = read(0, buf, sizeof buf);
        say(r == -1 && errno == EAGAIN ? "EAGAIN\n" : "not EAGAIN\n");
        fcntl(0, F_SETFL, 0);
    }
    long total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(1, buf + off, (size_t)(n - off));
            if (w <= 0) return 2;
            off += w;
        }
        total += n;
    }
    if (n < 0) return 3;
    char line[64];
    snprintf(line, sizeof line, "total %ld\n", total);
    say(line);
    return 0;
}
