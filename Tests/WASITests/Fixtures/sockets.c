/* Sockets. Descriptor 0 is a connected stream socket whose other end the test holds;
   descriptor 2 is a listening socket the test connects to. Follows a fixed script with
   the test (see WASITests.testSockets). Output on stdout. */
#include "t.h"
#include <stdint.h>
#include <wasi/api.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
IMPORT(sock_recv) int32_t raw_sock_recv(int32_t fd, int32_t iovs, int32_t n, int32_t flags, int32_t len, int32_t oflags);
IMPORT(sock_send) int32_t raw_sock_send(int32_t fd, int32_t iovs, int32_t n, int32_t flags, int32_t len);
IMPORT(sock_shutdown) int32_t raw_sock_shutdown(int32_t fd, int32_t how);
IMPORT(sock_accept) int32_t raw_sock_accept(int32_t fd, int32_t flags, int32_t out);
#define P(x) ((int32_t)(uintptr_t)(x))

static int recv_into(int fd, char *buf, uint32_t len, int flags, uint32_t *got) {
    static uint32_t iov[2];
    static uint16_t oflags;
    iov[0] = (uint32_t)P(buf);
    iov[1] = len;
    return raw_sock_recv(fd, P(iov), 1, flags, P(got), P(&oflags));
}

static int send_str(int fd, const char *s, uint32_t *sent) {
    static uint32_t iov[2];
    iov[0] = (uint32_t)P(s);
    iov[1] = (uint32_t)strlen(s);
    return raw_sock_send(fd, P(iov), 1, 0, P(sent));
}

int main(void) {
    char buf[64];
    uint32_t n = 0;
    __wasi_fdstat_t fs;
    CHECK_ERR(__wasi_fd_fdstat_get(0, &fs), 0);
    CHECK(fs.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
    CHECK((fs.fs_rights_base & __WASI_RIGHTS_SOCK_SHUTDOWN) != 0);

    /* 1: blocks until the test sends "ping" (after 100 ms). */
    CHECK_ERR(recv_into(0, buf, 4, 0, &n), 0);
    CHECK(n == 4 && memcmp(buf, "ping", 4) == 0);
    CHECK_ERR(send_str(0, "pong", &n), 0);
    CHECK(n == 4);
    /* 2: peek, then take. */
    CHECK_ERR(recv_into(0, buf, 3, __WASI_RIFLAGS_RECV_PEEK, &n), 0);
    CHECK(n == 3 && memcmp(buf, "abc", 3) == 0);
    CHECK_ERR(recv_into(0, buf, 3, 0, &n), 0);
    CHECK(n == 3 && memcmp(buf, "abc", 3) == 0);
    /* 3: "12" now and "345" 100 ms later, received in one piece. */
    CHECK_ERR(recv_into(0, buf, 5, __WASI_RIFLAGS_RECV_WAITALL, &n), 0);
    CHECK(n == 5 && memcmp(buf, "12345", 5) == 0);
    /* 4: fd_read and fd_write work on sockets too. */
    __wasi_iovec_t riov = {(uint8_t *)buf, 3};
    __wasi_size_t m = 0;
    CHECK_ERR(__wasi_fd_read(0, &riov, 1, &m), 0);
    CHECK(m == 3 && memcmp(buf, "xyz", 3) == 0);
    __wasi_ciovec_t wiov = {(const uint8_t *)"w", 1};
    CHECK_ERR(__wasi_fd_write(0, &wiov, 1, &m), 0);
    CHECK(m == 1);
    /* 5: poll for input, with a long timeout; the test sends "p". */
    __wasi_subscription_t subs[2];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 1;
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[0].u.u.fd_read.file_descriptor = 0;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[1].u.u.clock.timeout = 5000000000ull;
    __wasi_event_t ev[2];
    CHECK_ERR(__wasi_poll_oneoff(subs, ev, 2, &m), 0);
    CHECK(m == 1 && ev[0].userdata == 1 && ev[0].error == 0 && ev[0].fd_readwrite.nbytes == 1);
    CHECK_ERR(recv_into(0, buf, 1, 0, &n), 0);
    CHECK(n == 1 && buf[0] == 'p');
    /* 6: accept a connection on descriptor 2 and greet it. */
    uint32_t conn = 0;
    CHECK_ERR(raw_sock_accept(2, 0, P(&conn)), 0);
    CHECK(conn > 2);
    CHECK_ERR(send_str((int)conn, "hi", &n), 0);
    CHECK_ERR(__wasi_fd_fdstat_get(conn, &fs), 0);
    CHECK(fs.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
    CHECK_ERR(__wasi_fd_close(conn), 0);
    /* 7: shut down writing (the test sees end of file), then read until the test closes. */
    CHECK_ERR(raw_sock_shutdown(0, __WASI_SDFLAGS_WR), 0);
    CHECK_ERR(raw_sock_shutdown(0, 0), __WASI_ERRNO_INVAL);
    CHECK_ERR(recv_into(0, buf, sizeof buf, 0, &n), 0);
    CHECK(n == 0);
    return done();
}
