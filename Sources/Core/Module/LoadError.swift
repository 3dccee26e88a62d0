/// Why a module could not be loaded. `malformed` is a decoding error (the bytes
/// are not a module), `invalid` a validation error (spec §3), `unsupported` a valid
/// module that this build or its limits cannot run.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    /// The class of the error; it decides the `description` prefix.
    public enum Kind: Sendable, Equatable {
        /// The bytes do not decode as a module (spec §5, binary format).
        case malformed
        /// The module decodes but fails validation (spec §3).
        case invalid
        /// A module rewasm cannot run: legacy exception handling, or a function with too
        /// many locals or too large a frame.
        case unsupported
    }

    /// Which of the three kinds of error this is.
    public var kind: Kind
    /// What is wrong, in the spec test suite's wording where one exists (e.g.
    /// "unexpected end", "type mismatch").
    public var message: String
    /// Byte offset in the module where the problem was found, if known.
    public var offset: Int?

    /// An error of `kind`; `offset` is the byte position in the module, nil if unknown.
    public init(_ kind: Kind, _ message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    /// A decoding error at byte `offset` (nil: unknown).
    public static func malformed(_ message: String, at offset: Int? = nil) -> LoadError {
        LoadError(.malformed, message, offset: offset)
    }

    /// A validation error at byte `offset` (nil: unknown).
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
