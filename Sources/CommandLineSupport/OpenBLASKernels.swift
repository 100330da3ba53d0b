import Foundation

/// Chooses OpenBLAS's kernels before OpenBLAS reads its environment.
///
/// Debian's OpenBLAS 0.3.21 takes AMD's AVX-512 EPYCs for Haswell and runs its AVX2 kernels; with
/// `OPENBLAS_CORETYPE=SKYLAKEX` its AVX-512 kernels run the same products about twice as fast
/// (measured on these machines: ~220 vs ~420 GFLOP/s on 2 cores). OpenBLAS reads the variable once,
/// when the dynamic linker loads it — before `main` — so setting it in-process is too late: the
/// command sets it and replaces itself with a fresh copy (`execv`), once. A user's own value, whatever
/// it is, is left alone; so is a CPU without AVX-512F.
public enum OpenBLASKernels {
    static let variable = "OPENBLAS_CORETYPE"

    public static func selectBeforeLoading() {
        guard getenv(variable) == nil, cpuHasAVX512F() else { return }
        setenv(variable, "SKYLAKEX", 1)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // execv returned: no /proc (not Linux) or not allowed. Carry on with the kernels OpenBLAS chose.
        for argument in arguments { free(argument) }
    }

    static func cpuHasAVX512F() -> Bool {
        // No /proc/cpuinfo (not Linux): nothing to decide, OpenBLAS keeps its own choice.
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return info.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512f") }
    }
}
