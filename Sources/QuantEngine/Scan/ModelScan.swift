import Foundation

/// Every weight of a checkpoint through one or more schemes, one tensor at
/// a time (docs/contract.md §7, `scan`): each tensor is decoded (stored
/// quantized ones through their own parameters), quantized by exactly the
/// code `stats` runs, measured, and dropped before the next, so memory stays
/// bounded by the largest tensor whatever the model's size. The quantizer
/// itself uses every core.
public enum ModelScan {
    /// A scheme with an optional granularity (nil: the scheme's default, as `stats` takes it).
    public struct Setting: Sendable {
        public var scheme: Scheme
        public var granularity: Granularity?
        public init(scheme: Scheme, granularity: Granularity?) {
            self.scheme = scheme
            self.granularity = granularity
        }
    }

    /// The tensors a scan covers: decodable weights of rank ≥ 2 (not the side
    /// tensors of a pre-quantized weight), those whose name `filter` matches when given.
    public static func weights(of checkpoint: Checkpoint, filter: NSRegularExpression? = nil) -> [TensorInfo] {
        let owners = checkpoint.sideTensorOwners
        return checkpoint.tensors.filter { info in
            guard info.shape.count >= 2, info.elementCount > 0, info.isDecodable, owners[info.name] == nil else { return false }
            guard info.storage.holdsRealNumbers else { return false }
            guard let filter else { return true }
            return filter.firstMatch(in: info.name, range: NSRange(info.name.startIndex..., in: info.name)) != nil
        }
    }


    /// Scans `tensors` under every setting. `progress` gets the fraction done
    /// after each tensor; a cancelled `token` stops between quantizations.
    /// Settings a tensor cannot take (a K-quant on rows not a multiple of 256)
    /// are skipped for that tensor and reported in `skipped`.
    public static func run(_ checkpoint: Checkpoint, tensors: [TensorInfo], settings: [Setting], clip: Float = 1,
                           token: WorkToken? = nil, progress: (Double) -> Void = { _ in })
        throws -> (results: [ScanResult], skipped: [(tensor: String, setting: String, reason: String)]) {
        var results = [ScanResult]()
        var skipped = [(tensor: String, setting: String, reason: String)]()
        let total = max(1, tensors.count * max(1, settings.count))
        var done = 0
        for info in tensors {
            if token?.isCancelled == true { throw QuantizationError.cancelled }
            let tensor = try checkpoint.load(info)
            let storedBits = checkpoint.storedBitsPerWeight(of: info)
            var spare: QuantizedTensor?
            for setting in settings {
                defer { done += 1; progress(Double(done) / Double(total)) }
                do {
                    let (result, q) = try measure(tensor, info: info, storedBitsPerWeight: storedBits, setting: setting, clip: clip,
                                                  token: token, recycling: spare.take())
                    results.append(result)
                    spare = q
                } catch QuantizationError.cancelled {
                    throw QuantizationError.cancelled
                } catch {
                    skipped.append((info.name, "\(setting.scheme)" + (setting.granularity.map { " \($0)" } ?? ""), "\(error)"))
                }
            }
        }
        return (results, skipped)
    }

    /// One decoded tensor under one setting: the same call `stats` makes (x̂
    /// kept, so the metrics sum in the same order and the numbers are
    /// identical); the tensor, codes and x̂ are 2.25× its float32 size. The
    /// quantization comes back too, for its buffers to be recycled.
    public static func measure(_ tensor: Tensor, info: TensorInfo, storedBitsPerWeight: Double, setting: Setting, clip: Float = 1,
                               token: WorkToken? = nil, recycling: consuming QuantizedTensor? = nil)
        throws -> (result: ScanResult, quantized: QuantizedTensor) {
        let q = try Quantizer.quantize(tensor, scheme: setting.scheme, granularity: setting.granularity, clip: clip,
                                       token: token, recycling: recycling)
        let result = ScanResult(tensor: info.name, shape: info.shape, stored: info.dtype, storedBitsPerWeight: storedBitsPerWeight,
                                scheme: q.scheme, granularity: q.granularity,
                                cost: StorageCost(scheme: q.scheme, elements: tensor.count, groups: q.scales.count),
                                metrics: q.metrics)
        return (result, q)
    }

}
