import Foundation

/// The artifact files of a compiled codebook (SPEC §7) and the `splines.json` document.
public enum CodebookArtifacts {
    public static let basis = "basis.safetensors"
    public static let regions = "regions.safetensors"
    public static let splines = "splines.json"
    public static let config = CodebookConfiguration.fileName
    /// The files whose sha256 `config.json` records, in the order they are written.
    public static let checksummed = [basis, regions, splines]
}

/// `splines.json`: `{"format_version": 1, "z": [S, S, S], "sum": S}`.
public struct SplinesDocument: Codable, Sendable, Equatable {
    public static let formatVersion = 1

    /// `S = {"knots", "values", "slopes", "epsilon"}`: a fitted CDF, float64.
    public struct Spline: Codable, Sendable, Equatable {
        public var knots: [Double]
        public var values: [Double]
        public var slopes: [Double]
        public var epsilon: Double

        public init(_ distribution: SplineDistribution) {
            knots = distribution.knots
            values = distribution.values
            slopes = distribution.slopes
            epsilon = distribution.epsilon
        }

        public func distribution(file: String, key: String) throws -> SplineDistribution {
            do {
                return try SplineDistribution(knots: knots, values: values, slopes: slopes, epsilon: epsilon)
            } catch {
                throw CodebookRuntimeError.badArtifact(file: file, key: key, reason: "\(error)")
            }
        }
    }

    public var formatVersion: Int = Self.formatVersion
    public var z: [Spline]
    public var sum: Spline

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case z, sum
    }

    public init(z: [Spline], sum: Spline) {
        self.z = z
        self.sum = sum
    }
}

extension JSONEncoder {
    /// The encoder of every JSON artifact: sorted keys and fixed formatting, so the same content
    /// always gives the same bytes.
    public static var artifact: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
