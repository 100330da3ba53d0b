import Foundation

/// Chooses OpenBLAS's kernels before OpenBLAS reads its environment.
///
/// Debian's OpenBLAS 0.3.21 runs its AVX2 (Haswell) kernels on these AMD EPYCs — the machines also set
/// `OPENBLAS_CORETYPE=Haswell` in every environment — while its AVX-512 (SkylakeX) kernels run the same
/// products about twice as fast there (measured: ~220 vs ~420 GFLOP/s on 2 cores). So every command
/// decides: `CODEBOOK_OPENBLAS_CORETYPE` when set (e.g. `HASWELL` to force the AVX2 kernels), else
/// `SKYLAKEX` on a CPU with AVX-512F (and `CODEBOOK_NO_AVX512` unset), else whatever OpenBLAS would do. OpenBLAS reads the variable
/// when the dynamic linker loads it, before `main`, so setting it in-process is too late: the command
/// sets it and replaces itself with a fresh copy (`execv`), once.
public enum OpenBLASKernels {
    public static func selectBeforeLoading() {
        let chosen = ProcessInfo.processInfo.environment["CODEBOOK_OPENBLAS_CORETYPE"] ?? (cpuHasAVX512F() ? "SKYLAKEX" : nil)
        guard let chosen, !chosen.isEmpty, ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != chosen else { return }
        setenv("OPENBLAS_CORETYPE", chosen, 1)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // execv returned: no /proc (not Linux) or not allowed. Carry on with the kernels OpenBLAS chose.
        for argument in arguments { free(argument) }
    }

    static func cpuHasAVX512F() -> Bool {
        // CODEBOOK_NO_AVX512: take the paths of a CPU without AVX-512 (see CKernels.h).
        if let value = ProcessInfo.processInfo.environment["CODEBOOK_NO_AVX512"], !value.isEmpty, value != "0" { return false }
        // No /proc/cpuinfo (not Linux): nothing to decide, OpenBLAS keeps its own choice.
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return info.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512f") }
    }
}
