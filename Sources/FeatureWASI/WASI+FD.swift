#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

/// `POLLRDHUP` (Linux; not exported by Swift's Glibc module): the peer shut down writing.
let hostPOLLRDHUP: Int32 = 0x2000

// fd_* functions.
extension WASI {
    // MARK: read and write

    func fdRead(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), iovs = call.i32(1), count = call.i32(2), out = call.i32(3)
        let mem = try GuestMemory(call)
        let d = try table.file(fd)
        try d.require(.fdRead)
        let bufs = try mem.iovecs(iovs, count)
        try mem.check(out, 4)
        let n = try input(call, d, mem, bufs, function: "fd_read").count
        try mem.setU32(out, UInt32(n))
    }

    func fdWrite(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), iovs = call.i32(1), count = call.i32(2), out = call.i32(3)
        let mem = try GuestMemory(call)
        let d = try table.file(fd)
        try d.require(.fdWrite)
        let bufs = try mem.iovecs(iovs, count)
        try mem.check(out, 4)
        let n = try output(call, d, mem, bufs, function: "fd_write")
        try mem.setU32(out, UInt32(n))
    }

    func fdPread(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), iovs = call.i32(1), count = call.i32(2), offset = call.i64(3), out = call.i32(4)
        let mem = try GuestMemory(call)
        let d = try table.file(fd)
        try d.require([.fdRead, .fdSeek])
        let bufs = try mem.iovecs(iovs, count)
        try mem.check(out, 4)
        guard let off = off_t(exactly: offset) else { throw .inval }
        if d.isPollable { throw .spipe }
        let r = WASI.retrying { mem.withIOVecs(bufs) { preadv(d.hostFd, $0, $1, off) } }
        if r < 0 { throw .host }
        try mem.setU32(out, UInt32(r))
    }

    func fdPwrite(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), iovs = call.i32(1), count = call.i32(2), offset = call.i64(3), out = call.i32(4)
        let mem = try GuestMemory(call)
        let d = try table.file(fd)
        try d.require([.fdWrite, .fdSeek])
        let bufs = try mem.iovecs(iovs, count)
        try mem.check(out, 4)
        guard let off = off_t(exactly: offset) else { throw .inval }
        if d.isPollable { throw .spipe }
        let r = WASI.retrying { mem.withIOVecs(bufs) { pwritev(d.hostFd, $0, $1, off) } }
        if r < 0 { throw .host }
        try mem.setU32(out, UInt32(r))
    }

    /// Retries a host call interrupted by a signal (EINTR).
    static func retrying(_ body: () -> Int) -> Int {
        while true {
            let r = body()
            if r < 0 && errno == EINTR { continue }
            return r
        }
    }

    /// Reads into `bufs`. Files and other non-pollable descriptors are read directly.
    /// Pipes, terminals and sockets are read only once poll() reports them readable,
    /// so the host descriptor stays blocking and the call stays interruptible
    /// (`blocking`); a descriptor the guest marked NONBLOCK gets EAGAIN instead of
    /// a wait. `socketFlags` (MSG_PEEK) and `waitAll` apply to sockets.
    func input(
        _ call: HostCall, _ d: Descriptor, _ mem: GuestMemory, _ bufs: [GuestMemory.Buffer],
        function: String, socketFlags: Int32 = 0, waitAll: Bool = false
    ) throws(WASIError) -> (count: Int, truncated: Bool) {
        let total = bufs.reduce(0) { $0 + $1.count }
        func readNow() -> (Int, Int32, Bool) {
            mem.withIOVecs(bufs) { iov, n in
                if d.isSocket {
                    var msg = msghdr()
                    msg.msg_iov = iov
                    msg.msg_iovlen = Int(n)
                    let r = recvmsg(d.hostFd, &msg, socketFlags | Int32(MSG_DONTWAIT))
                    return (r, errno, msg.msg_flags & Int32(MSG_TRUNC) != 0)
                }
                let r = readv(d.hostFd, iov, n)
                return (r, errno, false)
            }
        }
        if !d.isPollable || (total == 0 && !d.isSocket) {
            while true {
                let (r, e, t) = readNow()
                if r >= 0 { return (r, t) }
                if e != EINTR { throw .errno(Errno(host: e)) }
            }
        }
        let nonblock = d.virtualFlags.contains(.nonblock)
        // MSG_WAITALL: wait until the whole request (or half the receive buffer, which
        // may be smaller than the request) is there, then take it in one go, so that
        // nothing is consumed by an execution that is then interrupted.
        var threshold = 0
        if waitAll {
            var rcvbuf: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            let half = getsockopt(d.hostFd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) == 0 ? Int(max(rcvbuf / 2, 1)) : 1
            threshold = min(total, half)
        }
        return try blocking(call, function) { () throws(WASIError) -> Attempt<(count: Int, truncated: Bool)> in
            var p = pollfd(fd: d.hostFd, events: Int16(POLLIN | hostPOLLRDHUP), revents: 0)
            if poll(&p, 1, 0) > 0 && p.revents != 0 {
                var take = true
                if threshold > 0 && Int32(p.revents) & (POLLHUP | POLLERR | POLLNVAL | hostPOLLRDHUP) == 0 {
                    var avail: Int32 = 0
                    if ioctl(d.hostFd, UInt(FIONREAD), &avail) == 0 && Int(avail) < threshold { take = false }
                }
                if take {
                    let (r, e, t) = readNow()
                    if r >= 0 { return .done((r, t)) }
                    if e != EAGAIN && e != EINTR { throw .errno(Errno(host: e)) }
                } else if !nonblock {
                    // Some data is there but not enough: poll would return at once, so
                    // sleep briefly instead (still woken by an interrupt).
                    return .wait(fds: [], deadline: Clock.monotonic + 5_000_000)
                }
            }
            if nonblock { throw .again }
            return .wait(fds: [pollfd(fd: d.hostFd, events: Int16(POLLIN), revents: 0)], deadline: nil)
        }
    }

    /// Writes `bufs`. Non-pollable descriptors are written directly. Pipes and
    /// terminals are written once poll() reports them writable, at most PIPE_BUF bytes
    /// per write (which then cannot block), as long as they stay writable; sockets with
    /// MSG_DONTWAIT. A short count is returned rather than waiting once something was
    /// written. Writing to a pipe without a reader is EPIPE, never SIGPIPE.
    func output(
        _ call: HostCall, _ d: Descriptor, _ mem: GuestMemory, _ bufs: [GuestMemory.Buffer], function: String
    ) throws(WASIError) -> Int {
        let total = bufs.reduce(0) { $0 + $1.count }
        if !d.isPollable {
            if !d.ownsFd && d.fileType == .regularFile && d.virtualFlags.contains(.append) {
                _ = lseek(d.hostFd, 0, SEEK_END)
            }
            let r = WASI.retrying { mem.withIOVecs(bufs) { writev(d.hostFd, $0, $1) } }
            if r < 0 { throw .host }
            return r
        }
        if total == 0 { return 0 }
        let nonblock = d.virtualFlags.contains(.nonblock)
        return try blocking(call, function) { () throws(WASIError) -> Attempt<Int> in
            if WASI.isReady(d.hostFd, POLLOUT) {
                var done = 0
                while done < total {
                    let chunk = d.isSocket ? total - done : min(Int(PIPE_BUF), total - done)
                    let part = WASI.slice(bufs, from: done, count: chunk)
                    let (r, e) = mem.withIOVecs(part) { iov, n -> (Int, Int32) in
                        if d.isSocket {
                            var msg = msghdr()
                            msg.msg_iov = iov
                            msg.msg_iovlen = Int(n)
                            let r = sendmsg(d.hostFd, &msg, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                            return (r, errno)
                        }
                        if d.isFIFO {
                            return WASI.suppressingSIGPIPE { writev(d.hostFd, iov, n) }
                        }
                        let r = writev(d.hostFd, iov, n)
                        return (r, errno)
                    }
                    if r > 0 {
                        done += r
                    } else if r < 0 && e != EAGAIN && e != EINTR {
                        if done > 0 { break }
                        throw .errno(Errno(host: e))
                    } else {
                        break
                    }
                    if done < total && !WASI.isReady(d.hostFd, POLLOUT) { break }
                }
                if done > 0 { return .done(done) }
            }
            if nonblock { throw .again }
            return .wait(fds: [pollfd(fd: d.hostFd, events: Int16(POLLOUT), revents: 0)], deadline: nil)
        }
    }

    /// The part `[from, from+count)` of the bytes named by `bufs`.
    static func slice(_ bufs: [GuestMemory.Buffer], from: Int, count: Int) -> [GuestMemory.Buffer] {
        var out: [GuestMemory.Buffer] = []
        var skip = from
        var left = count
        for b in bufs where left > 0 {
            if skip >= b.count {
                skip -= b.count
                continue
            }
            let n = min(b.count - skip, left)
            out.append(GuestMemory.Buffer(offset: b.offset + UInt64(skip), count: n))
            left -= n
            skip = 0
        }
        return out
    }

    /// Runs a write with SIGPIPE blocked in this thread and discards the SIGPIPE it
    /// raised, so that a guest writing to a closed pipe gets EPIPE and the embedding
    /// process is not killed.
    static func suppressingSIGPIPE(_ body: () -> Int) -> (Int, Int32) {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        var old = sigset_t()
        pthread_sigmask(SIG_BLOCK, &set, &old)
        var pending = sigset_t()
        sigpending(&pending)
        let wasPending = sigismember(&pending, SIGPIPE) == 1
        let r = body()
        let e = errno
        if r < 0 && e == EPIPE && !wasPending {
            var zero = timespec()
            while sigtimedwait(&set, nil, &zero) < 0 && errno == EINTR {}
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
        return (r, e)
    }

    // MARK: seek, tell, sync, advise, allocate, close

    func fdSeek(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), offset = Int64(bitPattern: call.i64(1)), whence = call.i32(2), out = call.i32(3)
        let mem = try GuestMemory(call)
        let d = try table.file(fd)
        guard whence <= 0xFF, let w = Whence(rawValue: UInt8(whence)) else { throw .inval }
        try d.require(w == .cur && offset == 0 ? .fdTell : .fdSeek)
        try mem.check(out, 8)
        let hostWhence: Int32 = switch w {
        case .set: SEEK_SET
        case .cur: SEEK_CUR
        case .end: SEEK_END
        }
        guard let off = off_t(exactly: offset) else { throw .inval }
        let r = lseek(d.hostFd, off, hostWhence)
        if r < 0 { throw .host }
        try mem.setU64(out, UInt64(r))
    }

    func fdTell(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), out = call.i32(1)
        let mem = try GuestMemory(call)
        let d = try table.file(fd)
        try d.require(.fdTell)
        try mem.check(out, 8)
        let r = lseek(d.hostFd, 0, SEEK_CUR)
        if r < 0 { throw .host }
        try mem.setU64(out, UInt64(r))
    }

    func fdSync(_ call: HostCall, data: Bool) throws(WASIError) {
        let d = try table.get(call.i32(0))
        try d.require(data ? .fdDatasync : .fdSync)
        let r = WASI.retrying { Int(data ? fdatasync(d.hostFd) : fsync(d.hostFd)) }
        if r < 0 { throw .host }
    }

    func fdAdvise(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), offset = call.i64(1), len = call.i64(2), advice = call.i32(3)
        let d = try table.file(fd)
        try d.require(.fdAdvise)
        guard advice <= 0xFF, let a = Advice(rawValue: UInt8(advice)) else { throw .inval }
        guard let off = off_t(exactly: offset), let n = off_t(exactly: len) else { throw .inval }
        let hostAdvice: Int32 = switch a {
        case .normal: POSIX_FADV_NORMAL
        case .sequential: POSIX_FADV_SEQUENTIAL
        case .random: POSIX_FADV_RANDOM
        case .willneed: POSIX_FADV_WILLNEED
        case .dontneed: POSIX_FADV_DONTNEED
        case .noreuse: POSIX_FADV_NOREUSE
        }
        let r = posix_fadvise(d.hostFd, off, n, hostAdvice)
        if r != 0 { throw .errno(Errno(host: r)) }
    }

    func fdAllocate(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), offset = call.i64(1), len = call.i64(2)
        let d = try table.file(fd)
        try d.require(.fdAllocate)
        guard let off = off_t(exactly: offset), let n = off_t(exactly: len) else { throw .inval }
        guard off <= off_t.max - n else { throw .fbig }
        var r: Int32
        repeat { r = posix_fallocate(d.hostFd, off, n) } while r == EINTR
        if r != 0 { throw .errno(Errno(host: r)) }
    }

    func fdClose(_ call: HostCall) throws(WASIError) {
        _ = try table.remove(call.i32(0))
    }

    // MARK: fdstat, filestat

    func fdFdstatGet(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), out = call.i32(1)
        let mem = try GuestMemory(call)
        let d = try table.get(fd)
        try mem.check(out, UInt64(Layout.fdstat))
        let (base, inheriting) = d.rights
        var w = StructWriter(size: Layout.fdstat)
        w.u8(0, d.fileType.rawValue)
        w.u16(2, WASI.flags(of: d).rawValue)
        w.u64(8, base.rawValue)
        w.u64(16, inheriting.rawValue)
        try mem.write(out, w.bytes)
    }

    /// The descriptor's fdflags: the host's APPEND/DSYNC/SYNC plus the virtual ones.
    static func flags(of d: Descriptor) -> FdFlags {
        var f = d.virtualFlags
        let host = fcntl(d.hostFd, F_GETFL)
        if host >= 0 {
            if host & O_APPEND != 0 { f.insert(.append) }
            if host & O_SYNC == O_SYNC {
                f.insert(.sync)
            } else if host & O_DSYNC != 0 {
                f.insert(.dsync)
            }
        }
        return f
    }

    /// APPEND is set with fcntl on descriptors the guest opened, and kept virtually on
    /// inherited ones (stdio) so the parent's open file description is not changed.
    /// NONBLOCK is always virtual (the host descriptor stays blocking). The
    /// synchronisation flags cannot be changed after opening on Linux: asking for a
    /// different set is ENOTSUP.
    func fdFdstatSetFlags(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), raw = call.i32(1)
        let d = try table.get(fd)
        guard raw <= 0xFFFF, FdFlags.all.isSuperset(of: FdFlags(rawValue: UInt16(raw))) else { throw .inval }
        let flags = FdFlags(rawValue: UInt16(raw))
        try d.require(.fdFdstatSetFlags)
        let syncFlags: FdFlags = [.dsync, .sync, .rsync]
        var current = WASI.flags(of: d).intersection(syncFlags)
        var wanted = flags.intersection(syncFlags)
        // Linux has O_RSYNC == O_SYNC, and SYNC implies DSYNC.
        if wanted.contains(.rsync) { wanted.remove(.rsync); wanted.insert(.sync) }
        if wanted.contains(.sync) { wanted.remove(.dsync) }
        if current.contains(.sync) { current.remove(.dsync) }
        guard wanted == current else { throw .notsup }
        let append = flags.contains(.append)
        if d.ownsFd {
            let host = fcntl(d.hostFd, F_GETFL)
            if host < 0 { throw .host }
            let new = (host & ~O_APPEND & ~O_NONBLOCK) | (append ? O_APPEND : 0)
            if new != host && fcntl(d.hostFd, F_SETFL, new) < 0 { throw .host }
        }
        d.state.withLock { s in
            if flags.contains(.nonblock) { s.virtualFlags.insert(.nonblock) } else { s.virtualFlags.remove(.nonblock) }
            if !d.ownsFd {
                if append { s.virtualFlags.insert(.append) } else { s.virtualFlags.remove(.append) }
            }
        }
    }

    /// Rights can only be dropped: asking for one the descriptor lacks is ENOTCAPABLE.
    func fdFdstatSetRights(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), base = Rights(rawValue: call.i64(1)), inheriting = Rights(rawValue: call.i64(2))
        let d = try table.get(fd)
        let ok = d.state.withLock { s -> Bool in
            guard s.base.isSuperset(of: base), s.inheriting.isSuperset(of: inheriting) else { return false }
            s.base = base
            s.inheriting = inheriting
            return true
        }
        guard ok else { throw .notcapable }
    }

    func fdFilestatGet(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), out = call.i32(1)
        let mem = try GuestMemory(call)
        let d = try table.get(fd)
        try d.require(.fdFilestatGet)
        try mem.check(out, UInt64(Layout.filestat))
        var st = stat()
        guard fstat(d.hostFd, &st) == 0 else { throw .host }
        try mem.write(out, WASI.filestat(st, socketType: d.isSocket ? d.fileType : nil))
    }

    /// A `$filestat` image.
    static func filestat(_ st: stat, socketType: FileType? = nil) -> [UInt8] {
        var w = StructWriter(size: Layout.filestat)
        w.u64(0, UInt64(st.st_dev))
        w.u64(8, UInt64(st.st_ino))
        w.u8(16, (socketType ?? fileType(mode: st.st_mode)).rawValue)
        w.u64(24, UInt64(st.st_nlink))
        w.u64(32, UInt64(max(0, st.st_size)))
        w.u64(40, nanoseconds(st.st_atim))
        w.u64(48, nanoseconds(st.st_mtim))
        w.u64(56, nanoseconds(st.st_ctim))
        return w.bytes
    }

    static func nanoseconds(_ ts: timespec) -> UInt64 {
        UInt64(max(0, ts.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, ts.tv_nsec))
    }

    static func fileType(mode: mode_t) -> FileType {
        switch mode & S_IFMT {
        case S_IFREG: .regularFile
        case S_IFDIR: .directory
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFLNK: .symbolicLink
        case S_IFSOCK: .socketStream
        default: .unknown
        }
    }

    func fdFilestatSetSize(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), size = call.i64(1)
        let d = try table.file(fd)
        try d.require(.fdFilestatSetSize)
        guard let n = off_t(exactly: size) else { throw .fbig }
        let r = WASI.retrying { Int(ftruncate(d.hostFd, n)) }
        if r < 0 { throw .host }
    }

    func fdFilestatSetTimes(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), atim = call.i64(1), mtim = call.i64(2), flags = call.i32(3)
        let d = try table.get(fd)
        try d.require(.fdFilestatSetTimes)
        var ts = try WASI.timespecs(atim, mtim, flags)
        if futimens(d.hostFd, &ts) != 0 { throw .host }
    }

    /// The two timespecs of utimensat/futimens for `$fstflags`.
    static func timespecs(_ atim: UInt64, _ mtim: UInt64, _ raw: UInt32) throws(WASIError) -> [timespec] {
        guard raw <= 0xFFFF, FstFlags.all.isSuperset(of: FstFlags(rawValue: UInt16(raw))) else { throw .inval }
        let f = FstFlags(rawValue: UInt16(raw))
        if f.contains([.atim, .atimNow]) || f.contains([.mtim, .mtimNow]) { throw .inval }
        let utimeNow = (1 << 30) - 1, utimeOmit = (1 << 30) - 2
        func spec(_ t: UInt64, set: Bool, now: Bool) -> timespec {
            if now { return timespec(tv_sec: 0, tv_nsec: utimeNow) }
            if !set { return timespec(tv_sec: 0, tv_nsec: utimeOmit) }
            return timespec(tv_sec: Int(t / 1_000_000_000), tv_nsec: Int(t % 1_000_000_000))
        }
        return [
            spec(atim, set: f.contains(.atim), now: f.contains(.atimNow)),
            spec(mtim, set: f.contains(.mtim), now: f.contains(.mtimNow)),
        ]
    }

    // MARK: prestat, readdir

    func fdPrestatGet(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), out = call.i32(1)
        let mem = try GuestMemory(call)
        let d = try table.get(fd)
        guard let name = d.preopenName else { throw .badf }
        var w = StructWriter(size: Layout.prestat)
        w.u8(0, 0)  // $preopentype dir
        w.u32(4, UInt32(name.count))
        try mem.write(out, w.bytes)
    }

    func fdPrestatDirName(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), ptr = call.i32(1), len = call.i32(2)
        let mem = try GuestMemory(call)
        let d = try table.get(fd)
        guard let name = d.preopenName else { throw .badf }
        guard Int(len) >= name.count else { throw .nametoolong }
        try mem.write(ptr, name)
    }

    /// fd_readdir: entries are numbered in the order the host lists them ("." and ".."
    /// included); an entry's `d_next` is its number + 1, which is the cookie that
    /// continues after it. The listing is taken at cookie 0 and kept for the following
    /// cookies. The buffer is filled completely: the last entry may be cut off, which
    /// tells wasi-libc to call again from that entry's cookie (with a bigger buffer if
    /// a single entry does not fit).
    func fdReaddir(_ call: HostCall) throws(WASIError) {
        let fd = call.i32(0), buf = call.i32(1), bufLen = call.i32(2), cookie = call.i64(3), out = call.i32(4)
        let mem = try GuestMemory(call)
        let d = try table.directory(fd)
        try d.require(.fdReaddir)
        try mem.check(buf, UInt64(bufLen))
        try mem.check(out, 4)
        var listing = d.state.withLock { $0.listing }
        if cookie == 0 || listing == nil {
            let fresh = try WASI.listDirectory(d.hostFd)
            d.state.withLock { $0.listing = fresh }
            listing = fresh
        }
        let entries = listing ?? []
        var bytes: [UInt8] = []
        if cookie < UInt64(entries.count) {
            var i = Int(cookie)
            while i < entries.count && bytes.count < Int(bufLen) {
                let e = entries[i]
                var w = StructWriter(size: Layout.dirent)
                w.u64(0, UInt64(i + 1))
                w.u64(8, e.inode)
                w.u32(16, UInt32(e.name.count))
                w.u8(20, e.type.rawValue)
                bytes.append(contentsOf: w.bytes)
                bytes.append(contentsOf: e.name)
                i += 1
            }
        }
        let used = min(bytes.count, Int(bufLen))
        try mem.write(buf, bytes.prefix(used))
        try mem.setU32(out, UInt32(used))
    }

    /// All names in the directory `fd` (read through a new descriptor of its own).
    static func listDirectory(_ fd: Int32) throws(WASIError) -> [DirectoryEntry] {
        let dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw .host }
        guard let dir = fdopendir(dfd) else {
            let e = errno
            close(dfd)
            throw .errno(Errno(host: e))
        }
        defer { closedir(dir) }
        var out: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let ent = readdir(dir) else {
                if errno != 0 { throw .host }
                break
            }
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            var type: FileType
            switch Int32(ent.pointee.d_type) {
            case Int32(DT_REG): type = .regularFile
            case Int32(DT_DIR): type = .directory
            case Int32(DT_LNK): type = .symbolicLink
            case Int32(DT_CHR): type = .characterDevice
            case Int32(DT_BLK): type = .blockDevice
            case Int32(DT_SOCK): type = .socketStream
            case Int32(DT_FIFO): type = .unknown
            default:
                var st = stat()
                let ok = withCString(name) { fstatat(dirfd(dir), $0, &st, AT_SYMLINK_NOFOLLOW) } == 0
                type = ok ? fileType(mode: st.st_mode) : .unknown
            }
            out.append(DirectoryEntry(name: name, inode: UInt64(ent.pointee.d_ino), type: type))
        }
        return out
    }
}
