// wasi: run a WASI command (a C program compiled with wasi-libc) in a sandbox.
//
// Modules/files.c lists a directory, prints a file, sums numbers.txt into sum.txt and
// tries to escape its directory. The example creates a temporary directory, preopens
// part of it for the guest as /data, captures the guest's stdout in a file, and
// checks the exit status: returning from main is a normal end, exit(n) (proc_exit)
// is thrown as ExecutionError with kind .exit(n).

import Core
import Foundation
import RewasmCore
import RewasmWASI

#if canImport(Glibc)
import Glibc
#endif

/// Runs files.wasm with `arguments`, `dir` preopened as /data, and the guest's stdout
/// on the host descriptor `stdout`. Returns the exit status.
func runGuest(_ module: Module, _ arguments: [String], dir: String, stdout: Int32) throws -> Int32 {
    let runtime = Runtime()
    let imports = Imports()
    // One WASI object is one guest program: its arguments, environment, preopens and
    // stdio (host descriptors, used but never closed), and its descriptor table.
    let wasi = try WASI(
        arguments: ["files"] + arguments, environment: [("LANG", "C")],
        preopens: [(host: dir, guest: "/data")], stdin: 0, stdout: stdout, stderr: 2)
    wasi.define(into: imports, runtime: runtime)  // every wasi_snapshot_preview1 function
    let context = ExecutionContext(runtime: runtime)
    let instance = try runtime.instantiate(module, imports: imports, context: context)
    let start = try function(instance, "_start")
    do throws(ExecutionError) {
        _ = try context.invokeHandlingRestarts(start, [])
        return 0  // main returned 0: wasi-libc's _start just returns
    } catch {
        guard case .exit(let status) = error.kind else { throw error }  // a trap, ...
        return status
    }
}

runExample("wasi") {
    let module = try loadModule("files.wasm")
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("rewasm-wasi-example-\(getpid())")
    let sandbox = root.appendingPathComponent("sandbox")
    try fm.createDirectory(at: sandbox.appendingPathComponent("sub"), withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: root) }
    try "hello from the host\n".write(to: sandbox.appendingPathComponent("greeting.txt"), atomically: true, encoding: .utf8)
    try "1 2 3 4 5\n10 20\n".write(to: sandbox.appendingPathComponent("numbers.txt"), atomically: true, encoding: .utf8)
    try "not for the guest\n".write(to: root.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
    print("sandbox: \(sandbox.path) (the guest sees it as /data)")

    section("run with stdout captured in a file")
    let capture = root.appendingPathComponent("stdout.txt").path
    let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw ExampleError("cannot create \(capture)") }
    let status = try runGuest(module, ["/data"], dir: sandbox.path, stdout: fd)
    close(fd)
    let output = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
    print("exit status \(status); the guest's stdout:")
    print(output.split(separator: "\n").map { "  | " + $0 }.joined(separator: "\n"))
    check(status == 0, "exit status 0")
    check(output.contains("greeting.txt (20 bytes)") && output.contains("  sub/"), "the guest listed the preopened directory")
    check(output.contains("greeting.txt says: hello from the host"), "the guest read a file")
    let sum = try? String(contentsOf: sandbox.appendingPathComponent("sum.txt"), encoding: .utf8)
    check(sum == "45\n", "the guest wrote sum.txt (45)")
    check(output.contains("(the sandbox)") && !output.contains("escaped"), "../outside.txt was out of reach")

    section("run with stdout passed through; the guest exits with status 2")
    fflush(nil)  // our buffered output first: the guest writes to descriptor 1 directly
    let failed = try runGuest(module, ["/data", "missing.txt"], dir: sandbox.path, stdout: 1)
    print("exit status \(failed)")
    check(failed == 2, "exit(2) arrives as ExecutionError .exit(2)")

    section("a preopen that does not exist")
    do {
        _ = try WASI(arguments: [], environment: [], preopens: [(host: root.appendingPathComponent("nope").path, guest: "/")])
        check(false, "WASI(...) throws for a missing directory")
    } catch {
        print("\(error)")
        check(error is WASISetupError, "WASISetupError")
    }
}
