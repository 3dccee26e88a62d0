/// A JSON value (RFC 8259), as read by `JSON.parse`.
///
/// Numbers keep their literal text: spec scripts hold 64-bit integers that a `Double`
/// would round, and callers convert with the integer type they need.
enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number as written, e.g. "18446744073709551615" or "-1.5e3".
    case number(String)
    case string(String)
    case array([JSON])
    /// The members in document order; keys are unique.
    case object([Member])

    /// One `"key": value` of an object.
    struct Member: Equatable, Sendable {
        var key: String
        var value: JSON
    }

    /// The value of member `key` of an object; nil for a missing key or a non-object.
    subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// A number written as an integer that fits in `Int`.
    var intValue: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }
}

/// Why a text is not JSON, and where.
struct JSONError: Error, Equatable, CustomStringConvertible {
    /// Offset of the offending byte from the start of the input (0-based).
    var offset: Int
    var message: String

    var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSON {
    /// Deepest nesting of arrays and objects `parse` accepts. The parser recurses,
    /// so the cap keeps hostile input from overflowing the stack.
    static let maxDepth = 512

    /// Parses UTF-8 JSON text strictly: exactly one value, with only whitespace around
    /// it (a leading byte order mark is allowed); no comments, no trailing commas, no
    /// invalid UTF-8, no unpaired surrogates, no duplicate keys.
    static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSON {
        var p = JSONParser(bytes: bytes)
        return try p.document()
    }

    /// Parses `text` (see `parse(_:)` for bytes).
    static func parse(_ text: String) throws(JSONError) -> JSON {
        try parse(Array(text.utf8))
    }
}

extension JSON: CustomStringConvertible {
    /// The value as JSON text on one line (strings escaped), for messages.
    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let text): return text
        case .string(let s): return JSON.quote(s)
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let m): return "{" + m.map { JSON.quote($0.key) + ": " + $0.value.description }.joined(separator: ", ") + "}"
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

/// A recursive-descent parser over the bytes; `i` is the next byte to read.
private struct JSONParser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(JSONError) -> JSON {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        skipSpace()
        let v = try value()
        skipSpace()
        guard i == bytes.count else { throw unexpected("after the value") }
        return v
    }

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 }
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONError {
        JSONError(offset: offset ?? i, message: message)
    }

    /// "unexpected 'x' <context>" for the byte at `i`, or the end of input.
    private func unexpected(_ context: String) -> JSONError {
        guard let b = peek else { return error("unexpected end of input \(context)") }
        let shown = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
        return error("unexpected \(shown) \(context)")
    }

    private mutating func expect(_ b: UInt8, _ context: String) throws(JSONError) {
        guard peek == b else { throw unexpected(context) }
        i += 1
    }

    private mutating func value() throws(JSONError) -> JSON {
        guard let b = peek else { throw unexpected("where a value should start") }
        switch b {
        case UInt8(ascii: "{"):
            try enter()
            defer { depth -= 1 }
            return try object()
        case UInt8(ascii: "["):
            try enter()
            defer { depth -= 1 }
            return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw unexpected("where a value should start")
        }
    }

    private mutating func enter() throws(JSONError) {
        guard depth < JSON.maxDepth else { throw error("nested deeper than \(JSON.maxDepth) levels") }
        depth += 1
    }

    private mutating func literal(_ word: String, _ v: JSON) throws(JSONError) -> JSON {
        let start = i
        for b in word.utf8 {
            guard peek == b else { throw error("invalid literal (expected \(word))", at: start) }
            i += 1
        }
        return v
    }

    private mutating func object() throws(JSONError) -> JSON {
        i += 1  // {
        var members: [JSON.Member] = []
        // Large objects check duplicates with a set; small ones (the usual) by a scan.
        var keys = Set<String>()
        skipSpace()
        if peek == UInt8(ascii: "}") {
            i += 1
            return .object(members)
        }
        while true {
            skipSpace()
            let keyOffset = i
            guard peek == UInt8(ascii: "\"") else { throw unexpected("where a key (a string) should be") }
            let key = try string()
            let duplicate: Bool
            if members.count < 16 {
                duplicate = members.contains { $0.key == key }
            } else {
                if keys.isEmpty { keys = Set(members.map(\.key)) }
                duplicate = !keys.insert(key).inserted
            }
            guard !duplicate else { throw error("duplicate key \(JSON.string(key))", at: keyOffset) }
            skipSpace()
            try expect(UInt8(ascii: ":"), "after a key (expected ':')")
            skipSpace()
            members.append(JSON.Member(key: key, value: try value()))
            skipSpace()
            if peek == UInt8(ascii: ",") {
                i += 1
                continue
            }
            try expect(UInt8(ascii: "}"), "in an object (expected ',' or '}')")
            return .object(members)
        }
    }

    private mutating func array() throws(JSONError) -> JSON {
        i += 1  // [
        var elements: [JSON] = []
        skipSpace()
        if peek == UInt8(ascii: "]") {
            i += 1
            return .array(elements)
        }
        while true {
            skipSpace()
            elements.append(try value())
            skipSpace()
            if peek == UInt8(ascii: ",") {
                i += 1
                continue
            }
            try expect(UInt8(ascii: "]"), "in an array (expected ',' or ']')")
            return .array(elements)
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func number() throws(JSONError) -> String {
        let start = i
        if peek == UInt8(ascii: "-") { i += 1 }
        if peek == UInt8(ascii: "0") {
            i += 1
            if let b = peek, isDigit(b) { throw error("leading zero in a number", at: i - 1) }
        } else {
            try digits("in a number")
        }
        if peek == UInt8(ascii: ".") {
            i += 1
            try digits("after a decimal point")
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            try digits("in an exponent")
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// One or more decimal digits.
    private mutating func digits(_ context: String) throws(JSONError) {
        guard let b = peek, isDigit(b) else { throw unexpected("\(context) (expected a digit)") }
        while let b = peek, isDigit(b) { i += 1 }
    }

    /// A string from its opening quote. Escapes are decoded; other bytes must be valid
    /// UTF-8 and are kept as they are (a raw U+FEFF too).
    private mutating func string() throws(JSONError) -> String {
        i += 1  // "
        var out: [UInt8] = []
        var run = i  // start of the bytes not yet copied to `out`
        while true {
            guard let b = peek else { throw error("unterminated string") }
            switch b {
            case UInt8(ascii: "\""):
                out += bytes[run..<i]
                i += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                out += bytes[run..<i]
                try escape(into: &out)
                run = i
            case 0..<0x20:
                throw error("control character 0x\(String(b, radix: 16)) in a string (must be escaped)")
            case 0x20..<0x80:
                i += 1
            default:
                try utf8Sequence()
            }
        }
    }

    /// The escape at `i` (a backslash), decoded and appended as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(JSONError) {
        let start = i
        i += 1
        guard let c = peek else { throw error("unterminated string") }
        i += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var v = try hex4()
            if v >= 0xDC00 && v <= 0xDFFF {
                throw error("unpaired low surrogate \\u\(String(v, radix: 16))", at: start)
            }
            if v >= 0xD800 && v <= 0xDBFF {
                // UTF-16 for a scalar above U+FFFF: the low half must follow at once.
                guard peek == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired high surrogate \\u\(String(v, radix: 16))", at: start)
                }
                i += 2
                let low = try hex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error("unpaired high surrogate \\u\(String(v, radix: 16))", at: start)
                }
                v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(v) else { throw error("invalid escape", at: start) }
            UTF8.encode(scalar) { out.append($0) }
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(c)))'", at: start)
        }
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek else { throw error("unterminated \\u escape") }
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw unexpected("in a \\u escape (expected 4 hex digits)")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    /// Steps over one well-formed UTF-8 sequence of 2-4 bytes at `i` (Unicode 15,
    /// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    private mutating func utf8Sequence() throws(JSONError) {
        let start = i
        let lead = bytes[i]
        let count: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF  // range of the second byte
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0: count = 3; low = 0xA0
        case 0xED: count = 3; high = 0x9F
        case 0xE1...0xEF: count = 3
        case 0xF0: count = 4; low = 0x90
        case 0xF4: count = 4; high = 0x8F
        case 0xF1...0xF3: count = 4
        default: throw error("invalid UTF-8 (byte 0x\(String(lead, radix: 16)))")
        }
        i += 1
        for k in 1..<count {
            guard let b = peek, b >= (k == 1 ? low : 0x80), b <= (k == 1 ? high : 0xBF) else {
                throw error("invalid UTF-8 sequence", at: start)
            }
            i += 1
        }
    }
}
