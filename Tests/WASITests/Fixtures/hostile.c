/* A hostile guest: out-of-bounds pointers and lengths, bad descriptors, bad flags and
   enum values. Every call must fail with an errno (never crash the host). Uses the
   raw imports, so that any pointer and length can be passed. */
#include "t.h"
#include <stdint.h>
#include <wasi/api.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
IMPORT(fd_write) int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t out);
IMPORT(fd_read) int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t out);
IMPORT(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t len,
                                        int32_t oflags, int64_t base, int64_t inheriting, int32_t fdflags, int32_t out);
IMPORT(path_create_directory) int32_t raw_mkdir(int32_t fd, int32_t path, int32_t len);
IMPORT(args_get) int32_t raw_args_get(int32_t argv, int32_t buf);
IMPORT(args_sizes_get) int32_t raw_args_sizes_get(int32_t argc, int32_t size);
IMPORT(environ_get) int32_t raw_environ_get(int32_t env, int32_t buf);
IMPORT(poll_oneoff) int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t count);
IMPORT(random_get) int32_t raw_random_get(int32_t buf, int32_t len);
IMPORT(clock_time_get) int32_t raw_clock_time_get(int32_t id, int64_t precision, int32_t out);
IMPORT(fd_readdir) int32_t raw_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t out);
IMPORT(fd_seek) int32_t raw_fd_seek(int32_t fd, int64_t offset, int32_t whence, int32_t out);
IMPORT(fd_fdstat_get) int32_t raw_fd_fdstat_get(int32_t fd, int32_t out);
IMPORT(fd_fdstat_set_flags) int32_t raw_fd_fdstat_set_flags(int32_t fd, int32_t flags);
IMPORT(fd_prestat_dir_name) int32_t raw_fd_prestat_dir_name(int32_t fd, int32_t buf, int32_t len);
IMPORT(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path, int32_t len, int32_t out);
IMPORT(path_symlink) int32_t raw_path_symlink(int32_t old, int32_t oldlen, int32_t fd, int32_t path, int32_t len);
IMPORT(path_readlink) int32_t raw_path_readlink(int32_t fd, int32_t path, int32_t len, int32_t buf, int32_t buflen, int32_t out);
IMPORT(sock_recv) int32_t raw_sock_recv(int32_t fd, int32_t iovs, int32_t n, int32_t flags, int32_t len, int32_t oflags);
IMPORT(sock_send) int32_t raw_sock_send(int32_t fd, int32_t iovs, int32_t n, int32_t flags, int32_t len);
IMPORT(sock_shutdown) int32_t raw_sock_shutdown(int32_t fd, int32_t how);
IMPORT(sock_accept) int32_t raw_sock_accept(int32_t fd, int32_t flags, int32_t out);
IMPORT(fd_pread) int32_t raw_fd_pread(int32_t fd, int32_t iovs, int32_t n, int64_t offset, int32_t out);
IMPORT(fd_filestat_set_size) int32_t raw_fd_filestat_set_size(int32_t fd, int64_t size);
IMPORT(proc_raise) int32_t raw_proc_raise(int32_t sig);
IMPORT(fd_renumber) int32_t raw_fd_renumber(int32_t from, int32_t to);
IMPORT(fd_close) int32_t raw_fd_close(int32_t fd);
IMPORT(fd_advise) int32_t raw_fd_advise(int32_t fd, int64_t offset, int64_t len, int32_t advice);

#define P(x) ((int32_t)(uintptr_t)(x))
#define FAR ((int32_t)0xFFFFFFF0)
#define DIRFD 3
#define F __WASI_ERRNO_FAULT

int main(void) {
    static uint32_t iov[2];
    static char data[16] = "hello";
    uint32_t out;
    uint64_t out64;
    iov[0] = (uint32_t)P(data);
    iov[1] = 5;

    /* Output pointers, iovec arrays and buffers outside memory. */
    CHECK_ERR(raw_fd_write(1, P(iov), 1, FAR), F);
    CHECK_ERR(raw_fd_write(1, P(iov), 1, -1), F);
    CHECK_ERR(raw_fd_write(1, FAR, 2, P(&out)), F);
    CHECK_ERR(raw_fd_write(1, P(iov), 0x7FFFFFFF, P(&out)), F);
    CHECK_ERR(raw_fd_write(1, P(iov), -1, P(&out)), F);
    static uint32_t bad[2];
    bad[0] = 0xFFFFFFF0u; bad[1] = 0x100;
    CHECK_ERR(raw_fd_write(1, P(bad), 1, P(&out)), F);
    CHECK_ERR(raw_fd_read(0, P(bad), 1, P(&out)), F);
    bad[0] = 16; bad[1] = 0xFFFFFFFFu;
    CHECK_ERR(raw_fd_write(1, P(bad), 1, P(&out)), F);
    CHECK_ERR(raw_fd_pread(DIRFD + 10, P(iov), 1, 0, P(&out)), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_path_open(DIRFD, 0, FAR, 100, 0, 0, 0, 0, P(&out)), F);
    CHECK_ERR(raw_path_open(DIRFD, 0, P(data), -1, 0, 0, 0, 0, P(&out)), F);
    CHECK_ERR(raw_path_open(DIRFD, 0, P("x"), 1, __WASI_OFLAGS_CREAT, -1, -1, 0, FAR), F);
    CHECK_ERR(raw_mkdir(DIRFD, FAR, 4), F);
    CHECK_ERR(raw_args_get(FAR, P(data)), F);
    CHECK_ERR(raw_args_sizes_get(P(&out), FAR), F);
    CHECK_ERR(raw_environ_get(P(&out), FAR), F);
    CHECK_ERR(raw_poll_oneoff(FAR, P(data), 1, P(&out)), F);
    CHECK_ERR(raw_poll_oneoff(P(data), P(data), 0x10000000, P(&out)), F);
    CHECK_ERR(raw_poll_oneoff(P(data), P(data), 0, P(&out)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_random_get(FAR, 100), F);
    CHECK_ERR(raw_random_get(P(data), -1), F);
    CHECK_ERR(raw_random_get(P(data), 16), 0);
    CHECK_ERR(raw_clock_time_get(1, 0, FAR), F);
    CHECK_ERR(raw_clock_time_get(99, 0, P(&out64)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_readdir(DIRFD, FAR, 100, 0, P(&out)), F);
    CHECK_ERR(raw_fd_readdir(DIRFD, P(data), 16, 0, FAR), F);
    CHECK_ERR(raw_fd_readdir(1, P(data), 16, 0, P(&out)), __WASI_ERRNO_NOTDIR);
    CHECK_ERR(raw_fd_seek(1, 0, 0, FAR), F);
    CHECK_ERR(raw_fd_fdstat_get(1, FAR), F);
    CHECK_ERR(raw_fd_prestat_dir_name(DIRFD, FAR, 100), F);
    CHECK_ERR(raw_path_filestat_get(DIRFD, 0, P("."), 1, FAR), F);
    CHECK_ERR(raw_path_symlink(FAR, 10, DIRFD, P("l"), 1), F);
    CHECK_ERR(raw_path_readlink(DIRFD, P("l"), 1, FAR, 100, P(&out)), F);

    /* Bad descriptors, flags and enum values. */
    CHECK_ERR(raw_fd_write(12345, P(iov), 1, P(&out)), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_write(-1, P(iov), 1, P(&out)), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_close(12345), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_renumber(1, 12345), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_renumber(12345, 1), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_seek(DIRFD, 0, 0, P(&out64)), __WASI_ERRNO_BADF);     /* a directory */
    CHECK_ERR(raw_fd_seek(1, 0, 7, P(&out64)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_fdstat_set_flags(1, 0x100), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_advise(1, 0, 0, 9), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_path_open(DIRFD, 2, P("x"), 1, 0, 0, 0, 0, P(&out)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_path_open(DIRFD, 0, P("x"), 1, 0x10, 0, 0, 0, P(&out)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_path_open(DIRFD, 0, P("x"), 1, 0, 0, 0, 0x100, P(&out)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_path_open(1, 0, P("x"), 1, 0, 0, 0, 0, P(&out)), __WASI_ERRNO_NOTDIR);
    CHECK_ERR(raw_path_open(DIRFD, 0, P(""), 0, 0, 0, 0, 0, P(&out)), __WASI_ERRNO_NOENT);
    CHECK_ERR(raw_path_open(DIRFD, 0, P("a\0b"), 3, 0, 0, 0, 0, P(&out)), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_path_open(DIRFD, 0, P("\xff\xfe"), 2, 0, 0, 0, 0, P(&out)), __WASI_ERRNO_ILSEQ);
    CHECK_ERR(raw_mkdir(DIRFD, P("a\0b"), 3), __WASI_ERRNO_INVAL);
    CHECK_ERR(raw_fd_filestat_set_size(1, -1), __WASI_ERRNO_FBIG);
    CHECK_ERR(raw_fd_prestat_dir_name(DIRFD, P(data), 3), __WASI_ERRNO_NAMETOOLONG);
    CHECK_ERR(raw_fd_prestat_dir_name(1, P(data), 3), __WASI_ERRNO_BADF);

    /* Sockets: these are not. */
    CHECK_ERR(raw_sock_recv(1, P(iov), 1, 0, P(&out), P(&out)), __WASI_ERRNO_NOTSOCK);
    CHECK_ERR(raw_sock_send(1, P(iov), 1, 0, P(&out)), __WASI_ERRNO_NOTSOCK);
    CHECK_ERR(raw_sock_shutdown(1, 2), __WASI_ERRNO_NOTSOCK);
    CHECK_ERR(raw_sock_accept(DIRFD, 0, P(&out)), __WASI_ERRNO_NOTSOCK);

    /* proc_raise: 0 and ignored signals do nothing; unknown is EINVAL. */
    CHECK_ERR(raw_proc_raise(0), 0);
    CHECK_ERR(raw_proc_raise(16 /* CHLD */), 0);
    CHECK_ERR(raw_proc_raise(99), __WASI_ERRNO_INVAL);

    /* Renumber and close: the descriptor moves. */
    __wasi_fd_t fd;
    CHECK_ERR(__wasi_path_open(DIRFD, 0, "f", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd), 0);
    __wasi_fd_t fd2;
    CHECK_ERR(__wasi_path_open(DIRFD, 0, "f", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd2), 0);
    CHECK_ERR(raw_fd_renumber(fd, fd2), 0);
    CHECK_ERR(raw_fd_write(fd, P(iov), 1, P(&out)), __WASI_ERRNO_BADF);
    CHECK_ERR(raw_fd_write(fd2, P(iov), 1, P(&out)), 0);
    CHECK(out == 5);
    CHECK_ERR(raw_fd_close(fd2), 0);
    CHECK_ERR(raw_fd_close(fd2), __WASI_ERRNO_BADF);

    return done();
}
