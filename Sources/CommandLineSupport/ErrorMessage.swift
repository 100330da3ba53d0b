import CodebookRuntime
import Foundation

/// The one line a command prints for an error.
///
/// The project's own errors describe themselves (file, key, line). A Foundation error that reaches the
/// top unwrapped would print as `Error Domain=NSCocoaErrorDomain Code=4 … UserInfo={…}`: it is shown as
/// "PATH: reason" instead, the reason as the stages give it (`FileErrorReason`: the operating system's
/// `strerror`, or the parser's own detail such as "Invalid value around line 1, column 0.").
public enum ErrorMessage {
    public static func line(for error: Error) -> String {
        let text = (error is CocoaError || isFoundationError(error)) ? foundation(error as NSError) : "\(error)"
        return text.replacingOccurrences(of: "\n", with: " ")
    }

    private static func isFoundationError(_ error: Error) -> Bool {
        let domain = (error as NSError).domain
        return domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain
    }

    private static func foundation(_ error: NSError) -> String {
        let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        let reason = FileErrorReason.of(error)
        return path.map { "\($0): \(reason)" } ?? reason
    }
}
