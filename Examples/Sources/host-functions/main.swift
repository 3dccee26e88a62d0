// host-functions: functions the embedder provides to wasm, and linear memory shared
// between Swift and wasm.
//
// Modules/host.wat imports two host functions from "env":
//   log(ptr, len)              the guest passes a string as pointer + length; the host
//                              reads it from the caller's memory
//   read_name(ptr, cap) -> len the host writes into the guest's memory
// and exports its memory, so Swift can also read and write it between calls.

import Core
import RewasmCore
import Synchronization

runExample("host-functions") {
    let runtime = Runtime()
    let imports = Imports()

    // What `log` printed, for the checks below. Host functions are @Sendable closures
    // (wasm threads may call them concurrently), so shared state needs a lock.
    let logged = Mutex<[String]>([])

    // log(ptr: i32, len: i32): `call` gives the parameters (i32(0), i32(1)) and the
    // calling instance's memory. Every guest pointer must be checked: `read` returns nil
    // when the range is out of bounds, and we turn that into a trap.
    // A closure that throws must say `throws(ExecutionError)`: Swift infers `any Error`.
    let log = runtime.hostFunction(type: FuncType(params: [.i32, .i32], results: [])) { (call: HostCall) throws(ExecutionError) in
        let ptr = UInt64(call.i32(0)), len = Int(call.i32(1))
        guard let memory = call.memory, let bytes = memory.read(offset: ptr, count: len) else {
            throw .trap(.host("log: [\(ptr), \(ptr)+\(len)) is outside the caller's memory"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        print("  guest logs: \(text)")
        logged.withLock { $0.append(text) }
    }
    imports.define("env", "log", .function(log))

    // read_name(ptr: i32, cap: i32) -> i32: writes a name into guest memory and returns
    // its length. Results overwrite the parameters: read them all before setting one.
    let readName = runtime.hostFunction(type: FuncType(params: [.i32, .i32], results: [.i32])) { (call: HostCall) throws(ExecutionError) in
        let ptr = UInt64(call.i32(0)), cap = Int(call.i32(1))
        let name = Array("Swift".utf8.prefix(cap))
        guard let memory = call.memory, memory.write(offset: ptr, bytes: name) else {
            throw .trap(.host("read_name: buffer outside the caller's memory"))
        }
        call.setI32(0, UInt32(name.count))
    }
    imports.define("env", "read_name", .function(readName))

    let instance = try runtime.instantiate(try loadModule("host.wasm"), imports: imports)
    let context = ExecutionContext(runtime: runtime)

    section("the guest passes strings to the host")
    _ = try context.invoke(try function(instance, "hello"), [])
    _ = try context.invoke(try function(instance, "greet"), [])  // calls read_name, then log
    check(logged.withLock { $0 } == ["Hello from wasm!", "Hello, Swift!"], "log received both strings")

    section("Swift reads and writes the exported memory between calls")
    guard let memory = instance.exportedMemory("memory") else { throw ExampleError("no memory export") }
    print("memory: \(memory.pages) page(s), \(memory.byteCount) bytes")
    let text = Array("rewasm runs wasm".utf8)
    let at: UInt64 = 4096
    check(memory.write(offset: at, bytes: text), "wrote \(text.count) bytes at \(at)")
    let sum = try context.invoke(try function(instance, "checksum"), [.i32(UInt32(at)), .i32(UInt32(text.count))])
    print("checksum computed by wasm: \(sum[0])")
    check(sum == [.i32(UInt32(text.reduce(0) { $0 + Int($1) }))], "the guest saw the bytes Swift wrote")
    _ = try context.invoke(try function(instance, "upper"), [.i32(UInt32(at)), .i32(UInt32(text.count))])
    let upper = memory.read(offset: at, count: text.count).map { String(decoding: $0, as: UTF8.self) }
    print("after upper(): \(upper ?? "?")")
    check(upper == "REWASM RUNS WASM", "Swift reads what the guest wrote")
    // Typed accessors and the raw buffer (valid until the memory grows).
    check(memory.storeU32(offset: 0, 0xCAFE_F00D) && memory.loadU32(offset: 0) == 0xCAFE_F00D, "storeU32 / loadU32")
    let zeros = memory.withUnsafeMutableBytes { raw in raw[8192..<8200].allSatisfy { $0 == 0 } }
    check(zeros, "withUnsafeMutableBytes sees untouched memory as zeros")
    check(memory.read(offset: UInt64(memory.byteCount) - 2, count: 4) == nil, "reads past the end return nil")

    section("a host function that throws traps its caller")
    let badLog = try function(instance, "bad_log")
    do {
        _ = try context.invoke(badLog, [])
        check(false, "bad_log traps")
    } catch let error as ExecutionError {
        // ExecutionError: kind .trap(.host(message)), with the wasm backtrace.
        print("bad_log: \(error); backtrace: \(error.backtrace)")
        guard case .trap(.host(let message)) = error.kind else { throw error }
        check(message.hasPrefix("log: "), "bad_log traps with the host function's message")
    }
    // A trap ends that call only; the context and the instance stay usable.
    _ = try context.invoke(try function(instance, "hello"), [])
    check(logged.withLock { $0.count } == 3, "the context runs the next call normally")

    section("the [Value] form of host functions, invoked directly from Swift")
    let add = runtime.hostFunction(type: FuncType(params: [.i32, .i32], results: [.i32])) { _, args in
        guard case .i32(let a) = args[0], case .i32(let b) = args[1] else { return [.i32(0)] }
        return [.i32(a &+ b)]
    }
    let three = try context.invoke(add, [.i32(1), .i32(2)])
    print("add(1, 2) = \(three[0])")
    check(three == [.i32(3)], "a host function can be invoked like any function")
}
