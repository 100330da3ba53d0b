import Dispatch
import Foundation

/// Runs `body` on each submitted item, one at a time and in submission order, on a background
/// thread, while the submitting thread goes on with the next item: a two-stage pipeline.
///
/// Bounded: at most `capacity` items are submitted and not yet done; `submit` waits for a free slot,
/// so memory holds at most `capacity` items (plus the one the submitter is preparing).
///
/// Failure: the first error thrown by `body` stops the stage. The items behind it are dropped (not
/// run), and that error is thrown by the next `submit` and by `finish`, so the submitter stops at
/// its next step and reports the background's error as if it had happened in line.
final class BackgroundStage<Item: Sendable>: @unchecked Sendable {
    private let queue: DispatchQueue
    private let slots: DispatchSemaphore
    private let body: @Sendable (Item) throws -> Void
    /// Guards `failure` and `cancelled`, which both threads read and write.
    private let lock = NSLock()
    private var failure: Error?
    private var cancelled = false

    init(label: String, capacity: Int, body: @escaping @Sendable (Item) throws -> Void) {
        precondition(capacity >= 1, "BackgroundStage: capacity \(capacity) < 1")
        queue = DispatchQueue(label: label)
        slots = DispatchSemaphore(value: capacity)
        self.body = body
    }

    /// Hands `item` to the background thread, after waiting for a free slot; throws the error that
    /// stopped the stage, if one did.
    func submit(_ item: Item) throws {
        try throwIfFailed()
        slots.wait()
        do {
            try throwIfFailed()
        } catch {
            slots.signal()
            throw error
        }
        queue.async { [self] in
            defer { slots.signal() }
            guard !stopped else { return }
            do {
                try body(item)
            } catch {
                lock.withLock { if failure == nil { failure = error } }
            }
        }
    }

    /// Waits until every submitted item is done; throws the error that stopped the stage, if one did.
    func finish() throws {
        queue.sync {}
        try throwIfFailed()
    }

    /// Drops the items not yet started and waits for the one running, if any: after `cancel` the
    /// background thread touches nothing (the submitter may then delete what it was writing).
    func cancel() {
        lock.withLock { cancelled = true }
        queue.sync {}
    }

    private var stopped: Bool { lock.withLock { failure != nil || cancelled } }

    private func throwIfFailed() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
