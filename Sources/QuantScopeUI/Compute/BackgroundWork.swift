import QuantEngine

/// Runs a `BackgroundRequest` to the end on the calling thread, posting each
/// result as it is measured: the worker calls it on its scan queue, tests
/// call it directly. Every number comes from `ModelScan.measure`, the call
/// `quantscope scan` and `stats` make, and `CheckpointDiff.compare`, the
/// one `quantscope diff` makes.
public enum BackgroundWork {
    /// - Parameters:
    ///   - against: the original a `.diff` measures against.
    ///   - progress: the fraction done, after each piece.
    public static func run(_ request: BackgroundRequest, files: [OpenFile], against: OpenFile?, token: WorkToken,
                           post: (BackgroundPiece) -> Void, progress: (Double) -> Void) {
        switch request {
        case .scan(let key, let settings, let file, let tensors):
            let checkpoint = files[file].checkpoint
            for (done, t) in tensors.enumerated() {
                if token.isCancelled { return }
                let info = checkpoint.tensors[t]
                do {
                    let tensor = try checkpoint.load(info)
                    let bits = checkpoint.storedBitsPerWeight(of: info)
                    let setting = ModelScan.Setting(scheme: settings.scheme, granularity: settings.granularity(rank: info.shape.count))
                    let (result, _) = try ModelScan.measure(tensor, info: info, storedBitsPerWeight: bits, setting: setting,
                                                            clip: settings.clip, token: token)
                    post(.scanned(key: key, tensor: info.name, result, skipped: nil))
                } catch QuantizationError.cancelled {
                    return
                } catch {
                    post(.scanned(key: key, tensor: info.name, nil, skipped: "\(error)"))
                }
                progress(Double(done + 1) / Double(max(1, tensors.count)))
            }
        case .sweep(let loaded):
            let settings = SchemeSweep.settings(rank: loaded.shape.count)
            let bits = files[loaded.ref.file].checkpoint.storedBitsPerWeight(of: loaded.info)
            var spare: QuantizedTensor?
            for (done, setting) in settings.enumerated() {
                if token.isCancelled { return }
                do {
                    let (result, q) = try ModelScan.measure(loaded.tensor, info: loaded.info, storedBitsPerWeight: bits, setting: setting,
                                                            token: token, recycling: spare.take())
                    spare = q
                    post(.swept(loaded.ref, result, skipped: nil))
                } catch QuantizationError.cancelled {
                    return
                } catch {
                    post(.swept(loaded.ref, nil, skipped: "\(setting.scheme)" + (setting.granularity.map { " \($0)" } ?? "")))
                }
                progress(Double(done + 1) / Double(max(1, settings.count)))
            }
        case .diff(let file):
            guard let against else { return }
            let quantized = files[file].checkpoint
            let (pairs, _, unmatched) = CheckpointDiff.match(original: against.checkpoint, quantized: quantized)
            for name in unmatched { post(.diffed(tensor: name, nil, skipped: "no counterpart in \(against.name)")) }
            for (done, pair) in pairs.enumerated() {
                if token.isCancelled { return }
                do throws(TensorFileError) {
                    post(.diffed(tensor: pair.quantized.name, try CheckpointDiff.compare(pair, original: against.checkpoint, quantized: quantized),
                                 skipped: nil))
                } catch {
                    post(.diffed(tensor: pair.quantized.name, nil, skipped: error.description))
                }
                progress(Double(done + 1) / Double(max(1, pairs.count)))
            }
        }
    }
}
