import Foundation
import Testing

/// `quantscope recipe` (docs/contract.md §7): the plan honours the budget and
/// is as good as brute force where greedy must be; its files read back,
/// through a mirror of llama.cpp's parser and a YAML reader with
/// compressed-tensors' matching, as the plan; and the real quantizers took
/// them as they are (fixtures from tools/make_recipe_fixtures.py).
@Suite struct RecipeCommandTests {
    static var llama: String { SharedFixtures.root.appendingPathComponent("diff/llama.safetensors").path }
    static var minilm: String { ScanCommandTests.safetensors }

    static func plan(_ args: [String]) throws -> [String: Any] {
        let r = try CLI.run(["recipe"] + args + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try CLI.json(r)
    }

    static func rows(_ json: [String: Any]) -> [[String: Any]] { json["tensors"] as? [[String: Any]] ?? [] }

    // MARK: the real quantizers

    @Test func llamaQuantizeAssignedWhatOurMirrorOfItsParserReads() throws {
        let fixture = try #require(try JSONSerialization.jsonObject(with: SharedFixtures.data("recipe/llama.json")) as? [String: Any])
        for (file, key) in [("recipe/llama-types.txt", "llama_quantize"), ("recipe/probe.txt", "probe")] {
            let rules = try LlamaTensorTypeMirror.parse(String(decoding: try SharedFixtures.data(file), as: UTF8.self))
            let assigned = try #require(fixture[key] as? [String: String])
            #expect(assigned.count == 21)
            for (name, type) in assigned {
                let want = LlamaTensorTypeMirror.quantizable(name) ? (LlamaTensorTypeMirror.type(of: name, rules) ?? "Q4_1") : "F32"
                #expect(type == want, "\(file): \(name): llama-quantize gave \(type), the mirror reads \(want)")
            }
        }
        // What quantscope planned is what llama-quantize wrote, for every planned tensor.
        let planned = try #require(fixture["quantscope"] as? [String: String])
        let assigned = try #require(fixture["llama_quantize"] as? [String: String])
        #expect(planned.count == 16)
        for (name, type) in planned { #expect(assigned[name] == type.uppercased(), "\(name)") }
        #expect(Set(planned.values).count >= 2, "the fixture's budget should mix types")
    }

    @Test func llmCompressorAttachedThePlannedArgsToEachModule() throws {
        let fixture = try #require(try JSONSerialization.jsonObject(with: SharedFixtures.data("recipe/ct.json")) as? [String: Any])
        let planned = try #require(fixture["quantscope"] as? [String: String])
        let applied = try #require(fixture["modules"] as? [String: [String: Any]])
        #expect(planned.count == 14 && Set(planned.keys) == Set(applied.keys))
        for (module, written) in planned {
            let args = try #require(applied[module])
            var fields = [String: String]()
            for pair in written.split(separator: " ") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                fields[kv[0]] = kv[1]
            }
            #expect(fields["num_bits"] == "\(args["num_bits"]!)" && fields["type"] == args["type"] as? String, "\(module)")
            #expect(fields["symmetric"] == ((args["symmetric"] as? Bool) == true ? "true" : "false"), "\(module)")
            #expect(fields["strategy"] == args["strategy"] as? String, "\(module)")
            #expect(fields["group_size"] == (args["group_size"] as? Int).map(String.init), "\(module)")
        }
        #expect((fixture["ignore"] as? [String]) == ["lm_head", "model.embed_tokens"])
        // Every Linear layer is either planned or ignored.
        let linear = try #require(fixture["linear_modules"] as? [String])
        #expect(linear.allSatisfy { planned[$0] != nil || $0 == "lm_head" })
    }

    // MARK: round trips of today's output

    @Test func llamaRecipeNamesEveryGGUFWeightOfAHuggingFaceFile() throws {
        let json = try Self.plan([Self.llama, "--budget", "5", "--format", "llama"])
        let rules = try LlamaTensorTypeMirror.parse(try #require(json["recipe"] as? String))
        let expected = try #require(try JSONSerialization.jsonObject(with: SharedFixtures.data("diff/expected.json")) as? [String: Any])
        let gguf = try #require(expected["tensors"] as? [String: [String: Any]])
        let byTarget = Dictionary(uniqueKeysWithValues: Self.rows(json).map { ($0["target"] as! String, $0) })
        #expect(byTarget.count == 16)
        for (name, info) in gguf {
            let type = LlamaTensorTypeMirror.type(of: name, rules)
            if let row = byTarget[name] {
                #expect(row["tensor"] as? String == info["counterpart"] as? String)
                #expect(type == (row["scheme"] as? String)?.uppercased(), "\(name)")
            } else {
                #expect(name.hasSuffix("norm.weight") && type == nil, "\(name) is a weight the recipe misses")
            }
        }
        #expect((json["recipe"] as? String)?.contains("^blk\\.0\\.attn_q\\.weight$=") == true)
        for line in (json["recipe"] as? String ?? "").split(separator: "\n") {
            // Types as ggml_type_name spells them; and no pattern reaches a neighbour's name.
            #expect(LlamaTensorTypeMirror.ggmlNames.contains(String(line.split(separator: "=").last ?? "")), "\(line)")
        }
        for name in byTarget.keys {
            for neighbour in [name.replacingOccurrences(of: ".", with: "x"), "x" + name, name + "x"] {
                #expect(LlamaTensorTypeMirror.type(of: neighbour, rules) == nil, "\(neighbour)")
            }
        }
    }

    @Test func compressedTensorsRecipeReadsBackAsThePlan() throws {
        let json = try Self.plan([Self.llama, "--budget", "6", "--format", "compressed-tensors", "--schemes", "int4@group:32,int4-asym@channel,int8@channel,fp8@tensor"])
        let yaml = try MiniYAML.parse(try #require(json["recipe"] as? String))
        let modifier = try #require(((yaml["quant_stage"] as? [String: Any])?["quant_modifiers"] as? [String: Any])?["QuantizationModifier"] as? [String: Any])
        let groups = try #require(modifier["config_groups"] as? [String: [String: Any]])
        #expect(modifier["ignore"] as? [String] == ["lm_head", "model.embed_tokens"])
        let rows = Self.rows(json)
        #expect(rows.count == 14 && groups.count >= 2)
        for row in rows {
            let module = try #require(row["target"] as? String)
            // compressed-tensors' match_name: re.match of the pattern after `re:`, i.e. anchored at the start.
            let hits = groups.filter { ($0.value["targets"] as? [String] ?? []).contains { t in
                guard t.hasPrefix("re:"), let re = try? NSRegularExpression(pattern: String(t.dropFirst(3)), options: .anchorsMatchLines) else { return t == module }
                return re.firstMatch(in: module, options: .anchored, range: NSRange(module.startIndex..., in: module)) != nil
            } }
            #expect(hits.count == 1, "\(module) matches \(hits.count) groups")
            let w = try #require(hits.first?.value["weights"] as? [String: Any])
            let scheme = try #require(row["scheme"] as? String), granularity = try #require(row["granularity"] as? String)
            let bits = scheme.hasPrefix("fp8") ? 8 : Int(scheme.dropFirst(3).prefix { $0.isNumber })
            #expect(w["num_bits"] as? Int == bits && w["type"] as? String == (scheme.hasPrefix("fp8") ? "float" : "int"), "\(module)")
            #expect(w["symmetric"] as? Bool == !scheme.hasSuffix("-asym"), "\(module)")
            #expect(w["strategy"] as? String == String(granularity.prefix { $0 != ":" }), "\(module)")
            #expect((w["group_size"] as? Int).map { "group:\($0)" } == (granularity.hasPrefix("group") ? granularity : nil), "\(module)")
            // A neighbour's name must not match (an unescaped dot or a missing `$` would let it).
            for neighbour in [module + "x", module.replacingOccurrences(of: ".", with: "x")] {
                #expect(!groups.values.contains { ($0["targets"] as? [String] ?? []).contains { t in
                    (try? NSRegularExpression(pattern: String(t.dropFirst(3))))?.firstMatch(in: neighbour, options: .anchored, range: NSRange(neighbour.startIndex..., in: neighbour)) != nil
                } }, "\(neighbour)")
            }
        }
    }

    @Test func aGGUFKeepsItsOwnNames() throws {
        let json = try Self.plan([ScanCommandTests.gguf, "--budget", "6", "--format", "llama"])
        let rows = Self.rows(json)
        #expect(rows.count == 5 && rows.allSatisfy { $0["tensor"] as? String == $0["target"] as? String && ($0["tensor"] as! String).hasPrefix("blk.") })
        let text = try CLI.run(["recipe", ScanCommandTests.gguf, "--budget", "6", "--format", "llama"])
        #expect(text.stderr.contains("llama-quantize --allow-requantize --tensor-type-file"), "\(text.stderr)")
    }

    // MARK: the plan

    @Test func budgetIsHonouredAndMoreBitsNeverCostMoreError() throws {
        var last = Double.infinity
        for budget in [4.5, 4.8, 5.2, 6.0, 7.0, 8.5, 9.0] {
            let json = try Self.plan([Self.minilm, "--budget", "\(budget)", "--format", "llama"])
            let bpw = try #require(json["bits_per_weight"] as? Double), sse = try #require(json["total_sse"] as? Double)
            #expect(bpw <= budget, "budget \(budget): \(bpw) bits/weight")
            #expect(sse <= last, "budget \(budget): SSE \(sse) above a tighter budget's \(last)")
            let bits = Self.rows(json).reduce(0) { $0 + ($1["bytes"] as! Int) * 8 }, elements = Self.rows(json).reduce(0) { $0 + ($1["elements"] as! Int) }
            #expect(abs(Double(bits) / Double(elements) - bpw) < 1e-12)
            last = sse
        }
    }

    /// Candidates from `scan` (another command), every combination tried:
    /// greedy is never better than the optimum and never over budget, and at
    /// a budget that is some Lagrangian solution's own size (each tensor on
    /// its own minimising SSE + λ·bits) it must find the optimum.
    @Test func greedyMatchesBruteForce() throws {
        let filter = "attention\\.self\\.(query|value)|layer\\.0\\.output"
        let scan = try CLI.json(try CLI.run(["scan", Self.minilm, "--scheme", "q4_0", "--scheme", "q5_0", "--scheme", "q8_0", "--filter", filter, "--json"]))
        var options = [String: [(bits: Int, sse: Double, scheme: String)]](), sizes = [String: Int]()
        for row in scan["tensors"] as? [[String: Any]] ?? [] {
            let elements = (row["shape"] as! [Int]).reduce(1, *)
            sizes[row["tensor"] as! String] = elements
            options[row["tensor"] as! String, default: []].append(((row["bytes"] as! Int) * 8, (row["mse"] as! Double) * Double(elements), row["scheme"] as! String))
        }
        let names = options.keys.sorted(), elements = sizes.values.reduce(0, +)
        #expect(names.count == 3 && names.allSatisfy { options[$0]!.count == 3 })
        var combos: [(bits: Int, sse: Double)] = [(0, 0)]
        for n in names { combos = combos.flatMap { c in options[n]!.map { (c.bits + $0.bits, c.sse + $0.sse) } } }
        func optimum(_ budget: Double) -> Double { combos.filter { Double($0.bits) / Double(elements) <= budget }.map(\.sse).min() ?? .infinity }
        var lagrangian = Set<Int>()
        for exponent in stride(from: -12.0, through: 0, by: 0.05) {
            let lambda = pow(10, exponent)
            lagrangian.insert(names.reduce(0) { $0 + options[$1]!.min { $0.sse + lambda * Double($0.bits) < $1.sse + lambda * Double($1.bits) }!.bits })
        }
        #expect(lagrangian.count >= 4)
        for bits in lagrangian.sorted() {
            let budget = Double(bits) / Double(elements)
            let json = try Self.plan([Self.minilm, "--budget", "\(budget)", "--format", "llama", "--schemes", "q4_0,q5_0,q8_0", "--filter", filter])
            #expect(json["elements"] as? Int == elements)
            let sse = try #require(json["total_sse"] as? Double)
            #expect(abs(sse - optimum(budget)) <= 1e-9 * sse, "budget \(budget): greedy \(sse), optimum \(optimum(budget))")
        }
        for budget in [4.6, 5.0, 5.4, 6.0, 7.3, 8.4] {
            let json = try Self.plan([Self.minilm, "--budget", "\(budget)", "--format", "llama", "--schemes", "q4_0,q5_0,q8_0", "--filter", filter])
            let sse = try #require(json["total_sse"] as? Double)
            #expect(sse >= optimum(budget) * (1 - 1e-12) && (json["bits_per_weight"] as! Double) <= budget)
        }
    }

    @Test func perTensorNumbersEqualStats() throws {
        let json = try Self.plan([Self.minilm, "--budget", "6", "--format", "compressed-tensors", "--schemes", "int4@group:128,int8@channel"])
        for row in Self.rows(json).prefix(3) {
            let s = try CLI.json(try CLI.run(["stats", Self.minilm, "--tensor", row["tensor"] as! String, "--scheme", row["scheme"] as! String,
                                              "--granularity", row["granularity"] as! String, "--json"]))
            #expect(row["mse"] as? Double == s["mse"] as? Double && row["sqnr_db"] as? Double == s["sqnr_db"] as? Double, "\(row["tensor"]!)")
        }
    }

    // MARK: refusals

    @Test func impossibleBudgetsAndSchemesAreUsageErrors() throws {
        let low = try CLI.run(["recipe", Self.minilm, "--budget", "2", "--format", "llama"])
        #expect(low.status == 2 && low.stderr.contains("3.1364 bits/weight at the least"), "\(low.stderr)")
        #expect(low.stdout.isEmpty)
        for (args, word) in [(["--format", "compressed-tensors", "--schemes", "int4,q4_k"], "q4_k"), (["--format", "llama", "--schemes", "int8"], "int8"),
                             (["--format", "compressed-tensors", "--schemes", "nf4"], "nf4"), (["--format", "compressed-tensors", "--schemes", "uint8"], "uint8"),
                             (["--format", "compressed-tensors", "--schemes", "int8@channel:1"], "channel"), (["--format", "llama", "--schemes", "int9"], "int9"),
                             (["--format", "gguf"], "llama or compressed-tensors"), (["--format", "llama", "--budget", "0"], "positive")] {
            let r = try CLI.run(["recipe", Self.minilm] + (args.contains("--budget") ? [] : ["--budget", "8"]) + args)
            #expect(r.status == 2 && r.stderr.contains(word) && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.status) \(r.stderr)")
        }
    }

    @Test func outWritesTheRecipeAndNeverTheInput() throws {
        let scratch = try Scratch()
        let text = try CLI.run(["recipe", Self.minilm, "--budget", "6", "--format", "llama"])
        #expect(text.status == 0 && text.stderr.contains("llama-quantize --tensor-type-file"))
        let written = try CLI.run(["recipe", Self.minilm, "--budget", "6", "--format", "llama", "--out", scratch.path("types.txt")])
        #expect(written.status == 0 && written.stdout.isEmpty)
        #expect(try String(contentsOfFile: scratch.path("types.txt"), encoding: .utf8) == text.stdout)
        let input = try CLI.run(["recipe", Self.minilm, "--budget", "6", "--format", "llama", "--out", Self.minilm])
        #expect(input.status == 1, "\(input.stderr)")
    }
}
