import SluiceCore
import Testing

/// `FieldAccess.reader` reads stored properties at their offsets and everything else through the
/// key path; both must read what the key path reads.
@Suite struct FieldAccessTests {
    struct Inner: Equatable { var flag: Bool; var label: String }
    struct Row { var id: Int64; var name: String; var inner: Inner; var score: Double?; var doubled: Int64 { id * 2 } }
    final class Box { let value: Int64; init(_ value: Int64) { self.value = value } }

    static let rows = [
        Row(id: 7, name: "short", inner: Inner(flag: true, label: "a label long enough to live on the heap"), score: 0.5),
        Row(id: -1, name: String(repeating: "é", count: 40), inner: Inner(flag: false, label: ""), score: nil),
    ]

    @Test func storedPropertiesAtAnyDepthReadAsTheKeyPathDoes() {
        for row in Self.rows {
            #expect(FieldAccess.reader(\Row.id)(row) == row.id)
            #expect(FieldAccess.reader(\Row.name)(row) == row.name)
            #expect(FieldAccess.reader(\Row.inner)(row) == row.inner)
            #expect(FieldAccess.reader(\Row.inner.label)(row) == row.inner.label)
            #expect(FieldAccess.reader(\Row.inner.flag)(row) == row.inner.flag)
            #expect(FieldAccess.reader(\Row.score)(row) == row.score)
        }
    }

    @Test func computedPropertiesAndClassesGoThroughTheKeyPath() {
        #expect(MemoryLayout<Row>.offset(of: \Row.doubled) == nil)
        #expect(FieldAccess.reader(\Row.doubled)(Self.rows[0]) == 14)
        #expect(FieldAccess.reader(\Box.value)(Box(3)) == 3)
    }

    @Test func aReadValueOutlivesTheRecord() {
        var name: String?
        do {
            let row = Row(id: 1, name: String(repeating: "x", count: 100), inner: Inner(flag: true, label: ""), score: nil)
            name = FieldAccess.reader(\Row.name)(row)
        }
        #expect(name == String(repeating: "x", count: 100))
    }
}
