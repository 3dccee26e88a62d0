#if canImport(Glibc)
import Glibc
#endif

// The sandbox (docs/WASI.md): a guest path is resolved relative to a directory
// descriptor, component by component, with openat(O_NOFOLLOW) and a stack of
// directory descriptors for "..". Symbolic links are read with readlinkat and
// expanded here, never by the host: every host call on the final component uses a
// no-follow form (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, or a call that never follows).
// So no path, link target or race can name anything outside the starting directory:
// ".." at the starting directory, absolute paths and absolute link targets are
// refused (ENOTCAPABLE), and more than `maxSymlinks` expansions are ELOOP.

/// `O_PATH` (Linux; not exported by Swift's Glibc module): a descriptor that only
/// names a directory, enough to resolve paths below it without read permission.
let hostOPath: Int32 = 0o10000000

/// A resolved path: the directory that contains the final component, and that
/// component's name (never empty, never "..", never containing "/"; "." when the path
/// names the directory itself).
final class ResolvedPath {
    /// The starting descriptor, kept alive while its host fd may be used.
    let base: Descriptor
    /// An intermediate directory opened during resolution (closed in deinit), or nil
    /// when the parent is the starting directory itself.
    private let opened: Int32?
    /// The final component.
    let name: [UInt8]
    /// The path ended in "/": the final component must be a directory.
    let mustBeDirectory: Bool

    init(base: Descriptor, opened: Int32?, name: [UInt8], mustBeDirectory: Bool) {
        self.base = base
        self.opened = opened
        self.name = name
        self.mustBeDirectory = mustBeDirectory
    }

    deinit {
        if let opened { close(opened) }
    }

    /// The host descriptor of the containing directory.
    var dirFd: Int32 { opened ?? base.hostFd }

    /// The name as a C string, for the *at() calls.
    func withName<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        withCString(name, body)
    }
}

enum PathResolver {
    /// Symbolic links expanded in one resolution before ELOOP (Linux's limit).
    static let maxSymlinks = 40

    /// Resolves `path` below `base`. Intermediate symlinks are always followed (inside
    /// the sandbox); the final one only if `followFinal`, or if the path ends in "/"
    /// and `slashFollows` (path_rename passes false: as rename(2), "link/" names the
    /// link itself, which is not a directory).
    static func resolve(_ base: Descriptor, _ path: [UInt8], followFinal: Bool, slashFollows: Bool = true) throws(WASIError) -> ResolvedPath {
        guard base.isDirectory else { throw .notdir }
        guard !path.isEmpty else { throw .noent }
        if path.first == UInt8(ascii: "/") { throw .notcapable }
        let trailingSlash = path.last == UInt8(ascii: "/")
        let follow = followFinal || (trailingSlash && slashFollows)
        // Components still to walk, last one first (so popLast() is the next one).
        var pending = Array(components(path).reversed())
        var stack = DirectoryStack(base: base.hostFd)
        var links = 0

        func expand(_ name: [UInt8], in dir: Int32) throws(WASIError) -> Bool {
            guard let target = try readLink(dir, name) else { return false }
            links += 1
            if links > maxSymlinks { throw .loop }
            if target.isEmpty { throw .noent }
            if target.first == UInt8(ascii: "/") { throw .notcapable }
            pending.append(contentsOf: components(target).reversed())
            return true
        }

        while true {
            guard let c = pending.popLast() else {
                // Only "." components were left: the path names the directory itself.
                return ResolvedPath(base: base, opened: stack.take(), name: [UInt8(ascii: ".")], mustBeDirectory: true)
            }
            if c == [UInt8(ascii: ".")] { continue }
            if c == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                guard !stack.isEmpty else { throw .notcapable }
                try stack.pop()
                continue
            }
            if pending.isEmpty {
                if follow, try expand(c, in: stack.top) { continue }
                return ResolvedPath(base: base, opened: stack.take(), name: c, mustBeDirectory: trailingSlash)
            }
            let fd = openDirectory(stack.top, c)
            if fd >= 0 {
                stack.push(c, fd)
                continue
            }
            let err = errno
            if err == ELOOP || err == ENOTDIR, try expand(c, in: stack.top) { continue }
            throw .errno(Errno(host: err))
        }
    }

    /// Opens the directory `name` in `dir` for path resolution only, never following a link.
    static func openDirectory(_ dir: Int32, _ name: [UInt8]) -> Int32 {
        withCString(name) { openat(dir, $0, hostOPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
    }

    /// The target of the symbolic link `name` in `dir`, or nil if it is not a link
    /// (or does not exist: the caller's operation reports that).
    static func readLink(_ dir: Int32, _ name: [UInt8]) throws(WASIError) -> [UInt8]? {
        var buf = [UInt8](repeating: 0, count: 4097)
        let n = withCString(name) { c in
            buf.withUnsafeMutableBufferPointer { p in
                p.baseAddress.map { readlinkat(dir, c, UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self), p.count) } ?? -1
            }
        }
        if n < 0 {
            let e = errno
            if e == EINVAL || e == ENOENT || e == ENOTDIR { return nil }
            throw .errno(Errno(host: e))
        }
        if n >= buf.count { throw .nametoolong }
        return Array(buf[0..<n])
    }

    /// The non-empty components of a path ("a//b/" -> ["a", "b"]).
    static func components(_ path: [UInt8]) -> [[UInt8]] {
        path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map { Array($0) }
    }
}

/// Calls `body` with `bytes` as a NUL-terminated C string. `errno` as `body` left it
/// is kept, so a failed host call inside can be reported after this returns.
func withCString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    var c = bytes.map { CChar(bitPattern: $0) }
    c.append(0)
    let (result, savedErrno) = c.withUnsafeBufferPointer { p -> (R, Int32) in
        guard let b = p.baseAddress else { return ("".withCString(body), errno) }
        let r = body(b)
        return (r, errno)
    }
    errno = savedErrno
    return result
}

/// The directories walked into, for "..": their names and descriptors. At most
/// `maxOpen` descriptors are kept (a path may have thousands of components); an
/// evicted level is opened again, by its real name from the nearest open ancestor,
/// when ".." returns to it. The base directory is not owned and never closed.
struct DirectoryStack: ~Copyable {
    static let maxOpen = 16
    private let base: Int32
    private var names: [[UInt8]] = []
    /// Descriptor per level, -1 when evicted. The top level is always open.
    private var fds: [Int32] = []
    private var openCount = 0

    init(base: Int32) { self.base = base }

    deinit {
        for fd in fds where fd >= 0 { close(fd) }
    }

    var isEmpty: Bool { names.isEmpty }

    /// The current directory.
    var top: Int32 { fds.last ?? base }

    mutating func push(_ name: [UInt8], _ fd: Int32) {
        names.append(name)
        fds.append(fd)
        openCount += 1
        if openCount > DirectoryStack.maxOpen, let i = fds.firstIndex(where: { $0 >= 0 }) {
            close(fds[i])
            fds[i] = -1
            openCount -= 1
        }
    }

    /// Leaves the current directory for its parent (the caller checked `isEmpty`).
    mutating func pop() throws(WASIError) {
        guard let fd = fds.popLast() else { return }
        names.removeLast()
        if fd >= 0 {
            close(fd)
            openCount -= 1
        }
        guard let last = fds.last, last < 0 else { return }
        // Reopen the evicted levels from the nearest open ancestor, by name, without
        // following links; they stay open (within the limit) for further "..".
        let start = (fds.lastIndex(where: { $0 >= 0 }) ?? -1) + 1
        var dir = start > 0 ? fds[start - 1] : base
        for i in start..<fds.count {
            let next = PathResolver.openDirectory(dir, names[i])
            guard next >= 0 else { throw .host }
            fds[i] = next
            openCount += 1
            dir = next
            if openCount > DirectoryStack.maxOpen, let j = fds.firstIndex(where: { $0 >= 0 }), j < i {
                close(fds[j])
                fds[j] = -1
                openCount -= 1
            }
        }
    }

    /// Hands the top descriptor to the caller (nil: the base itself).
    mutating func take() -> Int32? {
        guard let fd = fds.last, fd >= 0 else { return nil }
        fds[fds.count - 1] = -1
        openCount -= 1
        return fd
    }
}
