import Foundation

// This stage arrives with its own issue; until then it says so instead of pretending to work.
FileHandle.standardError.write("CodebookCLI: not built yet in this version of the codebook compiler\n".data(using: .utf8)!)
exit(1)
