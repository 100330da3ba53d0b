/// A deterministic 1/n of every condition, so that n machines (a Slurm job array, a Kubernetes
/// indexed Job) can share one catalog and compile can merge their files.
///
/// Prompt `j` of a condition (0-based, catalog order) belongs to shard `j % count`: every shard gets
/// an even share of every condition, and the merge can put prompts back in catalog order.
package struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 0-based, as `SLURM_ARRAY_TASK_ID` (with `--array=0-(n-1)`) and `JOB_COMPLETION_INDEX` are.
    package let index: Int
    package let count: Int

    package static let whole = Shard(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    package init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw ExtractionError.badShard("\(index)/\(count)")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    /// Parses `i/n`, e.g. `0/4` … `3/4`.
    package init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ExtractionError.badShard(text)
        }
        try self.init(index: i, count: n)
    }

    /// Whether prompt `position` (0-based, catalog order within its condition) is this shard's.
    package func contains(position: Int) -> Bool { position % count == index }

    package var description: String { "\(index)/\(count)" }
}
