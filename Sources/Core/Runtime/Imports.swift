/// An entity an import can be satisfied with, or an export refers to.
public enum Extern: Sendable {
    /// A wasm or host function.
    case function(Function)
    /// A table.
    case table(Table)
    /// A linear memory.
    case memory(Memory)
    /// A global.
    case global(Global)
    /// Exception handling.
    case tag(Tag)

    /// The kind of entity, as imports and exports name it.
    public var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

/// A name compared by its exact UTF-8 bytes: wasm names are byte strings, and
/// Swift's `String ==` would equate canonically equivalent names.
struct ExactName: Hashable {
    let utf8: [UInt8]
    init(_ s: String) { utf8 = Array(s.utf8) }
}

/// Named entities for linking: `module.name` -> entity. Registering an instance
/// makes all its exports importable under a module name.
public final class Imports: @unchecked Sendable {
    private var entries: [ExactName: [ExactName: Extern]] = [:]
    private var fallbacks: [(String, String, ImportDescriptor) -> Extern?] = []

    /// An empty set of definitions. Not synchronized: fill it in before instantiating
    /// from several threads.
    public init() {}

    /// Makes `extern` importable as `module.name`, replacing any earlier definition.
    /// Names are compared byte for byte.
    public func define(_ module: String, _ name: String, _ extern: Extern) {
        entries[ExactName(module), default: [:]][ExactName(name)] = extern
    }

    /// Makes every export of `instance` importable as `module.<export name>`.
    public func register(_ module: String, instance: Instance) {
        for (name, e) in instance.exports { define(module, name, e) }
    }

    /// Adds a resolver asked for imports that no definition satisfies (features use it
    /// to provide entities on demand, e.g. the shared memory a threaded module imports).
    public func addResolver(_ resolve: @escaping (String, String, ImportDescriptor) -> Extern?) {
        fallbacks.append(resolve)
    }

    /// The definition of `module.name`, or nil; resolvers are not asked (see `resolve`).
    public func lookup(_ module: String, _ name: String) -> Extern? {
        entries[ExactName(module)]?[ExactName(name)]
    }

    /// The entity that satisfies `i`: a definition, or what a resolver provides.
    public func resolve(_ i: Import) -> Extern? {
        if let e = lookup(i.module, i.name) { return e }
        for f in fallbacks { if let e = f(i.module, i.name, i.descriptor) { return e } }
        return nil
    }
}
