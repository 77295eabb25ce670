#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore
import SluiceRuntime

/// Reads one instance's share of one or more files, as a list of segments: the lines that start
/// in a byte range of a file. The instances share the files in stripes (`SegmentDistribution`),
/// so a large file is parsed by several instances at once, all moving through it together; a
/// resumed run shares out the segments a checkpoint left unread the same way.
public final class FileInput: LineInput {
    private let segments: [FileSegment]
    private let follow: Bool
    private let expectsHeader: Bool
    private let context: ExecutionContext
    private var buffer: LineBuffer
    private var segmentIndex = -1
    private var fd: Int32 = -1
    private var openPath = ""
    private var readOffset: Int64 = 0
    private var skipFirstLine = false
    private var linesBeforeRange: Int?
    private var deliveringHeader = false
    private var linesRead = 0

    /// Follow mode polls a file that has reached its end this often (a runtime poll, not a test wait).
    static let followPollMicroseconds: UInt32 = 50_000

    public init(segments: [FileSegment], follow: Bool, expectsHeader: Bool, maxLineBytes: Int, context: ExecutionContext) {
        self.segments = segments
        self.follow = follow
        self.expectsHeader = expectsHeader
        self.context = context
        buffer = LineBuffer(maxLineBytes: maxLineBytes)
    }

    /// Instance `instance` of `instances` over whole files.
    public convenience init(files: [String], instance: Int, of instances: Int, follow: Bool, expectsHeader: Bool,
                            maxLineBytes: Int, context: ExecutionContext) throws {
        self.init(segments: try Self.shares(files: files, instances: instances, follow: follow)[instance],
                  follow: follow, expectsHeader: expectsHeader, maxLineBytes: maxLineBytes, context: context)
    }

    /// Each instance's share of `files` (`SegmentDistribution`: stripes dealt round-robin); in
    /// follow mode, the first instance's share is every file, whole and without an end.
    public static func shares(files: [String], instances: Int, follow: Bool) throws -> [[FileSegment]] {
        let whole = try files.map { path in
            if follow { return FileSegment(path: path, start: 0, end: .max, startsAtLine: true) }
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw PipelineError("cannot read input \(path): \(Descriptor.describe(errno))")
            }
            return FileSegment(path: path, start: 0, end: Int64(info.st_size), startsAtLine: true)
        }
        return SegmentDistribution.distribute(whole, over: instances, files: files)
    }

    public func currentLocation() -> (source: String, line: Int) {
        guard segmentIndex >= 0 && segmentIndex < segments.count else { return (segments.first?.path ?? "", 0) }
        let segment = segments[segmentIndex]
        if deliveringHeader { return (segment.path, 1) }
        if linesBeforeRange == nil {
            if segment.start == 0 {
                linesBeforeRange = expectsHeader ? 1 : 0
            } else if segment.startsAtLine {
                linesBeforeRange = countNewlines(before: segment.start)
            } else {
                // The range's first line follows the first newline at or after start - 1.
                linesBeforeRange = countNewlines(before: segment.start - 1) + 1
            }
        }
        return (segment.path, linesBeforeRange! + linesRead)
    }

    /// What this instance has still to read, for a checkpoint: the rest of the current
    /// segment (from the next unread line) and the segments not opened yet.
    public func checkpointPosition() -> [FileSegment]? {
        var remaining: [FileSegment] = []
        if fd >= 0 {
            let segment = segments[segmentIndex]
            if skipFirstLine {
                remaining.append(segment)
            } else {
                // Inside a line already reported as too long, resume past its end.
                remaining.append(FileSegment(path: segment.path, start: buffer.position, end: segment.end,
                                             startsAtLine: !buffer.isDiscardingLongLine))
            }
        }
        remaining += segments[min(segmentIndex + 1, segments.count)...]
        return remaining
    }

    public func read(_ body: (SourceLine) throws -> Void) throws -> Bool {
        if fd < 0 {
            guard try openNextSegment(body) else { return false }
        }
        let rangeEnd = segments[segmentIndex].end
        let n = buffer.fill { space in
            while true {
                let n = pread(fd, space.baseAddress!, space.count, off_t(readOffset))
                if n >= 0 || errno != EINTR { return n }
            }
        }
        if n < 0 { throw PipelineError("cannot read \(openPath): \(Descriptor.describe(errno))") }
        readOffset += Int64(n)
        let inRange = try buffer.forEachLine(before: rangeEnd) { event, _ in try deliver(event, body) }
        if !inRange {
            closeSegment()
            return true
        }
        if n == 0 {
            if follow && !context.isStopping {
                usleep(Self.followPollMicroseconds)
                return true
            }
            if buffer.position < rangeEnd {
                try buffer.takeRemainder { event in try deliver(event, body, lineKind: .unterminated) }
            }
            closeSegment()
        }
        return !context.isStopping
    }

    public func close() { closeSegment() }

    private func deliver(_ event: LineEvent, _ body: (SourceLine) throws -> Void,
                         lineKind: SourceLine.Kind = .record) throws {
        if skipFirstLine {
            skipFirstLine = false
            return
        }
        linesRead += 1
        try body(SourceLine(event, lineKind: lineKind))
    }

    /// Opens the next segment; false when none is left.
    private func openNextSegment(_ body: (SourceLine) throws -> Void) throws -> Bool {
        segmentIndex += 1
        guard segmentIndex < segments.count, !context.isStopping else {
            segmentIndex = min(segmentIndex, segments.count)
            return false
        }
        let segment = segments[segmentIndex]
        fd = open(segment.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PipelineError("cannot open \(segment.path): \(Descriptor.describe(errno))") }
        openPath = segment.path
        if expectsHeader {
            deliveringHeader = true
            defer { deliveringHeader = false }
            try readHeader(segment.path, body)
        }
        linesRead = 0
        linesBeforeRange = nil
        // A segment that does not start at a line starts inside the previous range's last line
        // (or just after it): back up one byte and skip through the next newline. A CSV header
        // at the start of a file is skipped the same way, having been read already.
        skipFirstLine = !segment.startsAtLine || (expectsHeader && segment.start == 0)
        readOffset = segment.startsAtLine ? segment.start : segment.start - 1
        buffer.reset(startOffset: readOffset)
        return true
    }

    private func readHeader(_ path: String, _ body: (SourceLine) throws -> Void) throws {
        var header = LineBuffer(maxLineBytes: buffer.maxLineBytes)
        var offset: Int64 = 0
        var delivered = false
        while !delivered {
            let n = header.fill { space in pread(fd, space.baseAddress!, space.count, off_t(offset)) }
            if n <= 0 { break }
            offset += Int64(n)
            _ = try header.forEachLine { event, _ in
                guard !delivered, case .line(let bytes) = event else { return }
                delivered = true
                try body(SourceLine(bytes: bytes, kind: .header))
            }
        }
        if !delivered {
            try header.takeRemainder { event in
                if case .line(let bytes) = event { try body(SourceLine(bytes: bytes, kind: .header)) }
            }
        }
    }

    private func closeSegment() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Line numbers in error messages need the count of lines before this instance's range;
    /// it is computed only when a message needs it.
    private func countNewlines(before offset: Int64) -> Int {
        let file = open(openPath, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return 0 }
        defer { Glibc.close(file) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        var position: Int64 = 0
        var count = 0
        while position < offset {
            let n = pread(file, chunk.baseAddress!, Int(min(Int64(chunk.count), offset - position)), off_t(position))
            if n <= 0 { break }
            for byte in UnsafeRawBufferPointer(rebasing: chunk[..<n]) where byte == 10 { count += 1 }
            position += Int64(n)
        }
        return count
    }
}
