import RewasmCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Bounded lifetime: instances are freed with their runtime, or earlier through
/// `Runtime.release`, which refuses while anything may still point into them.
final class LifetimeTests: XCTestCase {
    /// The process's resident memory in bytes (/proc/self/statm).
    private func heapInUse() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Instantiating, calling and dropping 10^4 runtimes with their instances and
    /// contexts leaves the heap where it was.
    func testDroppedRuntimesFreeEverything() throws {
        let module = try Fixture.module("memory")
        func cycle() throws {
            let runtime = Runtime()
            let instance = try runtime.instantiate(module)
            guard let grow = instance.function("grow") else { throw HarnessError("no grow") }
            XCTAssertEqual(try ExecutionContext(runtime: runtime).invoke(grow, [.i32(1)]), [.i32(1)])
        }
        for _ in 0..<1000 { try cycle() }
        let before = heapInUse()
        for _ in 0..<10_000 { try cycle() }
        let grown = heapInUse() - before
        XCTAssertLessThan(grown, 4 << 20, "the heap grew by \(grown) bytes over 10^4 runtimes")
    }

    /// In one runtime, 10^4 instances released after use leave the heap where it was.
    func testReleasedInstancesAreFreed() throws {
        let runtime = Runtime()
        let module = try Fixture.module("memory")
        let context = ExecutionContext(runtime: runtime)
        func cycle() throws {
            let instance = try runtime.instantiate(module)
            guard let grow = instance.function("grow") else { throw HarnessError("no grow") }
            XCTAssertEqual(try context.invoke(grow, [.i32(1)]), [.i32(1)])
            XCTAssertTrue(runtime.release(instance))
        }
        for _ in 0..<1000 { try cycle() }
        let before = heapInUse()
        for _ in 0..<10_000 { try cycle() }
        let grown = heapInUse() - before
        XCTAssertEqual(runtime.instanceCount, 0)
        XCTAssertLessThan(grown, 4 << 20, "the heap grew by \(grown) bytes over 10^4 instances")
        XCTAssertTrue(runtime.release(try runtime.instantiate(module)))
    }

    /// Release is refused while another instance imports from the instance, and allowed
    /// once that one is released; a module that imports a table can never be released.
    func testReleaseRefusedWhileImported() throws {
        let runtime = Runtime()
        let provider = try runtime.instantiate(try Fixture.module("provider"))
        let imports = Imports()
        imports.register("provider", instance: provider)
        let consumer = try runtime.instantiate(try Fixture.module("consumer"), imports: imports)
        XCTAssertFalse(runtime.release(provider), "the consumer imports from it")
        XCTAssertFalse(runtime.release(consumer), "it imports a table: its functions are in the provider's table")
        XCTAssertFalse(try Fixture.module("consumer").referencesStayInside)
        XCTAssertTrue(try Fixture.module("provider").referencesStayInside)
        XCTAssertEqual(runtime.instanceCount, 2)
        // The provider still works.
        guard let add = provider.function("add") else { return XCTFail("no add") }
        XCTAssertEqual(try ExecutionContext(runtime: runtime).invoke(add, [.i32(2), .i32(3)]), [.i32(5)])
    }

    /// A function handed to wasm as a funcref pins its instance.
    func testFuncrefHandedToWasmPins() throws {
        let runtime = Runtime()
        let donor = try runtime.instantiate(try Fixture.module("provider"))
        let holder = try runtime.instantiate(try Fixture.module("table"))
        guard let add = donor.function("add"), let table = holder.table("table") else { return XCTFail("exports") }
        XCTAssertTrue(table.set(0, .funcref(add), runtime: runtime))
        XCTAssertFalse(runtime.release(donor), "its function sits in another instance's table")
        XCTAssertTrue(runtime.release(holder))
    }
}
