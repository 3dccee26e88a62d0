/* path_link, path_symlink and path_rename with trailing slashes, onto existing
   names and with absolute link contents, then path_remove_directory and
   path_unlink_file with trailing slashes on directories, files and links to both.
   Prints one line per call: the call, the errno it returned, and for a call that may
   create or remove a name what that name (and a link's target) is afterwards
   (lstat). The preopen "/sandbox" is descriptor 3 and starts empty. The expected
   output (WASITests.testLinksAndTrailingSlashesAsWasmtime) is what wasmtime prints. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define DIRFD 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static const char *errname(int e) {
    switch (e) {
    case __WASI_ERRNO_SUCCESS: return "OK";
    case __WASI_ERRNO_ACCES: return "ACCES";
    case __WASI_ERRNO_BADF: return "BADF";
    case __WASI_ERRNO_EXIST: return "EXIST";
    case __WASI_ERRNO_INVAL: return "INVAL";
    case __WASI_ERRNO_ISDIR: return "ISDIR";
    case __WASI_ERRNO_LOOP: return "LOOP";
    case __WASI_ERRNO_NOENT: return "NOENT";
    case __WASI_ERRNO_NOTDIR: return "NOTDIR";
    case __WASI_ERRNO_NOTEMPTY: return "NOTEMPTY";
    case __WASI_ERRNO_NOTSUP: return "NOTSUP";
    case __WASI_ERRNO_PERM: return "PERM";
    case __WASI_ERRNO_NOTCAPABLE: return "NOTCAPABLE";
    default: return "?";
    }
}

/* "absent", or the type of what `name` is now (not following a final link). */
static const char *what(const char *name) {
    __wasi_filestat_t st;
    int e = __wasi_path_filestat_get(DIRFD, 0, name, &st);
    if (e == __WASI_ERRNO_NOENT) return "absent";
    if (e != 0) return errname(e);
    switch (st.filetype) {
    case __WASI_FILETYPE_REGULAR_FILE: return st.nlink > 1 ? "file (linked)" : "file";
    case __WASI_FILETYPE_DIRECTORY: return "dir";
    case __WASI_FILETYPE_SYMBOLIC_LINK: return "symlink";
    default: return "other";
    }
}

static void report(const char *call, int e) { printf("%s = %s\n", call, errname(e)); }

/* A call that may create `name`: its errno and what `name` (without a trailing
   "/") is afterwards. */
static void creates(const char *call, int e, const char *name) {
    char plain[64];
    snprintf(plain, sizeof plain, "%s", name);
    size_t len = strlen(plain);
    while (len > 1 && plain[len - 1] == '/') plain[--len] = 0;
    printf("%s = %s; %s: %s\n", call, errname(e), plain, what(plain));
}

static void make_file(const char *name) {
    __wasi_fd_t fd;
    __wasi_rights_t r = __WASI_RIGHTS_FD_WRITE;
    if (__wasi_path_open(DIRFD, 0, name, __WASI_OFLAGS_CREAT, r, r, 0, &fd) == 0) (void)__wasi_fd_close(fd);
}

#define LINK(flags, a, b) creates("link " #flags " " a " -> " b, __wasi_path_link(DIRFD, flags, a, DIRFD, b), b)
#define SYMLINK(a, b) creates("symlink " a " -> " b, __wasi_path_symlink(a, DIRFD, b), b)
#define RENAME(a, b) creates("rename " a " -> " b, __wasi_path_rename(DIRFD, a, DIRFD, b), b)

/* A call that may remove `name` (or, through a link, `target`): its errno and what
   both are afterwards. */
static void removes(const char *call, int e, const char *name, const char *target) {
    printf("%s = %s; %s: %s", call, errname(e), name, what(name));
    if (target) printf("; %s: %s", target, what(target));
    printf("\n");
}

#define RMDIR(p, name, target) removes("rmdir " p, __wasi_path_remove_directory(DIRFD, p), name, target)
#define UNLINK(p, name, target) removes("unlink " p, __wasi_path_unlink_file(DIRFD, p), name, target)

int main(void) {
    make_file("f");
    make_file("g");
    make_file("h");
    (void)__wasi_path_create_directory(DIRFD, "d");
    (void)__wasi_path_symlink("nowhere", DIRFD, "dangling");
    (void)__wasi_path_symlink("g", DIRFD, "flink");
    (void)__wasi_path_symlink("d", DIRFD, "dlink");
    (void)__wasi_path_symlink("h", DIRFD, "hlink");
    printf("setup: f %s, g %s, d %s, dangling %s\n", what("f"), what("g"), what("d"), what("dangling"));

    /* path_link: a new name ending in "/". */
    LINK(0, "f", "new1/");
    LINK(0, "f", "g/");
    LINK(0, "f", "d/");
    LINK(0, "f", "dangling/");
    LINK(0, "f", "flink/");
    LINK(0, "f", "dlink/");
    LINK(0, "f", "d/new2/");
    /* ... a source ending in "/". */
    LINK(0, "f/", "new3");
    LINK(FOLLOW, "f/", "new4");
    LINK(0, "d/", "new5");
    LINK(0, "flink/", "new6");
    LINK(0, "dangling/", "new7");
    LINK(0, "dlink/", "new13");
    LINK(FOLLOW, "dangling", "new14");
    /* ... onto existing names, and plain cases. */
    LINK(0, "f", "g");
    LINK(0, "f", "d");
    LINK(0, "f", "dangling");
    LINK(0, "f", "f");
    LINK(0, "d", "new8");
    LINK(0, "missing", "new9");
    LINK(0, "flink", "new10");
    LINK(FOLLOW, "hlink", "new11");
    LINK(0, "f", "new12");

    /* path_symlink: a new name ending in "/". */
    SYMLINK("f", "new20/");
    SYMLINK("f", "g/");
    SYMLINK("f", "d/");
    SYMLINK("f", "dangling/");
    SYMLINK("f", "flink/");
    SYMLINK("f", "dlink/");
    SYMLINK("f", "d/new21/");
    /* ... onto existing names. */
    SYMLINK("f", "g");
    SYMLINK("f", "d");
    SYMLINK("f", "dangling");
    /* ... contents: anything non-empty is stored as given. */
    SYMLINK("/etc/passwd", "abs");
    SYMLINK("/", "absroot");
    SYMLINK("../../outside", "up");
    SYMLINK("d/", "slashed");
    SYMLINK("", "empty");
    SYMLINK("f", "new22");

    /* Reading and following those links. */
    char buf[32] = "";
    __wasi_size_t n = 0;
    int e = __wasi_path_readlink(DIRFD, "abs", (uint8_t *)buf, sizeof buf - 1, &n);
    buf[e == 0 && n < sizeof buf ? n : 0] = 0;
    printf("readlink abs = %s \"%s\"\n", errname(e), buf);
    __wasi_fd_t fd;
    __wasi_rights_t r = __WASI_RIGHTS_FD_READ;
    e = __wasi_path_open(DIRFD, FOLLOW, "abs", 0, r, r, 0, &fd);
    report("open FOLLOW abs", e);
    if (e == 0) (void)__wasi_fd_close(fd);
    e = __wasi_path_open(DIRFD, 0, "abs", 0, r, r, 0, &fd);
    report("open abs", e);
    if (e == 0) (void)__wasi_fd_close(fd);
    e = __wasi_path_open(DIRFD, FOLLOW, "absroot", __WASI_OFLAGS_DIRECTORY, r, r, 0, &fd);
    report("open FOLLOW absroot", e);
    if (e == 0) (void)__wasi_fd_close(fd);
    __wasi_filestat_t st;
    report("filestat FOLLOW abs", __wasi_path_filestat_get(DIRFD, FOLLOW, "abs", &st));
    report("filestat abs", __wasi_path_filestat_get(DIRFD, 0, "abs", &st));
    report("filestat abs/", __wasi_path_filestat_get(DIRFD, 0, "abs/", &st));
    report("filestat FOLLOW up", __wasi_path_filestat_get(DIRFD, FOLLOW, "up", &st));
    report("filestat FOLLOW slashed", __wasi_path_filestat_get(DIRFD, FOLLOW, "slashed", &st));
    report("filestat dangling/", __wasi_path_filestat_get(DIRFD, 0, "dangling/", &st));
    report("link FOLLOW abs -> new23", __wasi_path_link(DIRFD, FOLLOW, "abs", DIRFD, "new23"));
    LINK(0, "abs", "new24");

    /* path_rename with trailing slashes (each source is used once). */
    make_file("r1");
    make_file("r2");
    make_file("r3");
    make_file("r4");
    make_file("r5");
    make_file("r6");
    (void)__wasi_path_create_directory(DIRFD, "rd");
    (void)__wasi_path_symlink("nowhere", DIRFD, "rdangling");
    (void)__wasi_path_symlink("r6", DIRFD, "rflink");
    RENAME("r1", "new30/");
    RENAME("r2/", "new31");
    RENAME("r3", "r5/");
    RENAME("r4", "rdangling/");
    RENAME("rdangling/", "new32");
    RENAME("rflink/", "new36");
    RENAME("dlink/", "new37");
    RENAME("rd", "dlink/");
    RENAME("r5", "rd/");
    RENAME("rd/", "new33");
    RENAME("new33", "new34/");
    RENAME("r6", "new35");
    printf("after: r1 %s, r2 %s, r3 %s, r4 %s, r5 %s, rdangling %s, rflink %s, d %s\n", what("r1"),
           what("r2"), what("r3"), what("r4"), what("r5"), what("rdangling"), what("rflink"), what("d"));

    /* path_remove_directory: a "/" at the end names the directory itself ("d/."), so
       a directory is EINVAL, also through a link (which must not remove the
       directory it points to); anything else is ENOTDIR, nothing ENOENT. */
    RMDIR("d/", "d", NULL);
    RMDIR("dlink/", "dlink", "d");
    RMDIR("slashed/", "slashed", "d");
    RMDIR("dlink", "dlink", "d");
    RMDIR("flink/", "flink", "g");
    RMDIR("flink", "flink", "g");
    RMDIR("dangling/", "dangling", NULL);
    RMDIR("dangling", "dangling", NULL);
    RMDIR("f", "f", NULL);
    RMDIR("f/", "f", NULL);
    RMDIR("missing/", "missing", NULL);
    /* path_unlink_file with a "/" at the end: EISDIR for a directory, also through a
       link; ENOTDIR for anything else. */
    UNLINK("d/", "d", NULL);
    UNLINK("dlink/", "dlink", "d");
    UNLINK("d", "d", NULL);
    UNLINK("flink/", "flink", "g");
    UNLINK("dangling/", "dangling", NULL);
    UNLINK("f/", "f", NULL);
    /* Without the "/": the link itself, then the (empty) directory. */
    UNLINK("dlink", "dlink", "d");
    RMDIR("d", "d", NULL);
    return 0;
}
