#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

// poll_oneoff and the sock_* functions.
extension WASI {
    private struct Subscription {
        var userdata: UInt64
        var type: EventType
        /// An error to report at once in this subscription's event.
        var error: Errno?
        /// Clock: absolute deadline, monotonic nanoseconds.
        var deadline: UInt64?
        /// fd_read / fd_write: the descriptor (nil when `error` is set).
        var descriptor: Descriptor?
    }

    /// poll_oneoff: waits until a clock subscription's deadline passes or a descriptor
    /// is ready, and reports every subscription that is ready then. Clock deadlines
    /// are made absolute (monotonic clock; an absolute realtime deadline is converted
    /// once) on the first execution and kept in `restartState`, so a call re-executed
    /// after an interrupt or restart keeps its original deadline. Regular files are
    /// always ready (fd_read reports the bytes left to read). A subscription that
    /// cannot be served (bad descriptor, missing right, unknown clock, CPU-time clock)
    /// is reported at once with its error. nsubscriptions = 0 is EINVAL.
    func pollOneoff(_ call: HostCall) throws(WASIError) {
        let inPtr = call.i32(0), outPtr = call.i32(1), n = call.i32(2), countPtr = call.i32(3)
        let mem = try GuestMemory(call)
        guard n > 0 else { throw .inval }
        try mem.check(inPtr, UInt64(n) * UInt64(Layout.subscription))
        try mem.check(outPtr, UInt64(n) * UInt64(Layout.event))
        try mem.check(countPtr, 4)
        // Like poll(2)'s limit on nfds, so that a guest cannot make the host copy gigabytes.
        guard n <= WASI.maxSubscriptions else { throw .inval }
        let raw = try mem.bytes(inPtr, n * UInt32(Layout.subscription))
        func u64(_ o: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[o + $1]) << (8 * UInt64($1)) } }
        func u32(_ o: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(raw[o + $1]) << (8 * UInt32($1)) } }
        func u16(_ o: Int) -> UInt16 { UInt16(raw[o]) | UInt16(raw[o + 1]) << 8 }

        let saved = call.context.restartState as? WASIRestartState
        let savedDeadlines = saved?.function == "poll_oneoff" && saved?.deadlines.count == Int(n) ? saved?.deadlines : nil
        let nowMono = Clock.monotonic
        var subs: [Subscription] = []
        subs.reserveCapacity(Int(n))
        for i in 0..<Int(n) {
            let o = i * Layout.subscription
            let userdata = u64(o)
            guard let type = EventType(rawValue: raw[o + 8]) else { throw .inval }
            var s = Subscription(userdata: userdata, type: type)
            switch type {
            case .clock:
                let id = u32(o + 16), timeout = u64(o + 24), flags = u16(o + 40)
                if let d = savedDeadlines?[i] {
                    s.deadline = d
                } else if flags & ~SubclockFlags.absoluteTime != 0 {
                    s.error = .inval
                } else {
                    let absolute = flags & SubclockFlags.absoluteTime != 0
                    switch ClockID(rawValue: id) {
                    case .monotonic:
                        s.deadline = absolute ? timeout : (timeout > UInt64.max - nowMono ? UInt64.max : nowMono + timeout)
                    case .realtime:
                        if absolute {
                            let nowReal = Clock.now(CLOCK_REALTIME)
                            let delta = timeout > nowReal ? timeout - nowReal : 0
                            s.deadline = delta > UInt64.max - nowMono ? UInt64.max : nowMono + delta
                        } else {
                            s.deadline = timeout > UInt64.max - nowMono ? UInt64.max : nowMono + timeout
                        }
                    case .processCputime, .threadCputime, nil:
                        s.error = .inval
                    }
                }
            case .fdRead, .fdWrite:
                do throws(WASIError) {
                    let d = try table.file(u32(o + 16))
                    try d.require(.pollFdReadwrite)
                    s.descriptor = d
                } catch {
                    if case .errno(let e) = error { s.error = e } else { throw error }
                }
            }
            subs.append(s)
        }
        let deadlines = subs.map(\.deadline)

        let events = try blocking(call, "poll_oneoff", save: { WASIRestartState(function: "poll_oneoff", deadlines: deadlines) }) {
            () throws(WASIError) -> Attempt<[UInt8]> in
            var out: [UInt8] = []
            var count = 0
            func event(_ s: Subscription, _ error: Errno, nbytes: UInt64 = 0, hangup: Bool = false) {
                var w = StructWriter(size: Layout.event)
                w.u64(0, s.userdata)
                w.u16(8, error.rawValue)
                w.u8(10, s.type.rawValue)
                w.u64(16, nbytes)
                w.u16(24, hangup ? EventRWFlags.hangup : 0)
                out.append(contentsOf: w.bytes)
                count += 1
            }
            var fds: [pollfd] = []
            var fdSubs: [Int] = []
            let now = Clock.monotonic
            var earliest: UInt64?
            for (i, s) in subs.enumerated() {
                if let e = s.error {
                    event(s, e)
                } else if let deadline = s.deadline {
                    if deadline <= now {
                        event(s, .success)
                    } else {
                        earliest = min(earliest ?? deadline, deadline)
                    }
                } else if let d = s.descriptor {
                    if d.isPollable {
                        let ev = s.type == .fdRead ? POLLIN : POLLOUT
                        fds.append(pollfd(fd: d.hostFd, events: Int16(ev), revents: 0))
                        fdSubs.append(i)
                    } else if s.type == .fdRead {
                        event(s, .success, nbytes: WASI.bytesLeft(d.hostFd))
                    } else {
                        event(s, .success)
                    }
                }
            }
            if !fds.isEmpty {
                let r = fds.withUnsafeMutableBufferPointer { p in poll(p.baseAddress, nfds_t(p.count), 0) }
                if r > 0 {
                    for (k, p) in fds.enumerated() where p.revents != 0 {
                        let s = subs[fdSubs[k]]
                        let rev = Int32(p.revents)
                        if rev & POLLNVAL != 0 {
                            event(s, .badf)
                        } else if s.type == .fdRead {
                            var avail: Int32 = 0
                            let n = ioctl(p.fd, UInt(FIONREAD), &avail) == 0 ? UInt64(max(0, avail)) : 0
                            event(s, .success, nbytes: n, hangup: rev & POLLHUP != 0)
                        } else if rev & POLLERR != 0 && rev & POLLOUT == 0 {
                            event(s, .pipe, hangup: true)
                        } else {
                            event(s, .success, hangup: rev & POLLHUP != 0)
                        }
                    }
                }
            }
            if count > 0 {
                var image = StructWriter(size: 4)
                image.u32(0, UInt32(count))
                return .done(image.bytes + out)
            }
            return .wait(fds: fds, deadline: earliest)
        }
        // events = [count (4 bytes)] + count events.
        let count = UInt32(events[0]) | UInt32(events[1]) << 8 | UInt32(events[2]) << 16 | UInt32(events[3]) << 24
        try mem.write(outPtr, events.dropFirst(4))
        try mem.setU32(countPtr, count)
    }

    static let maxSubscriptions: UInt32 = 1 << 20

    /// Bytes between a regular file's offset and its end.
    static func bytesLeft(_ fd: Int32) -> UInt64 {
        var st = stat()
        let pos = lseek(fd, 0, SEEK_CUR)
        guard fstat(fd, &st) == 0, pos >= 0, st.st_size > pos else { return 0 }
        return UInt64(st.st_size - pos)
    }

    // MARK: sockets (descriptors that are host sockets, e.g. inherited or accepted)

    func socketDescriptor(_ fd: UInt32) throws(WASIError) -> Descriptor {
        let d = try table.get(fd)
        guard d.isSocket else { throw .notsock }
        return d
    }

    /// sock_accept: waits (interruptibly) for a connection; the new descriptor gets the
    /// socket rights, and NONBLOCK (the only flag) as an emulated flag.
    func sockAccept(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), flags = call.i32(1), out = call.i32(2)
        let mem = try GuestMemory(call)
        let d = try socketDescriptor(fd)
        try d.require(.sockAccept)
        guard flags & ~UInt32(FdFlags.nonblock.rawValue) == 0 else { throw .inval }
        try mem.check(out, 4)
        let nonblock = d.virtualFlags.contains(.nonblock)
        let hostFd: Int32 = try blocking(call, "sock_accept") { () throws(WASIError) -> Attempt<Int32> in
            if WASI.isReady(d.hostFd, POLLIN) {
                let s = accept(d.hostFd, nil, nil)
                if s >= 0 { return .done(s) }
                let e = errno
                if e != EAGAIN && e != EINTR && e != ECONNABORTED { throw .errno(Errno(host: e)) }
            }
            if nonblock { throw .again }
            return .wait(fds: [pollfd(fd: d.hostFd, events: Int16(POLLIN), revents: 0)], deadline: nil)
        }
        _ = fcntl(hostFd, F_SETFD, FD_CLOEXEC)
        let fl = fcntl(hostFd, F_GETFL)
        if fl >= 0 && fl & O_NONBLOCK != 0 { _ = fcntl(hostFd, F_SETFL, fl & ~O_NONBLOCK) }
        let entry = Descriptor(
            hostFd: hostFd, ownsFd: true, base: .socket, inheriting: [],
            virtualFlags: flags != 0 ? [.nonblock] : [])
        let newFd = try table.insert(entry)
        try mem.setU32(out, newFd)
    }

    /// sock_recv: RECV_PEEK and RECV_WAITALL; reports RECV_DATA_TRUNCATED.
    func sockRecv(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), iovs = call.i32(1), count = call.i32(2), flags = call.i32(3)
        let lenOut = call.i32(4), flagsOut = call.i32(5)
        let mem = try GuestMemory(call)
        let d = try socketDescriptor(fd)
        try d.require(.fdRead)
        let known = UInt32(SocketFlags.recvPeek | SocketFlags.recvWaitall)
        guard flags & ~known == 0 else { throw .inval }
        let bufs = try mem.iovecs(iovs, count)
        try mem.check(lenOut, 4)
        try mem.check(flagsOut, 2)
        let peek = flags & UInt32(SocketFlags.recvPeek) != 0
        let waitAll = flags & UInt32(SocketFlags.recvWaitall) != 0
        let (n, truncated) = try input(
            call, d, mem, bufs, function: "sock_recv",
            socketFlags: peek ? Int32(MSG_PEEK) : 0, waitAll: waitAll && !peek)
        try mem.setU32(lenOut, UInt32(n))
        try mem.write(flagsOut, [truncated ? UInt8(SocketFlags.recvDataTruncated) : 0, 0])
    }

    /// sock_send: no flags are defined (anything else is EINVAL).
    func sockSend(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), iovs = call.i32(1), count = call.i32(2), flags = call.i32(3), out = call.i32(4)
        let mem = try GuestMemory(call)
        let d = try socketDescriptor(fd)
        try d.require(.fdWrite)
        guard flags == 0 else { throw .inval }
        let bufs = try mem.iovecs(iovs, count)
        try mem.check(out, 4)
        let n = try output(call, d, mem, bufs, function: "sock_send")
        try mem.setU32(out, UInt32(n))
    }

    func sockShutdown(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), how = call.i32(1)
        let d = try socketDescriptor(fd)
        try d.require(.sockShutdown)
        let hostHow: Int32
        switch how {
        case UInt32(SocketFlags.shutRd): hostHow = Int32(SHUT_RD)
        case UInt32(SocketFlags.shutWr): hostHow = Int32(SHUT_WR)
        case UInt32(SocketFlags.shutRd | SocketFlags.shutWr): hostHow = Int32(SHUT_RDWR)
        default: throw .inval
        }
        if shutdown(d.hostFd, hostHow) != 0 { throw .host }
    }
}
