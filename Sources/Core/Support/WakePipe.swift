#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pipe whose only purpose is to end a `poll()` early: a waiter polls `readFd` with
/// its other descriptors, and `wake()` (from any thread) makes it ready. Both ends are
/// close-on-exec and non-blocking; if the pipe cannot be created, both are -1 (poll
/// ignores them and `wake` does nothing), so waits end only at their deadlines.
public final class WakePipe: Sendable {
    /// The end to poll for `POLLIN`.
    public let readFd: Int32
    /// The end `wake` writes to.
    public let writeFd: Int32

    /// Creates the pipe.
    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
        } else {
            fds = [-1, -1]
        }
        readFd = fds[0]
        writeFd = fds[1]
    }

    deinit {
        if readFd >= 0 { close(readFd) }
        if writeFd >= 0 { close(writeFd) }
    }

    /// Makes `readFd` readable (a full pipe is as good: it is readable already).
    public func wake() {
        var b: UInt8 = 1
        _ = write(writeFd, &b, 1)
    }

    /// Empties the pipe after a wake-up.
    public func drain() {
        var buf = [UInt8](repeating: 0, count: 64)
        while read(readFd, &buf, buf.count) > 0 {}
    }

    /// A `pollfd` that waits for `wake`.
    public var pollEntry: pollfd { pollfd(fd: readFd, events: Int16(POLLIN), revents: 0) }
}
