import Foundation
import Testing
import TestSupport

/// `codebook external-catalog` as a user runs it: SPEC §10's exit statuses, and nothing written on failure.
@Suite struct ExternalCatalogCommandTests {
    @Test func writesTheCatalogAndPrintsTheCounts() throws {
        let folder = try ScratchFolder()
        try ExternalCatalogTests.syntheticData(folder)
        let out = folder.url.appendingPathComponent("work/catalog")
        let result = try Commands.run("codebook", ["external-catalog", "--evaldata", folder.url.path, "--out", out.path])
        #expect(result.exited(0), "\(result.stderr)")
        #expect(result.stdout.contains("harmful_vs_harmless: 4 harmful / 4 harmless"), "\(result.stdout)")
        #expect(result.stdout.contains("injection_vs_benign_instruction: 301 injection / 4 benign_instruction"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("catalog.json").path))
    }

    @Test func aMissingFolderIsBadInput() throws {
        let folder = try ScratchFolder()
        let absent = folder.url.appendingPathComponent("nowhere").path
        let out = folder.url.appendingPathComponent("catalog").path
        let result = try Commands.run("codebook", ["external-catalog", "--evaldata", absent, "--out", out])
        #expect(result.exited(1), "\(result.stderr)")
        #expect(result.stderrLines.count == 1 && result.stderrLines.first?.contains(absent) == true, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aBrokenFileIsBadInputNamingItsLine() throws {
        let folder = try ScratchFolder()
        try ExternalCatalogTests.syntheticData(folder)
        let xstest = try folder.write("xstest/xstest_prompts.csv", "id,prompt,type,label,focus,note\n1,Hello,t,safe,,\n2,\"never closed,t,safe,,\n")
        let out = folder.url.appendingPathComponent("catalog").path
        let result = try Commands.run("codebook", ["external-catalog", "--evaldata", folder.url.path, "--out", out])
        #expect(result.exited(1), "\(result.stderr)")
        #expect(result.stderrLines == ["codebook: \(xstest.path):3: malformed CSV: a quoted field is never closed"])
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aMissingOptionIsAUsageError() throws {
        let result = try Commands.run("codebook", ["external-catalog", "--evaldata", "somewhere"])
        #expect(result.exited(2), "\(result.stderr)")
        #expect(result.stderrLines.first?.contains("--out") == true, "\(result.stderr)")
    }
}
