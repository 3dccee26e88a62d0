import RewasmCore

/// `rewasm spectest PATH...`: runs spec tests converted to JSON by wast2json or by
/// `wasm-tools json-from-wast` (see ../shared/spectest/README.md); both dialects are read.
/// Every command except `register` and `module_definition` counts as one test; text
/// modules without a binary and the custom-annotation assertions are skipped. A command
/// or value form the runner cannot check counts as failed, with the reason.
enum SpecTestCommand {
    struct Counts {
        var passed = 0
        var failed = 0
        var skipped = 0
        /// Assertions of a Wasm 1.0 rule that 2.0 lifted (the threads suite's "multiple
        /// tables"): reported on their own line, neither passed nor failed.
        var obsolete = 0
    }

    static func main(_ argv: [String]) throws -> Int32 {
        var configuration = Configuration()
        var paths: [String] = []
        var quiet = false
        var it = argv.makeIterator()
        while let a = it.next() {
            switch a {
            case "--torture-restart":
                guard let v = it.next() else { throw UsageError("--torture-restart needs a value") }
                configuration.tortureRestartInterval = try Parse.count(v, option: a)
            case "--quiet", "-q":
                quiet = true
            case "--fuel":
                // Every module metered, with fuel that never runs out: the fuel
                // instructions must change no result.
                configuration.fuel = .max
            case "--features":
                guard let v = it.next() else { throw UsageError("--features needs a value") }
                configuration.features = try Parse.features(v)
            default:
                if a.hasPrefix("-") { throw UsageError("unknown option '\(a)'") }
                paths.append(a)
            }
        }
        guard !paths.isEmpty else {
            throw UsageError("usage: rewasm spectest [--features wasm2|wasm3|LIST] [--torture-restart N] [--fuel] PATH...")
        }
        var files: [String] = []
        for p in paths {
            guard let isDirectory = System.isDirectory(p) else { throw UsageError("no such file: \(p)") }
            if isDirectory {
                let names = (try? System.listDirectory(p)) ?? []
                files += names.filter { $0.hasSuffix(".json") }.sorted().map { Path.join(p, $0) }
            } else {
                files.append(p)
            }
        }
        var total = Counts()
        for f in files {
            var file = SpecTestFile(path: f, configuration: configuration, quiet: quiet)
            let c = file.run()
            total.passed += c.passed
            total.failed += c.failed
            total.skipped += c.skipped
            total.obsolete += c.obsolete
        }
        print("\(total.skipped) skipped (text-format modules, custom annotations)")
        if total.obsolete > 0 {
            print("\(total.obsolete) not counted (Wasm 1.0 'multiple tables' rule, lifted by 2.0)")
        }
        print("\(total.passed) passed, \(total.failed) failed")
        return total.failed == 0 ? 0 : 1
    }
}

struct SpecTestFile {
    let path: String
    let configuration: Configuration
    let quiet: Bool
    let directory: String
    let runtime: Runtime
    let context: ExecutionContext
    let imports = Imports()
    var named: [String: Instance] = [:]
    var current: Instance?
    /// `module_definition`s (wasm-tools dialect): validated, instantiated on demand.
    var definitions: [String: Module] = [:]
    var lastDefinition: Module?
    var counts = SpecTestCommand.Counts()

    init(path: String, configuration: Configuration, quiet: Bool) {
        self.path = path
        self.configuration = configuration
        self.quiet = quiet
        directory = Path.directory(of: path)
        runtime = Runtime(configuration: configuration)
        context = ExecutionContext(runtime: runtime)
        registerSpectestModule()
    }

    private func registerSpectestModule() {
        let r = runtime
        let printTypes: [(String, [ValueType])] = [
            ("print", []), ("print_i32", [.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]),
            ("print_f64", [.f64]), ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64]),
        ]
        for (name, params) in printTypes {
            imports.define("spectest", name, .function(r.hostFunction(type: FuncType(params: params, results: [])) { _ in }))
        }
        imports.define("spectest", "global_i32", .global(Global(type: GlobalType(valueType: .i32, isMutable: false), value: .i32(666), runtime: r)))
        imports.define("spectest", "global_i64", .global(Global(type: GlobalType(valueType: .i64, isMutable: false), value: .i64(666), runtime: r)))
        imports.define("spectest", "global_f32", .global(Global(type: GlobalType(valueType: .f32, isMutable: false), value: .f32(0x4426_A666), runtime: r)))
        imports.define("spectest", "global_f64", .global(Global(type: GlobalType(valueType: .f64, isMutable: false), value: .f64(0x4084_D4CC_CCCC_CCCD), runtime: r)))
        // Table and memory come from a tiny module so they are ordinary instances' entities.
        // (module (table (export "table") 10 20 funcref) (memory (export "memory") 1 2))
        var bytes: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
        bytes += [4, 5, 1, 0x70, 1, 10, 20]  // table section
        bytes += [5, 4, 1, 1, 1, 2]  // memory section
        bytes += [7, 18, 2, 5] + Array("table".utf8) + [1, 0] + [6] + Array("memory".utf8) + [2, 0]
        #if Threads
        if let shared = Memory(type: MemoryType(limits: Limits(min: 1, max: 2, shared: true)), runtime: r) {
            imports.define("spectest", "shared_memory", .memory(shared))
        }
        #endif
        if let m = try? Module(bytes: bytes, configuration: runtime.configuration), let i = try? runtime.instantiate(m) {
            imports.register("spectest", instance: i)
        }
        // 3.0: (table (export "table64") i64 10 20 funcref)
        var t64: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
        t64 += [4, 5, 1, 0x70, 5, 10, 20]
        t64 += [7, 11, 1, 7] + Array("table64".utf8) + [1, 0]
        if let m = try? Module(bytes: t64, features: .memory64, fuel: runtime.configuration.fuel != nil),
           let i = try? runtime.instantiate(m),
           let t = i.table("table64") {
            imports.define("spectest", "table64", .table(t))
        }
    }

    mutating func run() -> SpecTestCommand.Counts {
        let commands: [JSON]
        do {
            let json = try JSON.parse(try System.readFile(path))
            guard let list = json["commands"]?.arrayValue else { throw JSONError(offset: 0, message: "no \"commands\" array") }
            commands = list
        } catch {
            fail(0, "cannot read JSON: \(error)")
            return counts
        }
        for c in commands {
            step(c)
        }
        return counts
    }

    private mutating func pass() { counts.passed += 1 }

    private mutating func fail(_ line: Int, _ message: String) {
        counts.failed += 1
        if !quiet { print("\(path):\(line): \(message)") }
    }

    /// The module file a command names: its binary (wasm-tools gives text modules that
    /// encode a `binary_filename` too), or nil for a text-only module.
    private func binaryFile(_ c: JSON) -> String? {
        if c["module_type"]?.stringValue == "text" { return c["binary_filename"]?.stringValue }
        return c["filename"]?.stringValue
    }

    private mutating func step(_ c: JSON) {
        let type = c["type"]?.stringValue ?? ""
        let line = c["line"]?.intValue ?? 0
        let filename = binaryFile(c)
        switch type {
        case "module":
            guard let filename else {
                if c["module_type"]?.stringValue == "text" { counts.skipped += 1; current = nil; return }
                return fail(line, "module without filename")
            }
            do {
                let m = try load(filename)
                let i = try runtime.instantiate(m, imports: imports, context: context)
                current = i
                if let n = c["name"]?.stringValue { named[n] = i }
                pass()
            } catch {
                current = nil
                fail(line, "module failed: \(error)")
            }
        case "module_definition":
            guard let filename else { return fail(line, "module_definition without a binary") }
            do {
                let m = try load(filename)
                lastDefinition = m
                if let n = c["name"]?.stringValue { definitions[n] = m }
            } catch {
                fail(line, "module_definition failed: \(error)")
            }
        case "module_instance":
            let definition = c["module"]?.stringValue.flatMap { definitions[$0] } ?? lastDefinition
            guard let definition else { return fail(line, "module_instance: no such definition") }
            do {
                let i = try runtime.instantiate(definition, imports: imports, context: context)
                current = i
                if let n = c["instance"]?.stringValue { named[n] = i }
                pass()
            } catch {
                current = nil
                fail(line, "module_instance failed: \(error)")
            }
        case "register":
            let name = c["name"]?.stringValue
            guard let as_ = c["as"]?.stringValue, let inst = name.flatMap({ named[$0] }) ?? current else {
                return fail(line, "register: no such module")
            }
            imports.register(as_, instance: inst)
        case "action":
            guard let action = c["action"] else { return fail(line, "bad action") }
            switch perform(action) {
            case .success: pass()
            case .failure(let e): fail(line, "action failed: \(e)")
            }
        case "assert_return":
            guard let action = c["action"] else { return fail(line, "bad action") }
            let expected = c["expected"]?.arrayValue ?? []
            switch perform(action) {
            case .success(let results):
                if results.count == expected.count && zip(results, expected).allSatisfy({ matches($0, $1) }) {
                    pass()
                } else {
                    fail(line, "assert_return: got \(results), expected \(JSON.array(expected.map { $0["value"] ?? $0["type"] ?? .string("?") }))")
                }
            case .failure(let e):
                fail(line, "assert_return: \(e)")
            }
        case "assert_trap", "assert_exhaustion":
            guard let action = c["action"] else { return fail(line, "bad action") }
            switch perform(action) {
            case .success(let r): fail(line, "\(type): expected trap '\(c["text"]?.stringValue ?? "")', got \(r)")
            case .failure(let e):
                if case .trap = e.kind { pass() } else { fail(line, "\(type): expected trap, got \(e)") }
            }
        case "assert_exception":
            guard let action = c["action"] else { return fail(line, "bad action") }
            switch perform(action) {
            case .success(let r): fail(line, "assert_exception: expected an exception, got \(r)")
            case .failure(let e):
                if e.exception != nil { pass() } else { fail(line, "assert_exception: expected an exception, got \(e)") }
            }
        case "assert_invalid", "assert_malformed":
            guard let filename else {
                counts.skipped += 1
                return
            }
            do {
                _ = try load(filename)
                if type == "assert_invalid", c["text"]?.stringValue == "multiple tables" {
                    counts.obsolete += 1
                    if !quiet { print("\(path):\(line): assert_invalid 'multiple tables' is a Wasm 1.0 rule; valid under 2.0, not counted") }
                    return
                }
                fail(line, "\(type): module loaded, expected '\(c["text"]?.stringValue ?? "")'")
            } catch {
                pass()
            }
        case "assert_invalid_custom", "assert_malformed_custom":
            // Custom sections and annotations: outside the core spec (README of the suite).
            counts.skipped += 1
        case "assert_unlinkable", "assert_uninstantiable":
            guard let filename else { return fail(line, "no filename") }
            do {
                let m = try load(filename)
                _ = try runtime.instantiate(m, imports: imports, context: context)
                fail(line, "\(type): instantiated, expected '\(c["text"]?.stringValue ?? "")'")
            } catch let e as InstantiationError {
                switch (type, e) {
                case ("assert_unlinkable", .unlinkable), ("assert_uninstantiable", .trap):
                    pass()
                default:
                    fail(line, "\(type): wrong failure: \(e)")
                }
            } catch {
                fail(line, "\(type): module did not load: \(error)")
            }
        default:
            fail(line, "unknown command \(type)")
        }
    }

    private func load(_ filename: String) throws -> Module {
        return try Module(bytes: try System.readFile(Path.join(directory, filename)), configuration: configuration)
    }

    private func perform(_ action: JSON) -> Result<[Value], ExecutionError> {
        let instance: Instance?
        if let m = action["module"]?.stringValue { instance = named[m] } else { instance = current }
        guard let instance else { return .failure(.trap(.host("no module"))) }
        let field = action["field"]?.stringValue ?? ""
        if action["type"]?.stringValue == "get" {
            guard let g = instance.global(field) else { return .failure(.trap(.host("no global \(field)"))) }
            return .success([g.value])
        }
        guard let f = instance.function(field) else { return .failure(.trap(.host("no function \(field)"))) }
        var args: [Value] = []
        for a in action["args"]?.arrayValue ?? [] {
            guard let v = parseValue(a) else { return .failure(.trap(.host("bad argument \(a)"))) }
            args.append(v)
        }
        do {
            return .success(try context.invokeHandlingRestarts(f, args))
        } catch {
            return .failure(error)
        }
    }

    /// An integer as either dialect writes it: wast2json unsigned, wasm-tools signed.
    private func integer(_ v: String, bits: Int) -> UInt64? {
        if let u = UInt64(v) { return bits == 64 || u >> bits == 0 ? u : nil }
        guard let i = Int64(v) else { return nil }
        if bits == 64 { return UInt64(bitPattern: i) }
        guard i >= -(1 << (bits - 1)) else { return nil }
        return UInt64(bitPattern: i) & (1 << bits - 1)
    }

    private func parseValue(_ a: JSON) -> Value? {
        guard let t = a["type"]?.stringValue else { return nil }
        let v = a["value"]?.stringValue ?? ""
        switch t {
        case "i32": return integer(v, bits: 32).map { .i32(UInt32($0)) }
        case "i64": return integer(v, bits: 64).map { .i64($0) }
        case "f32": return UInt32(v).map { .f32($0) }
        case "f64": return UInt64(v).map { .f64($0) }
        case "externref": return v == "null" ? .externref(nil) : UInt64(v).map { .externref($0) }
        case "funcref": return v == "null" ? .funcref(nil) : nil
        case "exnref": return v == "null" ? .exnref(nil) : nil
        case "v128":
            guard let lanes = vectorLanes(a) else { return nil }
            var words = [UInt64](repeating: 0, count: 2)
            for (i, l) in lanes.lanes.enumerated() {
                guard let x = integer(l, bits: lanes.bits) else { return nil }
                let bit = i * lanes.bits
                words[bit / 64] |= x << UInt64(bit % 64)
            }
            return .v128(V128(lo: words[0], hi: words[1]))
        default: return nil
        }
    }

    /// A v128's lanes as JSON gives them (`lane_type`, `value` array), with the lane width.
    private func vectorLanes(_ a: JSON) -> (lanes: [String], bits: Int, float: Bool)? {
        guard let lt = a["lane_type"]?.stringValue, let values = a["value"]?.arrayValue else { return nil }
        let bits: Int
        switch lt {
        case "i8": bits = 8
        case "i16": bits = 16
        case "i32", "f32": bits = 32
        case "i64", "f64": bits = 64
        default: return nil
        }
        let lanes = values.compactMap(\.stringValue)
        guard lanes.count == values.count, lanes.count * bits == 128 else { return nil }
        return (lanes, bits, lt.hasPrefix("f"))
    }

    /// A float's bits against an expected value: bits, `nan:canonical` or `nan:arithmetic`.
    private func f32Matches(_ x: UInt32, _ v: String?) -> Bool {
        if v == "nan:canonical" { return x & 0x7FFF_FFFF == 0x7FC0_0000 }
        if v == "nan:arithmetic" { return x & 0x7FC0_0000 == 0x7FC0_0000 }
        return v.flatMap(UInt32.init) == x
    }

    private func f64Matches(_ x: UInt64, _ v: String?) -> Bool {
        if v == "nan:canonical" { return x & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000 }
        if v == "nan:arithmetic" { return x & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000 }
        return v.flatMap(UInt64.init) == x
    }

    /// Whether a result matches an expected value. Forms the runner cannot check (GC
    /// references) never match, so they show up as failures.
    private func matches(_ r: Value, _ e: JSON) -> Bool {
        guard let t = e["type"]?.stringValue else { return false }
        let v = e["value"]?.stringValue
        switch (t, r) {
        case ("either", _):
            return (e["values"]?.arrayValue ?? []).contains { matches(r, $0) }
        case ("i32", .i32(let x)): return v.flatMap { integer($0, bits: 32) } == UInt64(x)
        case ("i64", .i64(let x)): return v.flatMap { integer($0, bits: 64) } == x
        case ("f32", .f32(let x)): return f32Matches(x, v)
        case ("f64", .f64(let x)): return f64Matches(x, v)
        case ("v128", .v128(let x)):
            // Lane by lane: a float lane may expect a NaN pattern.
            guard let lanes = vectorLanes(e) else { return false }
            for (i, l) in lanes.lanes.enumerated() {
                let bit = i * lanes.bits
                let word = bit < 64 ? x.lo : x.hi
                let mask: UInt64 = lanes.bits == 64 ? ~0 : (1 << UInt64(lanes.bits)) - 1
                let lane = (word >> UInt64(bit % 64)) & mask
                let ok: Bool
                if lanes.float && lanes.bits == 32 {
                    ok = f32Matches(UInt32(lane), l)
                } else if lanes.float {
                    ok = f64Matches(lane, l)
                } else {
                    ok = integer(l, bits: lanes.bits) == lane
                }
                if !ok { return false }
            }
            return true
        case ("externref", .externref(let x)):
            if v == "null" { return x == nil }
            guard let v else { return x != nil }
            return UInt64(v) == x
        case ("funcref", .funcref(let f)):
            if v == "null" { return f == nil }
            return f != nil
        case ("refnull", .funcref(let f)), ("nullfuncref", .funcref(let f)):
            return f == nil
        case ("refnull", .externref(let x)), ("nullexternref", .externref(let x)):
            return x == nil
        case ("exnref", .exnref(let x)):
            return v == "null" ? x == nil : v == nil && x != nil
        case ("refnull", .exnref(let x)), ("nullexnref", .exnref(let x)):
            return x == nil
        default:
            return false
        }
    }
}
