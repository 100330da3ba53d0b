@testable import Extraction
import Foundation
import Testing

/// The two-stage pipeline under `extract`: order, the bound on waiting items, and how a background
/// failure reaches the submitter.
struct BackgroundStageTests {
    /// What the background body saw, shared with the test thread.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Int] = []

        func append(_ item: Int) { lock.withLock { items.append(item) } }
        var seen: [Int] { lock.withLock { items } }
    }

    struct Failure: Error, Equatable { let item: Int }

    @Test func itemsRunInOrderOnAnotherThread() throws {
        let log = Log()
        let submitter = pthread_self()
        let stage = BackgroundStage<Int>(label: "test", capacity: 2) { item in
            #expect(pthread_equal(pthread_self(), submitter) == 0)
            log.append(item)
        }
        for item in 0..<50 { try stage.submit(item) }
        try stage.finish()
        #expect(log.seen == Array(0..<50))
    }

    /// A slow body: `submit` waits once `capacity` items are pending, so the submitter is never more
    /// than `capacity` items ahead of what the background has finished.
    @Test(arguments: [1, 2])
    func submitWaitsWhileCapacityItemsArePending(_ capacity: Int) throws {
        let log = Log()
        let stage = BackgroundStage<Int>(label: "test", capacity: capacity) { item in
            usleep(2_000)
            log.append(item)
        }
        for item in 0..<20 {
            try stage.submit(item)
            // `item + 1` submitted; at most `capacity` of them not finished.
            #expect(item + 1 - log.seen.count <= capacity, "item \(item): \(log.seen.count) done")
        }
        try stage.finish()
        #expect(log.seen == Array(0..<20))
    }

    @Test func aFailureStopsTheStageAndReachesTheSubmitter() throws {
        let log = Log()
        let stage = BackgroundStage<Int>(label: "test", capacity: 1) { item in
            if item == 3 { throw Failure(item: item) }
            log.append(item)
        }
        var thrown: Error?
        for item in 0..<100 {
            do {
                try stage.submit(item)
            } catch {
                thrown = error
                break
            }
        }
        // With one slot the submitter learns of the failure within two submits of it.
        #expect(thrown as? Failure == Failure(item: 3))
        #expect(throws: Failure(item: 3)) { try stage.finish() }
        #expect(log.seen == [0, 1, 2])  // nothing after the failed item ran
    }

    @Test func cancelWaitsForTheRunningItemAndDropsTheRest() throws {
        let log = Log()
        let started = DispatchSemaphore(value: 0)
        let stage = BackgroundStage<Int>(label: "test", capacity: 3) { item in
            if item == 0 { started.signal() }
            usleep(20_000)
            log.append(item)
        }
        for item in 0..<3 { try stage.submit(item) }
        started.wait()
        stage.cancel()
        #expect(log.seen == [0])  // finished before cancel returned; 1 and 2 never ran
        try stage.finish()  // a cancelled stage has no error to report
        #expect(log.seen == [0])
    }
}
