import Testing
@testable import QuantScopeUI

/// `Int(saturating:within:)`, the one Float → Int conversion of the views,
/// against its contract written out here: truncation toward zero like
/// `Int(_:)`, NaN → 0 clamped into the bounds, ±Inf and huge values → the
/// nearest bound (±2^40 without bounds).
@Suite struct IntSaturatingTests {
    @Test func truncatesTowardZero() {
        #expect(Int(saturating: 2.9) == 2)
        #expect(Int(saturating: -2.9) == -2)
        #expect(Int(saturating: 2.5, within: 0...10) == 2)
        #expect(Int(saturating: Float(0.999_999), within: 0...10) == 0)
    }

    @Test func nanIsZeroClampedIntoTheBounds() {
        #expect(Int(saturating: Double.nan) == 0)
        #expect(Int(saturating: Float.nan) == 0)
        #expect(Int(saturating: Double.nan, within: -5...5) == 0)
        #expect(Int(saturating: Double.nan, within: 3...9) == 3)
        #expect(Int(saturating: Double.nan, within: -9...(-3)) == -3)
    }

    @Test func infinitiesAndHugeValuesTakeTheNearestBound() {
        #expect(Int(saturating: Double.infinity) == 1 << 40)
        #expect(Int(saturating: -Double.infinity) == -(1 << 40))
        #expect(Int(saturating: 1e300) == 1 << 40)
        #expect(Int(saturating: -Double.infinity, within: -5...5) == -5)
        #expect(Int(saturating: Float.infinity, within: 0...7) == 7)
        #expect(Int(saturating: -1e30, within: 2...7) == 2)
    }
}
