import Core

/// `rewasm fuzz-run MODULE...` (developer aid): instantiate each module and call
/// every exported function with zero arguments, each under a short watchdog.
/// Traps and timeouts are expected outcomes; a crash of the process is a bug.
enum FuzzCommand {
    static func main(_ paths: [String]) throws -> Int32 {
        var counts: [String: Int] = [:]
        for path in paths {
            let outcome = run(path, &counts)
            counts[outcome, default: 0] += 1
        }
        print(counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        return 0
    }

    static func run(_ path: String, _ counts: inout [String: Int]) -> String {
        guard let bytes = try? System.readFile(path) else { return "unreadable" }
        let module: Module
        do { module = try Module(bytes: bytes) } catch { return "load error" }
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
            return "instantiate failed: \(String(describing: error).prefix(40))"
        }
        for (_, e) in instance.exports {
            guard case .function(let f) = e else { continue }
            let args = f.type.params.map { t -> Value in
                switch t {
                case .i32: .i32(0)
                case .i64: .i64(0)
                case .f32: .f32(0)
                case .f64: .f64(0)
                case .funcref: .funcref(nil)
                case .externref: .externref(nil)
                case .v128: .i64(0)
                }
            }
            let watchdog = Watchdog(seconds: 0.2, context: context)
            watchdog.start()
            defer { watchdog.cancel() }
            do {
                _ = try context.invokeHandlingRestarts(f, args)
                counts["calls returned", default: 0] += 1
            } catch {
                counts["calls \(error.isRestartable ? "interrupted" : "trapped")", default: 0] += 1
                context.abandon()
            }
        }
        return "instantiated"
    }
}
