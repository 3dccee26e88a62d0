import RewasmCore
import RewasmWASI
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// WASI preview1 through C programs (Fixtures/*.c, compiled with wasi-libc) run
/// in-process: stdout is a pipe, preopens are temporary directories.
final class WASITests: XCTestCase {
    private var created: TempDir?

    /// This test's temporary directory (made on first use, removed after the test).
    var temp: TempDir {
        if let t = created { return t }
        let t = TempDir()
        created = t
        return t
    }

    override func tearDown() {
        created?.remove()
        created = nil
    }

    /// Runs a self-checking program with a fresh "/sandbox" and expects "ok" and status 0.
    func runChecks(_ name: String, configuration: Configuration = Configuration(), file: StaticString = #filePath, line: UInt = #line) throws {
        let guest = try Guest(name, preopens: [(temp.sub("box"), "/sandbox")], configuration: configuration)
        let (status, output) = try guest.run()
        XCTAssertEqual(status, 0, output, file: file, line: line)
        XCTAssertTrue(output.contains("ok: "), output, file: file, line: line)
    }

    func testFiles() throws { try runChecks("files") }
    func testDirectories() throws { try runChecks("dirs") }
    func testClocksAndPoll() throws { try runChecks("clocks") }
    func testHostileGuestGetsErrnos() throws { try runChecks("hostile") }

    func testSandboxEscapesFail() throws {
        let box = temp.sub("box")
        let secret = temp.path + "/outside.txt"
        _ = FileManager.default.createFile(atPath: secret, contents: Data("secret".utf8))
        let guest = try Guest("sandbox", preopens: [(box, "/sandbox")])
        let (status, output) = try guest.run()
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("ok: "), output)
        // Nothing outside the box was touched.
        XCTAssertEqual(try String(contentsOfFile: secret, encoding: .utf8), "secret")
        let outside = try FileManager.default.contentsOfDirectory(atPath: temp.path).sorted()
        XCTAssertEqual(outside, ["box", "outside.txt"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: box + "/inside.txt"))
    }

    func testArgumentsAndEnvironment() throws {
        let guest = try Guest("args", args: ["one", "two three"], env: [("HOME", "/home/guest"), ("EMPTY", "")])
        let (status, output) = try guest.run()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output, """
            argc 3
            arg 0: args
            arg 1: one
            arg 2: two three
            env: HOME=/home/guest
            env: EMPTY=
            HOME=/home/guest

            """)
    }

    func testAppendOnStdoutIsVirtual() throws {
        let guest = try Guest("args", args: ["append"])
        let hostFlags = fcntl(guest.stdout.writeFd, F_GETFL)
        _ = try guest.context.invoke(guest.start, [])
        // The guest sees APPEND; the inherited host descriptor is unchanged.
        XCTAssertEqual(fcntl(guest.stdout.writeFd, F_GETFL), hostFlags)
        XCTAssertTrue(guest.stdout.finish().contains("append 0 1\n"))
    }

    func testErrnoMapping() {
        let expected: [(Int32, Errno)] = [
            (E2BIG, .tooBig), (EACCES, .acces), (EAGAIN, .again), (EWOULDBLOCK, .again),
            (EBADF, .badf), (EEXIST, .exist), (EINVAL, .inval), (EISDIR, .isdir),
            (ELOOP, .loop), (ENAMETOOLONG, .nametoolong), (ENOENT, .noent), (ENOSPC, .nospc),
            (ENOTDIR, .notdir), (ENOTEMPTY, .notempty), (ENOTSUP, .notsup), (EOPNOTSUPP, .notsup),
            (EPERM, .perm), (EPIPE, .pipe), (EROFS, .rofs), (ESPIPE, .spipe), (EXDEV, .xdev),
            (ECONNRESET, .connreset), (ENOTSOCK, .notsock), (ETIMEDOUT, .timedout),
            (EDQUOT, .dquot), (ENOTRECOVERABLE, .notrecoverable), (ENOTBLK, .io), (EREMOTEIO, .io),
        ]
        for (host, wasi) in expected { XCTAssertEqual(Errno(host: host), wasi, "host errno \(host)") }
        XCTAssertEqual(Errno.notcapable.rawValue, 76)
        XCTAssertEqual(Errno.fault.rawValue, 21)
        XCTAssertEqual(Errno.xdev.rawValue, 75)
    }

    func testProcExit() throws {
        let guest = try Guest("args", args: ["exit", "7"])
        XCTAssertThrowsError(try guest.context.invoke(guest.start, [])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .exit(7))
        }
        _ = guest.stdout.finish()
    }

    func testProcRaiseTerminates() throws {
        let guest = try Guest("args", args: ["raise"])
        let (status, output) = try guest.run()
        XCTAssertEqual(status, 128 + SIGTERM)
        XCTAssertFalse(output.contains("still here"))
    }

    func testPreopenThatIsNotADirectory() {
        XCTAssertThrowsError(try WASI(arguments: [], environment: [], preopens: [("/nonexistent/dir", "/x")])) { e in
            XCTAssertTrue("\(e)".contains("/nonexistent/dir"), "\(e)")
        }
    }

    func testStdinPipe() throws {
        let input = Pipe()
        input.write("hello")
        input.closeWrite()
        let guest = try Guest("cat", stdin: input.readFd)
        let (status, output) = try guest.run()
        input.closeRead()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output, "hellototal 5\n")
    }

    func testLargeOutputThroughPipe() throws {
        // 1 MiB through stdin and stdout pipes: many partial writes and waits.
        let input = Pipe()
        let text = String(repeating: "0123456789abcdef", count: 65536)
        let writer = Thread {
            input.write(text)
            input.closeWrite()
        }
        writer.start()
        let guest = try Guest("cat", stdin: input.readFd)
        let (status, output) = try guest.run()
        input.closeRead()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output, text + "total \(text.utf8.count)\n")
    }

    func testNonblockingStdinReturnsEAGAIN() throws {
        let input = Pipe()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) {
            input.write("late")
            input.closeWrite()
        }
        let guest = try Guest("cat", args: ["nonblock"], stdin: input.readFd)
        let (status, output) = try guest.run()
        // The host descriptor itself was never made non-blocking.
        XCTAssertEqual(fcntl(input.readFd, F_GETFL) & O_NONBLOCK, 0)
        input.closeRead()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output, "EAGAIN\nlatetotal 4\n")
    }

    // MARK: interrupts

    /// Asks for an interrupt after `delay` seconds; returns when it was asked (ms).
    func interrupt(_ context: ExecutionContext, after delay: Double) -> Box<Double> {
        let asked = Box(0.0)
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            asked.value = nowMs()
            context.requestInterrupt()
        }
        return asked
    }

    func testInterruptBlockedRead() throws {
        let input = Pipe()
        let guest = try Guest("cat", stdin: input.readFd)
        let asked = interrupt(guest.context, after: 0.2)
        var cpu0 = rusage()
        getrusage(RUSAGE_SELF.rawValue, &cpu0)
        XCTAssertThrowsError(try guest.context.invokeHandlingRestarts(guest.start, [])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt)
        }
        let latency = nowMs() - asked.value
        XCTAssertLessThan(latency, 100, "interrupt latency")
        var cpu1 = rusage()
        getrusage(RUSAGE_SELF.rawValue, &cpu1)
        let cpuMs = Double(cpu1.ru_utime.tv_sec - cpu0.ru_utime.tv_sec) * 1000 + Double(cpu1.ru_utime.tv_usec - cpu0.ru_utime.tv_usec) / 1000
        XCTAssertLessThan(cpuMs, 100, "a blocked read uses no CPU")
        XCTAssertTrue(guest.context.isSuspended)
        // Nothing was consumed: data written now is read by the resumed call.
        input.write("data")
        input.closeWrite()
        do {
            _ = try guest.context.resume()
        } catch {
            XCTFail("\(error)")
        }
        input.closeRead()
        XCTAssertEqual(guest.stdout.finish(), "datatotal 4\n")
    }

    func testInterruptSleepKeepsDeadline() throws {
        let guest = try Guest("sleep", args: ["2000"])
        let t0 = nowMs()
        let asked = interrupt(guest.context, after: 0.3)
        XCTAssertThrowsError(try guest.context.invokeHandlingRestarts(guest.start, [])) { e in
            XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt)
        }
        XCTAssertLessThan(nowMs() - asked.value, 100, "interrupt latency")
        // Resume after a pause: the sleep still ends 2 s after it started, not 2 s
        // after the resume.
        usleep(200_000)
        do {
            _ = try guest.context.resume()
        } catch {
            XCTFail("\(error)")
        }
        let total = nowMs() - t0
        XCTAssertGreaterThanOrEqual(total, 2000)
        XCTAssertLessThan(total, 2150)
        let output = guest.stdout.finish()
        XCTAssertTrue(output.hasPrefix("slept "), output)
    }

    func testInterruptLongSleepThenAbandon() throws {
        let guest = try Guest("sleep", args: ["3600000"])
        for round in 0..<2 {
            let asked = interrupt(guest.context, after: 0.1)
            XCTAssertThrowsError(try round == 0 ? guest.context.invokeHandlingRestarts(guest.start, []) : guest.context.resume()) { e in
                XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt)
            }
            XCTAssertLessThan(nowMs() - asked.value, 100, "interrupt latency, round \(round)")
        }
        guest.context.abandon()
        XCTAssertFalse(guest.context.isSuspended)
        _ = guest.stdout.finish()
    }

    func testInterruptInfiniteClock() throws {
        // The largest timeouts (relative: a deadline that saturates; absolute) wait
        // until interrupted.
        for mode in ["forever", "forever-abs"] {
            let guest = try Guest("sleep", args: [mode])
            let asked = interrupt(guest.context, after: 0.15)
            XCTAssertThrowsError(try guest.context.invokeHandlingRestarts(guest.start, [])) { e in
                XCTAssertEqual((e as? ExecutionError)?.kind, .userInterrupt, mode)
            }
            XCTAssertLessThan(nowMs() - asked.value, 100, mode)
            guest.context.abandon()
            XCTAssertEqual(guest.stdout.finish(), "", mode)
        }
    }

    func testTortureModeSleepIsExact() throws {
        var config = Configuration()
        config.tortureRestartInterval = 1
        let guest = try Guest("sleep", args: ["300"], configuration: config)
        let (status, output) = try guest.run()
        XCTAssertEqual(status, 0)
        // "slept N us (0)", measured inside the guest around nanosleep.
        let parts = output.split(separator: " ")
        let us = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        XCTAssertGreaterThanOrEqual(us, 300_000, output)
        XCTAssertLessThan(us, 400_000, output)
        XCTAssertGreaterThan(guest.context.statistics.restarts["torture", default: 0], 3)
    }

    func testTortureModeIO() throws {
        var config = Configuration()
        config.tortureRestartInterval = 3
        let input = Pipe()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) {
            input.write("slow")
            input.closeWrite()
        }
        let guest = try Guest("cat", stdin: input.readFd, configuration: config)
        let (status, output) = try guest.run()
        input.closeRead()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(output, "slowtotal 4\n")
        try runChecks("dirs", configuration: config)
    }

    // MARK: links and trailing slashes

    /// What Fixtures/links.c prints under wasmtime: these expectations are wasmtime's
    /// output, not rewasm's (wasmtime 50.0.1 from the PyPI `wasmtime` package, Linux,
    /// the same links.wasm, "/sandbox" preopened on an empty directory through
    /// WasiConfig.preopen_dir). Regenerate them that way if the fixture changes.
    static let linksUnderWasmtime = """
        setup: f file, g file, d dir, dangling symlink
        link 0 f -> new1/ = NOENT; new1: absent
        link 0 f -> g/ = NOTDIR; g: file
        link 0 f -> d/ = EXIST; d: dir
        link 0 f -> dangling/ = NOENT; dangling: symlink
        link 0 f -> flink/ = NOTDIR; flink: symlink
        link 0 f -> dlink/ = EXIST; dlink: symlink
        link 0 f -> d/new2/ = NOENT; d/new2: absent
        link 0 f/ -> new3 = NOTDIR; new3: absent
        link FOLLOW f/ -> new4 = INVAL; new4: absent
        link 0 d/ -> new5 = PERM; new5: absent
        link 0 flink/ -> new6 = NOTDIR; new6: absent
        link 0 dangling/ -> new7 = NOENT; new7: absent
        link 0 dlink/ -> new13 = PERM; new13: absent
        link FOLLOW dangling -> new14 = INVAL; new14: absent
        link 0 f -> g = EXIST; g: file
        link 0 f -> d = EXIST; d: dir
        link 0 f -> dangling = EXIST; dangling: symlink
        link 0 f -> f = EXIST; f: file
        link 0 d -> new8 = PERM; new8: absent
        link 0 missing -> new9 = NOENT; new9: absent
        link 0 flink -> new10 = OK; new10: symlink
        link FOLLOW hlink -> new11 = INVAL; new11: absent
        link 0 f -> new12 = OK; new12: file (linked)
        symlink f -> new20/ = NOENT; new20: absent
        symlink f -> g/ = NOTDIR; g: file
        symlink f -> d/ = EXIST; d: dir
        symlink f -> dangling/ = NOENT; dangling: symlink
        symlink f -> flink/ = NOTDIR; flink: symlink
        symlink f -> dlink/ = EXIST; dlink: symlink
        symlink f -> d/new21/ = NOENT; d/new21: absent
        symlink f -> g = EXIST; g: file
        symlink f -> d = EXIST; d: dir
        symlink f -> dangling = EXIST; dangling: symlink
        symlink /etc/passwd -> abs = PERM; abs: absent
        symlink / -> absroot = PERM; absroot: absent
        symlink ../../outside -> up = OK; up: symlink
        symlink d/ -> slashed = OK; slashed: symlink
        symlink  -> empty = NOENT; empty: absent
        symlink f -> new22 = OK; new22: symlink
        readlink abs = NOENT ""
        open FOLLOW abs = NOENT
        open abs = NOENT
        open FOLLOW absroot = NOENT
        filestat FOLLOW abs = NOENT
        filestat abs = NOENT
        filestat abs/ = NOENT
        filestat FOLLOW up = PERM
        filestat FOLLOW slashed = OK
        filestat dangling/ = NOENT
        link FOLLOW abs -> new23 = INVAL
        link 0 abs -> new24 = NOENT; new24: absent
        rename r1 -> new30/ = NOTDIR; new30: absent
        rename r2/ -> new31 = NOTDIR; new31: absent
        rename r3 -> r5/ = NOTDIR; r5: file
        rename r4 -> rdangling/ = NOTDIR; rdangling: symlink
        rename rdangling/ -> new32 = NOTDIR; new32: absent
        rename rflink/ -> new36 = NOTDIR; new36: absent
        rename dlink/ -> new37 = NOTDIR; new37: absent
        rename rd -> dlink/ = NOTDIR; dlink: symlink
        rename r5 -> rd/ = NOTDIR; rd: dir
        rename rd/ -> new33 = OK; new33: dir
        rename new33 -> new34/ = OK; new34: dir
        rename r6 -> new35 = OK; new35: file
        after: r1 file, r2 file, r3 file, r4 file, r5 file, rdangling symlink, rflink symlink, d dir
        rmdir d/ = INVAL; d: dir
        rmdir dlink/ = INVAL; dlink: symlink; d: dir
        rmdir slashed/ = INVAL; slashed: symlink; d: dir
        rmdir dlink = NOTDIR; dlink: symlink; d: dir
        rmdir flink/ = NOTDIR; flink: symlink; g: file
        rmdir flink = NOTDIR; flink: symlink; g: file
        rmdir dangling/ = NOENT; dangling: symlink
        rmdir dangling = NOTDIR; dangling: symlink
        rmdir f = NOTDIR; f: file (linked)
        rmdir f/ = NOTDIR; f: file (linked)
        rmdir missing/ = NOENT; missing: absent
        unlink d/ = ISDIR; d: dir
        unlink dlink/ = ISDIR; dlink: symlink; d: dir
        unlink d = ISDIR; d: dir
        unlink flink/ = NOTDIR; flink: symlink; g: file
        unlink dangling/ = NOENT; dangling: symlink
        unlink f/ = NOTDIR; f: file (linked)
        unlink dlink = OK; dlink: absent; d: dir
        rmdir d = OK; d: absent

        """

    /// The lines where rewasm deliberately differs from wasmtime (wasmtime's line,
    /// rewasm's line); everything else must be identical.
    static let linksDifferences: [(wasmtime: String, rewasm: String)] = [
        // path_link with SYMLINK_FOLLOW: wasmtime refuses the flag (EINVAL); rewasm
        // follows the source's final link inside the sandbox (docs/WASI.md).
        ("link FOLLOW f/ -> new4 = INVAL; new4: absent", "link FOLLOW f/ -> new4 = NOTDIR; new4: absent"),
        ("link FOLLOW dangling -> new14 = INVAL; new14: absent", "link FOLLOW dangling -> new14 = NOENT; new14: absent"),
        ("link FOLLOW hlink -> new11 = INVAL; new11: absent", "link FOLLOW hlink -> new11 = OK; new11: file (linked)"),
        // Absolute link contents: wasmtime (cap-std) refuses to create such a link
        // (EPERM); rewasm stores it (a link is only data, docs/WASI.md) and refuses to
        // follow it (ENOTCAPABLE). The lines after the two symlinks differ only
        // because "abs" and "absroot" exist in rewasm.
        ("symlink /etc/passwd -> abs = PERM; abs: absent", "symlink /etc/passwd -> abs = OK; abs: symlink"),
        ("symlink / -> absroot = PERM; absroot: absent", "symlink / -> absroot = OK; absroot: symlink"),
        ("readlink abs = NOENT \"\"", "readlink abs = OK \"/etc/passwd\""),
        ("open FOLLOW abs = NOENT", "open FOLLOW abs = NOTCAPABLE"),
        ("open abs = NOENT", "open abs = LOOP"),
        ("open FOLLOW absroot = NOENT", "open FOLLOW absroot = NOTCAPABLE"),
        ("filestat FOLLOW abs = NOENT", "filestat FOLLOW abs = NOTCAPABLE"),
        ("filestat abs = NOENT", "filestat abs = OK"),
        ("filestat abs/ = NOENT", "filestat abs/ = NOTCAPABLE"),
        ("link FOLLOW abs -> new23 = INVAL", "link FOLLOW abs -> new23 = NOTCAPABLE"),
        ("link 0 abs -> new24 = NOENT; new24: absent", "link 0 abs -> new24 = OK; new24: symlink"),
        // Escapes are ENOTCAPABLE in rewasm, EPERM in wasmtime (docs/WASI.md, Sandbox).
        ("filestat FOLLOW up = PERM", "filestat FOLLOW up = NOTCAPABLE"),
    ]

    /// The sandbox's contents afterwards under wasmtime ("name type" or "name ->target").
    static let linksTreeUnderWasmtime = """
        dangling ->nowhere
        f file
        flink ->g
        g file
        h file
        hlink ->h
        new10 ->g
        new12 file
        new22 ->f
        new34 dir
        new35 file
        r1 file
        r2 file
        r3 file
        r4 file
        r5 file
        rdangling ->nowhere
        rflink ->r6
        slashed ->d/
        up ->../../outside
        """

    /// path_link, path_symlink and path_rename with a trailing "/" on either path,
    /// onto existing names (files, directories, links to both, dangling links), and
    /// symbolic links with absolute or escaping contents; path_remove_directory and
    /// path_unlink_file of "d/", "dlink/" (which must not remove "d"), "flink/",
    /// "dangling/", "f" and "f/": every errno and every resulting name as wasmtime,
    /// except the differences listed above.
    func testLinksAndTrailingSlashesAsWasmtime() throws {
        let box = temp.sub("box")
        let guest = try Guest("links", preopens: [(box, "/sandbox")])
        let (status, output) = try guest.run()
        XCTAssertEqual(status, 0, output)

        var expected = WASITests.linksUnderWasmtime.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (wasmtime, rewasm) in WASITests.linksDifferences {
            guard let i = expected.firstIndex(of: wasmtime) else {
                XCTFail("not in wasmtime's output: \(wasmtime)")
                continue
            }
            expected[i] = rewasm
        }
        let got = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in 0..<max(got.count, expected.count) {
            let g = i < got.count ? got[i] : "<missing>"
            let e = i < expected.count ? expected[i] : "<missing>"
            XCTAssertEqual(g, e, "line \(i + 1)")
        }

        // The same names as under wasmtime, plus those of the differences above.
        var tree = WASITests.linksTreeUnderWasmtime.split(separator: "\n").map(String.init)
        tree += ["abs ->/etc/passwd", "absroot ->/", "new11 file", "new24 ->/etc/passwd"]
        XCTAssertEqual(treeListing(box), tree.sorted())
    }

    /// Every name below `root` (not following links), sorted: "path dir", "path file"
    /// or "path ->target".
    func treeListing(_ root: String, _ prefix: String = "") -> [String] {
        var result: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for name in names {
            let path = root + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                result.append(prefix + name + " dir")
                result += treeListing(path, prefix + name + "/")
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                result.append(prefix + name + " ->" + target)
            default:
                result.append(prefix + name + " file")
            }
        }
        return result.sorted()
    }

    // MARK: sockets

    func testSockets() throws {
        var pair: [Int32] = [-1, -1]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair), 0)
        let host = pair[0]
        // A listening socket at a path in the temporary directory.
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let path = Array((temp.path + "/sock").utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let len = socklen_t(MemoryLayout<sockaddr_un>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 1), 0)

        let log = Box<[String]>([])
        let script = Thread { [addr] in
            var addr = addr
            func send(_ s: String) { _ = Array(s.utf8).withUnsafeBytes { Glibc.send(host, $0.baseAddress, $0.count, 0) } }
            func recv(_ fd: Int32, _ n: Int) -> String {
                var buf = [UInt8](repeating: 0, count: n)
                var got = 0
                while got < n {
                    let r = buf.withUnsafeMutableBytes { raw in Glibc.recv(fd, raw.baseAddress.map { $0 + got }, n - got, 0) }
                    if r <= 0 { break }
                    got += r
                }
                return String(decoding: buf[0..<got], as: UTF8.self)
            }
            usleep(100_000)
            send("ping")
            log.value.append(recv(host, 4))
            send("abc")
            send("12")
            usleep(100_000)
            send("345")
            send("xyz")
            log.value.append(recv(host, 1))
            usleep(50_000)
            send("p")
            let c = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(c, $0, len) } }
            log.value.append(ok == 0 ? recv(c, 2) : "connect failed")
            close(c)
            log.value.append("eof:" + recv(host, 1))
            close(host)
        }
        script.start()
        let guest = try Guest("sockets", stdin: pair[1], stderr: listener)
        let (status, output) = try guest.run()
        close(pair[1])
        close(listener)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("ok: "), output)
        XCTAssertEqual(log.value, ["pong", "w", "hi", "eof:"])
    }
}
