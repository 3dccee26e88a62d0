// Types and flags of wasi_snapshot_preview1.witx, with their exact bit values.

/// `$rights`: what a descriptor may be used for.
struct Rights: OptionSet, Sendable {
    let rawValue: UInt64

    static let fdDatasync = Rights(rawValue: 1 << 0)
    static let fdRead = Rights(rawValue: 1 << 1)
    static let fdSeek = Rights(rawValue: 1 << 2)
    static let fdFdstatSetFlags = Rights(rawValue: 1 << 3)
    static let fdSync = Rights(rawValue: 1 << 4)
    static let fdTell = Rights(rawValue: 1 << 5)
    static let fdWrite = Rights(rawValue: 1 << 6)
    static let fdAdvise = Rights(rawValue: 1 << 7)
    static let fdAllocate = Rights(rawValue: 1 << 8)
    static let pathCreateDirectory = Rights(rawValue: 1 << 9)
    static let pathCreateFile = Rights(rawValue: 1 << 10)
    static let pathLinkSource = Rights(rawValue: 1 << 11)
    static let pathLinkTarget = Rights(rawValue: 1 << 12)
    static let pathOpen = Rights(rawValue: 1 << 13)
    static let fdReaddir = Rights(rawValue: 1 << 14)
    static let pathReadlink = Rights(rawValue: 1 << 15)
    static let pathRenameSource = Rights(rawValue: 1 << 16)
    static let pathRenameTarget = Rights(rawValue: 1 << 17)
    static let pathFilestatGet = Rights(rawValue: 1 << 18)
    static let pathFilestatSetSize = Rights(rawValue: 1 << 19)
    static let pathFilestatSetTimes = Rights(rawValue: 1 << 20)
    static let fdFilestatGet = Rights(rawValue: 1 << 21)
    static let fdFilestatSetSize = Rights(rawValue: 1 << 22)
    static let fdFilestatSetTimes = Rights(rawValue: 1 << 23)
    static let pathSymlink = Rights(rawValue: 1 << 24)
    static let pathRemoveDirectory = Rights(rawValue: 1 << 25)
    static let pathUnlinkFile = Rights(rawValue: 1 << 26)
    static let pollFdReadwrite = Rights(rawValue: 1 << 27)
    static let sockShutdown = Rights(rawValue: 1 << 28)
    static let sockAccept = Rights(rawValue: 1 << 29)

    static let all = Rights(rawValue: (1 << 30) - 1)

    /// Everything that applies to a regular file.
    static let regularFile: Rights = [
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite,
        .fdAdvise, .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes,
        .pollFdReadwrite,
    ]
    /// Everything that applies to a directory.
    static let directory: Rights = [
        .fdDatasync, .fdFdstatSetFlags, .fdSync, .pathCreateDirectory, .pathCreateFile,
        .pathLinkSource, .pathLinkTarget, .pathOpen, .fdReaddir, .pathReadlink,
        .pathRenameSource, .pathRenameTarget, .pathFilestatGet, .pathFilestatSetSize,
        .pathFilestatSetTimes, .fdFilestatGet, .fdFilestatSetTimes, .pathSymlink,
        .pathRemoveDirectory, .pathUnlinkFile,
    ]
    /// A terminal: no seek/tell, which is how wasi-libc's `isatty` recognises one.
    static let terminal: Rights = regularFile.subtracting([.fdSeek, .fdTell, .fdAllocate])
    /// Another character device (/dev/null, /dev/zero, ...): seekable on Linux.
    static let characterDevice: Rights = regularFile.subtracting([.fdAllocate])
    /// A pipe (fifo): like a file; seeking fails with ESPIPE from the host.
    static let pipe: Rights = regularFile.subtracting([.fdAllocate])
    static let socket: Rights = [
        .fdRead, .fdWrite, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite,
        .sockShutdown, .sockAccept,
    ]
}

/// `$filetype`.
enum FileType: UInt8, Sendable {
    case unknown = 0
    case blockDevice = 1
    case characterDevice = 2
    case directory = 3
    case regularFile = 4
    case socketDgram = 5
    case socketStream = 6
    case symbolicLink = 7
}

/// `$fdflags`.
struct FdFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let append = FdFlags(rawValue: 1 << 0)
    static let dsync = FdFlags(rawValue: 1 << 1)
    static let nonblock = FdFlags(rawValue: 1 << 2)
    static let rsync = FdFlags(rawValue: 1 << 3)
    static let sync = FdFlags(rawValue: 1 << 4)
    static let all: FdFlags = [.append, .dsync, .nonblock, .rsync, .sync]
}

/// `$oflags`.
struct OFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let creat = OFlags(rawValue: 1 << 0)
    static let directory = OFlags(rawValue: 1 << 1)
    static let excl = OFlags(rawValue: 1 << 2)
    static let trunc = OFlags(rawValue: 1 << 3)
    static let all: OFlags = [.creat, .directory, .excl, .trunc]
}

/// `$lookupflags`.
enum LookupFlags {
    static let symlinkFollow: UInt32 = 1
}

/// `$fstflags`.
struct FstFlags: OptionSet, Sendable {
    let rawValue: UInt16
    static let atim = FstFlags(rawValue: 1 << 0)
    static let atimNow = FstFlags(rawValue: 1 << 1)
    static let mtim = FstFlags(rawValue: 1 << 2)
    static let mtimNow = FstFlags(rawValue: 1 << 3)
    static let all: FstFlags = [.atim, .atimNow, .mtim, .mtimNow]
}

/// `$clockid`.
enum ClockID: UInt32 {
    case realtime = 0
    case monotonic = 1
    case processCputime = 2
    case threadCputime = 3
}

/// `$eventtype` (also the subscription union's tag).
enum EventType: UInt8 {
    case clock = 0
    case fdRead = 1
    case fdWrite = 2
}

/// `$subclockflags`.
enum SubclockFlags {
    static let absoluteTime: UInt16 = 1
}

/// `$eventrwflags`.
enum EventRWFlags {
    static let hangup: UInt16 = 1
}

/// `$riflags`, `$roflags`, `$sdflags`.
enum SocketFlags {
    static let recvPeek: UInt16 = 1
    static let recvWaitall: UInt16 = 2
    static let recvDataTruncated: UInt16 = 1
    static let shutRd: UInt8 = 1
    static let shutWr: UInt8 = 2
}

/// `$whence`.
enum Whence: UInt8 {
    case set = 0
    case cur = 1
    case end = 2
}

/// `$advice`.
enum Advice: UInt8 {
    case normal = 0
    case sequential = 1
    case random = 2
    case willneed = 3
    case dontneed = 4
    case noreuse = 5
}

/// Struct sizes of the preview1 ABI (wasm32).
enum Layout {
    static let iovec = 8
    static let fdstat = 24
    static let filestat = 64
    static let dirent = 24
    static let prestat = 8
    static let subscription = 48
    static let event = 32
}
