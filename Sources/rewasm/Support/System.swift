// The CLI's few needs from the operating system, through libc. Foundation would do the
// same, but loading it (and ICU) costs about 3 ms at every start of `rewasm`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a path, with the C library's reason.
struct SystemError: Error, CustomStringConvertible {
    /// What was being done, e.g. "cannot read".
    var action: String
    var path: String
    /// The reason: `strerror(errno)` or our own words.
    var reason: String

    init(_ action: String, _ path: String, errno code: Int32) {
        self.init(action, path, reason: String(cString: strerror(code)))
    }

    init(_ action: String, _ path: String, reason: String) {
        self.action = action
        self.path = path
        self.reason = reason
    }

    var description: String { "\(action) '\(path)': \(reason)" }
}

/// Files, directories, the environment, stderr, the clock and threads, for the CLI.
enum System {
    /// Largest file `readFile` accepts by default. Modules and spec scripts are far
    /// smaller; the cap turns a wrong path (a disk image, /dev/zero) into an error
    /// instead of an allocation that fails or never ends.
    static let maxFileSize = 1 << 31

    /// The whole contents of the file at `path`. Works for files whose size `stat`
    /// does not know (pipes, /proc) too.
    static func readFile(_ path: String, limit: Int = maxFileSize) throws(SystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("cannot read", path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError("cannot read", path, errno: errno) }
        let size = Int(info.st_size)
        guard size <= limit else { throw tooLarge(path, limit) }
        // One byte more than the size, so a regular file ends in one read plus the
        // read that sees the end.
        var bytes = [UInt8](repeating: 0, count: max(size, 0) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= limit else { throw tooLarge(path, limit) }
                bytes += repeatElement(0, count: min(max(count, 1 << 16), limit + 1 - count))
            }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + count, buffer.count - count)
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError("cannot read", path, errno: errno)
            }
            count += n
        }
        guard count <= limit else { throw tooLarge(path, limit) }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    private static func tooLarge(_ path: String, _ limit: Int) -> SystemError {
        SystemError("cannot read", path, reason: "larger than \(limit) bytes")
    }

    /// The names in the directory at `path`, without "." and "..", in no order.
    static func listDirectory(_ path: String) throws(SystemError) -> [String] {
        guard let dir = opendir(path) else { throw SystemError("cannot list", path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            // readdir returns nil both at the end and on failure; only errno tells.
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw SystemError("cannot list", path, errno: errno) }
                return names
            }
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// Whether `path` (following symbolic links) is a directory; nil if there is
    /// nothing there, or it cannot be examined.
    static func isDirectory(_ path: String) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    /// The process environment as (name, value) pairs, in the order of `environ`.
    /// A name that occurs twice keeps its first value, as `getenv` does.
    static func environment() -> [(String, String)] {
        #if canImport(Glibc)
        // Never null here: the process does not clearenv().
        let entries = environ
        #else
        guard let entries = _NSGetEnviron()?.pointee else { return [] }
        #endif
        var seen = Set<String>()
        var pairs: [(String, String)] = []
        var i = 0
        while let entry = entries[i] {
            i += 1
            let text = String(cString: entry)
            guard let eq = text.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(text[..<eq])
            if seen.insert(name).inserted {
                pairs.append((name, String(text[text.index(after: eq)...])))
            }
        }
        return pairs
    }

    /// Writes `text` to the standard error stream, unbuffered.
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var rest = UnsafeRawBufferPointer(buffer)
            while let base = rest.baseAddress, !rest.isEmpty {
                let n = write(2, base, rest.count)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            }
        }
    }

    /// Nanoseconds of CLOCK_MONOTONIC: the clock of `Locked`'s deadlines.
    static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// The monotonic deadline `seconds` from now; nil (no deadline) when it is too
    /// far away to represent.
    static func deadline(after seconds: Double) -> UInt64? {
        let now = monotonicNow()
        let ns = (seconds * 1e9).rounded(.up)
        guard ns >= 0, ns < Double(UInt64.max - now) else { return nil }
        return now + UInt64(ns)
    }

    /// Runs `body` on a new detached thread. False if the thread could not be created.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> Bool {
        final class Box: Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(&thread, &attr, { raw in
            #if canImport(Glibc)
            guard let raw else { return nil }
            #endif
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        return true
    }
}

/// Path strings, split and joined the way the CLI needs (no normalisation).
enum Path {
    /// `name` inside the directory `base`; just `name` when `base` is empty.
    static func join(_ base: String, _ name: String) -> String {
        if base.isEmpty { return name }
        var base = Substring(base)
        while base.count > 1, base.hasSuffix("/") { base = base.dropLast() }
        return base == "/" ? "/" + name : base + "/" + name
    }

    /// The directory part of `path`: "a/b.json" gives "a", "b.json" gives "" (the
    /// current directory), "/b.json" gives "/".
    static func directory(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var dir = p[..<slash]
        while dir.hasSuffix("/") { dir = dir.dropLast() }
        return dir.isEmpty ? "/" : String(dir)
    }
}
