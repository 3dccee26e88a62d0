#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

// args_*, environ_*, clock_*, random_get, proc_raise.
extension WASI {
    /// args_sizes_get / environ_sizes_get: the count and the bytes of all strings
    /// including their NUL terminators.
    func stringsSizesGet(_ call: HostCall, _ strings: [[UInt8]]) throws(WASIError) {
        let countPtr = call.i32(0), sizePtr = call.i32(1)
        let mem = try GuestMemory(call)
        try mem.check(countPtr, 4)
        try mem.check(sizePtr, 4)
        let size = strings.reduce(0) { $0 + $1.count + 1 }
        guard strings.count <= Int(UInt32.max), size <= Int(UInt32.max) else { throw .overflow }
        try mem.setU32(countPtr, UInt32(strings.count))
        try mem.setU32(sizePtr, UInt32(size))
    }

    /// args_get / environ_get: an array of pointers at `ptrs`, the NUL-terminated
    /// strings packed at `buf`.
    func stringsGet(_ call: HostCall, _ strings: [[UInt8]]) throws(WASIError) {
        let ptrs = call.i32(0), buf = call.i32(1)
        let mem = try GuestMemory(call)
        let size = strings.reduce(0) { $0 + $1.count + 1 }
        try mem.check(ptrs, UInt64(strings.count) * 4)
        try mem.check(buf, UInt64(size))
        var packed: [UInt8] = []
        packed.reserveCapacity(size)
        var table = StructWriter(size: strings.count * 4)
        for (i, s) in strings.enumerated() {
            table.u32(i * 4, buf &+ UInt32(packed.count))
            packed.append(contentsOf: s)
            packed.append(0)
        }
        try mem.write(buf, packed)
        try mem.write(ptrs, table.bytes)
    }

    static func hostClock(_ id: UInt32) throws(WASIError) -> clockid_t {
        switch ClockID(rawValue: id) {
        case .realtime: CLOCK_REALTIME
        case .monotonic: CLOCK_MONOTONIC
        case .processCputime: CLOCK_PROCESS_CPUTIME_ID
        case .threadCputime: CLOCK_THREAD_CPUTIME_ID
        case nil: throw .inval
        }
    }

    func clockResGet(_ call: HostCall) throws(WASIError) {
        let id = call.i32(0), out = call.i32(1)
        let mem = try GuestMemory(call)
        let clock = try WASI.hostClock(id)
        var ts = timespec()
        guard clock_getres(clock, &ts) == 0 else { throw .host }
        try mem.setU64(out, UInt64(max(0, ts.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, ts.tv_nsec)))
    }

    /// The precision argument is ignored (the host clock's own is used).
    func clockTimeGet(_ call: HostCall) throws(WASIError) {
        let id = call.i32(0), out = call.i32(2)
        let mem = try GuestMemory(call)
        let clock = try WASI.hostClock(id)
        var ts = timespec()
        guard clock_gettime(clock, &ts) == 0 else { throw .host }
        try mem.setU64(out, UInt64(max(0, ts.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, ts.tv_nsec)))
    }

    /// Fills the buffer from the kernel's CSPRNG (getentropy = getrandom(2)).
    func randomGet(_ call: HostCall) throws(WASIError) {
        let ptr = call.i32(0), len = call.i32(1)
        let mem = try GuestMemory(call)
        let failure: Int32 = try mem.withBytes(ptr, len) { p in
            guard let p else { return 0 }
            var done = 0
            while done < Int(len) {
                let n = min(256, Int(len) - done)
                if getentropy(p + done, n) != 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return 0
        }
        if failure != 0 { throw .errno(Errno(host: failure)) }
    }

    /// proc_raise: a preview1 guest cannot install signal handlers, so a raised
    /// signal gets its default action, emulated for the guest alone (the host process
    /// is never signalled): signals whose default is to terminate end the program with
    /// exit status 128 + the signal's number, like a shell reports a killed process;
    /// those whose default is to be ignored (CHLD, CONT, URG, WINCH) and signal 0 do
    /// nothing; stopping (STOP, TSTP, TTIN, TTOU) is not possible: ENOSYS. An unknown
    /// signal number is EINVAL.
    func procRaise(_ call: HostCall) throws(WASIError) {
        let sig = call.i32(0)
        // WASI $signal values 1...30 and their Linux numbers.
        let linux: [UInt32: Int32] = [
            1: SIGHUP, 2: SIGINT, 3: SIGQUIT, 4: SIGILL, 5: SIGTRAP, 6: SIGABRT, 7: SIGBUS,
            8: SIGFPE, 9: SIGKILL, 10: SIGUSR1, 11: SIGSEGV, 12: SIGUSR2, 13: SIGPIPE,
            14: SIGALRM, 15: SIGTERM, 16: SIGCHLD, 17: SIGCONT, 18: SIGSTOP, 19: SIGTSTP,
            20: SIGTTIN, 21: SIGTTOU, 22: SIGURG, 23: SIGXCPU, 24: SIGXFSZ, 25: SIGVTALRM,
            26: SIGPROF, 27: SIGWINCH, 28: SIGPOLL, 29: SIGPWR, 30: SIGSYS,
        ]
        if sig == 0 { return }
        guard let n = linux[sig] else { throw .inval }
        switch sig {
        case 16, 17, 22, 27: return
        case 18, 19, 20, 21: throw .nosys
        default: throw .execution(.exit(128 + n))
        }
    }
}
