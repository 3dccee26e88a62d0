#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

/// Why a WASI host could not be set up.
public struct WASISetupError: Error, CustomStringConvertible {
    public let description: String
}

/// The `wasi_snapshot_preview1` host module (docs/WASI.md).
///
/// ```swift
/// let wasi = try WASI(arguments: ["prog.wasm", "x"], environment: [("HOME", "/")],
///                     preopens: [(host: "/tmp/sandbox", guest: "/")])
/// wasi.define(into: imports, runtime: runtime)
/// ```
///
/// One instance serves one guest program (all its wasm threads): it owns the guest's
/// descriptor table. Every guest pointer is bounds-checked (EFAULT) and every path is
/// resolved inside a preopened directory; nothing the guest passes can crash the host.
public final class WASI: Sendable {
    /// The import module name under which `define(into:runtime:)` puts every function.
    public static let moduleName = "wasi_snapshot_preview1"

    let arguments: [[UInt8]]
    let environment: [[UInt8]]
    let table = DescriptorTable()
    let wakePipes = WakePipePool()

    /// - Parameters:
    ///   - arguments: argv, usually the program name first.
    ///   - environment: NAME/VALUE pairs, seen by the guest as "NAME=VALUE".
    ///   - preopens: host directories and the names the guest sees them by; they
    ///     become descriptors 3, 4, ... in this order.
    ///   - stdin, stdout, stderr: host descriptors for the guest's 0, 1, 2. They are
    ///     used, never closed, and their flags are never changed.
    /// - Throws: `WASISetupError` if a preopen cannot be opened as a directory.
    public init(
        arguments: [String], environment: [(String, String)], preopens: [(host: String, guest: String)],
        stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2
    ) throws {
        self.arguments = arguments.map { Array($0.utf8) }
        self.environment = environment.map { Array("\($0.0)=\($0.1)".utf8) }
        for (i, fd) in [stdin, stdout, stderr].enumerated() {
            table.place(Descriptor(hostFd: fd, ownsFd: false, base: .all, inheriting: []), at: i)
        }
        for (i, p) in preopens.enumerated() {
            let fd = open(p.host, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd < 0 {
                let reason = String(cString: strerror(errno))
                throw WASISetupError(description: "cannot open directory '\(p.host)' for --dir: \(reason)")
            }
            table.place(Descriptor(hostFd: fd, ownsFd: true, base: .directory, inheriting: .all, preopenName: Array(p.guest.utf8)), at: 3 + i)
        }
    }

    /// Defines every `wasi_snapshot_preview1` function in `imports`.
    public func define(into imports: Imports, runtime: Runtime) {
        let i32 = ValueType.i32
        let i64 = ValueType.i64
        func add(_ name: String, _ params: [ValueType], _ body: @escaping @Sendable (HostCall) throws(WASIError) -> Void) {
            let f = runtime.hostFunction(type: FuncType(params: params, results: [.i32])) { (call: HostCall) throws(ExecutionError) in
                do throws(WASIError) {
                    try body(call)
                    call.setI32(0, 0)
                } catch {
                    switch error {
                    case .errno(let e): call.setI32(0, UInt32(e.rawValue))
                    case .execution(let e): throw e
                    }
                }
            }
            imports.define(WASI.moduleName, name, .function(f))
        }

        add("args_get", [i32, i32]) { [self] c throws(WASIError) in try stringsGet(c, arguments) }
        add("args_sizes_get", [i32, i32]) { [self] c throws(WASIError) in try stringsSizesGet(c, arguments) }
        add("environ_get", [i32, i32]) { [self] c throws(WASIError) in try stringsGet(c, environment) }
        add("environ_sizes_get", [i32, i32]) { [self] c throws(WASIError) in try stringsSizesGet(c, environment) }
        add("clock_res_get", [i32, i32]) { [self] c throws(WASIError) in try clockResGet(c) }
        add("clock_time_get", [i32, i64, i32]) { [self] c throws(WASIError) in try clockTimeGet(c) }
        add("fd_advise", [i32, i64, i64, i32]) { [self] c throws(WASIError) in try fdAdvise(c) }
        add("fd_allocate", [i32, i64, i64]) { [self] c throws(WASIError) in try fdAllocate(c) }
        add("fd_close", [i32]) { [self] c throws(WASIError) in try fdClose(c) }
        add("fd_datasync", [i32]) { [self] c throws(WASIError) in try fdSync(c, data: true) }
        add("fd_fdstat_get", [i32, i32]) { [self] c throws(WASIError) in try fdFdstatGet(c) }
        add("fd_fdstat_set_flags", [i32, i32]) { [self] c throws(WASIError) in try fdFdstatSetFlags(c) }
        add("fd_fdstat_set_rights", [i32, i64, i64]) { [self] c throws(WASIError) in try fdFdstatSetRights(c) }
        add("fd_filestat_get", [i32, i32]) { [self] c throws(WASIError) in try fdFilestatGet(c) }
        add("fd_filestat_set_size", [i32, i64]) { [self] c throws(WASIError) in try fdFilestatSetSize(c) }
        add("fd_filestat_set_times", [i32, i64, i64, i32]) { [self] c throws(WASIError) in try fdFilestatSetTimes(c) }
        add("fd_pread", [i32, i32, i32, i64, i32]) { [self] c throws(WASIError) in try fdPread(c) }
        add("fd_prestat_get", [i32, i32]) { [self] c throws(WASIError) in try fdPrestatGet(c) }
        add("fd_prestat_dir_name", [i32, i32, i32]) { [self] c throws(WASIError) in try fdPrestatDirName(c) }
        add("fd_pwrite", [i32, i32, i32, i64, i32]) { [self] c throws(WASIError) in try fdPwrite(c) }
        add("fd_read", [i32, i32, i32, i32]) { [self] c throws(WASIError) in try fdRead(c) }
        add("fd_readdir", [i32, i32, i32, i64, i32]) { [self] c throws(WASIError) in try fdReaddir(c) }
        add("fd_renumber", [i32, i32]) { [self] c throws(WASIError) in try table.renumber(from: c.i32(0), to: c.i32(1)) }
        add("fd_seek", [i32, i64, i32, i32]) { [self] c throws(WASIError) in try fdSeek(c) }
        add("fd_sync", [i32]) { [self] c throws(WASIError) in try fdSync(c, data: false) }
        add("fd_tell", [i32, i32]) { [self] c throws(WASIError) in try fdTell(c) }
        add("fd_write", [i32, i32, i32, i32]) { [self] c throws(WASIError) in try fdWrite(c) }
        add("path_create_directory", [i32, i32, i32]) { [self] c throws(WASIError) in try pathCreateDirectory(c) }
        add("path_filestat_get", [i32, i32, i32, i32, i32]) { [self] c throws(WASIError) in try pathFilestatGet(c) }
        add("path_filestat_set_times", [i32, i32, i32, i32, i64, i64, i32]) { [self] c throws(WASIError) in try pathFilestatSetTimes(c) }
        add("path_link", [i32, i32, i32, i32, i32, i32, i32]) { [self] c throws(WASIError) in try pathLink(c) }
        add("path_open", [i32, i32, i32, i32, i32, i64, i64, i32, i32]) { [self] c throws(WASIError) in try pathOpen(c) }
        add("path_readlink", [i32, i32, i32, i32, i32, i32]) { [self] c throws(WASIError) in try pathReadlink(c) }
        add("path_remove_directory", [i32, i32, i32]) { [self] c throws(WASIError) in try pathRemoveDirectory(c) }
        add("path_rename", [i32, i32, i32, i32, i32, i32]) { [self] c throws(WASIError) in try pathRename(c) }
        add("path_symlink", [i32, i32, i32, i32, i32]) { [self] c throws(WASIError) in try pathSymlink(c) }
        add("path_unlink_file", [i32, i32, i32]) { [self] c throws(WASIError) in try pathUnlinkFile(c) }
        add("poll_oneoff", [i32, i32, i32, i32]) { [self] c throws(WASIError) in try pollOneoff(c) }
        add("proc_raise", [i32]) { [self] c throws(WASIError) in try procRaise(c) }
        add("sched_yield", []) { _ throws(WASIError) in _ = sched_yield() }
        add("random_get", [i32, i32]) { [self] c throws(WASIError) in try randomGet(c) }
        add("sock_accept", [i32, i32, i32]) { [self] c throws(WASIError) in try sockAccept(c) }
        add("sock_recv", [i32, i32, i32, i32, i32, i32]) { [self] c throws(WASIError) in try sockRecv(c) }
        add("sock_send", [i32, i32, i32, i32, i32]) { [self] c throws(WASIError) in try sockSend(c) }
        add("sock_shutdown", [i32, i32]) { [self] c throws(WASIError) in try sockShutdown(c) }

        // proc_exit has no result: it ends the wasm thread with `.exit(code)`.
        let exit = runtime.hostFunction(type: FuncType(params: [i32], results: [])) { (call: HostCall) throws(ExecutionError) in
            throw .exit(Int32(bitPattern: call.i32(0)))
        }
        imports.define(WASI.moduleName, "proc_exit", .function(exit))
    }
}
