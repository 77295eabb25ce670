#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension NexmarkGenerator {
    // MARK: - Public JSON-lines API

    /// Appends the event numbered ``nextEventNumber`` to `buffer` as one JSON line in the
    /// `nexmark.md` layout (fixed field order, no spaces, newline-terminated) and advances
    /// ``nextEventNumber``. Writes the bytes directly, without `Codable`.
    public mutating func appendNextLine(into buffer: inout [UInt8]) {
        appendLine(forEvent: nextEventNumber, into: &buffer)
        nextEventNumber += 1
    }

    /// Appends `count` events, starting at ``nextEventNumber``, as JSON lines, and advances
    /// ``nextEventNumber`` by `count`. Faster than `count` calls of ``appendNextLine(into:)``.
    public mutating func appendLines(_ count: Int, into buffer: inout [UInt8]) {
        precondition(count >= 0, "count must not be negative")
        let chunk = 4096
        var done = 0
        while done < count {
            let k = min(chunk, count - done)
            let first = nextEventNumber
            var bound = 0
            for i in 0..<Int64(k) { bound += maxLineLength(forEvent: first + i) }
            let start = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: bound))
            let written = buffer.withUnsafeMutableBufferPointer { b in
                var p = b.baseAddress! + start
                for i in 0..<Int64(k) { p += writeLine(forEvent: first + i, to: p) }
                return p - (b.baseAddress! + start)
            }
            buffer.removeLast(bound - written)
            nextEventNumber += Int64(k)
            done += k
        }
    }

    /// Appends event `n` (`n >= 0`) as one JSON line, independently of ``nextEventNumber``.
    public func appendLine(forEvent n: Int64, into buffer: inout [UInt8]) {
        precondition(n >= 0, "event numbers start at 0")
        let bound = maxLineLength(forEvent: n)
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: bound))
        let written = buffer.withUnsafeMutableBufferPointer { b in
            writeLine(forEvent: n, to: b.baseAddress! + start)
        }
        buffer.removeLast(bound - written)
    }

    /// Writes `events` JSON lines, starting at ``nextEventNumber`` (which is not advanced),
    /// to the file at `path` (created or truncated), through a large reused buffer and `write(2)`.
    ///
    /// - Returns: the number of bytes written.
    @discardableResult
    public func writeFile(path: String, events: Int) throws -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw NexmarkIOError(operation: "open", path: path, code: errno) }
        let bytes: Int
        do {
            bytes = try write(toFileDescriptor: fd, events: events, name: path)
        } catch {
            _ = close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw NexmarkIOError(operation: "close", path: path, code: errno) }
        return bytes
    }

    /// Writes `events` JSON lines, starting at ``nextEventNumber`` (which is not advanced),
    /// to an open file descriptor (1 for standard output) with `write(2)`; does not close it.
    ///
    /// - Returns: the number of bytes written.
    @discardableResult
    public func write(toFileDescriptor fd: Int32, events: Int) throws -> Int {
        try write(toFileDescriptor: fd, events: events, name: "fd \(fd)")
    }

    // MARK: - Internals

    /// Size of the reused output buffer of ``writeFile(path:events:)``.
    static var outputBufferSize: Int { 4 << 20 }

    func write(toFileDescriptor fd: Int32, events: Int, name: String) throws -> Int {
        precondition(events >= 0, "events must not be negative")
        let capacity = Self.outputBufferSize + maxLineLength
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var n = nextEventNumber
        let end = nextEventNumber + Int64(events)
        var total = 0
        let limit = buffer + Self.outputBufferSize
        while n < end {
            var p = buffer
            while n < end && p < limit {
                p += writeLine(forEvent: n, to: p)
                n += 1
            }
            try Self.writeAll(fd, buffer, p - buffer, name: name)
            total += p - buffer
        }
        return total
    }

    /// Writes all `count` bytes at `bytes`, retrying short writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeMutablePointer<UInt8>, _ count: Int, name: String) throws {
        var offset = 0
        while offset < count {
            let w = posixWrite(fd, bytes + offset, count - offset)
            if w < 0 {
                if errno == EINTR { continue }
                throw NexmarkIOError(operation: "write", path: name, code: errno)
            }
            offset += w
        }
    }

    /// An upper bound of the length of event `n`'s JSON line.
    @inline(__always)
    func maxLineLength(forEvent n: Int64) -> Int {
        let rem = n % NexmarkModel.totalProportion
        return rem >= 4 ? maxBidLineLength : (rem == 0 ? maxPersonLineLength : maxAuctionLineLength)
    }

    /// Writes event `n`'s JSON line at `out`, which must have room for
    /// `maxLineLength(forEvent: n)` bytes; returns the number of bytes written.
    @inline(__always)
    func writeLine(forEvent n: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var r = rng(forEvent: n)
        let ts = dateTime(ofEvent: n)
        var w = ByteWriter(out)
        let rem = n % NexmarkModel.totalProportion
        if rem >= 4 {
            let b = rawBid(n, ts, &r)
            w.write(#"{"type":"bid","auction":"#)
            w.write(b.auction)
            w.write(#","bidder":"#)
            w.write(b.bidder)
            w.write(#","price":"#)
            w.write(b.price)
            let start = pool.fragmentStart[b.channel]
            w.write(pool.fragments + start, count: pool.fragmentStart[b.channel + 1] - start)
            w.write(b.dateTime)
            w.write(#","extra":""#)
            w.write(pool.letters + b.extra.offset, count: b.extra.length)
            w.write("\"}\n")
        } else if rem == 0 {
            writePerson(rawPerson(n, ts, &r), &w)
        } else {
            writeAuction(rawAuction(n, ts, &r), &w)
        }
        return w.p - out
    }

    func writePerson(_ p: RawPerson, _ w: inout ByteWriter) {
        w.write(#"{"type":"person","id":"#)
        w.write(p.id)
        w.write(#","name":""#)
        w.write(NexmarkModel.firstNames[p.firstName])
        w.write(byte: 32)
        w.write(NexmarkModel.lastNames[p.lastName])
        w.write(#"","emailAddress":""#)
        w.write(pool.lettersWithSpaces + p.emailUser.offset, count: p.emailUser.length)
        w.write(byte: UInt8(ascii: "@"))
        w.write(pool.lettersWithSpaces + p.emailDomain.offset, count: p.emailDomain.length)
        w.write(#".com","creditCard":""#)
        w.writeFourDigits(p.creditCard0)
        w.write(byte: 32)
        w.writeFourDigits(p.creditCard1)
        w.write(byte: 32)
        w.writeFourDigits(p.creditCard2)
        w.write(byte: 32)
        w.writeFourDigits(p.creditCard3)
        w.write(#"","city":""#)
        w.write(NexmarkModel.usCities[p.city])
        w.write(#"","state":""#)
        w.write(NexmarkModel.usStates[p.state])
        w.write(#"","dateTime":"#)
        w.write(p.dateTime)
        w.write(#","extra":""#)
        w.write(pool.letters + p.extra.offset, count: p.extra.length)
        w.write("\"}\n")
    }

    func writeAuction(_ a: RawAuction, _ w: inout ByteWriter) {
        w.write(#"{"type":"auction","id":"#)
        w.write(a.id)
        w.write(#","itemName":""#)
        w.write(pool.lettersWithSpaces + a.itemName.offset, count: a.itemName.length)
        w.write(#"","description":""#)
        w.write(pool.lettersWithSpaces + a.description.offset, count: a.description.length)
        w.write(#"","initialBid":"#)
        w.write(a.initialBid)
        w.write(#","reserve":"#)
        w.write(a.reserve)
        w.write(#","dateTime":"#)
        w.write(a.dateTime)
        w.write(#","expires":"#)
        w.write(a.expires)
        w.write(#","seller":"#)
        w.write(a.seller)
        w.write(#","category":"#)
        w.write(a.category)
        w.write(#","extra":""#)
        w.write(pool.letters + a.extra.offset, count: a.extra.length)
        w.write("\"}\n")
    }
}

/// `write(2)`, named apart from the generator's own `write` methods.
@inline(__always)
private func posixWrite(_ fd: Int32, _ bytes: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #elseif canImport(Musl)
    Musl.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}
