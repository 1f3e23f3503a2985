import Foundation
import Testing

/// `quantscope sweep` (docs/contract.md §7): every setting's numbers are
/// `stats`'s, and the front is exactly the points nothing beats on both
/// cost and error (checked here by brute force).
@Suite struct SweepCommandTests {
    @Test func sweepPointsAgreeWithStatsAndTheFrontIsNonDominated() throws {
        let file = ScanCommandTests.safetensors
        let r = try CLI.run(["sweep", file, "--tensor", "encoder.layer.0.attention.self.value.weight", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try CLI.json(r)
        let points = try #require(json["points"] as? [[String: Any]])
        #expect(points.count >= 100)
        let bits = points.compactMap { $0["bits_per_weight"] as? Double }
        #expect(bits == bits.sorted())
        // The front by brute force, on (bits, mse).
        for (i, p) in points.enumerated() {
            let b = try #require(p["bits_per_weight"] as? Double), e = try #require(p["mse"] as? Double)
            let dominated = points.enumerated().contains { j, q in
                guard j != i, let qb = q["bits_per_weight"] as? Double, let qe = q["mse"] as? Double else { return false }
                return (qb <= b && qe < e) || (qb < b && qe <= e)
            }
            #expect(p["pareto"] as? Bool == !dominated, "\(p["scheme"] ?? "") \(p["granularity"] ?? "")")
        }
        // A few points against stats.
        for p in points where ["int8", "nf4", "q8_0", "fp8-e4m3", "int3-asym"].contains(p["scheme"] as? String ?? "") {
            let scheme = try #require(p["scheme"] as? String), granularity = try #require(p["granularity"] as? String)
            let s = try CLI.json(try CLI.run(["stats", file, "--tensor", "encoder.layer.0.attention.self.value.weight",
                                              "--scheme", scheme, "--granularity", granularity, "--json"]))
            #expect(p["mse"] as? Double == s["mse"] as? Double, "\(scheme) \(granularity)")
            #expect(p["sqnr_db"] as? Double == s["sqnr_db"] as? Double, "\(scheme) \(granularity)")
        }
        // int3 codes count three bits: int3 channel costs 3 + 32/384 bits per weight.
        let int3 = try #require(points.first { $0["scheme"] as? String == "int3" && $0["granularity"] as? String == "channel:0" })
        #expect(abs((int3["bits_per_weight"] as? Double ?? 0) - (3 + 32.0 / 384)) < 1e-12)
        // K-quants need rows that are a multiple of 256: this 384-wide tensor cannot take them, and they are listed as skipped.
        let skipped = try #require(json["skipped"] as? [[String: Any]])
        #expect(skipped.count == 5)
        #expect(skipped.allSatisfy { ($0["scheme"] as? String ?? "").hasPrefix("q") && ($0["scheme"] as? String ?? "").hasSuffix("_k") })
    }
}
