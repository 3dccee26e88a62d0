// The user scheduler (trait UserSched, DESIGN.md §2-3): every wasm thread of a
// wasi-threads program runs as a green thread on the host thread that runs
// `_start`, each with its own ExecutionContext.
//
// - Preemption: the scheduler is an InterruptSource of every green context; when
//   the running thread's time slice has expired and another thread could run, its
//   next interrupt check unwinds it with `restart(.preempt)`.
// - Blocking: memory.atomic.wait, poll_oneoff, fd_read, ... of a green thread do not
//   sleep; they park the thread (`restart(.park)` plus `ExecutionContext.park`). A
//   parked thread is not scheduled until its condition may hold: notified, deadline
//   reached, descriptor ready.
// - When every thread is parked, the scheduler sleeps in one poll() over all their
//   descriptors, its wake pipe (interrupt requests) and the earliest deadline: no
//   spinning, no CPU.
// - The program ends as with host threads: proc_exit or a trap in any thread, or
//   `_start` returning; the other green threads are simply never resumed.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RewasmCore
import RewasmThreads
import Synchronization

#if UserSched
/// Runs a program's threads as green threads on the calling host thread.
public final class GreenScheduler: ThreadLauncher, InterruptSource, @unchecked Sendable {
    /// Counts per program run (`rewasm --stats` prints them).
    public struct Statistics: Sendable {
        /// Turns given to threads: runs or resumptions of one green thread.
        public var slices = 0
        /// Threads stopped with `restart(.preempt)` because their slice expired and
        /// another could run.
        public var preemptions = 0
        /// Threads parked by a blocking operation (`restart(.park)`).
        public var parks = 0
        /// Times the scheduler slept in poll() because every thread was parked.
        public var sleeps = 0
    }

    private final class Green {
        let context: ExecutionContext
        let function: Function
        let arguments: [Value]
        let spawned: SpawnedThread?
        var started = false
        var park: Park?
        var slices = 0

        init(context: ExecutionContext, function: Function, arguments: [Value], spawned: SpawnedThread?) {
            self.context = context
            self.function = function
            self.arguments = arguments
            self.spawned = spawned
        }
    }

    /// The program whose threads this scheduler runs; it is the cluster's launcher.
    public let cluster: Cluster
    /// The time slice in nanoseconds.
    public let slice: UInt64

    // All of this is touched only by the scheduling host thread, except `wakePipe`.
    private var runnable: [Green] = []
    private var parked: [Green] = []
    private var sliceEnd: UInt64 = 0
    /// Counts since the scheduler was created; read them on the scheduling thread or
    /// after `run` returns.
    public private(set) var statistics = Statistics()
    private let wakePipe = WakePipe()

    /// Makes itself the cluster's launcher. `slice`: milliseconds per turn.
    public init(cluster: Cluster, sliceMilliseconds: Int = 10) {
        self.cluster = cluster
        slice = UInt64(max(1, sliceMilliseconds)) * 1_000_000
        cluster.launcher = self
    }

    /// Slices run by each thread, by thread id (0: the main thread). A parked thread
    /// gets none until it is woken.
    public private(set) var slicesByThread: [Int32: Int] = [:]

    // MARK: - ThreadLauncher, InterruptSource

    public func launch(_ thread: SpawnedThread) -> Bool {
        let g = Green(context: thread.context, function: thread.start, arguments: thread.arguments, spawned: thread)
        adopt(g.context)
        runnable.append(g)
        return true
    }

    public func check(_ context: ExecutionContext) -> ExecutionError? {
        guard !runnable.isEmpty || !parked.isEmpty, MonotonicClock.now() >= sliceEnd else { return nil }
        // Parked threads alone are no reason to switch unless one can run now
        // (a notify from this thread, a deadline passed, a descriptor ready).
        if runnable.isEmpty {
            wakeParked(blocking: false)
            guard !runnable.isEmpty else {
                sliceEnd = MonotonicClock.now() &+ slice
                return nil
            }
        }
        statistics.preemptions += 1
        return .restart(.preempt)
    }

    // MARK: - Running

    /// Runs `function` on `context` as the main thread, and every thread it spawns,
    /// until the main thread returns (its results) or the program ends otherwise
    /// (thrown: the main thread's error, or `exit` if another thread ended it; the
    /// cluster's `cause` tells which). Pass the outcome to `cluster.finish(main:)`.
    public func run(main context: ExecutionContext, _ function: Function, _ arguments: [Value]) throws(ExecutionError) -> [Value] {
        let main = Green(context: context, function: function, arguments: arguments, spawned: nil)
        adopt(context)
        runnable.append(main)
        defer {
            // Threads never resumed again are dropped with the program.
            runnable.removeAll()
            parked.removeAll()
        }
        while true {
            if let cause = cluster.cause { throw sibling(cause) }
            // An interrupt requested for the main thread (e.g. --timeout) while it waits
            // in the queue or parked: it stops the program where it is.
            if main.context.isInterruptPending, let e = main.context.checkInterrupt() { throw e }
            wakeParked(blocking: false)
            if runnable.isEmpty {
                if parked.isEmpty { throw .trap(.host("no thread left to run")) }
                wakeParked(blocking: true)
                continue
            }
            let g = runnable.removeFirst()
            sliceEnd = MonotonicClock.now() &+ slice
            statistics.slices += 1
            slicesByThread[g.spawned?.tid ?? 0, default: 0] += 1
            let outcome: Result<[Value], ExecutionError>
            do {
                if g.started {
                    outcome = .success(try g.context.resume())
                } else {
                    g.started = true
                    outcome = .success(try g.context.invoke(g.function, g.arguments))
                }
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let results):
                if g === main { return results }
                g.spawned?.finished(nil)
            case .failure(let e):
                switch e.kind {
                case .restart(.park):
                    g.park = g.context.park
                    g.context.park = nil
                    statistics.parks += 1
                    parked.append(g)
                case .restart:
                    runnable.append(g)
                case .userInterrupt:
                    if g === main { throw e }
                    runnable.append(g)
                case .exit, .trap, .exception, .outOfFuel:
                    if g === main { throw e }
                    g.spawned?.finished(e)
                }
            }
        }
    }

    /// Green contexts park instead of sleeping, are preempted by this scheduler, and
    /// wake it when an interrupt is requested.
    private func adopt(_ context: ExecutionContext) {
        context.parksBlockingCalls = true
        context.addInterruptSource(self)
        let pipe = wakePipe
        context.setWaker { pipe.wake() }
    }

    private func sibling(_ cause: ExecutionError) -> ExecutionError {
        if case .exit(let s) = cause.kind { return .exit(s) }
        return .exit(134)
    }

    /// Moves parked threads whose condition may hold to the run queue. With
    /// `blocking`, first sleeps until one may (or an interrupt request arrives).
    private func wakeParked(blocking: Bool) {
        guard !parked.isEmpty else { return }
        var set: [pollfd] = []
        var owners: [Int] = []
        var earliest: UInt64?
        for (i, g) in parked.enumerated() {
            for f in g.park?.fds ?? [] {
                set.append(pollfd(fd: f.fd, events: f.events, revents: 0))
                owners.append(i)
            }
            if let d = g.park?.deadline { earliest = min(earliest ?? d, d) }
        }
        var timeout: Int32 = 0
        if blocking {
            statistics.sleeps += 1
            if let e = earliest {
                let t = MonotonicClock.now()
                timeout = e <= t ? 0 : Int32(min((e - t + 999_999) / 1_000_000, UInt64(Int32.max)))
            } else {
                timeout = -1
            }
            set.append(wakePipe.pollEntry)
            owners.append(-1)
        }
        // Notified waiters need no poll.
        if blocking, parked.contains(where: { $0.park?.notified?() == true }) { timeout = 0 }
        if !set.isEmpty || timeout != 0 {
            _ = set.withUnsafeMutableBufferPointer { p in poll(p.baseAddress, nfds_t(p.count), timeout) }
        }
        var ready = Set<Int>()
        for (k, p) in set.enumerated() where p.revents != 0 {
            if owners[k] < 0 {
                wakePipe.drain()
            } else {
                ready.insert(owners[k])
            }
        }
        let t = MonotonicClock.now()
        var still: [Green] = []
        for (i, g) in parked.enumerated() {
            let due = g.park?.deadline.map { $0 <= t } ?? false
            if ready.contains(i) || due || g.park?.notified?() == true {
                g.park = nil
                runnable.append(g)
            } else {
                still.append(g)
            }
        }
        parked = still
    }
}
#endif
