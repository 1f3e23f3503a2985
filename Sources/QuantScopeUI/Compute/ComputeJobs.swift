import QuantEngine

/// The work behind each `AppCommand`, on the calling thread: the worker runs
/// these on its queues, `HeadlessSession` (and the tests' driver) runs them
/// in line, so a rendered screen and the terminal's come from the same code.
public enum ComputeJobs {
    /// Decodes a tensor: `.loaded`, or `.failed` with the file's reason.
    public static func load(_ ref: TensorRef, files: [OpenFile], generation: Int) -> AppEvent {
        let file = files[ref.file]
        let info = file.checkpoint.tensors[ref.tensor]
        do throws(TensorFileError) {
            let tensor = try file.checkpoint.load(info)
            let stored = try file.checkpoint.storedQuantization(for: info)
            return .loaded(LoadedTensor(ref: ref, info: info, fileName: file.name, tensor: tensor, stored: stored),
                           generation: generation)
        } catch {
            return .failed(error.description, generation: generation)
        }
    }

    /// Quantizes and analyses: `.analyzed`, `.failed`, or nil when cancelled.
    public static func analyze(_ request: AnalysisRequest, token: WorkToken? = nil, recycling: consuming QuantizedTensor? = nil,
                               generation: Int) -> AppEvent? {
        do throws(QuantizationError) {
            // Moved, not copied: the buffers are written in place only when nothing else holds them.
            return .analyzed(try Analyzer.analyze(request, token: token, recycling: recycling), generation: generation)
        } catch .cancelled {
            return nil
        } catch {
            return .failed(error.description, generation: generation)
        }
    }

    /// Compare mode's B: `.compared`, `.compareFailed`, or nil when cancelled.
    public static func compareAnalyze(_ request: AnalysisRequest, token: WorkToken? = nil, generation: Int) -> AppEvent? {
        do throws(QuantizationError) {
            return .compared(try Analyzer.analyze(request, token: token), generation: generation)
        } catch .cancelled {
            return nil
        } catch {
            return .compareFailed(error.description, generation: generation)
        }
    }

    /// Every matmul kernel on the open weight, with another open tensor's
    /// rows as activations when the request names one.
    public static func matmul(_ original: MatmulRequest, files: [OpenFile], token: WorkToken? = nil, generation: Int) -> AppEvent {
        var request = original
        if request.choice == .tensor, let ref = request.activationRef {
            let info = files[ref.file].checkpoint.tensors[ref.tensor]
            if let t = try? files[ref.file].checkpoint.load(info), let k = t.shape.last, k > 0 {
                request.activationTensor = (info.name, t.values, t.count / k)
            }
        }
        do throws(QuantizationError) {
            return .matmulReady(try MatmulAnalyzer.analyze(request, token: token), generation: generation)
        } catch {
            return .matmulFailed(error.description, generation: generation)
        }
    }

    /// The weight methods on the open weight: one `.methodsReady` per method
    /// run (the analysis so far), or `.methodsFailed`; nothing when cancelled.
    public static func methods(_ request: MethodsRequest, token: WorkToken? = nil, generation: Int, post: (AppEvent) -> Void) {
        do throws(MethodError) {
            try MethodsAnalyzer.run(request, token: token) { post(.methodsReady($0, generation: generation)) }
        } catch .cancelled {
            return
        } catch {
            post(.methodsFailed(error.description, key: request.key, generation: generation))
        }
    }

    /// The Error view's second pass: `.detailed`, or nil when cancelled or refused.
    public static func details(_ request: AnalysisRequest, of analysis: Analysis, token: WorkToken? = nil, generation: Int) -> AppEvent? {
        guard let details = try? Analyzer.details(request, of: analysis, token: token), token?.isCancelled != true else { return nil }
        return .detailed(details, generation: generation)
    }
}
