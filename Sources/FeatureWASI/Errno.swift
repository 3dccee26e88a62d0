// Generated from the preview1 witx errno list (values 0...76).
#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

/// A WASI preview1 errno (`$errno` in wasi_snapshot_preview1.witx).
public enum Errno: UInt16, Sendable, CustomStringConvertible {
    /// No error: the call succeeded (ESUCCESS).
    case success = 0
    /// Argument list too long (E2BIG).
    case tooBig = 1
    /// Permission denied (EACCES).
    case acces = 2
    /// Address in use (EADDRINUSE).
    case addrinuse = 3
    /// Address not available (EADDRNOTAVAIL).
    case addrnotavail = 4
    /// Address family not supported (EAFNOSUPPORT).
    case afnosupport = 5
    /// Resource unavailable, try again; the operation would block (EAGAIN).
    case again = 6
    /// Connection already in progress (EALREADY).
    case already = 7
    /// Bad file descriptor (EBADF).
    case badf = 8
    /// Bad message (EBADMSG).
    case badmsg = 9
    /// Device or resource busy (EBUSY).
    case busy = 10
    /// Operation canceled (ECANCELED).
    case canceled = 11
    /// No child processes (ECHILD).
    case child = 12
    /// Connection aborted (ECONNABORTED).
    case connaborted = 13
    /// Connection refused (ECONNREFUSED).
    case connrefused = 14
    /// Connection reset (ECONNRESET).
    case connreset = 15
    /// Resource deadlock would occur (EDEADLK).
    case deadlk = 16
    /// Destination address required (EDESTADDRREQ).
    case destaddrreq = 17
    /// Mathematics argument out of domain of function (EDOM).
    case dom = 18
    /// Disk quota exceeded (EDQUOT); reserved in WASI.
    case dquot = 19
    /// File exists (EEXIST).
    case exist = 20
    /// Bad address (EFAULT): a guest pointer outside its memory.
    case fault = 21
    /// File too large (EFBIG).
    case fbig = 22
    /// Host is unreachable (EHOSTUNREACH).
    case hostunreach = 23
    /// Identifier removed (EIDRM).
    case idrm = 24
    /// Illegal byte sequence (EILSEQ), e.g. a string that is not valid UTF-8.
    case ilseq = 25
    /// Operation in progress (EINPROGRESS).
    case inprogress = 26
    /// Interrupted function (EINTR).
    case intr = 27
    /// Invalid argument (EINVAL).
    case inval = 28
    /// I/O error (EIO).
    case io = 29
    /// Socket is connected (EISCONN).
    case isconn = 30
    /// Is a directory (EISDIR).
    case isdir = 31
    /// Too many levels of symbolic links (ELOOP).
    case loop = 32
    /// Too many open files in the process (EMFILE).
    case mfile = 33
    /// Too many links (EMLINK).
    case mlink = 34
    /// Message too large (EMSGSIZE).
    case msgsize = 35
    /// Multihop attempted (EMULTIHOP); reserved in WASI.
    case multihop = 36
    /// Filename too long (ENAMETOOLONG).
    case nametoolong = 37
    /// Network is down (ENETDOWN).
    case netdown = 38
    /// Connection aborted by network (ENETRESET).
    case netreset = 39
    /// Network unreachable (ENETUNREACH).
    case netunreach = 40
    /// Too many files open in system (ENFILE).
    case nfile = 41
    /// No buffer space available (ENOBUFS).
    case nobufs = 42
    /// No such device (ENODEV).
    case nodev = 43
    /// No such file or directory (ENOENT).
    case noent = 44
    /// Executable file format error (ENOEXEC).
    case noexec = 45
    /// No locks available (ENOLCK).
    case nolck = 46
    /// Link has been severed (ENOLINK); reserved in WASI.
    case nolink = 47
    /// Not enough space (ENOMEM).
    case nomem = 48
    /// No message of the desired type (ENOMSG).
    case nomsg = 49
    /// Protocol not available (ENOPROTOOPT).
    case noprotoopt = 50
    /// No space left on device (ENOSPC).
    case nospc = 51
    /// Function not supported (ENOSYS).
    case nosys = 52
    /// The socket is not connected (ENOTCONN).
    case notconn = 53
    /// Not a directory or a symbolic link to a directory (ENOTDIR).
    case notdir = 54
    /// Directory not empty (ENOTEMPTY).
    case notempty = 55
    /// State not recoverable (ENOTRECOVERABLE).
    case notrecoverable = 56
    /// Not a socket (ENOTSOCK).
    case notsock = 57
    /// Not supported, or operation not supported on socket (ENOTSUP).
    case notsup = 58
    /// Inappropriate I/O control operation (ENOTTY).
    case notty = 59
    /// No such device or address (ENXIO).
    case nxio = 60
    /// Value too large to be stored in data type (EOVERFLOW).
    case overflow = 61
    /// Previous owner died (EOWNERDEAD).
    case ownerdead = 62
    /// Operation not permitted (EPERM).
    case perm = 63
    /// Broken pipe (EPIPE).
    case pipe = 64
    /// Protocol error (EPROTO).
    case proto = 65
    /// Protocol not supported (EPROTONOSUPPORT).
    case protonosupport = 66
    /// Protocol wrong type for socket (EPROTOTYPE).
    case prototype = 67
    /// Result too large (ERANGE).
    case range = 68
    /// Read-only file system (EROFS).
    case rofs = 69
    /// Invalid seek (ESPIPE).
    case spipe = 70
    /// No such process (ESRCH).
    case srch = 71
    /// Stale file handle (ESTALE); reserved in WASI.
    case stale = 72
    /// Connection timed out (ETIMEDOUT).
    case timedout = 73
    /// Text file busy (ETXTBSY).
    case txtbsy = 74
    /// Cross-device link (EXDEV).
    case xdev = 75
    /// Capabilities insufficient (ENOTCAPABLE, WASI only): a missing right, or a path escaping its preopen.
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
