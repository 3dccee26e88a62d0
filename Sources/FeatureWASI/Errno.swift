// Generated from the preview1 witx errno list (values 0...76).
#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

/// A WASI preview1 errno (`$errno` in wasi_snapshot_preview1.witx).
public enum Errno: UInt16, Sendable, CustomStringConvertible {
    case success = 0
    case tooBig = 1
    case acces = 2
    case addrinuse = 3
    case addrnotavail = 4
    case afnosupport = 5
    case again = 6
    case already = 7
    case badf = 8
    case badmsg = 9
    case busy = 10
    case canceled = 11
    case child = 12
    case connaborted = 13
    case connrefused = 14
    case connreset = 15
    case deadlk = 16
    case destaddrreq = 17
    case dom = 18
    case dquot = 19
    case exist = 20
    case fault = 21
    case fbig = 22
    case hostunreach = 23
    case idrm = 24
    case ilseq = 25
    case inprogress = 26
    case intr = 27
    case inval = 28
    case io = 29
    case isconn = 30
    case isdir = 31
    case loop = 32
    case mfile = 33
    case mlink = 34
    case msgsize = 35
    case multihop = 36
    case nametoolong = 37
    case netdown = 38
    case netreset = 39
    case netunreach = 40
    case nfile = 41
    case nobufs = 42
    case nodev = 43
    case noent = 44
    case noexec = 45
    case nolck = 46
    case nolink = 47
    case nomem = 48
    case nomsg = 49
    case noprotoopt = 50
    case nospc = 51
    case nosys = 52
    case notconn = 53
    case notdir = 54
    case notempty = 55
    case notrecoverable = 56
    case notsock = 57
    case notsup = 58
    case notty = 59
    case nxio = 60
    case overflow = 61
    case ownerdead = 62
    case perm = 63
    case pipe = 64
    case proto = 65
    case protonosupport = 66
    case prototype = 67
    case range = 68
    case rofs = 69
    case spipe = 70
    case srch = 71
    case stale = 72
    case timedout = 73
    case txtbsy = 74
    case xdev = 75
    case notcapable = 76

    public var description: String { "\(self.rawValue) (\(name))" }

    var name: String {
        switch self {
        case .success: "ESUCCESS"
        case .tooBig: "E2BIG"
        case .acces: "EACCES"
        case .addrinuse: "EADDRINUSE"
        case .addrnotavail: "EADDRNOTAVAIL"
        case .afnosupport: "EAFNOSUPPORT"
        case .again: "EAGAIN"
        case .already: "EALREADY"
        case .badf: "EBADF"
        case .badmsg: "EBADMSG"
        case .busy: "EBUSY"
        case .canceled: "ECANCELED"
        case .child: "ECHILD"
        case .connaborted: "ECONNABORTED"
        case .connrefused: "ECONNREFUSED"
        case .connreset: "ECONNRESET"
        case .deadlk: "EDEADLK"
        case .destaddrreq: "EDESTADDRREQ"
        case .dom: "EDOM"
        case .dquot: "EDQUOT"
        case .exist: "EEXIST"
        case .fault: "EFAULT"
        case .fbig: "EFBIG"
        case .hostunreach: "EHOSTUNREACH"
        case .idrm: "EIDRM"
        case .ilseq: "EILSEQ"
        case .inprogress: "EINPROGRESS"
        case .intr: "EINTR"
        case .inval: "EINVAL"
        case .io: "EIO"
        case .isconn: "EISCONN"
        case .isdir: "EISDIR"
        case .loop: "ELOOP"
        case .mfile: "EMFILE"
        case .mlink: "EMLINK"
        case .msgsize: "EMSGSIZE"
        case .multihop: "EMULTIHOP"
        case .nametoolong: "ENAMETOOLONG"
        case .netdown: "ENETDOWN"
        case .netreset: "ENETRESET"
        case .netunreach: "ENETUNREACH"
        case .nfile: "ENFILE"
        case .nobufs: "ENOBUFS"
        case .nodev: "ENODEV"
        case .noent: "ENOENT"
        case .noexec: "ENOEXEC"
        case .nolck: "ENOLCK"
        case .nolink: "ENOLINK"
        case .nomem: "ENOMEM"
        case .nomsg: "ENOMSG"
        case .noprotoopt: "ENOPROTOOPT"
        case .nospc: "ENOSPC"
        case .nosys: "ENOSYS"
        case .notconn: "ENOTCONN"
        case .notdir: "ENOTDIR"
        case .notempty: "ENOTEMPTY"
        case .notrecoverable: "ENOTRECOVERABLE"
        case .notsock: "ENOTSOCK"
        case .notsup: "ENOTSUP"
        case .notty: "ENOTTY"
        case .nxio: "ENXIO"
        case .overflow: "EOVERFLOW"
        case .ownerdead: "EOWNERDEAD"
        case .perm: "EPERM"
        case .pipe: "EPIPE"
        case .proto: "EPROTO"
        case .protonosupport: "EPROTONOSUPPORT"
        case .prototype: "EPROTOTYPE"
        case .range: "ERANGE"
        case .rofs: "EROFS"
        case .spipe: "ESPIPE"
        case .srch: "ESRCH"
        case .stale: "ESTALE"
        case .timedout: "ETIMEDOUT"
        case .txtbsy: "ETXTBSY"
        case .xdev: "EXDEV"
        case .notcapable: "ENOTCAPABLE"
        }
    }

    /// The WASI errno for a host (Linux) errno. Host errnos without a WASI
    /// counterpart become EIO. EWOULDBLOCK = EAGAIN and EOPNOTSUPP = ENOTSUP on Linux.
    public init(host e: Int32) {
        switch e {
        case E2BIG: self = .tooBig
        case EACCES: self = .acces
        case EADDRINUSE: self = .addrinuse
        case EADDRNOTAVAIL: self = .addrnotavail
        case EAFNOSUPPORT: self = .afnosupport
        case EAGAIN: self = .again
        case EALREADY: self = .already
        case EBADF: self = .badf
        case EBADMSG: self = .badmsg
        case EBUSY: self = .busy
        case ECANCELED: self = .canceled
        case ECHILD: self = .child
        case ECONNABORTED: self = .connaborted
        case ECONNREFUSED: self = .connrefused
        case ECONNRESET: self = .connreset
        case EDEADLK: self = .deadlk
        case EDESTADDRREQ: self = .destaddrreq
        case EDOM: self = .dom
        case EDQUOT: self = .dquot
        case EEXIST: self = .exist
        case EFAULT: self = .fault
        case EFBIG: self = .fbig
        case EHOSTUNREACH: self = .hostunreach
        case EIDRM: self = .idrm
        case EILSEQ: self = .ilseq
        case EINPROGRESS: self = .inprogress
        case EINTR: self = .intr
        case EINVAL: self = .inval
        case EIO: self = .io
        case EISCONN: self = .isconn
        case EISDIR: self = .isdir
        case ELOOP: self = .loop
        case EMFILE: self = .mfile
        case EMLINK: self = .mlink
        case EMSGSIZE: self = .msgsize
        case EMULTIHOP: self = .multihop
        case ENAMETOOLONG: self = .nametoolong
        case ENETDOWN: self = .netdown
        case ENETRESET: self = .netreset
        case ENETUNREACH: self = .netunreach
        case ENFILE: self = .nfile
        case ENOBUFS: self = .nobufs
        case ENODEV: self = .nodev
        case ENOENT: self = .noent
        case ENOEXEC: self = .noexec
        case ENOLCK: self = .nolck
        case ENOLINK: self = .nolink
        case ENOMEM: self = .nomem
        case ENOMSG: self = .nomsg
        case ENOPROTOOPT: self = .noprotoopt
        case ENOSPC: self = .nospc
        case ENOSYS: self = .nosys
        case ENOTCONN: self = .notconn
        case ENOTDIR: self = .notdir
        case ENOTEMPTY: self = .notempty
        case ENOTRECOVERABLE: self = .notrecoverable
        case ENOTSOCK: self = .notsock
        case ENOTSUP: self = .notsup
        case ENOTTY: self = .notty
        case ENXIO: self = .nxio
        case EOVERFLOW: self = .overflow
        case EOWNERDEAD: self = .ownerdead
        case EPERM: self = .perm
        case EPIPE: self = .pipe
        case EPROTO: self = .proto
        case EPROTONOSUPPORT: self = .protonosupport
        case EPROTOTYPE: self = .prototype
        case ERANGE: self = .range
        case EROFS: self = .rofs
        case ESPIPE: self = .spipe
        case ESRCH: self = .srch
        case ESTALE: self = .stale
        case ETIMEDOUT: self = .timedout
        case ETXTBSY: self = .txtbsy
        case EXDEV: self = .xdev
        default: self = .io
        }
    }
}

/// What a WASI function body throws: an errno returned to the guest, or an
/// execution error (exit, restart, interrupt) that unwinds the wasm thread.
enum WASIError: Error {
    case errno(Errno)
    case execution(ExecutionError)

    /// The current host `errno`, mapped.
    static var host: WASIError { .errno(Errno(host: Glibc.errno)) }

    static let tooBig = WASIError.errno(.tooBig)
    static let acces = WASIError.errno(.acces)
    static let addrinuse = WASIError.errno(.addrinuse)
    static let addrnotavail = WASIError.errno(.addrnotavail)
    static let afnosupport = WASIError.errno(.afnosupport)
    static let again = WASIError.errno(.again)
    static let already = WASIError.errno(.already)
    static let badf = WASIError.errno(.badf)
    static let badmsg = WASIError.errno(.badmsg)
    static let busy = WASIError.errno(.busy)
    static let canceled = WASIError.errno(.canceled)
    static let child = WASIError.errno(.child)
    static let connaborted = WASIError.errno(.connaborted)
    static let connrefused = WASIError.errno(.connrefused)
    static let connreset = WASIError.errno(.connreset)
    static let deadlk = WASIError.errno(.deadlk)
    static let destaddrreq = WASIError.errno(.destaddrreq)
    static let dom = WASIError.errno(.dom)
    static let dquot = WASIError.errno(.dquot)
    static let exist = WASIError.errno(.exist)
    static let fault = WASIError.errno(.fault)
    static let fbig = WASIError.errno(.fbig)
    static let hostunreach = WASIError.errno(.hostunreach)
    static let idrm = WASIError.errno(.idrm)
    static let ilseq = WASIError.errno(.ilseq)
    static let inprogress = WASIError.errno(.inprogress)
    static let intr = WASIError.errno(.intr)
    static let inval = WASIError.errno(.inval)
    static let io = WASIError.errno(.io)
    static let isconn = WASIError.errno(.isconn)
    static let isdir = WASIError.errno(.isdir)
    static let loop = WASIError.errno(.loop)
    static let mfile = WASIError.errno(.mfile)
    static let mlink = WASIError.errno(.mlink)
    static let msgsize = WASIError.errno(.msgsize)
    static let multihop = WASIError.errno(.multihop)
    static let nametoolong = WASIError.errno(.nametoolong)
    static let netdown = WASIError.errno(.netdown)
    static let netreset = WASIError.errno(.netreset)
    static let netunreach = WASIError.errno(.netunreach)
    static let nfile = WASIError.errno(.nfile)
    static let nobufs = WASIError.errno(.nobufs)
    static let nodev = WASIError.errno(.nodev)
    static let noent = WASIError.errno(.noent)
    static let noexec = WASIError.errno(.noexec)
    static let nolck = WASIError.errno(.nolck)
    static let nolink = WASIError.errno(.nolink)
    static let nomem = WASIError.errno(.nomem)
    static let nomsg = WASIError.errno(.nomsg)
    static let noprotoopt = WASIError.errno(.noprotoopt)
    static let nospc = WASIError.errno(.nospc)
    static let nosys = WASIError.errno(.nosys)
    static let notconn = WASIError.errno(.notconn)
    static let notdir = WASIError.errno(.notdir)
    static let notempty = WASIError.errno(.notempty)
    static let notrecoverable = WASIError.errno(.notrecoverable)
    static let notsock = WASIError.errno(.notsock)
    static let notsup = WASIError.errno(.notsup)
    static let notty = WASIError.errno(.notty)
    static let nxio = WASIError.errno(.nxio)
    static let overflow = WASIError.errno(.overflow)
    static let ownerdead = WASIError.errno(.ownerdead)
    static let perm = WASIError.errno(.perm)
    static let pipe = WASIError.errno(.pipe)
    static let proto = WASIError.errno(.proto)
    static let protonosupport = WASIError.errno(.protonosupport)
    static let prototype = WASIError.errno(.prototype)
    static let range = WASIError.errno(.range)
    static let rofs = WASIError.errno(.rofs)
    static let spipe = WASIError.errno(.spipe)
    static let srch = WASIError.errno(.srch)
    static let stale = WASIError.errno(.stale)
    static let timedout = WASIError.errno(.timedout)
    static let txtbsy = WASIError.errno(.txtbsy)
    static let xdev = WASIError.errno(.xdev)
    static let notcapable = WASIError.errno(.notcapable)
}
