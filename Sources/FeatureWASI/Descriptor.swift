#if canImport(Glibc)
import Glibc
#endif
import RewasmCore
import Synchronization

/// One entry of a guest's descriptor table: a host file descriptor plus what WASI
/// tracks about it. Operations hold a strong reference while they run, so a
/// concurrent `fd_close` from another wasm thread removes the entry at once but the
/// host descriptor is closed (`deinit`) only when the last operation is done: it is
/// never reused under a running operation.
final class Descriptor: Sendable {
    let hostFd: Int32
    /// False for the stdio descriptors the embedder passed in: they are not closed.
    let ownsFd: Bool
    let fileType: FileType
    /// Pipes, terminals and other character devices, sockets: I/O waits with poll().
    let isPollable: Bool
    let isSocket: Bool
    let isFIFO: Bool
    /// The guest name of a preopened directory (fd_prestat_*).
    let preopenName: [UInt8]?
    let state: Locked<State>

    struct State: Sendable {
        var base: Rights
        var inheriting: Rights
        /// Flags kept by WASI instead of the host: NONBLOCK always (the host
        /// descriptor stays blocking; a "non-blocking" read returns EAGAIN instead of
        /// waiting); APPEND on descriptors WASI did not open (stdio), so the
        /// parent's open file description is not changed.
        var virtualFlags: FdFlags = []
        /// Directory listing for fd_readdir, taken at cookie 0 (see `readdir`).
        var listing: [DirectoryEntry]?
    }

    init(hostFd: Int32, ownsFd: Bool, base: Rights, inheriting: Rights, preopenName: [UInt8]? = nil, virtualFlags: FdFlags = []) {
        self.hostFd = hostFd
        self.ownsFd = ownsFd
        self.preopenName = preopenName
        var st = stat()
        var type = FileType.unknown
        var pollable = false
        var socket = false
        var fifo = false
        var terminal = false
        if fstat(hostFd, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFREG: type = .regularFile
            case S_IFDIR: type = .directory
            case S_IFCHR:
                type = .characterDevice
                pollable = true
                terminal = isatty(hostFd) == 1
            case S_IFBLK: type = .blockDevice
            case S_IFLNK: type = .symbolicLink
            case S_IFIFO: type = .unknown; pollable = true; fifo = true
            case S_IFSOCK:
                pollable = true
                socket = true
                var so: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                if getsockopt(hostFd, SOL_SOCKET, SO_TYPE, &so, &len) == 0, so == Int32(SOCK_DGRAM.rawValue) {
                    type = .socketDgram
                } else {
                    type = .socketStream
                }
            default: type = .unknown
            }
        }
        fileType = type
        isPollable = pollable
        isSocket = socket
        isFIFO = fifo
        let maxRights: Rights = switch type {
        case .directory: .directory
        case .regularFile, .blockDevice: .regularFile
        case .characterDevice: terminal ? .terminal : .characterDevice
        case .socketDgram, .socketStream: .socket
        case .unknown: fifo ? .pipe : .regularFile
        case .symbolicLink: []
        }
        state = Locked(State(base: base.intersection(maxRights), inheriting: type == .directory ? inheriting : [], virtualFlags: virtualFlags))
    }

    deinit {
        if ownsFd { close(hostFd) }
    }

    var isDirectory: Bool { fileType == .directory }

    var rights: (base: Rights, inheriting: Rights) {
        state.withLock { ($0.base, $0.inheriting) }
    }

    var virtualFlags: FdFlags { state.withLock { $0.virtualFlags } }

    /// Throws ENOTCAPABLE unless the descriptor has every right in `needed`.
    func require(_ needed: Rights) throws(WASIError) {
        let base = state.withLock { $0.base }
        guard base.isSuperset(of: needed) else { throw .notcapable }
    }
}

/// One name of a directory listing.
struct DirectoryEntry: Sendable {
    var name: [UInt8]
    var inode: UInt64
    var type: FileType
}

/// The guest's descriptor table: guest fd number -> descriptor. New descriptors take
/// the lowest free number, as POSIX does.
final class DescriptorTable: Sendable {
    private let slots = Locked<[Descriptor?]>([])
    static let maxDescriptors = 1 << 16

    /// The descriptor `fd`, or EBADF.
    func get(_ fd: UInt32) throws(WASIError) -> Descriptor {
        let d = slots.withLock { s -> Descriptor? in
            guard fd < UInt32(s.count) else { return nil }
            return s[Int(fd)]
        }
        guard let d else { throw .badf }
        return d
    }

    /// A descriptor that must be a file (not a directory): EBADF otherwise, as wasmtime.
    func file(_ fd: UInt32) throws(WASIError) -> Descriptor {
        let d = try get(fd)
        if d.isDirectory { throw .badf }
        return d
    }

    /// A descriptor that must be a directory: ENOTDIR otherwise.
    func directory(_ fd: UInt32) throws(WASIError) -> Descriptor {
        let d = try get(fd)
        guard d.isDirectory else { throw .notdir }
        return d
    }

    @discardableResult
    func insert(_ d: Descriptor) throws(WASIError) -> UInt32 {
        let fd = slots.withLock { s -> Int? in
            if let i = s.firstIndex(where: { $0 == nil }) {
                s[i] = d
                return i
            }
            guard s.count < DescriptorTable.maxDescriptors else { return nil }
            s.append(d)
            return s.count - 1
        }
        guard let fd else { throw .mfile }
        return UInt32(fd)
    }

    /// Puts `d` at exactly `fd` (used to set up stdio and preopens).
    func place(_ d: Descriptor?, at fd: Int) {
        slots.withLock { s in
            while s.count <= fd { s.append(nil) }
            s[fd] = d
        }
    }

    func remove(_ fd: UInt32) throws(WASIError) -> Descriptor {
        let d = slots.withLock { s -> Descriptor? in
            guard fd < UInt32(s.count), let d = s[Int(fd)] else { return nil }
            s[Int(fd)] = nil
            while let last = s.last, last == nil { s.removeLast() }
            return d
        }
        guard let d else { throw .badf }
        return d
    }

    /// fd_renumber: `to` must be open; it is replaced (and closed) by `from`, which is freed.
    func renumber(from: UInt32, to: UInt32) throws(WASIError) {
        let ok = slots.withLock { s -> Bool in
            guard from < UInt32(s.count), to < UInt32(s.count), let d = s[Int(from)], s[Int(to)] != nil else { return false }
            if from == to { return true }
            s[Int(to)] = d
            s[Int(from)] = nil
            while let last = s.last, last == nil { s.removeLast() }
            return true
        }
        guard ok else { throw .badf }
    }
}
