/* Sandbox escapes that must fail. The preopen "/sandbox" is descriptor 3; its host
   directory's parent holds "outside.txt". Raw WASI calls, to see the exact errno. */
#include "t.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define DIRFD 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static int open_raw(__wasi_lookupflags_t flags, const char *path, __wasi_oflags_t oflags, __wasi_fd_t *fd) {
    __wasi_rights_t rights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE;
    return __wasi_path_open(DIRFD, flags, path, oflags, rights, rights, 0, fd);
}

int main(void) {
    __wasi_fd_t fd;
    __wasi_prestat_t pre;
    char name[16] = "";
    CHECK_ERR(__wasi_fd_prestat_get(DIRFD, &pre), 0);
    CHECK(pre.tag == __WASI_PREOPENTYPE_DIR && pre.u.dir.pr_name_len == 8);
    CHECK_ERR(__wasi_fd_prestat_dir_name(DIRFD, (uint8_t *)name, 8), 0);
    CHECK(memcmp(name, "/sandbox", 8) == 0);
    CHECK_ERR(__wasi_fd_prestat_dir_name(DIRFD, (uint8_t *)name, 3), __WASI_ERRNO_NAMETOOLONG);
    CHECK_ERR(__wasi_fd_prestat_get(1, &pre), __WASI_ERRNO_BADF);

    /* Set up: a file inside, and links of every escaping kind (creating them is fine:
       their contents are only data). */
    CHECK_ERR(open_raw(0, "inside.txt", __WASI_OFLAGS_CREAT, &fd), 0);
    __wasi_ciovec_t iov = {(const uint8_t *)"inside", 6};
    __wasi_size_t n;
    CHECK_ERR(__wasi_fd_write(fd, &iov, 1, &n), 0);
    (void)__wasi_fd_close(fd);
    CHECK_ERR(__wasi_path_create_directory(DIRFD, "sub"), 0);
    CHECK_ERR(__wasi_path_symlink("/", DIRFD, "root"), 0);
    CHECK_ERR(__wasi_path_symlink("/etc/passwd", DIRFD, "passwd"), 0);
    CHECK_ERR(__wasi_path_symlink("..", DIRFD, "up"), 0);
    CHECK_ERR(__wasi_path_symlink("sub/chain2", DIRFD, "chain1"), 0);
    CHECK_ERR(__wasi_path_symlink("../chain3", DIRFD, "sub/chain2"), 0);
    CHECK_ERR(__wasi_path_symlink("sub/../../outside.txt", DIRFD, "chain3"), 0);
    CHECK_ERR(__wasi_path_symlink("loop2", DIRFD, "loop1"), 0);
    CHECK_ERR(__wasi_path_symlink("loop1", DIRFD, "loop2"), 0);
    CHECK_ERR(__wasi_path_symlink("self", DIRFD, "self"), 0);
    CHECK_ERR(__wasi_path_symlink("../inside.txt", DIRFD, "sub/ok"), 0);
    CHECK_ERR(__wasi_path_symlink("sub/ok", DIRFD, "ok2"), 0);

    /* Plain paths. */
    CHECK_ERR(open_raw(0, "../outside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "..", __WASI_OFLAGS_DIRECTORY, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "/etc/passwd", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "sub/../../outside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "sub/../sub/../..", __WASI_OFLAGS_DIRECTORY, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "../box/inside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "../x", __WASI_OFLAGS_CREAT, &fd), __WASI_ERRNO_NOTCAPABLE);

    /* Symbolic links, followed at the end and in the middle. */
    CHECK_ERR(open_raw(FOLLOW, "root", __WASI_OFLAGS_DIRECTORY, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(FOLLOW, "root/etc/passwd", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "root/etc/passwd", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(FOLLOW, "passwd", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(0, "passwd", 0, &fd), __WASI_ERRNO_LOOP);    /* O_NOFOLLOW on a link */
    CHECK_ERR(open_raw(FOLLOW, "up", __WASI_OFLAGS_DIRECTORY, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(FOLLOW, "up/outside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(FOLLOW, "up/box/inside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(FOLLOW, "chain1", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(open_raw(FOLLOW, "loop1", 0, &fd), __WASI_ERRNO_LOOP);
    CHECK_ERR(open_raw(FOLLOW, "loop1/x", 0, &fd), __WASI_ERRNO_LOOP);
    CHECK_ERR(open_raw(FOLLOW, "self", 0, &fd), __WASI_ERRNO_LOOP);
    CHECK_ERR(open_raw(FOLLOW, "loop1", __WASI_OFLAGS_CREAT, &fd), __WASI_ERRNO_LOOP);

    /* Links that stay inside work, also through a chain. */
    CHECK_ERR(open_raw(FOLLOW, "ok2", 0, &fd), 0);
    char buf[16] = "";
    __wasi_iovec_t riov = {(uint8_t *)buf, sizeof buf};
    CHECK_ERR(__wasi_fd_read(fd, &riov, 1, &n), 0);
    CHECK(n == 6 && memcmp(buf, "inside", 6) == 0);
    (void)__wasi_fd_close(fd);

    /* Metadata through escaping paths. */
    __wasi_filestat_t st;
    CHECK_ERR(__wasi_path_filestat_get(DIRFD, FOLLOW, "root", &st), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_filestat_get(DIRFD, 0, "root", &st), 0);
    CHECK(st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
    CHECK_ERR(__wasi_path_filestat_get(DIRFD, FOLLOW, "up", &st), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_filestat_get(DIRFD, 0, "../outside.txt", &st), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_filestat_get(DIRFD, 0, "/", &st), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_filestat_set_times(DIRFD, FOLLOW, "chain1", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_NOTCAPABLE);
    uint8_t link[64];
    CHECK_ERR(__wasi_path_readlink(DIRFD, "up/outside.txt", link, sizeof link, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_readlink(DIRFD, "root", link, sizeof link, &n), 0);
    CHECK(n == 1 && link[0] == '/');

    /* Creating, removing, renaming and linking across the boundary. */
    CHECK_ERR(__wasi_path_create_directory(DIRFD, "../newdir"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_create_directory(DIRFD, "up/newdir"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_create_directory(DIRFD, "root/tmp/newdir"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_unlink_file(DIRFD, "../outside.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_unlink_file(DIRFD, "up/outside.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_remove_directory(DIRFD, ".."), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_rename(DIRFD, "inside.txt", DIRFD, "../stolen.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_rename(DIRFD, "inside.txt", DIRFD, "up/stolen.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_rename(DIRFD, "../outside.txt", DIRFD, "got.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_rename(DIRFD, "sub/../../outside.txt", DIRFD, "got.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_link(DIRFD, 0, "inside.txt", DIRFD, "../linked.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_link(DIRFD, 0, "../outside.txt", DIRFD, "linked.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_link(DIRFD, FOLLOW, "chain1", DIRFD, "linked.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_link(DIRFD, FOLLOW, "passwd", DIRFD, "linked.txt"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERR(__wasi_path_symlink("x", DIRFD, "../evil"), __WASI_ERRNO_NOTCAPABLE);
    /* Renaming a link moves the link, never its target. */
    CHECK_ERR(__wasi_path_rename(DIRFD, "up", DIRFD, "up2"), 0);
    CHECK_ERR(open_raw(FOLLOW, "up2/outside.txt", 0, &fd), __WASI_ERRNO_NOTCAPABLE);
    /* Unlinking a link removes the link only. */
    CHECK_ERR(__wasi_path_unlink_file(DIRFD, "passwd"), 0);

    return done();
}
