/// A bounds-checked cursor over module bytes. Every read checks the end and
/// throws `LoadError.malformed`; nothing here traps on hostile input.
public struct ByteReader {
    /// The whole buffer; offsets index into it, also for readers limited to a section.
    public let bytes: [UInt8]
    /// Index in `bytes` of the next byte to read; doubles as the error position.
    public private(set) var offset: Int
    /// Reading stops here (the end of the current section or body).
    public var end: Int

    /// Starts at `offset` and reads up to `end` (nil: the end of `bytes`; an `end`
    /// past the buffer is clamped to it).
    public init(bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = Swift.min(end ?? bytes.count, bytes.count)
    }

    /// Whether no byte is left before `end`.
    public var isAtEnd: Bool { offset >= end }
    /// The number of bytes left before `end` (never negative).
    public var remaining: Int { Swift.max(0, end - offset) }

    /// Reads one byte; throws `malformed` ("unexpected end") at `end`.
    @inline(__always)
    public mutating func readByte() throws(LoadError) -> UInt8 {
        guard offset < end else { throw .malformed("unexpected end", at: offset) }
        let b = bytes[offset]
        offset += 1
        return b
    }

    /// The next byte, without consuming it; throws `malformed` at `end`.
    public func peekByte() throws(LoadError) -> UInt8 {
        guard offset < end else { throw .malformed("unexpected end", at: offset) }
        return bytes[offset]
    }

    /// Consumes `count` bytes and returns their range in `bytes` (no copy); throws
    /// `malformed` if fewer than `count` are left or `count` is negative.
    public mutating func readBytes(_ count: Int) throws(LoadError) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw .malformed("unexpected end", at: offset) }
        let r = offset..<(offset + count)
        offset += count
        return r
    }

    /// Moves the cursor to `newOffset`, e.g. past a section read by a sub-reader.
    /// Not checked: a later read beyond `end` throws instead.
    public mutating func skip(to newOffset: Int) {
        offset = newOffset
    }

    /// Unsigned LEB128 of at most `bits` bits (spec §5.2.2): overlong encodings and
    /// unused bits set in the last byte are malformed.
    @inline(__always)
    public mutating func readUnsigned(bits: Int) throws(LoadError) -> UInt64 {
        var result: UInt64 = 0
        var shift = 0
        let start = offset
        while true {
            let b = try readByte()
            let payload = UInt64(b & 0x7F)
            if shift + 7 > bits {
                // Last permitted byte: the continuation bit and the bits above `bits` must be clear.
                let allowed = bits - shift
                if b & 0x80 != 0 {
                    throw .malformed("integer representation too long", at: start)
                }
                if allowed < 7 && payload >> UInt64(allowed) != 0 {
                    throw .malformed("integer too large", at: start)
                }
            }
            result |= payload << UInt64(shift)
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Signed LEB128 of at most `bits` bits; the unused bits of the last byte must
    /// be a sign extension.
    @inline(__always)
    public mutating func readSigned(bits: Int) throws(LoadError) -> Int64 {
        var result: Int64 = 0
        var shift = 0
        let start = offset
        while true {
            let b = try readByte()
            let payload = Int64(b & 0x7F)
            if shift + 7 >= bits {
                let allowed = bits - shift  // 1...7 bits of the payload are value bits
                if b & 0x80 != 0 {
                    throw .malformed("integer representation too long", at: start)
                }
                if allowed < 7 {
                    // Bits [allowed-1 ..< 7) must all equal the sign bit.
                    let signAndUnused = payload >> Int64(allowed - 1)
                    let mask: Int64 = (1 << Int64(8 - allowed)) - 1
                    if signAndUnused != 0 && signAndUnused != mask {
                        throw .malformed("integer too large", at: start)
                    }
                }
            }
            result |= payload << Int64(shift)
            shift += 7
            if b & 0x80 == 0 {
                if shift < 64 && (b & 0x40) != 0 {
                    result |= -1 << Int64(shift)
                }
                return result
            }
        }
    }

    /// A `u32` in unsigned LEB128 (at most 5 bytes).
    public mutating func readU32() throws(LoadError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readUnsigned(bits: 32))
    }

    /// An `i32` in signed LEB128 (at most 5 bytes).
    public mutating func readS32() throws(LoadError) -> Int32 {
        Int32(truncatingIfNeeded: try readSigned(bits: 32))
    }

    /// An `s33` in signed LEB128: the type-index form of a block type (spec §5.4.1).
    public mutating func readS33() throws(LoadError) -> Int64 {
        try readSigned(bits: 33)
    }

    /// An `i64` in signed LEB128 (at most 10 bytes).
    public mutating func readS64() throws(LoadError) -> Int64 {
        try readSigned(bits: 64)
    }

    /// Four bytes as a little-endian `UInt32` (an `f32` bit pattern, the magic, the version).
    public mutating func readFixed32() throws(LoadError) -> UInt32 {
        let r = try readBytes(4)
        var v: UInt32 = 0
        for i in r.reversed() { v = v << 8 | UInt32(bytes[i]) }
        return v
    }

    /// Eight bytes as a little-endian `UInt64` (an `f64` bit pattern).
    public mutating func readFixed64() throws(LoadError) -> UInt64 {
        let r = try readBytes(8)
        var v: UInt64 = 0
        for i in r.reversed() { v = v << 8 | UInt64(bytes[i]) }
        return v
    }

    /// A vector length, checked against the bytes left so that a hostile count
    /// cannot make the caller reserve huge arrays (every element takes >= 1 byte).
    public mutating func readCount() throws(LoadError) -> Int {
        let start = offset
        let n = Int(try readU32())
        guard n <= remaining else { throw .malformed("length out of bounds", at: start) }
        return n
    }

    /// A name (spec §5.2.4): a length-prefixed UTF-8 string, validated.
    public mutating func readName() throws(LoadError) -> String {
        let start = offset
        let len = Int(try readU32())
        guard len <= remaining else { throw .malformed("unexpected end", at: start) }
        let r = try readBytes(len)
        guard let s = String(validating: bytes[r], as: UTF8.self) else {
            throw .malformed("malformed UTF-8 encoding", at: start)
        }
        return s
    }

    /// A value type; `exnref` only with the exceptions feature, `v128` only with SIMD.
    public mutating func readValueType(_ features: Features = .default) throws(LoadError) -> ValueType {
        let at = offset
        let b = try readByte()
        guard let t = ValueType(rawValue: b), t.isEnabled(by: features) else {
            throw .malformed("malformed value type 0x\(String(b, radix: 16))", at: at)
        }
        return t
    }
}
