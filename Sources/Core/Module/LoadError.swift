/// Why a module could not be loaded. `malformed` is a decoding error (the bytes
/// are not a module), `invalid` a validation error (spec §3), `unsupported` a valid
/// module that this build or its limits cannot run.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case malformed, invalid, unsupported }

    public var kind: Kind
    public var message: String
    /// Byte offset in the module where the problem was found, if known.
    public var offset: Int?

    public init(_ kind: Kind, _ message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public static func malformed(_ message: String, at offset: Int? = nil) -> LoadError {
        LoadError(.malformed, message, offset: offset)
    }

    public static func invalid(_ message: String, at offset: Int? = nil) -> LoadError {
        LoadError(.invalid, message, offset: offset)
    }

    public var description: String {
        let kindText: String
        switch kind {
        case .malformed: kindText = "malformed module"
        case .invalid: kindText = "invalid module"
        case .unsupported: kindText = "unsupported module"
        }
        if let offset {
            return "\(kindText): \(message) (at byte 0x\(String(offset, radix: 16)))"
        }
        return "\(kindText): \(message)"
    }
}
