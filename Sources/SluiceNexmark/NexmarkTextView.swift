/// What the generator reads of a ``NexmarkTextPool``, as plain pointers into it.
///
/// Every source instance's copy of a generator shares one pool. Reaching it through the class
/// reference retained and released the pool and its arrays around each use (the disassembly of
/// `event(at:)` shows it): atomic updates of objects that every source thread touches. The view
/// is only valid while its pool and its URL table live: the generator keeps all three.
struct NexmarkTextView: @unchecked Sendable {
    let poolLength: Int
    let letters: UnsafeMutablePointer<UInt8>
    let lettersWithSpaces: UnsafeMutablePointer<UInt8>
    let fragments: UnsafeMutablePointer<UInt8>
    let fragmentStart: UnsafeMutablePointer<Int>
    let channelNames: UnsafeMutablePointer<String>
    let channelURLs: UnsafeMutablePointer<String>

    /// The string for a slice of ``letters``.
    func lettersString(_ s: TextSlice) -> String {
        String(decoding: UnsafeBufferPointer(start: letters + s.offset, count: s.length), as: UTF8.self)
    }

    /// The string for a slice of ``lettersWithSpaces``.
    func lettersWithSpacesString(_ s: TextSlice) -> String {
        String(decoding: UnsafeBufferPointer(start: lettersWithSpaces + s.offset, count: s.length), as: UTF8.self)
    }
}
