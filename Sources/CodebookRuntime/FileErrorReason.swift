import Foundation

/// The operating system's reason for a failed file operation (`strerror`: "No such file or directory"),
/// from a Foundation error: what the stages put in their one-line messages instead of an `NSError` dump
/// ("The operation could not be completed…", `Error Domain=NSCocoaErrorDomain Code=4 … UserInfo={…}`).
package enum FileErrorReason {
    package static func of(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.userInfo[NSDebugDescriptionErrorKey] as? String ?? nsError.localizedDescription
    }
}
