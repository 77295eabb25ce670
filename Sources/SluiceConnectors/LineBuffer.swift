#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a line splitter finds in the bytes.
public enum LineEvent {
    /// A complete line, without its `\n` (and without a `\r` before it).
    case line(UnsafeRawBufferPointer)
    /// A line longer than the limit: its first bytes, for the dead-letter record; the rest is skipped.
    case tooLong(prefix: UnsafeRawBufferPointer)
}

/// Splits a byte stream into lines in one buffer reused for the whole input: `read(2)` into
/// the free space, `memchr` for newlines, the unfinished tail moved to the front.
public struct LineBuffer: ~Copyable {
    private let storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// Stream offset of `storage[0]`.
    private var baseOffset: Int64
    public let maxLineBytes: Int
    private var discardingLongLine = false

    /// Bytes kept of an over-long line for its dead-letter record.
    public static let rawPrefixBytes = 1024

    public init(maxLineBytes: Int, startOffset: Int64 = 0) {
        self.maxLineBytes = maxLineBytes
        self.baseOffset = startOffset
        storage = .allocate(byteCount: max(1 << 20, maxLineBytes + (1 << 16)), alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The stream offset of the first byte not yet consumed.
    public var position: Int64 { baseOffset + Int64(start) }

    /// Whether the rest of a line already reported as too long is being skipped.
    public var isDiscardingLongLine: Bool { discardingLongLine }

    /// Whether bytes of an unfinished line are buffered.
    public var hasPartialLine: Bool { end > start || discardingLongLine }

    /// Reads once into the free space with `read` (which returns a byte count, 0 at the end,
    /// or -1 with `errno` set) and returns its result.
    public mutating func fill(_ read: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        if start > 0 {
            let pending = end - start
            if pending > 0 {
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: pending)
            }
            baseOffset += Int64(start)
            start = 0
            end = pending
        }
        let n = read(UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
        if n > 0 { end += n }
        return n
    }

    /// Consumes every complete line that starts before `limit`, calling `body` for each with
    /// the stream offset just past the line.
    /// - Returns: false once a line at or past `limit` was reached (the range is done).
    public mutating func forEachLine(before limit: Int64 = .max, _ body: (LineEvent, Int64) throws -> Void) rethrows -> Bool {
        let base = UnsafeRawPointer(storage.baseAddress!)
        while start < end {
            if !discardingLongLine && baseOffset + Int64(start) >= limit { return false }
            let found = memchr(base + start, 10, end - start)
            guard let newline = found.map({ UnsafeRawPointer($0) - base }) else {
                if discardingLongLine {
                    start = end
                } else if end - start > maxLineBytes + 1 {
                    // (+1: the line's `\r` may be among the bytes, and is not counted once the `\n` comes)
                    discardingLongLine = true
                    let prefix = UnsafeRawBufferPointer(start: base + start, count: Swift.min(end - start, Self.rawPrefixBytes))
                    start = end
                    try body(.tooLong(prefix: prefix), baseOffset + Int64(end))
                }
                return true
            }
            let lineStart = start
            start = newline + 1
            if discardingLongLine {
                discardingLongLine = false
                continue
            }
            var lineEnd = newline
            if lineEnd > lineStart && base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 13 { lineEnd -= 1 }
            if lineEnd - lineStart > maxLineBytes {
                try body(.tooLong(prefix: UnsafeRawBufferPointer(start: base + lineStart, count: Swift.min(lineEnd - lineStart, Self.rawPrefixBytes))), baseOffset + Int64(start))
            } else {
                try body(.line(UnsafeRawBufferPointer(start: base + lineStart, count: lineEnd - lineStart)), baseOffset + Int64(start))
            }
        }
        return true
    }

    /// At the end of the input: the unfinished last line (no newline after it), consumed.
    /// A line being discarded as over-long yields nothing more.
    public mutating func takeRemainder(_ body: (LineEvent) throws -> Void) rethrows {
        defer { start = end; discardingLongLine = false }
        guard end > start, !discardingLongLine else { return }
        let base = UnsafeRawPointer(storage.baseAddress!)
        var lineEnd = end
        if base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 13 { lineEnd -= 1 }
        if lineEnd - start > maxLineBytes {
            try body(.tooLong(prefix: UnsafeRawBufferPointer(start: base + start, count: Swift.min(lineEnd - start, Self.rawPrefixBytes))))
        } else {
            try body(.line(UnsafeRawBufferPointer(start: base + start, count: lineEnd - start)))
        }
    }

    /// Drops whatever is buffered (a connection was lost).
    public mutating func reset(startOffset: Int64 = 0) {
        start = 0
        end = 0
        baseOffset = startOffset
        discardingLongLine = false
    }
}
