#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file with POSIX calls (the tests avoid Foundation where they can).
func readFile(_ path: String) throws -> [UInt8] {
    struct ReadError: Error { var code: Int32 }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ReadError(code: errno) }
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw ReadError(code: errno) }
        if n == 0 { return result }
        result.append(contentsOf: chunk[0..<n])
    }
}
