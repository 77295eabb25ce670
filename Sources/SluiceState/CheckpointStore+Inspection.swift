extension CheckpointStore {
    /// A human-readable account of every checkpoint in the store, newest first: status, time,
    /// pipeline shape, operators with their key-group ranges and record counts, sizes before and
    /// after compression, source positions and sink states. With `verify`, each complete
    /// checkpoint's files are checked as on resume, and a failure is shown with its reason.
    public func inspectionText(verify: Bool = true) throws -> String {
        let listings = try list()
        guard !listings.isEmpty else { return "\(directory): no checkpoints\n" }
        let complete = listings.filter { $0.status == .complete }.count
        var text = "\(directory): \(listings.count) checkpoint\(listings.count == 1 ? "" : "s") (\(complete) complete)\n"
        for listing in listings.reversed() {
            text += "\n"
            text += Self.describe(listing, verify: verify)
        }
        return text
    }

    /// `inspectionText` for `path`, which is either a store directory (every checkpoint) or one
    /// checkpoint's directory.
    public static func inspectionText(path: String, verify: Bool = true) throws -> String {
        let name = FileIO.lastComponent(path)
        if let id = checkpointID(directoryName: name), FileIO.isDirectory(path) {
            let isComplete = FileIO.exists(path + "/" + manifestName)
            var listing = CheckpointListing(id: id, directory: path, status: isComplete ? .complete : .incomplete, manifest: nil)
            if isComplete {
                do {
                    listing.manifest = try readManifest(checkpointDirectory: path)
                } catch let error as SnapshotError {
                    listing.status = .unreadable(error.message)
                }
            }
            return describe(listing, verify: verify)
        }
        guard FileIO.isDirectory(path) else { throw SnapshotError(.io, "\(path): no such directory") }
        return try CheckpointStore(directory: path).inspectionText(verify: verify)
    }

    static func describe(_ listing: CheckpointListing, verify: Bool) -> String {
        let name = directoryName(id: listing.id)
        switch listing.status {
        case .incomplete:
            return "\(name)  incomplete (no \(manifestName))\n"
        case .unreadable(let reason):
            return "\(name)  unreadable: \(reason)\n"
        case .complete:
            break
        }
        guard let manifest = listing.manifest else { return "\(name)  complete\n" }
        var status = "complete"
        if verify {
            do {
                _ = try Self.verify(checkpointDirectory: listing.directory, expectedID: listing.id)
                status = "complete, verified"
            } catch let error as SnapshotError {
                status = "CORRUPT: \(error.message)"
            } catch {
                status = "CORRUPT: \(error)"
            }
        }
        var text = "\(name)  \(status)\n"
        text += "  created        \(formatTime(manifest.createdAt))\n"
        text += "  pipeline       \(manifest.operators.joined(separator: ", "))\n"
        text += "  maxParallelism \(manifest.maxParallelism)\n"
        let compressed = manifest.files.reduce(Int64(0)) { $0 + $1.compressedBytes }
        let uncompressed = manifest.files.reduce(Int64(0)) { $0 + $1.uncompressedBytes }
        text += "  state          \(manifest.files.count) file\(manifest.files.count == 1 ? "" : "s"), \(formatBytes(uncompressed)) -> \(formatBytes(compressed)) on disk\(ratio(uncompressed, compressed))\n"

        let byOperator = Dictionary(grouping: manifest.files, by: \.operatorID)
        let order = manifest.operators.filter { byOperator[$0] != nil } + byOperator.keys.filter { !manifest.operators.contains($0) }.sorted()
        for operatorID in order {
            let files = byOperator[operatorID]!.sorted { $0.keyGroups.lowerBound < $1.keyGroups.lowerBound }
            let records = files.reduce(Int64(0)) { $0 + $1.recordCount }
            text += "  operator \(operatorID): \(files.count) file\(files.count == 1 ? "" : "s"), \(records) records\n"
            for file in files {
                let range = "[\(file.keyGroups.lowerBound), \(file.keyGroups.upperBound))"
                text += "    key groups \(pad(range, 10))  \(pad(String(file.recordCount), 9, right: true)) records  "
                text += "\(pad(formatBytes(file.uncompressedBytes), 10, right: true)) -> \(pad(formatBytes(file.compressedBytes), 10, right: true))  \(file.path)\n"
            }
        }
        for source in manifest.sources.keys.sorted() {
            let segments = manifest.sources[source]!
            let left = segments.reduce(Int64(0)) { $0 + max($1.end - $1.start, 0) }
            text += "  source \(source): \(segments.count) segment\(segments.count == 1 ? "" : "s") to read, \(formatBytes(left))\n"
            for segment in segments {
                text += "    \(segment.path)  [\(segment.start), \(segment.end))\(segment.startsAtLine ? "" : " (mid-line start)")\n"
            }
        }
        for source in manifest.sourceOffsets.keys.sorted() {
            let offsets = manifest.sourceOffsets[source]!.map(String.init).joined(separator: ", ")
            text += "  source \(source): next record per instance [\(offsets)]\n"
        }
        for sink in manifest.sinks.keys.sorted() {
            text += "  sink \(sink):\n"
            for (instance, state) in manifest.sinks[sink]!.enumerated() {
                text += "    instance \(instance)  \(state.path)  committed \(state.committedBytes) bytes\n"
            }
        }
        if !manifest.extra.isEmpty {
            text += "  extra\n"
            for key in manifest.extra.keys.sorted() { text += "    \(key): \(manifest.extra[key]!)\n" }
        }
        return text
    }

    /// "12.3 KiB" and the like (bytes below 1 KiB as a plain count).
    static func formatBytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        var value = Double(count)
        var unit = 0
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return "\(oneDecimal(value)) \(units[unit])"
    }

    static func ratio(_ uncompressed: Int64, _ compressed: Int64) -> String {
        guard compressed > 0, uncompressed > 0 else { return "" }
        return " (ratio \(oneDecimal(Double(uncompressed) / Double(compressed))))"
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    /// Epoch milliseconds as "2025-11-29 11:20:03.123 UTC".
    static func formatTime(_ milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let millis = milliseconds - seconds * 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Days to civil date (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        func three(_ n: Int64) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)).\(three(millis)) UTC"
    }
}
