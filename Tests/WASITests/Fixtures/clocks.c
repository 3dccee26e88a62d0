/* Clocks and poll_oneoff: clock_time_get/clock_res_get for all four clocks, a 50 ms
   sleep, absolute deadlines on both clocks, several subscriptions at once, errors
   reported in events, descriptor subscriptions. The sandbox is "/sandbox". */
#include "t.h"
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#define MS 1000000ull

static uint64_t now(__wasi_clockid_t id) {
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(id, 1, &t) != 0) return 0;
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int absolute) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = absolute ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type, __wasi_fd_t fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

int main(void) {
    struct timespec ts;
    CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1600000000);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
    for (__wasi_clockid_t id = 0; id < 4; id++) {
        __wasi_timestamp_t res = 0;
        CHECK_ERR(__wasi_clock_res_get(id, &res), 0);
        CHECK(res > 0 && res <= 1000000);
    }
    __wasi_timestamp_t res;
    CHECK_ERR(__wasi_clock_res_get(4, &res), __WASI_ERRNO_INVAL);
    /* Monotonic never goes back; CPU time advances when working. */
    uint64_t m0 = now(__WASI_CLOCKID_MONOTONIC), c0 = now(__WASI_CLOCKID_PROCESS_CPUTIME_ID);
    volatile uint64_t x = 0;
    for (int i = 0; i < 3000000; i++) x += (uint64_t)i * 3;
    CHECK(now(__WASI_CLOCKID_MONOTONIC) >= m0);
    CHECK(now(__WASI_CLOCKID_PROCESS_CPUTIME_ID) > c0);
    CHECK(now(__WASI_CLOCKID_THREAD_CPUTIME_ID) > 0);

    /* A 50 ms sleep takes at least 50 ms and not much more. */
    uint64_t t0 = now(__WASI_CLOCKID_MONOTONIC);
    struct timespec fifty = {0, 50 * MS};
    CHECK(nanosleep(&fifty, NULL) == 0);
    uint64_t slept = now(__WASI_CLOCKID_MONOTONIC) - t0;
    CHECK(slept >= 50 * MS && slept < 90 * MS);
    printf("sleep50 %llu us\n", (unsigned long long)(slept / 1000));

    __wasi_event_t ev[4];
    __wasi_size_t n = 0;
    /* Absolute monotonic deadline. */
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    __wasi_subscription_t subs[4];
    subs[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, t0 + 30 * MS, 1);
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 1, &n), 0);
    uint64_t took = now(__WASI_CLOCKID_MONOTONIC) - t0;
    CHECK(n == 1 && ev[0].userdata == 42 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0);
    CHECK(took >= 30 * MS && took < 70 * MS);
    /* Absolute realtime deadline. */
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    subs[0] = clock_sub(7, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 30 * MS, 1);
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 1, &n), 0);
    took = now(__WASI_CLOCKID_MONOTONIC) - t0;
    CHECK(n == 1 && ev[0].userdata == 7);
    CHECK(took >= 29 * MS && took < 70 * MS);
    /* A deadline in the past: at once. */
    subs[0] = clock_sub(8, __WASI_CLOCKID_MONOTONIC, 1, 1);
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 1, &n), 0);
    CHECK(n == 1 && now(__WASI_CLOCKID_MONOTONIC) - t0 < 10 * MS);
    /* Two clocks: the earlier one fires alone. */
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 500 * MS, 0);
    subs[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 20 * MS, 0);
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 2, &n), 0);
    took = now(__WASI_CLOCKID_MONOTONIC) - t0;
    CHECK(n == 1 && ev[0].userdata == 2);
    CHECK(took >= 20 * MS && took < 60 * MS);
    /* CPU-time clocks cannot be waited on: the event carries EINVAL. */
    subs[0] = clock_sub(3, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 10 * MS, 0);
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 1, &n), 0);
    CHECK(n == 1 && ev[0].userdata == 3 && ev[0].error == __WASI_ERRNO_INVAL);

    /* Descriptors: a regular file is ready, with the bytes left to read; a bad
       descriptor is reported in its event; an unknown event type is EINVAL. */
    int fd = open("/sandbox/ten", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(write(fd, "0123456789", 10) == 10);
    CHECK(lseek(fd, 4, SEEK_SET) == 4);
    subs[0] = fd_sub(10, __WASI_EVENTTYPE_FD_READ, fd);
    subs[1] = fd_sub(11, __WASI_EVENTTYPE_FD_WRITE, fd);
    subs[2] = fd_sub(12, __WASI_EVENTTYPE_FD_READ, 999);
    subs[3] = clock_sub(13, __WASI_CLOCKID_MONOTONIC, 1000 * MS, 0);
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 4, &n), 0);
    CHECK(now(__WASI_CLOCKID_MONOTONIC) - t0 < 100 * MS);
    CHECK(n == 3);
    int got = 0;
    for (__wasi_size_t i = 0; i < n; i++) {
        if (ev[i].userdata == 10) {
            got |= 1;
            CHECK(ev[i].type == __WASI_EVENTTYPE_FD_READ && ev[i].error == 0 && ev[i].fd_readwrite.nbytes == 6);
        } else if (ev[i].userdata == 11) {
            got |= 2;
            CHECK(ev[i].type == __WASI_EVENTTYPE_FD_WRITE && ev[i].error == 0);
        } else if (ev[i].userdata == 12) {
            got |= 4;
            CHECK(ev[i].error == __WASI_ERRNO_BADF);
        }
    }
    CHECK(got == 7);
    close(fd);
    subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 0, 0);
    subs[0].u.tag = 9;
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 1, &n), __WASI_ERRNO_INVAL);

    /* sched_yield and random_get. */
    CHECK_ERR(__wasi_sched_yield(), 0);
    uint8_t r1[64], r2[64];
    CHECK_ERR(__wasi_random_get(r1, sizeof r1), 0);
    CHECK_ERR(__wasi_random_get(r2, sizeof r2), 0);
    CHECK(memcmp(r1, r2, sizeof r1) != 0);
    static uint8_t big[100000];
    CHECK_ERR(__wasi_random_get(big, sizeof big), 0);
    int zeros = 0;
    for (size_t i = 0; i < sizeof big; i++) zeros += big[i] == 0;
    CHECK(zeros < 1000);
    return done();
}
