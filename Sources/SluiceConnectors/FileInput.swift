#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore
import SluiceRuntime

/// Reads one instance's share of one or more files: instance `i` of `p` takes the lines that
/// start in the `i`-th of `p` equal byte ranges of each file (split at line boundaries, as
/// Hadoop does), so a large file is parsed by several instances at once.
public final class FileInput: LineInput {
    private let files: [String]
    private let instance: Int
    private let instances: Int
    private let follow: Bool
    private let expectsHeader: Bool
    private let context: ExecutionContext
    private var buffer: LineBuffer
    private var fileIndex = -1
    private var fd: Int32 = -1
    private var readOffset: Int64 = 0
    private var rangeEnd: Int64 = 0
    private var skipFirstLine = false
    private var rangeStart: Int64 = 0
    private var linesBeforeRange: Int?
    private var deliveringHeader = false
    private var linesRead = 0

    /// Follow mode polls a file that has reached its end this often (a runtime poll, not a test wait).
    static let followPollMicroseconds: UInt32 = 50_000

    public init(files: [String], instance: Int, of instances: Int, follow: Bool, expectsHeader: Bool,
                maxLineBytes: Int, context: ExecutionContext) {
        self.files = files
        self.instance = instance
        self.instances = instances
        self.follow = follow
        self.expectsHeader = expectsHeader
        self.context = context
        buffer = LineBuffer(maxLineBytes: maxLineBytes)
    }

    public func currentLocation() -> (source: String, line: Int) {
        guard fileIndex >= 0 && fileIndex < files.count else { return (files.first ?? "", 0) }
        if deliveringHeader { return (files[fileIndex], 1) }
        // The range's first line follows the first newline at or after rangeStart - 1.
        if linesBeforeRange == nil { linesBeforeRange = countNewlines(before: rangeStart - 1) + 1 }
        return (files[fileIndex], linesBeforeRange! + linesRead)
    }

    public func read(_ body: (SourceLine) throws -> Void) throws -> Bool {
        if fd < 0 {
            guard try openNextFile(body) else { return false }
        }
        let n = buffer.fill { space in
            while true {
                let n = pread(fd, space.baseAddress!, space.count, off_t(readOffset))
                if n >= 0 || errno != EINTR { return n }
            }
        }
        if n < 0 { throw PipelineError("cannot read \(files[fileIndex]): \(Descriptor.describe(errno))") }
        readOffset += Int64(n)
        let inRange = try buffer.forEachLine(before: rangeEnd) { event, _ in try deliver(event, body) }
        if !inRange {
            closeFile()
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
            closeFile()
        }
        return !context.isStopping
    }

    public func close() { closeFile() }

    private func deliver(_ event: LineEvent, _ body: (SourceLine) throws -> Void,
                         lineKind: SourceLine.Kind = .record) throws {
        if skipFirstLine {
            skipFirstLine = false
            return
        }
        linesRead += 1
        try body(SourceLine(event, lineKind: lineKind))
    }

    /// Opens the next file that has a share for this instance; false when none is left.
    private func openNextFile(_ body: (SourceLine) throws -> Void) throws -> Bool {
        while true {
            fileIndex += 1
            guard fileIndex < files.count, !context.isStopping else { return false }
            let path = files[fileIndex]
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw PipelineError("cannot open \(path): \(Descriptor.describe(errno))") }
            var info = stat()
            fstat(fd, &info)
            let size = Int64(info.st_size)
            if size == 0 && instance == 0 && !follow {
                Diagnostics.warning("input file \(path) is empty")
            }
            let (start, end) = follow ? (Int64(0), Int64.max) : (size * Int64(instance) / Int64(instances), size * Int64(instance + 1) / Int64(instances))
            if expectsHeader {
                deliveringHeader = true
                defer { deliveringHeader = false }
                try readHeader(path, body)
            }
            linesRead = 0
            linesBeforeRange = start == 0 ? (expectsHeader ? 1 : 0) : nil
            rangeStart = start
            // A range that does not begin the file starts inside the previous range's last
            // line (or just after it): back up one byte and skip through the next newline.
            skipFirstLine = start > 0 || expectsHeader
            readOffset = start > 0 ? start - 1 : 0
            rangeEnd = end
            buffer.reset(startOffset: readOffset)
            if start >= end && !follow {
                closeFile()
                continue
            }
            return true
        }
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

    private func closeFile() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    /// Line numbers in error messages need the count of lines before this instance's range;
    /// it is computed only when a message needs it.
    private func countNewlines(before offset: Int64) -> Int {
        let file = open(files[fileIndex], O_RDONLY | O_CLOEXEC)
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
