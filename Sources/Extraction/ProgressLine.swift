import Foundation

/// A progress line for long work: on a terminal it redraws one line on stderr (count, rate, ETA);
/// in a pipe or a log it stays quiet, so logs hold only the final summary.
package final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let totalUnits: Int
    private let unitName: String
    private let enabled: Bool
    private let start = Date()
    private var doneUnits = 0
    private var measuredUnits = 0  // units computed in this run (not skipped), for the rate
    private var lastDraw = Date.distantPast

    /// - Parameters:
    ///   - totalUnits: the work to do, in `unitName`s (e.g. tokens), for the rate and the ETA.
    ///   - enabled: draw at all; defaults to whether stderr is a terminal.
    package init(label: String, totalUnits: Int, unitName: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.totalUnits = totalUnits
        self.unitName = unitName
        self.enabled = enabled
    }

    /// Work finished earlier (a resumed run): counts as done, not toward the rate.
    package func skip(units: Int) {
        doneUnits += units
    }

    /// Work finished now; `detail` names where we are (e.g. the condition).
    package func advance(units: Int, detail: String) {
        doneUnits += units
        measuredUnits += units
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.25 || doneUnits == totalUnits else { return }
        lastDraw = Date()
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(measuredUnits) / elapsed : 0
        let eta = rate > 0 ? Double(totalUnits - doneUnits) / rate : 0
        let percent = totalUnits > 0 ? 100 * doneUnits / totalUnits : 100
        let line = "\(label): \(percent)% \(doneUnits)/\(totalUnits) \(unitName) · \(Int(rate)) \(unitName)/s · ETA \(Self.duration(eta)) · \(detail)"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Clears the line so the summary that follows starts clean.
    package func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    package static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
            : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
