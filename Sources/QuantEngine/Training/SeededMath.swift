/// exp, log, sin and cos in Float64 made of + − × ÷ and exact scalings only,
/// so that a training run gives the same numbers on every machine
/// (docs/contract.md §13): the platform's libm may differ in the last bit
/// between glibc, Apple and musl, and one bit early in training changes
/// every number after it. Accurate to a few ULP over the ranges training
/// uses; the tests compare them with the platform's libm.
public enum SeededMath {
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10
    private static let twoPi = 6.283185307179586

    /// e^x; 0 below −745, +Inf above 709.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.7 { return .infinity }
        if x < -745 { return 0 }
        let k = (x / ln2Hi).rounded(.toNearestOrEven)
        let r = (x - k * ln2Hi) - k * ln2Lo
        // Taylor series to r^14/14!: |r| ≤ 0.35 leaves under 1e-18.
        var term = 1.0, sum = 1.0
        for n in 1...14 {
            term = term * r / Double(n)
            sum += term
        }
        return scaled(sum, by: Int(k))
    }

    /// The natural logarithm; −Inf at 0, NaN below 0.
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return x }
        // x = m·2^e with m in [√½, √2): log x = e·ln2 + 2·atanh((m−1)/(m+1)).
        var m = x.significand
        var e = Int(x.exponent)
        if m > 1.4142135623730951 { m /= 2; e += 1 }
        let s = (m - 1) / (m + 1), s2 = s * s
        var power = s, sum = 0.0
        for n in stride(from: 1, through: 41, by: 2) {
            sum += power / Double(n)
            power *= s2
        }
        return Double(e) * ln2Hi + (2 * sum + Double(e) * ln2Lo)
    }

    /// sin(x) for |x| up to a few thousand (training angles are below 100).
    public static func sin(_ x: Double) -> Double {
        let r = reduced(x)
        var term = r, sum = r
        let r2 = r * r
        for n in stride(from: 2, through: 24, by: 2) {
            term = -term * r2 / Double(n * (n + 1))
            sum += term
        }
        return sum
    }

    /// cos(x) for |x| up to a few thousand.
    public static func cos(_ x: Double) -> Double {
        let r = reduced(x)
        var term = 1.0, sum = 1.0
        let r2 = r * r
        for n in stride(from: 1, through: 23, by: 2) {
            term = -term * r2 / Double(n * (n + 1))
            sum += term
        }
        return sum
    }

    /// A uniform value in [0, 1) from the top 53 bits of a draw.
    public static func unit(_ rng: inout SplitMix64) -> Double {
        Double(rng.next() >> 11) * 0x1p-53
    }

    /// x reduced to [−π, π].
    private static func reduced(_ x: Double) -> Double {
        x - (x / twoPi).rounded(.toNearestOrEven) * twoPi
    }

    /// v · 2^k, exact while the result is normal.
    private static func scaled(_ v: Double, by k: Int) -> Double {
        var v = v, k = k
        while k > 1000 { v *= 0x1p1000; k -= 1000 }
        while k < -1000 { v *= 0x1p-1000; k += 1000 }
        return v * Double(sign: .plus, exponent: k, significand: 1)
    }
}
