import RewasmCore

/// `rewasm fuzz-run MODULE...` (developer aid): instantiate each module and call
/// every exported function with zero arguments, each under a short watchdog.
/// Traps and timeouts are expected outcomes; a crash of the process is a bug. Each
/// module runs twice, with and without superinstructions: the results (values or
/// traps) must be the same, else it reports a mismatch and exits 1.
enum FuzzCommand {
    static func main(_ paths: [String]) throws -> Int32 {
        var counts: [String: Int] = [:]
        var mismatches = 0
        for path in paths {
            guard let bytes = try? System.readFile(path) else {
                counts["unreadable", default: 0] += 1
                continue
            }
            let (outcome, fused) = run(bytes, superinstructions: true, &counts)
            counts[outcome, default: 0] += 1
            var ignored: [String: Int] = [:]
            let (_, plain) = run(bytes, superinstructions: false, &ignored)
            // Compare up to the first watchdog interrupt in either run (timing decides
            // where that stops, and the module's state differs after it).
            for (a, b) in zip(fused, plain) {
                guard let a, let b else { break }
                if a != b {
                    printError("\(path): superinstructions give \(a), plain instructions \(b)")
                    mismatches += 1
                    break
                }
            }
        }
        counts["differences with superinstructions off"] = mismatches
        print(counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        return mismatches == 0 ? 0 : 1
    }

    /// Runs every export; returns the module's outcome and each call's result (nil: the
    /// watchdog interrupted it).
    static func run(_ bytes: [UInt8], superinstructions: Bool, _ counts: inout [String: Int]) -> (String, [String?]) {
        let module: Module
        do { module = try Module(bytes: bytes, superinstructions: superinstructions) } catch { return ("load error", []) }
        var configuration = Configuration()
        configuration.limits.maxMemoryBytes = 1 << 30
        let runtime = Runtime(configuration: configuration)
        let context = ExecutionContext(runtime: runtime)
        let instance: Instance
        do {
            // A start function may loop forever: it gets a watchdog too.
            let watchdog = Watchdog(seconds: 0.2, context: context)
            watchdog.start()
            defer { watchdog.cancel() }
            instance = try runtime.instantiate(module, imports: Imports(), context: context)
        } catch {
            return ("instantiate failed: \(String(describing: error).prefix(40))", [])
        }
        var results: [String?] = []
        for (name, e) in instance.exports {
            guard case .function(let f) = e else { continue }
            let args = f.type.params.map { t -> Value in
                switch t {
                case .i32: .i32(0)
                case .i64: .i64(0)
                case .f32: .f32(0)
                case .f64: .f64(0)
                case .funcref: .funcref(nil)
                case .externref: .externref(nil)
                case .exnref: .exnref(nil)
                case .v128: .v128(V128(lo: 0, hi: 0))
                }
            }
            let watchdog = Watchdog(seconds: 0.2, context: context)
            watchdog.start()
            defer { watchdog.cancel() }
            do {
                let r = try context.invokeHandlingRestarts(f, args)
                counts["calls returned", default: 0] += 1
                results.append("\(name): \(r)")
            } catch {
                counts["calls \(error.isRestartable ? "interrupted" : "trapped")", default: 0] += 1
                results.append(error.isRestartable ? nil : "\(name): \(error)")
                context.abandon()
            }
        }
        return ("instantiated", results)
    }
}
