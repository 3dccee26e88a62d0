import RewasmCore
import RewasmWASI
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The test programs (`Fixtures/NAME.c`, built to NAME.wasm by Fixtures/build.sh).
enum Fixture {
    static var directory: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the Fixtures folder is missing from the WASITests bundle")
        }
        return url
    }

    static func module(_ name: String) throws -> Module {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name + ".wasm")))
        return try Module(bytes: bytes)
    }
}

/// Monotonic milliseconds.
func nowMs() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

/// A pipe whose read end is drained on a background thread: pass `writeFd` as a
/// guest's stdout, then `finish()` for everything written.
final class PipeCapture: @unchecked Sendable {
    let readFd: Int32
    let writeFd: Int32
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private let finished = DispatchSemaphore(value: 0)

    init() {
        var fds: [Int32] = [-1, -1]
        precondition(pipe(&fds) == 0)
        readFd = fds[0]
        writeFd = fds[1]
        let t = Thread { [self] in
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(readFd, &buf, buf.count)
                if n <= 0 { break }
                lock.lock()
                bytes += buf[0..<n]
                lock.unlock()
            }
            finished.signal()
        }
        t.start()
    }

    /// Closes the write end and returns all output.
    func finish() -> String {
        close(writeFd)
        finished.wait()
        close(readFd)
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A plain pipe (e.g. a guest's stdin fed by the test).
final class Pipe: @unchecked Sendable {
    let readFd: Int32
    let writeFd: Int32
    init() {
        var fds: [Int32] = [-1, -1]
        precondition(pipe(&fds) == 0)
        readFd = fds[0]
        writeFd = fds[1]
    }

    func write(_ s: String) {
        let b = Array(s.utf8)
        _ = b.withUnsafeBytes { Glibc.write(writeFd, $0.baseAddress, $0.count) }
    }

    func closeWrite() { close(writeFd) }
    func closeRead() { close(readFd) }
}

/// A guest program ready to run: `_start` in a fresh runtime with WASI.
final class Guest: @unchecked Sendable {
    let runtime: Runtime
    let context: ExecutionContext
    let start: Function
    let stdout = PipeCapture()
    private let devNull: Int32

    init(
        _ name: String, args: [String] = [], env: [(String, String)] = [],
        preopens: [(host: String, guest: String)] = [], stdin: Int32? = nil, stderr: Int32 = 2,
        configuration: Configuration = Configuration()
    ) throws {
        devNull = open("/dev/null", O_RDONLY)
        runtime = Runtime(configuration: configuration)
        let imports = Imports()
        let wasi = try WASI(
            arguments: [name] + args, environment: env, preopens: preopens,
            stdin: stdin ?? devNull, stdout: stdout.writeFd, stderr: stderr)
        wasi.define(into: imports, runtime: runtime)
        context = ExecutionContext(runtime: runtime)
        let instance = try runtime.instantiate(try Fixture.module(name), imports: imports, context: context)
        guard let f = instance.function("_start") else { throw XCTSkip("no _start") }
        start = f
    }

    deinit { close(devNull) }

    /// Runs `_start` (restarts handled); the exit status (0 when `_start` returns)
    /// and the output.
    func run() throws -> (status: Int32, output: String) {
        var status: Int32 = 0
        do {
            _ = try context.invokeHandlingRestarts(start, [])
        } catch let e {
            guard case .exit(let s) = e.kind else {
                let out = stdout.finish()
                XCTFail("unexpected \(e); output:\n\(out)")
                throw e
            }
            status = s
        }
        return (status, stdout.finish())
    }
}

/// A temporary directory, removed by `remove()`.
struct TempDir {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/rewasm-wasi-XXXXXX").utf8CString)
        let p = template.withUnsafeMutableBufferPointer { b in b.baseAddress.flatMap { mkdtemp($0) } }
        path = p.map { String(cString: $0) } ?? NSTemporaryDirectory()
    }

    func sub(_ name: String) -> String {
        let p = path + "/" + name
        mkdir(p, 0o755)
        return p
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Something set on one thread and read on another.
final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ v: T) { _value = v }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return _value }
        set { lock.lock(); _value = newValue; lock.unlock() }
    }
}
