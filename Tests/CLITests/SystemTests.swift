import Foundation
import XCTest

@testable import rewasm

/// The CLI's libc helpers (Sources/rewasm/Support/System.swift).
final class SystemTests: XCTestCase {
    private var scratch: String = ""

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rewasm-system-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    func testReadFile() throws {
        let path = scratch + "/data"
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try System.readFile(path), bytes)
        try Data().write(to: URL(fileURLWithPath: scratch + "/empty"))
        XCTAssertEqual(try System.readFile(scratch + "/empty"), [])
        // No size from stat: read to the end all the same.
        XCTAssertFalse(try System.readFile("/proc/self/status").isEmpty)
    }

    func testReadFileErrors() throws {
        XCTAssertThrowsError(try System.readFile(scratch + "/missing")) { e in
            XCTAssertEqual("\(e)", "cannot read '\(scratch)/missing': No such file or directory")
        }
        XCTAssertThrowsError(try System.readFile(scratch)) { e in
            XCTAssertEqual("\(e)", "cannot read '\(scratch)': Is a directory")
        }
        let path = scratch + "/big"
        try Data(count: 1000).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try System.readFile(path, limit: 1000).count, 1000)
        XCTAssertThrowsError(try System.readFile(path, limit: 999)) { e in
            XCTAssertEqual("\(e)", "cannot read '\(path)': larger than 999 bytes")
        }
        // A file without a known size is cut off at the limit too.
        XCTAssertThrowsError(try System.readFile("/dev/zero", limit: 100_000))
    }

    func testDirectories() throws {
        for name in ["b.json", "a.json", "c.wasm"] {
            try Data().write(to: URL(fileURLWithPath: scratch + "/" + name))
        }
        try FileManager.default.createDirectory(atPath: scratch + "/sub", withIntermediateDirectories: false)
        XCTAssertEqual(try System.listDirectory(scratch).sorted(), ["a.json", "b.json", "c.wasm", "sub"])
        XCTAssertEqual(try System.listDirectory(scratch + "/sub"), [])
        XCTAssertThrowsError(try System.listDirectory(scratch + "/a.json"))
        XCTAssertThrowsError(try System.listDirectory(scratch + "/missing"))
        XCTAssertEqual(System.isDirectory(scratch), true)
        XCTAssertEqual(System.isDirectory(scratch + "/a.json"), false)
        XCTAssertNil(System.isDirectory(scratch + "/missing"))
    }

    func testPaths() {
        XCTAssertEqual(Path.join("a", "b.wasm"), "a/b.wasm")
        XCTAssertEqual(Path.join("a/", "b.wasm"), "a/b.wasm")
        XCTAssertEqual(Path.join("", "b.wasm"), "b.wasm")
        XCTAssertEqual(Path.join("/", "b.wasm"), "/b.wasm")
        XCTAssertEqual(Path.directory(of: "a/b.json"), "a")
        XCTAssertEqual(Path.directory(of: "/x/a/b.json"), "/x/a")
        XCTAssertEqual(Path.directory(of: "b.json"), "")
        XCTAssertEqual(Path.directory(of: "/b.json"), "/")
        XCTAssertEqual(Path.directory(of: "a/b/"), "a")
        XCTAssertEqual(Path.join(Path.directory(of: "core/names.json"), "names.0.wasm"), "core/names.0.wasm")
    }

    func testSplit() throws {
        XCTAssertTrue(try XCTUnwrap(split("host::guest", at: "::")) == ("host", "guest"))
        XCTAssertTrue(try XCTUnwrap(split("a::b::c", at: "::")) == ("a", "b::c"))
        XCTAssertTrue(try XCTUnwrap(split("::", at: "::")) == ("", ""))
        XCTAssertNil(split("a:b", at: "::"))
        XCTAssertNil(split("", at: "::"))
    }

    func testEnvironment() {
        let env = System.environment()
        let names = env.map(\.0)
        XCTAssertEqual(Set(names).count, names.count, "names are unique")
        for (name, value) in env.prefix(50) {
            XCTAssertEqual(ProcessInfo.processInfo.environment[name], value, name)
        }
        XCTAssertEqual(env.first { $0.0 == "PATH" }?.1, ProcessInfo.processInfo.environment["PATH"])
    }

    func testDeadlines() {
        let now = System.monotonicNow()
        let d = System.deadline(after: 0.5)
        XCTAssertNotNil(d)
        if let d {
            XCTAssertGreaterThanOrEqual(d, now + 500_000_000)
            XCTAssertLessThan(d, now + 1_500_000_000)
        }
        XCTAssertNil(System.deadline(after: 1e30), "too far away: no deadline")
        XCTAssertNotNil(System.deadline(after: 0))
    }

    func testSpawn() {
        let done = expectation(description: "thread ran")
        XCTAssertTrue(System.spawn { done.fulfill() })
        wait(for: [done], timeout: 10)
    }
}
