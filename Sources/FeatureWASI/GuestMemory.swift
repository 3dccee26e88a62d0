#if canImport(Glibc)
import Glibc
#endif
import RewasmCore

/// Bounds-checked access to the caller's memory 0. Every guest pointer and length is
/// checked (overflow-safe, in 64-bit arithmetic) before use; a bad one is EFAULT.
struct GuestMemory {
    let memory: Memory

    init(_ call: HostCall) throws(WASIError) {
        guard let m = call.memory else { throw .fault }
        memory = m
    }

    /// Throws EFAULT unless `[ptr, ptr+count)` is inside the memory.
    func check(_ ptr: UInt32, _ count: UInt64) throws(WASIError) {
        guard memory.contains(offset: UInt64(ptr), count: count) else { throw .fault }
    }

    func bytes(_ ptr: UInt32, _ count: UInt32) throws(WASIError) -> [UInt8] {
        guard let b = memory.read(offset: UInt64(ptr), count: Int(count)) else { throw .fault }
        return b
    }

    func write(_ ptr: UInt32, _ bytes: some Collection<UInt8>) throws(WASIError) {
        guard memory.write(offset: UInt64(ptr), bytes: bytes) else { throw .fault }
    }

    func setU32(_ ptr: UInt32, _ v: UInt32) throws(WASIError) {
        guard memory.storeU32(offset: UInt64(ptr), v) else { throw .fault }
    }

    func setU64(_ ptr: UInt32, _ v: UInt64) throws(WASIError) {
        guard memory.storeU64(offset: UInt64(ptr), v) else { throw .fault }
    }

    /// The longest path accepted (Linux's PATH_MAX less the NUL).
    static let maxPathLength: UInt32 = 4095

    /// A path or other string argument: EFAULT out of bounds, ENAMETOOLONG beyond
    /// `maxPathLength` (as the host would say), EINVAL with a NUL byte (it would cut the
    /// host path short), EILSEQ if not UTF-8 (as wasmtime).
    func path(_ ptr: UInt32, _ len: UInt32) throws(WASIError) -> [UInt8] {
        try check(ptr, UInt64(len))
        guard len <= GuestMemory.maxPathLength else { throw .nametoolong }
        let b = try bytes(ptr, len)
        if b.contains(0) { throw .inval }
        guard String(validating: b, as: UTF8.self) != nil else { throw .ilseq }
        return b
    }

    /// A guest buffer: offset and length, already bounds-checked.
    struct Buffer {
        var offset: UInt64
        var count: Int
    }

    /// Reads and checks an array of `$iovec`/`$ciovec` (buf: u32, len: u32). The whole
    /// array must be in bounds; at most IOV_MAX (1024) buffers and 2^31-1 bytes in total
    /// are used (a short transfer, as POSIX allows), and each used buffer is checked.
    func iovecs(_ ptr: UInt32, _ count: UInt32) throws(WASIError) -> [Buffer] {
        try check(ptr, UInt64(count) * UInt64(Layout.iovec))
        let used = min(Int(count), 1024)
        let raw = try bytes(ptr, UInt32(used * Layout.iovec))
        var out: [Buffer] = []
        out.reserveCapacity(used)
        var total = 0
        let limit = Int(Int32.max)
        for i in 0..<used {
            let o = i * Layout.iovec
            let buf = UInt32(raw[o]) | UInt32(raw[o + 1]) << 8 | UInt32(raw[o + 2]) << 16 | UInt32(raw[o + 3]) << 24
            let len = UInt32(raw[o + 4]) | UInt32(raw[o + 5]) << 8 | UInt32(raw[o + 6]) << 16 | UInt32(raw[o + 7]) << 24
            try check(buf, UInt64(len))
            let n = min(Int(len), limit - total)
            total += n
            out.append(Buffer(offset: UInt64(buf), count: n))
        }
        return out
    }

    /// Calls `body` with host `iovec`s pointing into the memory (valid only inside
    /// `body`). `errno` as `body` left it is kept.
    func withIOVecs<R>(_ buffers: [Buffer], _ body: (UnsafeMutablePointer<iovec>, Int32) -> R) -> R {
        let (result, savedErrno) = memory.withUnsafeMutableBytes { raw -> (R, Int32) in
            var iovs = buffers.map { b -> iovec in
                let p = raw.baseAddress.map { $0 + Int(b.offset) }
                return iovec(iov_base: b.count == 0 ? nil : p, iov_len: b.count)
            }
            let n = Int32(iovs.count)
            return iovs.withUnsafeMutableBufferPointer { p -> (R, Int32) in
                guard let base = p.baseAddress else {
                    var empty = iovec(iov_base: nil, iov_len: 0)
                    let r = body(&empty, 0)
                    return (r, errno)
                }
                let r = body(base, n)
                return (r, errno)
            }
        }
        errno = savedErrno
        return result
    }

    /// Calls `body` with a pointer to the checked range `[ptr, ptr+count)`.
    func withBytes<R>(_ ptr: UInt32, _ count: UInt32, _ body: (UnsafeMutableRawPointer?) -> R) throws(WASIError) -> R {
        try check(ptr, UInt64(count))
        return memory.withUnsafeMutableBytes { raw in
            body(raw.baseAddress.map { $0 + Int(ptr) })
        }
    }
}

/// Builds a little-endian struct image to copy into guest memory in one piece.
struct StructWriter {
    var bytes: [UInt8]

    init(size: Int) { bytes = [UInt8](repeating: 0, count: size) }

    mutating func u8(_ at: Int, _ v: UInt8) { bytes[at] = v }

    mutating func u16(_ at: Int, _ v: UInt16) {
        bytes[at] = UInt8(truncatingIfNeeded: v)
        bytes[at + 1] = UInt8(truncatingIfNeeded: v >> 8)
    }

    mutating func u32(_ at: Int, _ v: UInt32) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
    }

    mutating func u64(_ at: Int, _ v: UInt64) {
        for i in 0..<8 { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
    }
}
