/* Files: create, write, read, seek, tell, pread, pwrite, append mode, truncate,
   allocate, fdstat flags and rights, filestat and times. The sandbox is "/sandbox". */
#include "t.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static off_t size_of(int fd) {
    struct stat st;
    if (fstat(fd, &st) != 0) return -1;
    return st.st_size;
}

int main(void) {
    char buf[256];
    int fd = open("/sandbox/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello world", 11) == 11);
    CHECK(lseek(fd, 0, SEEK_CUR) == 11);                       /* fd_tell */
    CHECK(lseek(fd, 6, SEEK_SET) == 6);                        /* fd_seek */
    CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0);
    CHECK(read(fd, buf, 5) == 0);                              /* EOF */
    CHECK(lseek(fd, -5, SEEK_END) == 6);
    CHECK(lseek(fd, -100, SEEK_CUR) == -1 && errno == EINVAL);
    CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 6);                        /* pread keeps the offset */
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
    CHECK(lseek(fd, 0, SEEK_CUR) == 6);
    CHECK(pread(fd, buf, 11, 0) == 11 && memcmp(buf, "HELLO world", 11) == 0);

    /* Truncate (fd_filestat_set_size) both ways. */
    CHECK(ftruncate(fd, 4) == 0);
    CHECK(size_of(fd) == 4);
    CHECK(ftruncate(fd, 100) == 0);
    CHECK(size_of(fd) == 100);
    CHECK(pread(fd, buf, 8, 0) == 8 && memcmp(buf, "HELL\0\0\0\0", 8) == 0);

    /* fd_allocate and fd_advise. */
    CHECK(posix_fallocate(fd, 0, 4096) == 0);
    CHECK(size_of(fd) == 4096);
    CHECK(ftruncate(fd, 100) == 0);
    CHECK(posix_fadvise(fd, 0, 100, POSIX_FADV_SEQUENTIAL) == 0);
    CHECK(fsync(fd) == 0);
    CHECK(fdatasync(fd) == 0);

    /* filestat */
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1);
    struct stat st2;
    CHECK(stat("/sandbox/a.txt", &st2) == 0 && st2.st_ino == st.st_ino && st2.st_dev == st.st_dev);
    CHECK(close(fd) == 0);
    CHECK(close(fd) == -1 && errno == EBADF);

    /* Append mode: writes go to the end whatever the offset. */
    fd = open("/sandbox/a.txt", O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) != 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "XY", 2) == 2);
    CHECK(size_of(fd) == 102);
    /* Clear APPEND (fd_fdstat_set_flags): now the offset counts. */
    CHECK(fcntl(fd, F_SETFL, 0) == 0);
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) == 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "Z", 1) == 1);
    CHECK(size_of(fd) == 102);
    /* Set it again, and NONBLOCK (emulated). */
    CHECK(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK) == 0);
    CHECK((fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK)) == (O_APPEND | O_NONBLOCK));
    CHECK(write(fd, "!", 1) == 1);
    CHECK(size_of(fd) == 103);
    /* A write-only descriptor has no read right: ENOTCAPABLE (wasi-libc's read()
       reports it as EBADF). */
    CHECK(read(fd, buf, 1) == -1 && errno == EBADF);
    {
        size_t n;
        __wasi_iovec_t iov = {(uint8_t *)buf, 1};
        CHECK_ERR(__wasi_fd_read(fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    }
    CHECK(close(fd) == 0);

    fd = open("/sandbox/a.txt", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "ZELL", 4) == 0);
    CHECK(pread(fd, buf, 3, 100) == 3 && memcmp(buf, "XY!", 3) == 0);
    CHECK(write(fd, "no", 2) == -1 && errno == EBADF);
    {
        size_t n;
        __wasi_ciovec_t iov = {(const uint8_t *)"no", 2};
        CHECK_ERR(__wasi_fd_write(fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    }
    CHECK(ftruncate(fd, 0) == -1 && errno == ENOTCAPABLE);

    /* Rights: fdstat, dropping, and no way back. */
    __wasi_fdstat_t fs;
    CHECK_ERR(__wasi_fd_fdstat_get(fd, &fs), 0);
    CHECK(fs.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    CHECK((fs.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0);
    CHECK((fs.fs_rights_base & __WASI_RIGHTS_FD_WRITE) == 0);
    CHECK((fs.fs_rights_base & __WASI_RIGHTS_FD_SEEK) != 0);
    CHECK_ERR(__wasi_fd_fdstat_set_rights(fd, fs.fs_rights_base & ~__WASI_RIGHTS_FD_SEEK, 0), 0);
    CHECK(lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE);  /* wasi-libc's name for it */
    {
        __wasi_filesize_t pos;
        CHECK_ERR(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_NOTCAPABLE);
    }
    CHECK(lseek(fd, 0, SEEK_CUR) == 4);                        /* fd_tell is still allowed */
    CHECK_ERR(__wasi_fd_fdstat_set_rights(fd, fs.fs_rights_base, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0), 0);
    CHECK(fstat(fd, &st) == -1 && errno == ENOTCAPABLE);
    CHECK(read(fd, buf, 1) == 1);
    CHECK(close(fd) == 0);

    /* Times: set and read back (fd and path variants), OMIT and NOW. */
    fd = open("/sandbox/a.txt", O_RDWR);
    struct timespec ts[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
    CHECK(futimens(fd, ts) == 0);
    CHECK(fstat(fd, &st) == 0);
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
    CHECK(st.st_mtim.tv_sec == 1500000000 && st.st_mtim.tv_nsec == 987654321);
    struct timespec ts2[2] = {{0, UTIME_OMIT}, {1600000000, 5}};
    CHECK(utimensat(AT_FDCWD, "/sandbox/a.txt", ts2, 0) == 0);
    CHECK(stat("/sandbox/a.txt", &st) == 0);
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789);
    CHECK(st.st_mtim.tv_sec == 1600000000 && st.st_mtim.tv_nsec == 5);
    struct timespec ts3[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    CHECK(futimens(fd, ts3) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_atim.tv_sec > 1700000000 && st.st_mtim.tv_sec == 1600000000);
    /* Raw: ATIM together with ATIM_NOW is EINVAL. */
    CHECK_ERR(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);
    CHECK(close(fd) == 0);

    /* O_EXCL, O_TRUNC, O_DIRECTORY on a file. */
    CHECK(open("/sandbox/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST);
    CHECK(open("/sandbox/a.txt", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
    fd = open("/sandbox/a.txt", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && size_of(fd) == 0);
    close(fd);
    CHECK(open("/sandbox/missing", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(unlink("/sandbox/a.txt") == 0);
    CHECK(access("/sandbox/a.txt", F_OK) == -1 && errno == ENOENT);

    /* Big write and read through many iovecs. */
    fd = open("/sandbox/big", O_CREAT | O_RDWR, 0644);
    static char big[300000];
    for (int i = 0; i < (int)sizeof big; i++) big[i] = (char)(i * 7);
    CHECK(write(fd, big, sizeof big) == (ssize_t)sizeof big);
    static char back[300000];
    CHECK(pread(fd, back, sizeof back, 0) == (ssize_t)sizeof back && memcmp(big, back, sizeof big) == 0);
    close(fd);
    return done();
}
