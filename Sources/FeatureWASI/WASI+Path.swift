#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

// path_* functions. Every path goes through `PathResolver` (the sandbox) and the
// final component is used with a host call that does not follow symbolic links.
extension WASI {
    /// The directory descriptor `fd` with `rights`, and the path argument at `ptr`.
    func directoryAndPath(_ mem: GuestMemory, _ fd: UInt32, _ rights: Rights, _ ptr: UInt32, _ len: UInt32) throws(WASIError) -> (Descriptor, [UInt8]) {
        let d = try table.directory(fd)
        try d.require(rights)
        let path = try mem.path(ptr, len)
        return (d, path)
    }

    static func follows(_ lookupFlags: UInt32) throws(WASIError) -> Bool {
        guard lookupFlags & ~LookupFlags.symlinkFollow == 0 else { throw .inval }
        return lookupFlags & LookupFlags.symlinkFollow != 0
    }

    func pathCreateDirectory(_ call: HostCall) throws(WASIError) {
        let mem = try GuestMemory(call)
        let (d, path) = try directoryAndPath(mem, call.i32(0), .pathCreateDirectory, call.i32(1), call.i32(2))
        let r = try PathResolver.resolve(d, path, followFinal: false)
        if r.withName({ mkdirat(r.dirFd, $0, 0o777) }) != 0 { throw .host }
    }

    func pathFilestatGet(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), flags = call.i32(1), ptr = call.i32(2), len = call.i32(3), out = call.i32(4)
        let mem = try GuestMemory(call)
        let follow = try WASI.follows(flags)
        let (d, path) = try directoryAndPath(mem, fd, .pathFilestatGet, ptr, len)
        try mem.check(out, UInt64(Layout.filestat))
        let r = try PathResolver.resolve(d, path, followFinal: follow)
        let st = try WASI.lstat(r)
        try mem.write(out, WASI.filestat(st))
    }

    /// fstatat without following, honouring a trailing "/" (must be a directory).
    static func lstat(_ r: ResolvedPath) throws(WASIError) -> stat {
        var st = stat()
        if r.withName({ fstatat(r.dirFd, $0, &st, AT_SYMLINK_NOFOLLOW) }) != 0 { throw .host }
        if r.mustBeDirectory && st.st_mode & S_IFMT != S_IFDIR { throw .notdir }
        return st
    }

    func pathFilestatSetTimes(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), flags = call.i32(1), ptr = call.i32(2), len = call.i32(3)
        let atim = call.i64(4), mtim = call.i64(5), fst = call.i32(6)
        let mem = try GuestMemory(call)
        let follow = try WASI.follows(flags)
        let (d, path) = try directoryAndPath(mem, fd, .pathFilestatSetTimes, ptr, len)
        var ts = try WASI.timespecs(atim, mtim, fst)
        let r = try PathResolver.resolve(d, path, followFinal: follow)
        if r.mustBeDirectory { _ = try WASI.lstat(r) }
        if r.withName({ utimensat(r.dirFd, $0, &ts, AT_SYMLINK_NOFOLLOW) }) != 0 { throw .host }
    }

    /// path_link: a hard link; the source's final symlink is followed (inside the
    /// sandbox) only with SYMLINK_FOLLOW. Both ends are resolved inside their own
    /// directory descriptors, so nothing can be linked in from or out to the host.
    /// A source ending in "/" must be a directory (else ENOTDIR; a directory is then
    /// linkat's EPERM); a new name ending in "/" is refused (`refuseSlashedNewName`).
    func pathLink(_ call: HostCall) throws(WASIError) {
        let oldFd = call.i32(0), oldFlags = call.i32(1), oldPtr = call.i32(2), oldLen = call.i32(3)
        let newFd = call.i32(4), newPtr = call.i32(5), newLen = call.i32(6)
        let mem = try GuestMemory(call)
        let follow = try WASI.follows(oldFlags)
        let (src, oldPath) = try directoryAndPath(mem, oldFd, .pathLinkSource, oldPtr, oldLen)
        let (dst, newPath) = try directoryAndPath(mem, newFd, .pathLinkTarget, newPtr, newLen)
        let a = try PathResolver.resolve(src, oldPath, followFinal: follow)
        let b = try PathResolver.resolve(dst, newPath, followFinal: false)
        if a.mustBeDirectory { _ = try WASI.lstat(a) }
        try WASI.refuseSlashedNewName(b)
        let r = a.withName { an in b.withName { bn in linkat(a.dirFd, an, b.dirFd, bn, 0) } }
        if r != 0 { throw .host }
    }

    /// path_link and path_symlink create a non-directory, so a new name ending in "/"
    /// always fails, as in wasmtime: EEXIST if it names a directory (also through a
    /// link), ENOTDIR if it names anything else, ENOENT if nothing (also a dangling
    /// link). Nothing is created.
    static func refuseSlashedNewName(_ r: ResolvedPath) throws(WASIError) {
        guard r.mustBeDirectory else { return }
        var st = stat()
        if r.withName({ fstatat(r.dirFd, $0, &st, AT_SYMLINK_NOFOLLOW) }) != 0 { throw .host }
        throw st.st_mode & S_IFMT == S_IFDIR ? .exist : .notdir
    }

    /// path_open. The new descriptor's rights are the requested ones limited by the
    /// directory's inheriting rights and by what applies to the opened object; the
    /// directory needs PATH_OPEN (+ PATH_CREATE_FILE for CREAT, + PATH_FILESTAT_SET_SIZE
    /// for TRUNC), else ENOTCAPABLE. The host file is opened for reading if FD_READ or
    /// FD_READDIR is requested and for writing if FD_WRITE, FD_ALLOCATE,
    /// or FD_FILESTAT_SET_SIZE is (as wasmtime), always with O_NOFOLLOW (symlinks were
    /// followed by the resolver), O_NOCTTY and O_CLOEXEC. Opening uses O_NONBLOCK, so
    /// that a fifo without a peer cannot hang the host, and then clears it again.
    func pathOpen(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), dirflags = call.i32(1), ptr = call.i32(2), len = call.i32(3)
        let rawOflags = call.i32(4), requestedBase = Rights(rawValue: call.i64(5))
        let requestedInheriting = Rights(rawValue: call.i64(6)), rawFdflags = call.i32(7), out = call.i32(8)
        let mem = try GuestMemory(call)
        let follow = try WASI.follows(dirflags)
        guard rawOflags <= 0xFFFF, OFlags.all.isSuperset(of: OFlags(rawValue: UInt16(rawOflags))) else { throw .inval }
        guard rawFdflags <= 0xFFFF, FdFlags.all.isSuperset(of: FdFlags(rawValue: UInt16(rawFdflags))) else { throw .inval }
        let oflags = OFlags(rawValue: UInt16(rawOflags))
        let fdflags = FdFlags(rawValue: UInt16(rawFdflags))
        var needed: Rights = .pathOpen
        if oflags.contains(.creat) { needed.insert(.pathCreateFile) }
        if oflags.contains(.trunc) { needed.insert(.pathFilestatSetSize) }
        let (d, path) = try directoryAndPath(mem, fd, needed, ptr, len)
        try mem.check(out, 4)
        if oflags.contains(.directory) && !oflags.isDisjoint(with: [.creat, .trunc]) { throw .inval }

        let parentInheriting = d.rights.inheriting
        let base = requestedBase.intersection(parentInheriting)
        let inheriting = requestedInheriting.intersection(parentInheriting)
        let read = !base.isDisjoint(with: [.fdRead, .fdReaddir])
        let write = !base.isDisjoint(with: [.fdWrite, .fdAllocate, .fdFilestatSetSize])

        var flags = O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK
        flags |= write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY
        if oflags.contains(.creat) { flags |= O_CREAT }
        if oflags.contains(.excl) { flags |= O_EXCL }
        if oflags.contains(.trunc) { flags |= O_TRUNC }
        if oflags.contains(.directory) { flags |= O_DIRECTORY }
        if fdflags.contains(.append) { flags |= O_APPEND }
        if fdflags.contains(.dsync) { flags |= O_DSYNC }
        if !fdflags.isDisjoint(with: [.sync, .rsync]) { flags |= O_SYNC }

        let r = try PathResolver.resolve(d, path, followFinal: follow)
        if r.mustBeDirectory { flags |= O_DIRECTORY }
        let hostFd = r.withName { openat(r.dirFd, $0, flags, 0o666) }
        if hostFd < 0 { throw .host }
        // The guest sees a blocking descriptor unless it asked for NONBLOCK, which is
        // emulated; the host descriptor itself stays blocking.
        let fl = fcntl(hostFd, F_GETFL)
        if fl >= 0 { _ = fcntl(hostFd, F_SETFL, fl & ~O_NONBLOCK) }
        let entry = Descriptor(
            hostFd: hostFd, ownsFd: true, base: base, inheriting: inheriting,
            virtualFlags: fdflags.contains(.nonblock) ? [.nonblock] : [])
        let newFd = try table.insert(entry)
        do throws(WASIError) {
            try mem.setU32(out, newFd)
        } catch {
            _ = try? table.remove(newFd)
            throw error
        }
    }

    /// path_readlink: the link's contents, truncated to the buffer as POSIX readlink does.
    func pathReadlink(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), ptr = call.i32(1), len = call.i32(2), buf = call.i32(3), bufLen = call.i32(4), out = call.i32(5)
        let mem = try GuestMemory(call)
        let (d, path) = try directoryAndPath(mem, fd, .pathReadlink, ptr, len)
        try mem.check(buf, UInt64(bufLen))
        try mem.check(out, 4)
        let r = try PathResolver.resolve(d, path, followFinal: false)
        var target = [UInt8](repeating: 0, count: 4097)
        let n = r.withName { name in
            target.withUnsafeMutableBufferPointer { p in
                p.baseAddress.map { readlinkat(r.dirFd, name, UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self), p.count) } ?? -1
            }
        }
        if n < 0 { throw .host }
        let used = min(n, Int(bufLen))
        try mem.write(buf, target.prefix(used))
        try mem.setU32(out, UInt32(used))
    }

    /// path_remove_directory: `unlinkat(AT_REMOVEDIR)` on the final component, which
    /// is never followed ("link" is ENOTDIR). As in wasmtime (cap-std), a path ending
    /// in "/" names the directory itself, as "dir/." would: EINVAL for a directory,
    /// also one reached through a link (so "link/" never removes the directory the
    /// link points to), ENOTDIR for anything else, ENOENT if nothing is there (also a
    /// dangling link). Nothing is removed then.
    func pathRemoveDirectory(_ call: HostCall) throws(WASIError) {
        let mem = try GuestMemory(call)
        let (d, path) = try directoryAndPath(mem, call.i32(0), .pathRemoveDirectory, call.i32(1), call.i32(2))
        let r = try PathResolver.resolve(d, path, followFinal: false)
        if r.mustBeDirectory {
            // The resolver followed a final link before the "/": `r` may name the
            // link's target, which must not be removed.
            _ = try WASI.lstat(r)
            throw .inval
        }
        if r.withName({ unlinkat(r.dirFd, $0, AT_REMOVEDIR) }) != 0 { throw .host }
    }

    /// path_rename: both ends resolved inside their directories (a rename from inside
    /// to outside, e.g. to "../x", fails with ENOTCAPABLE before anything happens). As
    /// rename(2) and wasmtime: a final link is never followed, even before a "/", and
    /// a "/" at the end of either path requires the source to be a directory (else
    /// ENOTDIR: "file/", "link/", "file" -> "new/").
    func pathRename(_ call: HostCall) throws(WASIError) {
        let oldFd = call.i32(0), oldPtr = call.i32(1), oldLen = call.i32(2)
        let newFd = call.i32(3), newPtr = call.i32(4), newLen = call.i32(5)
        let mem = try GuestMemory(call)
        let (src, oldPath) = try directoryAndPath(mem, oldFd, .pathRenameSource, oldPtr, oldLen)
        let (dst, newPath) = try directoryAndPath(mem, newFd, .pathRenameTarget, newPtr, newLen)
        let a = try PathResolver.resolve(src, oldPath, followFinal: false, slashFollows: false)
        let b = try PathResolver.resolve(dst, newPath, followFinal: false, slashFollows: false)
        if a.mustBeDirectory || b.mustBeDirectory {
            var st = stat()
            if a.withName({ fstatat(a.dirFd, $0, &st, AT_SYMLINK_NOFOLLOW) }) != 0 { throw .host }
            if st.st_mode & S_IFMT != S_IFDIR { throw .notdir }
        }
        let r = a.withName { an in b.withName { bn in renameat(a.dirFd, an, b.dirFd, bn) } }
        if r != 0 { throw .host }
    }

    /// path_symlink: the link's contents are stored as given (they are only data; an
    /// absolute or escaping target is refused when the link is followed). A new name
    /// ending in "/" is refused (`refuseSlashedNewName`).
    func pathSymlink(_ call: HostCall) throws(WASIError) {
        let oldPtr = call.i32(0), oldLen = call.i32(1), fd = call.i32(2), newPtr = call.i32(3), newLen = call.i32(4)
        let mem = try GuestMemory(call)
        let target = try mem.path(oldPtr, oldLen)
        let (d, path) = try directoryAndPath(mem, fd, .pathSymlink, newPtr, newLen)
        let r = try PathResolver.resolve(d, path, followFinal: false)
        try WASI.refuseSlashedNewName(r)
        let rc = withCString(target) { t in r.withName { symlinkat(t, r.dirFd, $0) } }
        if rc != 0 { throw .host }
    }

    /// path_unlink_file: `unlinkat` on the final component, never followed (a link is
    /// removed, not its target). A path ending in "/" removes nothing, as in wasmtime:
    /// EISDIR if it names a directory (also through a link), ENOTDIR if anything else,
    /// ENOENT if nothing (also a dangling link).
    func pathUnlinkFile(_ call: HostCall) throws(WASIError) {
        let mem = try GuestMemory(call)
        let (d, path) = try directoryAndPath(mem, call.i32(0), .pathUnlinkFile, call.i32(1), call.i32(2))
        let r = try PathResolver.resolve(d, path, followFinal: false)
        if r.mustBeDirectory {
            // "name/" names a directory (EISDIR) or is not one (ENOTDIR).
            var st = stat()
            if r.withName({ fstatat(r.dirFd, $0, &st, AT_SYMLINK_NOFOLLOW) }) != 0 { throw .host }
            throw st.st_mode & S_IFMT == S_IFDIR ? .isdir : .notdir
        }
        if r.withName({ unlinkat(r.dirFd, $0, 0) }) != 0 { throw .host }
    }
}
