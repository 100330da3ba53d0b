import ArgumentParser
import Foundation

/// The exit statuses every command of the project uses (SPEC §10): 0 done, 1 bad input (one line
/// on stderr saying what and where), 2 usage (the parser's message and a usage hint).
public protocol StageCommand: ParsableCommand {}

extension StageCommand {
    public static func main() {
        OpenBLASKernels.selectBeforeLoading()
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // --help and --version end here too, with status 0.
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = command
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch where exitCode(for: error) == .success {
            // `--help` on a subcommand runs ArgumentParser's help command, which "fails" with the help text.
            exit(withError: error)
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("\(configuration.commandName ?? "error"): \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            let line = ErrorMessage.line(for: error)
            FileHandle.standardError.write(Data("\(configuration.commandName ?? "error"): \(line)\n".utf8))
            Foundation.exit(1)
        }
    }
}
