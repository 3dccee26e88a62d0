/* Sleeps argv[1] milliseconds (nanosleep = poll_oneoff with one relative clock) and
   prints how long that took by the monotonic clock, in microseconds. "forever" and
   "forever-abs" wait on a clock with the largest timeout (relative or absolute). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

int main(int argc, char **argv) {
    if (argc > 1 && strncmp(argv[1], "forever", 7) == 0) {
        __wasi_subscription_t s;
        memset(&s, 0, sizeof s);
        s.u.tag = __WASI_EVENTTYPE_CLOCK;
        s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
        s.u.u.clock.timeout = UINT64_MAX;
        s.u.u.clock.flags = strcmp(argv[1], "forever-abs") == 0 ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
        __wasi_event_t e;
        __wasi_size_t n;
        int r = __wasi_poll_oneoff(&s, &e, 1, &n);
        printf("woke %d\n", r);
        return 1;
    }
    long ms = argc > 1 ? atol(argv[1]) : 100;
    struct timespec a, b, d = {ms / 1000, (ms % 1000) * 1000000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    int r = nanosleep(&d, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long us = (long long)(b.tv_sec - a.tv_sec) * 1000000 + (b.tv_nsec - a.tv_nsec) / 1000;
    printf("slept %lld us (%d)\n", us, r);
    return r;
}
