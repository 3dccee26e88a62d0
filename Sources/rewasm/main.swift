import RewasmCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let version = "0.1.0"

/// Exit statuses (documented in README "Exit status").
enum ExitStatus {
    static let loadError: Int32 = 1
    static let usage: Int32 = 2
    static let timeout: Int32 = 124
    static let trap: Int32 = 134
}

func printError(_ message: String) {
    System.writeError("rewasm: \(message)\n")
}

nonisolated var builtTraits: [String] {
    var t: [String] = []
    #if WASI
    t.append("WASI")
    #endif
    #if Threads
    t.append("Threads")
    #endif
    #if UserSched
    t.append("UserSched")
    #endif
    #if SharedMemRealloc
    t.append("SharedMemRealloc")
    #endif
    return t
}

let usage = """
usage: rewasm [run] [OPTIONS] MODULE [ARGS...]
       rewasm spectest [--features SET] [--torture-restart N] [--fuel] PATH...
       rewasm validate [--features SET] MODULE
       rewasm --version [--verbose]

run options (rewasm's options end at MODULE; the rest belongs to the guest):
  --invoke NAME          call the exported function NAME with ARGS (parsed by its
                         parameter types) and print its results, one per line
  --features SET         proposals modules may use: wasm3 (default), wasm2, or a
                         list such as wasm3,-memory64 (names: multi-memory,
                         memory64, extended-const, tail-call, exceptions)
  --timeout DURATION     interrupt after DURATION (e.g. 500ms, 2s) and exit 124
  --max-memory BYTES     largest linear memory (e.g. 64M; default 4G)
  --max-stack CELLS      value stack cells per thread (default 1048576)
  --max-frames N         call depth (default 65536)
  --fuel N               meter fuel: each thread may execute N wasm instructions;
                         running out is a trap (exit 134), as in wasmtime
  --stats                print execution statistics to stderr (with fuel used)
  --torture-restart N    inject a restart every N interrupt checks (tests the
                         restart protocol; results must not change)
  --dir HOST[::GUEST]    preopen a directory for WASI (repeatable)
  --env NAME=VALUE       set a WASI environment variable (repeatable)
  --env-inherit          pass the host environment to WASI
  --max-threads N        wasi-threads: threads alive at once besides the main
                         thread (default 256); thread-spawn fails beyond it
"""

func readModuleBytes(_ path: String) throws(UsageError) -> [UInt8] {
    do {
        return try System.readFile(path)
    } catch {
        throw UsageError("\(error)")
    }
}

/// `s` cut at the first `separator`: ("a", "b:c") for "a::b:c" and "::"; nil if it does
/// not occur.
func split(_ s: String, at separator: String) -> (String, String)? {
    let bytes = Array(s.utf8), sep = Array(separator.utf8)
    guard !sep.isEmpty, bytes.count >= sep.count else { return nil }
    for k in 0...(bytes.count - sep.count) where bytes[k..<(k + sep.count)].elementsEqual(sep) {
        return (String(decoding: bytes[..<k], as: UTF8.self), String(decoding: bytes[(k + sep.count)...], as: UTF8.self))
    }
    return nil
}

/// Parses `run` options up to the module path.
func parseRunOptions(_ argv: ArraySlice<String>) throws(UsageError) -> RunOptions {
    var o = RunOptions()
    var it = argv.makeIterator()
    func next(_ opt: String) throws(UsageError) -> String {
        guard let v = it.next() else { throw UsageError("\(opt) needs a value") }
        return v
    }
    while let a = it.next() {
        if o.module != nil {
            o.args.append(a)
            continue
        }
        var name = a
        var inline: String?
        if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
            name = String(a[..<eq])
            inline = String(a[a.index(after: eq)...])
        }
        func value() throws(UsageError) -> String {
            if let inline { return inline }
            return try next(name)
        }
        switch name {
        case "--invoke": o.invoke = try value()
        case "--features": o.configuration.features = try Parse.features(try value())
        case "--timeout": o.timeout = try Parse.duration(try value())
        case "--max-memory": o.configuration.limits.maxMemoryBytes = try Parse.size(try value())
        case "--max-stack": o.configuration.limits.maxStackCells = try Parse.count(try value(), option: name)
        case "--max-frames": o.configuration.limits.maxFrames = try Parse.count(try value(), option: name)
        case "--stats": o.stats = true
        case "--fuel":
            let v = try value()
            guard let n = UInt64(v) else { throw UsageError("--fuel needs a number of instructions, got '\(v)'") }
            o.configuration.fuel = n
        case "--torture-restart": o.configuration.tortureRestartInterval = try Parse.count(try value(), option: name)
        case "--dir":
            let v = try value()
            if let (host, guest) = split(v, at: "::") {
                o.dirs.append((host, guest))
            } else {
                o.dirs.append((v, v))
            }
        case "--env":
            let v = try value()
            guard let eq = v.firstIndex(of: "="), eq != v.startIndex else { throw UsageError("--env needs NAME=VALUE, got '\(v)'") }
            o.env.append((String(v[..<eq]), String(v[v.index(after: eq)...])))
        case "--env-inherit": o.envInherit = true
        case "--max-threads": o.maxThreads = try Parse.count(try value(), option: name)
        case "--":
            guard let m = it.next() else { throw UsageError("missing MODULE after --") }
            o.module = m
        default:
            if a.hasPrefix("-") && a != "-" { throw UsageError("unknown option '\(a)'") }
            o.module = a
        }
    }
    guard o.module != nil else { throw UsageError("missing MODULE") }
    return o
}

func main() -> Int32 {
    var argv = Array(CommandLine.arguments.dropFirst())
    guard let first = argv.first else {
        print(usage)
        return ExitStatus.usage
    }
    do {
        switch first {
        case "--version", "-V":
            print("rewasm \(version)")
            if argv.contains("--verbose") || argv.contains("-v") {
                print("traits: \(builtTraits.isEmpty ? "(none)" : builtTraits.joined(separator: ", "))")
                let threads = builtTraits.contains("Threads") ? ", threads" : ""
                print("wasm features: WebAssembly 2.0 (with SIMD)\(threads); 3.0 proposals (default on): \(Features.default)")
            }
            return 0
        case "--help", "-h", "help":
            print(usage)
            return 0
        case "spectest":
            return try SpecTestCommand.main(Array(argv.dropFirst()))
        case "validate":
            var features = Features.default
            var rest = Array(argv.dropFirst())
            if rest.count == 3, rest[0] == "--features" {
                features = try Parse.features(rest[1])
                rest.removeFirst(2)
            } else if rest.count == 2, rest[0].hasPrefix("--features=") {
                features = try Parse.features(String(rest[0].dropFirst("--features=".count)))
                rest.removeFirst()
            }
            guard rest.count == 1 else { throw UsageError("usage: rewasm validate [--features SET] MODULE") }
            do {
                _ = try Module(bytes: try readModuleBytes(rest[0]), features: features)
                print("\(rest[0]): valid")
                return 0
            } catch let e as LoadError {
                printError("\(rest[0]): \(e)")
                return ExitStatus.loadError
            }
        case "dump":
            // Developer aid: the translated code of every function.
            guard argv.count == 2 else { throw UsageError("usage: rewasm dump MODULE") }
            let m = try Module(bytes: try readModuleBytes(argv[1]))
            for i in 0..<m.info.codes.count { print(m.disassemble(function: i)) }
            return 0
        case "fuzz-run":
            return try FuzzCommand.main(Array(argv.dropFirst()))
        case "run":
            argv.removeFirst()
            return try RunCommand.main(try parseRunOptions(argv[...]))
        default:
            return try RunCommand.main(try parseRunOptions(argv[...]))
        }
    } catch let e as UsageError {
        printError("\(e)")
        System.writeError("run 'rewasm --help' for usage\n")
        return ExitStatus.usage
    } catch {
        printError("\(error)")
        return ExitStatus.loadError
    }
}

exit(main())
