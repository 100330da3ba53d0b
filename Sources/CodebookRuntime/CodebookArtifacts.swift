import Foundation

/// The artifact files of a compiled codebook (SPEC §7) and the `splines.json` document.
package enum CodebookArtifacts {
    package static let basis = "basis.safetensors"
    package static let regions = "regions.safetensors"
    package static let splines = "splines.json"
    package static let config = CodebookConfiguration.fileName
    /// The files whose sha256 `config.json` records, in the order they are written.
    package static let checksummed = [basis, regions, splines]
}

/// `splines.json`: `{"format_version": 1, "z": [S, S, S], "sum": S}`.
package struct SplinesDocument: Codable, Sendable, Equatable {
    package static let formatVersion = 1

    /// `S = {"knots", "values", "slopes", "epsilon"}`: a fitted CDF, float64.
    package struct Spline: Codable, Sendable, Equatable {
        package var knots: [Double]
        package var values: [Double]
        package var slopes: [Double]
        package var epsilon: Double

        package init(_ distribution: SplineDistribution) {
            knots = distribution.knots
            values = distribution.values
            slopes = distribution.slopes
            epsilon = distribution.epsilon
        }

        package func distribution(file: String, key: String) throws -> SplineDistribution {
            do {
                return try SplineDistribution(knots: knots, values: values, slopes: slopes, epsilon: epsilon)
            } catch {
                throw CodebookRuntimeError.badArtifact(file: file, key: key, reason: "\(error)")
            }
        }
    }

    package var formatVersion: Int = Self.formatVersion
    package var z: [Spline]
    package var sum: Spline

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case z, sum
    }

    package init(z: [Spline], sum: Spline) {
        self.z = z
        self.sum = sum
    }
}

extension JSONEncoder {
    /// The encoder of every JSON artifact: sorted keys and fixed formatting, so the same content
    /// always gives the same bytes.
    package static var artifact: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
