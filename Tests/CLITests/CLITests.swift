import Foundation
import XCTest

/// The `rewasm` command line, run as a child process. Exit statuses are documented
/// in Sources/rewasm/main.swift: 1 load error, 2 usage, 124 timeout, 134 trap.
final class CLITests: XCTestCase {
    // MARK: Running the binary

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var elapsed: TimeInterval
        /// stdout's lines, without the final newline's empty one.
        var lines: [String] {
            var l = stdout.components(separatedBy: "\n")
            if l.last == "" { l.removeLast() }
            return l
        }
    }

    /// Fixtures/ next to this file (CLITests declares no resources).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// The `rewasm` executable in the products directory the tests were built into.
    static let binary: URL? = {
        var dirs: [URL] = [Bundle.main.bundleURL]
        for b in Bundle.allBundles {
            dirs.append(b.bundleURL.deletingLastPathComponent())
            dirs.append(b.bundleURL)
        }
        if let argv0 = CommandLine.arguments.first {
            dirs.append(URL(fileURLWithPath: argv0).deletingLastPathComponent())
        }
        for dir in dirs {
            let candidate = dir.appendingPathComponent("rewasm")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    func rewasm(_ args: String..., limit: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        try run(args, limit: limit, file: file, line: line)
    }

    /// Runs `rewasm args...`, killing it (and failing) if it runs longer than `limit` seconds.
    func run(_ args: [String], limit: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let binary = try XCTUnwrap(Self.binary, "no rewasm executable next to the test bundle", file: file, line: line)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rewasm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        XCTAssertTrue(FileManager.default.createFile(atPath: outURL.path, contents: nil))
        XCTAssertTrue(FileManager.default.createFile(atPath: errURL.path, contents: nil))
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = binary
        process.arguments = args
        process.currentDirectoryURL = Self.fixtures
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        if done.wait(timeout: .now() + limit) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            XCTFail("rewasm \(args.joined(separator: " ")) still running after \(limit) s", file: file, line: line)
        }
        let elapsed = Date().timeIntervalSince(start)
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            elapsed: elapsed)
    }

    private var cli: String { Self.fixture("cli.wasm") }

    private func assertContains(_ text: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(text.contains(fragment), "'\(fragment)' not in:\n\(text)", file: file, line: line)
    }

    // MARK: Version and usage

    func testBinaryIsFound() throws {
        let binary = try XCTUnwrap(Self.binary)
        XCTAssertEqual(binary.lastPathComponent, "rewasm")
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.fixture("cli.wasm")))
    }

    func testVersionVerboseListsTraits() throws {
        let plain = try rewasm("--version")
        XCTAssertEqual(plain.status, 0)
        XCTAssertNotNil(plain.stdout.range(of: #"^rewasm \d+\.\d+\.\d+\n$"#, options: .regularExpression), plain.stdout)

        let verbose = try rewasm("--version", "--verbose")
        XCTAssertEqual(verbose.status, 0)
        XCTAssertTrue(verbose.lines.first?.hasPrefix("rewasm ") ?? false, verbose.stdout)
        let traitsLine = try XCTUnwrap(verbose.lines.first { $0.hasPrefix("traits:") }, verbose.stdout)
        let listed = traitsLine.dropFirst("traits:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known: Set<String> = ["WASI", "Threads", "UserSched", "SharedMemRealloc", "(none)"]
        XCTAssertFalse(listed.isEmpty)
        for t in listed { XCTAssertTrue(known.contains(t), "unknown trait '\(t)' in '\(traitsLine)'") }
        // The traits this test bundle was built with are the binary's.
        #if WASI
        XCTAssertTrue(listed.contains("WASI"), traitsLine)
        #endif
        #if Threads
        XCTAssertTrue(listed.contains("Threads"), traitsLine)
        #endif
        #if !UserSched
        XCTAssertFalse(listed.contains("UserSched"), traitsLine)
        #endif
    }

    func testUsageErrorsExitTwoWithAMessage() throws {
        let none = try rewasm()
        XCTAssertEqual(none.status, 2)
        assertContains(none.stdout + none.stderr, "usage: rewasm")

        let cases: [([String], String)] = [
            (["run"], "missing MODULE"),
            (["run", "--bogus", cli], "unknown option '--bogus'"),
            (["run", "--timeout", "soon", "--invoke", "spin", cli], "invalid duration 'soon'"),
            (["run", "--max-frames", "0", cli], "--max-frames needs a positive integer"),
            (["run", "--max-memory", "lots", cli], "invalid size 'lots'"),
            (["run", "--invoke"], "--invoke needs a value"),
            (["run", "--invoke", "vadd", cli, "i32x4:1,2,3", "0"], "cannot pass 'i32x4:1,2,3' as v128"),
            (["run", "--invoke", "vadd", cli, "0x1", "0x123456789abcdef0123456789abcdef01"], "cannot pass '0x123456789abcdef0123456789abcdef01' as v128"),
            (["run", "--invoke", "nope", cli], "exports no function 'nope'"),
            (["run", cli], "exports no _start function"),
            (["validate"], "usage: rewasm validate"),
            (["spectest"], "usage: rewasm spectest"),
        ]
        for (args, message) in cases {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "rewasm \(args)")
            assertContains(r.stderr, message)
            assertContains(r.stderr, "rewasm --help")
            XCTAssertEqual(r.stdout, "", "rewasm \(args)")
        }
    }

    func testHelp() throws {
        let r = try rewasm("--help")
        XCTAssertEqual(r.status, 0)
        for option in ["--invoke", "--timeout", "--max-memory", "--max-stack", "--max-frames", "--stats", "--torture-restart"] {
            assertContains(r.stdout, option)
        }
    }

    func testMissingFile() throws {
        let missing = "/nonexistent/dir/nothing.wasm"
        for r in [try rewasm("run", missing), try rewasm(missing), try rewasm("validate", missing)] {
            XCTAssertNotEqual(r.status, 0)
            assertContains(r.stderr, missing)
            assertContains(r.stderr, "cannot read")
        }
    }

    // MARK: Running modules

    func testInvokePrintsResultsOnePerLine() throws {
        let cases: [([String], [String])] = [
            (["add", "2", "3"], ["5"]),
            (["neg", "5"], ["-5"]),
            (["add", "2147483647", "1"], ["-2147483648"]),  // i32 printed signed
            (["add", "4294967295", "0"], ["-1"]),  // unsigned input accepted
            (["add", "0x10", "-1"], ["15"]),
            (["mul64", "-3", "4"], ["-12"]),
            (["mul64", "4294967296", "4294967296"], ["0"]),
            (["mul64", "9223372036854775807", "1"], ["9223372036854775807"]),
            (["mul64", "9223372036854775807", "2"], ["-2"]),
            (["half32", "3"], ["1.5"]),
            (["half32", "-0.5"], ["-0.25"]),
            (["half64", "0.25"], ["0.125"]),
            (["half64", "1e300"], ["5e+299"]),
            (["mixed", "1", "-2", "3.5", "4.25"], ["4.25", "3.5", "-2", "1"]),
            (["nothing"], []),
            (["fib", "20"], ["6765"]),
            // v128: lanes, hex (the 128-bit number, printed like wasmtime) or decimal.
            (["vadd", "i32x4:1,2,3,4", "0x00000001000000010000000100000001"], ["0x00000005000000040000000300000002"]),
            (["vadd", "i32x4:-1,0,0,4294967295", "1"], ["0xffffffff000000000000000000000000"]),
            (["vadd", "f32x4:1.5,0,0,0", "0"], ["0x0000000000000000000000003fc00000"]),
            (["vadd", "i64x2:-1,2", "i16x8:1,0,0,0,0,0,0,0"], ["0x0000000000000002ffffffff00000000"]),
            (["vmix", "10", "i8x16:-3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,255"], ["0xff0000000000000000000000000000fd", "7"]),
        ]
        for (invocation, expected) in cases {
            let r = try run(["run", "--invoke", invocation[0], cli] + invocation.dropFirst())
            XCTAssertEqual(r.status, 0, "\(invocation): \(r.stderr)")
            XCTAssertEqual(r.lines, expected, "\(invocation)")
            XCTAssertEqual(r.stderr, "", "\(invocation)")
        }
        // `run` is the default command.
        let r = try rewasm("--invoke", "add", cli, "20", "22")
        XCTAssertEqual(r.lines, ["42"])
    }

    func testInvokeArgumentErrors() throws {
        let cases: [([String], String)] = [
            (["add", "1"], "'add' takes 2 arguments"),
            (["add", "1", "2", "3"], "'add' takes 2 arguments"),
            (["add", "1", "x"], "cannot pass 'x' as i32"),
            (["add", "1", "4294967296"], "cannot pass '4294967296' as i32"),
            (["mul64", "1.5", "2"], "cannot pass '1.5' as i64"),
            (["half32", "abc"], "cannot pass 'abc' as f32"),
            (["half64", ""], "cannot pass '' as f64"),
        ]
        for (invocation, message) in cases {
            let r = try run(["run", "--invoke", invocation[0], cli] + invocation.dropFirst())
            XCTAssertEqual(r.status, 2, "\(invocation)")
            assertContains(r.stderr, message)
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testTrapExits134WithBacktrace() throws {
        let r = try rewasm("run", "--invoke", "divide_one_by", cli, "0")
        XCTAssertEqual(r.status, 134)
        assertContains(r.stderr, "integer divide by zero")
        let frames = r.stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // Innermost first, with the names from the name section.
        XCTAssertTrue(frames.contains { $0.hasPrefix("0: inner_trap") }, r.stderr)
        XCTAssertTrue(frames.contains { $0.hasPrefix("1: outer_trap") }, r.stderr)
        XCTAssertEqual(r.stdout, "")

        let crash = try rewasm("run", "--invoke", "crash", cli)
        XCTAssertEqual(crash.status, 134)
        assertContains(crash.stderr, "unreachable")
        assertContains(crash.stderr, "0: crash")

        let deep = try rewasm("run", "--max-frames", "50", "--invoke", "deep", cli, "100")
        XCTAssertEqual(deep.status, 134)
        assertContains(deep.stderr, "call stack exhausted")
        assertContains(deep.stderr, "deep")
        let fits = try rewasm("run", "--max-frames", "50", "--invoke", "deep", cli, "40")
        XCTAssertEqual(fits.lines, ["40"])
    }

    func testUnknownImportIsNamed() throws {
        // No build provides this one: refused before anything runs, naming the import.
        let r = try rewasm("run", Self.fixture("unknown_import.wasm"))
        XCTAssertEqual(r.status, 1, r.stderr)
        assertContains(r.stderr, "wasi_snapshot_preview1.no_such_call")
        XCTAssertEqual(r.stdout, "")
    }

    func testFdWriteNeedsWASI() throws {
        // fd_write.wasm writes "hi" through WASI's fd_write. A build without WASI must refuse
        // it naming the import; one with WASI runs it.
        let r = try rewasm("run", Self.fixture("fd_write.wasm"))
        #if WASI
        if r.status == 0 {
            XCTAssertEqual(r.stdout, "hi\n")
            return
        }
        #endif
        XCTAssertNotEqual(r.status, 0)
        XCTAssertNotEqual(r.status, 134, "refused before running, not a trap")
        assertContains(r.stderr, "wasi_snapshot_preview1.fd_write")
        XCTAssertEqual(r.stdout, "")
    }

    /// A program throwing and catching as C++ does (Fixtures/exceptions.wat): a throw
    /// through 20 frames with a cleanup in each, a typed catch that rethrows what it does
    /// not handle; an uncaught exception exits 134 with its tag and payload.
    func testExceptionsProgram() throws {
        #if WASI
        let r = try rewasm("run", Self.fixture("exceptions.wasm"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.lines, ["caught 7000", "cleanups 10506", "outer type 2"])
        let torture = try rewasm("run", "--torture-restart", "1", Self.fixture("exceptions.wasm"))
        XCTAssertEqual(torture.stdout, r.stdout)
        #endif
        let u = try rewasm("run", "--invoke", "uncaught", Self.fixture("exceptions.wasm"))
        #if WASI
        XCTAssertEqual(u.status, 134)
        assertContains(u.stderr, "wasm exception: uncaught exception (i32)")
        #else
        XCTAssertNotEqual(u.status, 0)
        #endif
        // The 2.0 feature set refuses the module; an unknown feature is a usage error.
        let old = try rewasm("run", "--features", "wasm2", Self.fixture("exceptions.wasm"))
        XCTAssertEqual(old.status, 1)
        assertContains(old.stderr, "malformed module")
        let bad = try rewasm("run", "--features", "wasm3,-bogus", Self.fixture("exceptions.wasm"))
        XCTAssertEqual(bad.status, 2)
        assertContains(bad.stderr, "invalid --features")
    }

    func testLoadErrorsExitOne() throws {
        let invalid = try rewasm("run", Self.fixture("invalid.wasm"))
        XCTAssertEqual(invalid.status, 1)
        assertContains(invalid.stderr, "invalid module")
        assertContains(invalid.stderr, "type mismatch")
        let malformed = try rewasm("run", Self.fixture("tiny.2.wasm"))  // version 2
        XCTAssertEqual(malformed.status, 1)
        assertContains(malformed.stderr, "malformed module")
        assertContains(malformed.stderr, "unknown binary version")
    }

    func testValidate() throws {
        let valid = try rewasm("validate", cli)
        XCTAssertEqual(valid.status, 0)
        assertContains(valid.stdout, "valid")
        XCTAssertEqual(valid.stderr, "")

        let invalid = try rewasm("validate", Self.fixture("invalid.wasm"))
        XCTAssertEqual(invalid.status, 1)
        assertContains(invalid.stderr, "invalid.wasm")
        assertContains(invalid.stderr, "invalid module: type mismatch")
        XCTAssertEqual(invalid.stdout, "")

        let malformed = try rewasm("validate", Self.fixture("tiny.2.wasm"))
        XCTAssertEqual(malformed.status, 1)
        assertContains(malformed.stderr, "malformed module")
    }

    // MARK: Timeout and restarts

    func testTimeoutInterruptsAnInfiniteLoop() throws {
        let r = try rewasm("run", "--timeout", "100ms", "--invoke", "spin", cli, limit: 10)
        XCTAssertEqual(r.status, 124, r.stderr)
        XCTAssertLessThan(r.elapsed, 0.5, "exit within 0.5 s of wall time")
        XCTAssertGreaterThanOrEqual(r.elapsed, 0.09, "not before the timeout")
        assertContains(r.stderr, "timeout")
        assertContains(r.stderr, "100 ms")
        XCTAssertEqual(r.stdout, "")
    }

    /// BUG (Sources/rewasm/RunCommand.swift): the watchdog is started only after
    /// instantiation, so a start function that never returns is not interrupted by
    /// `--timeout` and `rewasm run` hangs (here it is killed after 5 s).
    func testTimeoutCoversTheStartFunction() throws {
        let r = try rewasm("run", "--timeout", "100ms", "--invoke", "f", Self.fixture("start_spin.wasm"), limit: 5)
        XCTAssertEqual(r.status, 124, r.stderr)
        XCTAssertLessThan(r.elapsed, 0.5)
        assertContains(r.stderr, "timeout")
    }

    func testTimeoutDoesNotAffectAFinishingRun() throws {
        let r = try rewasm("run", "--timeout", "60s", "--invoke", "fib", cli, "15")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.lines, ["610"])
    }

    func testTortureRestartGivesTheSameOutput() throws {
        let invocations: [[String]] = [["fib", "20"], ["mixed", "1", "-2", "3.5", "4.25"], ["deep", "500"], ["divide_one_by", "0"]]
        for invocation in invocations {
            let plain = try run(["run", "--invoke", invocation[0], cli] + invocation.dropFirst())
            for n in ["1", "3"] {
                let tortured = try run(["run", "--torture-restart", n, "--invoke", invocation[0], cli] + invocation.dropFirst())
                XCTAssertEqual(tortured.status, plain.status, "\(invocation) --torture-restart \(n)")
                XCTAssertEqual(tortured.stdout, plain.stdout, "\(invocation) --torture-restart \(n)")
                XCTAssertEqual(tortured.stderr, plain.stderr, "\(invocation) --torture-restart \(n)")
            }
        }
    }

    func testStatsShowTortureRestarts() throws {
        let r = try rewasm("run", "--stats", "--torture-restart", "2", "--invoke", "fib", cli, "10")
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.lines, ["55"])
        assertContains(r.stderr, "rewasm stats:")
        assertContains(r.stderr, "calls: ")
        assertContains(r.stderr, "restarts (torture): ")
    }

    // MARK: spectest

    func testSpectestOnATinyScript() throws {
        let r = try rewasm("spectest", Self.fixture("tiny.json"))
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.lines.contains("12 passed, 0 failed"), r.stdout)
        let tortured = try rewasm("spectest", "--torture-restart", "1", Self.fixture("tiny.json"))
        XCTAssertEqual(tortured.status, 0)
        XCTAssertTrue(tortured.lines.contains("12 passed, 0 failed"), tortured.stdout)
        // A folder runs every .json in it (here just tiny.json).
        let folder = try rewasm("spectest", Self.fixtures.path)
        XCTAssertTrue(folder.lines.contains("12 passed, 0 failed"), folder.stdout)
    }

    func testSpectestReportsFailures() throws {
        // A script whose expectation is wrong: the runner must count it as failed.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rewasm-spectest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("tiny.0.wasm"), to: dir.appendingPathComponent("tiny.0.wasm"))
        let json = """
            {"source_filename": "wrong.wast", "commands": [
              {"type": "module", "line": 1, "filename": "tiny.0.wasm"},
              {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "add", "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]}, "expected": [{"type": "i32", "value": "4"}]},
              {"type": "assert_trap", "line": 3, "action": {"type": "invoke", "field": "add", "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]}, "text": "none", "expected": [{"type": "i32"}]}
            ]}
            """
        try Data(json.utf8).write(to: dir.appendingPathComponent("wrong.json"))
        let r = try rewasm("spectest", dir.appendingPathComponent("wrong.json").path)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.lines.contains("1 passed, 2 failed"), r.stdout)
    }

    /// Writes `files` into a new temporary folder and returns it (removed by the caller).
    private func scratchFolder(_ files: [String: [UInt8]]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rewasm-spectest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    func testSpectestKeepsARawBOMInNames() throws {
        // (module (func (export "\u{FEFF}") (result i32) i32.const 7)): names.wast has such
        // an export, and the script names it with the raw bytes EF BB BF.
        let module: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7F, 3, 2, 1, 0,
                               7, 7, 1, 3, 0xEF, 0xBB, 0xBF, 0, 0, 10, 6, 1, 4, 0, 0x41, 7, 0x0B]
        let invoke = { (field: String) in
            #"{"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "\#(field)", "args": []}, "expected": [{"type": "i32", "value": "7"}]}"#
        }
        let json = #"{"source_filename": "bom.wast", "commands": [{"type": "module", "line": 1, "filename": "bom.0.wasm"}, "#
            + invoke("\u{FEFF}") + ", " + invoke(#"\ufeff"#) + "]}"
        let dir = try scratchFolder(["bom.0.wasm": module, "bom.json": Array(json.utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try rewasm("spectest", dir.appendingPathComponent("bom.json").path)
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.lines.contains("3 passed, 0 failed"), r.stdout)
    }

    func testSpectestReportsMalformedJSON() throws {
        let dir = try scratchFolder(["bad.json": Array(#"{"commands": [{"type": "module",]}"#.utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try rewasm("spectest", dir.appendingPathComponent("bad.json").path)
        XCTAssertEqual(r.status, 1)
        assertContains(r.stdout, "cannot read JSON: invalid JSON at byte 32: unexpected ']'")
        XCTAssertTrue(r.lines.contains("0 passed, 1 failed"), r.stdout)

        let missing = try rewasm("spectest", dir.appendingPathComponent("missing.json").path)
        XCTAssertEqual(missing.status, 2)
        assertContains(missing.stderr, "no such file")
    }
}
