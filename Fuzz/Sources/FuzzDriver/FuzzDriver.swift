import CLibFuzzer
import FuzzHarness

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The harness of the running fuzz binary: set once in `runFuzzer`, before libFuzzer calls back, and
/// only read afterwards (libFuzzer runs one input at a time on one thread).
nonisolated(unsafe) private var harness: FuzzHarness?

/// Runs libFuzzer on `target` with the process's arguments (corpus folders, `-max_total_time=…`).
///
/// SwiftPM links every executable with `main` aliased to `<Module>_main`, which `-parse-as-library`
/// would leave undefined; so the executables keep their own `main` (this call, from `main.swift`) and
/// hand control to libFuzzer's driver instead of letting libFuzzer supply `main`.
public func runFuzzer(_ target: FuzzTarget) -> Never {
    do {
        harness = try FuzzHarness(target: target)
    } catch {
        fatalError("fuzz \(target.rawValue): cannot set up: \(error)")
    }
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
}

/// One input: thrown errors are the expected answer to bad input; an accepted input that contradicts
/// itself is a finding, reported as a crash so that libFuzzer saves it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let harness else { fatalError("fuzz: LLVMFuzzerTestOneInput before runFuzzer") }
    let outcome = harness.run(UnsafeRawBufferPointer(start: start, count: count))
    if case .inconsistent(let reason) = outcome { fatalError("fuzz \(harness.target.rawValue): \(reason)") }
    return 0
}
