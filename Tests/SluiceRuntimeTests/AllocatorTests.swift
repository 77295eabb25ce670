import Testing
import SluiceRuntime

/// SwiftPM links test binaries as it links pipeline binaries, so what holds here holds there.
@Suite("the allocator is mimalloc")
struct AllocatorTests {
    @Test("malloc, as C code calls it, is mimalloc's")
    func mallocIsMimalloc() {
        #expect(Allocator.mallocIsMimalloc)
        #expect(Allocator.mimallocVersion.hasPrefix("2."), "\(Allocator.mimallocVersion)")
    }

    @Test("the Swift runtime's allocations come from mimalloc")
    func swiftAllocations() {
        final class Box { var value = 0 }
        let array = ContiguousArray<Int>(repeating: 7, count: 1000)
        let string = String(repeating: "long enough for heap storage ", count: 4)
        let box = Box()
        array.withUnsafeBufferPointer { #expect(Allocator.manages($0.baseAddress!)) }
        var text = string
        text.withUTF8 { #expect(Allocator.manages($0.baseAddress!)) }
        #expect(Allocator.manages(UnsafeRawPointer(Unmanaged.passUnretained(box).toOpaque())))
    }

    @Test("memory from elsewhere is not claimed")
    func stackMemory() {
        var local = 42
        withUnsafePointer(to: &local) { #expect(!Allocator.manages($0)) }
    }
}
