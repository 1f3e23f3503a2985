import ArgumentParser
import Foundation
import QuantEngine

/// `quantscope bits`: one value taken apart in a float format.
struct BitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bits",
        abstract: "Show how a value is stored in a float format: sign, exponent, mantissa, rounding.",
        discussion: "VALUE is a decimal or hex float (0x1.8p3), inf, -inf or nan; negative values work as they are (bits -0.5 --format fp8-e4m3)."
    )

    @Argument(help: "The value to encode.")
    var value: String

    @Option(name: .long, help: "fp8-e4m3, fp8-e5m2, fp8-e4m3fnuz, fp8-e5m2fnuz, fp6-e3m2, fp6-e2m3, fp4-e2m1, e8m0, bf16, fp16, fp32.")
    var format: String

    @Option(name: .long, help: "saturate (clamp to ±max finite; the default) or ieee (overflow to Inf/NaN as an ml_dtypes cast does).")
    var mode: String = "saturate"

    @Flag(name: .long, help: "Print one JSON object (docs/contract.md §7).")
    var json = false

    func run() throws {
        guard let format = FloatFormat.named(format) else { throw QuantizationError.unknownFormat(self.format) }
        guard let mode = OverflowMode(rawValue: mode.lowercased()) else { throw UsageError("unknown --mode '\(mode)' (use saturate or ieee)") }
        guard let x = BitsCommand.parse(value) else { throw UsageError("cannot read '\(value)' as a number (try 0.1, -3e-5, 0x1.8p3, inf, nan)") }
        let b = FloatBitBreakdown(value: x, format: format, mode: mode)
        print(json ? BitsCommand.json(b).serialized() : BitsCommand.table(b))
    }

    static func parse(_ text: String) -> Float? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan": return .nan
        case "-nan": return -.nan
        default: return Float(text)
        }
    }

    static func json(_ b: FloatBitBreakdown) -> JSONValue {
        .object([
            .init("value", .float(b.value)),
            .init("format", .string(b.format.name)),
            .init("mode", .string(b.mode.rawValue)),
            .init("code", .integer(Int64(b.code))),
            .init("hex", .string(b.hex)),
            .init("bits", .string(b.bitString)),
            .init("sign", b.signBit.map { .integer(Int64($0)) } ?? .null),
            .init("exponent_field", .integer(Int64(b.exponentField))),
            .init("mantissa_field", .integer(Int64(b.mantissaField))),
            .init("exponent", b.exponent.map { .integer(Int64($0)) } ?? .null),
            .init("class", .string(b.valueClass.rawValue)),
            .init("decoded", .float(b.decoded)),
            .init("error", errorIsFinite(b) ? .number(b.error) : .null),
            .init("next_down", b.nextDown.map(JSONValue.float) ?? .null),
            .init("next_up", b.nextUp.map(JSONValue.float) ?? .null),
        ])
    }

    /// decoded − value is a size only when both are finite (docs/contract.md §6):
    /// a value that overflowed to ±Inf or NaN has no error to print.
    static func errorIsFinite(_ b: FloatBitBreakdown) -> Bool { b.value.isFinite && b.decoded.isFinite }

    static func errorText(_ b: FloatBitBreakdown) -> String {
        guard errorIsFinite(b) else {
            func spelled(_ v: Float) -> String { v.isNaN ? "NaN" : (v > 0 ? "+Inf" : "-Inf") }
            return "not finite (" + (b.value.isFinite ? "decoded is \(spelled(b.decoded)))" : "the value is \(spelled(b.value)))")
        }
        return "\(b.error)" + (b.value != 0 ? String(format: "  (%.3g%% relative)", 100 * abs(b.error / Double(b.value))) : "")
    }

    static func table(_ b: FloatBitBreakdown) -> String {
        let f = b.format
        let layout = (f.hasSign ? "1 sign, " : "no sign, ") + "\(f.exponentBits) exponent, \(f.mantissaBits) mantissa bits, bias \(f.bias)"
        let rows: [(String, String)] = [
            ("value", "\(b.value)"),
            ("format", "\(f.name)  (\(layout); max finite \(f.maxFinite))"),
            ("mode", b.mode.rawValue),
            ("code", "\(b.hex) = \(b.code)"),
            ("bits", b.bitString + "   (" + [f.hasSign ? "sign" : nil, "exponent", f.mantissaBits > 0 ? "mantissa" : nil].compactMap { $0 }.joined(separator: " | ") + ")"),
            ("class", b.valueClass.rawValue + (b.exponent.map { ", exponent \($0)" } ?? "")),
            ("decode", b.formula),
            ("decoded", "\(b.decoded)"),
            ("error", errorText(b)),
            ("neighbours", "\(b.nextDown.map { "\($0)" } ?? "none")  <  \(b.decoded)  <  \(b.nextUp.map { "\($0)" } ?? "none")"),
        ]
        return rows.map { $0.0.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
    }
}
