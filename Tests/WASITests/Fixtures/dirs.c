/* Directories: mkdir, rmdir, readdir (many entries, so cookies matter, with the
   libc reader and with raw fd_readdir calls into small buffers), seekdir/telldir,
   rename, hard links, symbolic links and readlink. The sandbox is "/sandbox". */
#include "t.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define N 300

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int read_file(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) return -1;
    buf[n] = 0;
    return (int)n;
}

/* Index of a "f_with_a_fairly_long_name_NNN" entry, or -1. */
static int index_of(const char *name, size_t len) {
    static const char prefix[] = "f_with_a_fairly_long_name_";
    if (len != sizeof prefix - 1 + 3 || memcmp(name, prefix, sizeof prefix - 1) != 0) return -1;
    return atoi(name + sizeof prefix - 1);
}

int main(void) {
    char path[128], buf[256];
    CHECK(mkdir("/sandbox/d", 0755) == 0);
    CHECK(mkdir("/sandbox/d", 0755) == -1 && errno == EEXIST);
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/sandbox/d/f_with_a_fairly_long_name_%03d", i);
        CHECK(write_file(path, "x") == 0);
    }
    CHECK(mkdir("/sandbox/d/sub", 0755) == 0);

    /* libc readdir: every name exactly once, plus ".", ".." and "sub". */
    static int seen[N];
    int total = 0, dots = 0, subs = 0;
    DIR *dir = opendir("/sandbox/d");
    CHECK(dir != NULL);
    struct dirent *e;
    long mark = -1;
    char marked[64] = "";
    while (dir && (e = readdir(dir)) != NULL) {
        total++;
        if (total == 100) {
            mark = telldir(dir);
        } else if (total == 101) {
            snprintf(marked, sizeof marked, "%s", e->d_name);
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            dots++;
            CHECK(e->d_type == DT_DIR);
        } else if (strcmp(e->d_name, "sub") == 0) {
            subs++;
            CHECK(e->d_type == DT_DIR);
        } else {
            int i = index_of(e->d_name, strlen(e->d_name));
            CHECK(i >= 0 && i < N);
            if (i >= 0 && i < N) seen[i]++;
            CHECK(e->d_type == DT_REG);
        }
    }
    CHECK(total == N + 3 && dots == 2 && subs == 1);
    for (int i = 0; i < N; i++) CHECK(seen[i] == 1);
    /* seekdir back to a cookie in the middle. */
    if (dir && mark >= 0) {
        seekdir(dir, mark);
        e = readdir(dir);
        CHECK(e != NULL && strcmp(e->d_name, marked) == 0);
        rewinddir(dir);
        int again = 0;
        while (readdir(dir) != NULL) again++;
        CHECK(again == N + 3);
    }
    if (dir) closedir(dir);

    /* Raw fd_readdir into a small buffer: entries may be cut off at the end; continue
       from the last complete entry's d_next. */
    int dfd = open("/sandbox/d", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    __wasi_dircookie_t cookie = 0;
    int raw_total = 0, calls = 0, truncated = 0;
    for (;;) {
        static uint8_t small[100];
        __wasi_size_t used = 0;
        CHECK_ERR(__wasi_fd_readdir(dfd, small, sizeof small, cookie, &used), 0);
        calls++;
        if (used == 0 || calls > 10000) break;
        size_t off = 0;
        int progressed = 0;
        while (off + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t de;
            memcpy(&de, small + off, sizeof de);
            if (off + sizeof de + de.d_namlen > used) { truncated++; break; }
            raw_total++;
            cookie = de.d_next;
            progressed = 1;
            off += sizeof de + de.d_namlen;
        }
        if (off < used && off + sizeof(__wasi_dirent_t) > used) truncated++;
        if (used < sizeof small) break;
        CHECK(progressed);
        if (!progressed) break;
    }
    CHECK(raw_total == N + 3);
    CHECK(truncated > 0);
    /* Past the end: nothing. */
    {
        uint8_t b[64];
        __wasi_size_t used = 1;
        CHECK_ERR(__wasi_fd_readdir(dfd, b, sizeof b, 100000, &used), 0);
        CHECK(used == 0);
    }
    /* fd_readdir needs a directory; file operations on it fail. */
    CHECK(read(dfd, buf, 1) == -1);
    close(dfd);

    /* rmdir: not empty, then empty. */
    CHECK(rmdir("/sandbox/d") == -1 && errno == ENOTEMPTY);
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/sandbox/d/f_with_a_fairly_long_name_%03d", i);
        CHECK(unlink(path) == 0);
    }
    CHECK(unlink("/sandbox/d/sub") == -1 && (errno == EISDIR || errno == EPERM));
    CHECK(rmdir("/sandbox/d/sub") == 0);
    CHECK(rmdir("/sandbox/d") == 0);
    CHECK(access("/sandbox/d", F_OK) == -1 && errno == ENOENT);

    /* rename: files and directories, overwriting a file. */
    CHECK(write_file("/sandbox/r1", "one") == 0);
    CHECK(write_file("/sandbox/r2", "two") == 0);
    CHECK(rename("/sandbox/r1", "/sandbox/r3") == 0);
    CHECK(access("/sandbox/r1", F_OK) == -1);
    CHECK(read_file("/sandbox/r3", buf, sizeof buf) == 3 && strcmp(buf, "one") == 0);
    CHECK(rename("/sandbox/r3", "/sandbox/r2") == 0);
    CHECK(read_file("/sandbox/r2", buf, sizeof buf) == 3 && strcmp(buf, "one") == 0);
    CHECK(mkdir("/sandbox/m1", 0755) == 0);
    CHECK(write_file("/sandbox/m1/inner", "in") == 0);
    CHECK(rename("/sandbox/m1", "/sandbox/m2") == 0);
    CHECK(read_file("/sandbox/m2/inner", buf, sizeof buf) == 2);
    CHECK(rename("/sandbox/m2/inner", "/sandbox/moved") == 0);
    CHECK(rename("/sandbox/missing", "/sandbox/x") == -1 && errno == ENOENT);

    /* Hard links. */
    CHECK(link("/sandbox/r2", "/sandbox/h") == 0);
    struct stat a, b;
    CHECK(stat("/sandbox/r2", &a) == 0 && stat("/sandbox/h", &b) == 0);
    CHECK(a.st_ino == b.st_ino && a.st_nlink == 2);
    CHECK(link("/sandbox/r2", "/sandbox/h") == -1 && errno == EEXIST);
    CHECK(unlink("/sandbox/h") == 0);
    CHECK(stat("/sandbox/r2", &a) == 0 && a.st_nlink == 1);

    /* Symbolic links: readlink, lstat vs stat, following, O_NOFOLLOW. */
    CHECK(symlink("r2", "/sandbox/s") == 0);
    CHECK(symlink("m2/../r2", "/sandbox/s2") == 0);
    ssize_t n = readlink("/sandbox/s", buf, sizeof buf);
    CHECK(n == 2 && memcmp(buf, "r2", 2) == 0);
    n = readlink("/sandbox/s2", buf, 3);                        /* truncated, as POSIX */
    CHECK(n == 3 && memcmp(buf, "m2/", 3) == 0);
    CHECK(readlink("/sandbox/r2", buf, sizeof buf) == -1 && errno == EINVAL);
    CHECK(lstat("/sandbox/s", &a) == 0 && S_ISLNK(a.st_mode));
    CHECK(stat("/sandbox/s", &b) == 0 && S_ISREG(b.st_mode));
    CHECK(read_file("/sandbox/s", buf, sizeof buf) == 3 && strcmp(buf, "one") == 0);
    CHECK(read_file("/sandbox/s2", buf, sizeof buf) == 3 && strcmp(buf, "one") == 0);
    CHECK(open("/sandbox/s", O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP);
    /* A link to a directory, used in the middle of a path. */
    CHECK(symlink("m2", "/sandbox/dl") == 0);
    CHECK(write_file("/sandbox/dl/via_link", "v") == 0);
    CHECK(access("/sandbox/m2/via_link", F_OK) == 0);
    CHECK(unlink("/sandbox/s") == 0);
    CHECK(lstat("/sandbox/s", &a) == -1 && errno == ENOENT);
    CHECK(stat("/sandbox/r2", &a) == 0);                        /* the target stays */

    /* Paths with "." and "..", staying inside. */
    CHECK(read_file("/sandbox/m2/../r2", buf, sizeof buf) == 3);
    CHECK(read_file("/sandbox/./m2/./../r2", buf, sizeof buf) == 3);
    CHECK(mkdir("/sandbox/m2/", 0755) == -1 && errno == EEXIST);
    CHECK(open("/sandbox/r2/", O_RDONLY) == -1 && errno == ENOTDIR);

    /* Deep paths: more levels than the resolver keeps open, and ".." back through
       them; then one ".." too many. */
    static char deep[1024], walk[1024];
    strcpy(deep, "/sandbox");
    for (int i = 0; i < 40; i++) {
        strcat(deep, "/n");
        CHECK(mkdir(deep, 0755) == 0);
    }
    strcat(deep, "/f");
    CHECK(write_file(deep, "deep") == 0);
    strcpy(walk, "/sandbox");
    for (int i = 0; i < 40; i++) strcat(walk, "/n");
    for (int i = 0; i < 39; i++) strcat(walk, "/..");
    for (int i = 0; i < 39; i++) strcat(walk, "/n");
    strcat(walk, "/f");
    CHECK(read_file(walk, buf, sizeof buf) == 4 && strcmp(buf, "deep") == 0);
    strcpy(walk, "/sandbox");
    for (int i = 0; i < 30; i++) strcat(walk, "/n");
    for (int i = 0; i < 31; i++) strcat(walk, "/..");
    CHECK(open(walk, O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTCAPABLE);
    return done();
}
