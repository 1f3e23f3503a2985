import QuantEngine

/// The Methods view's state (docs/contract.md §16.6): asking for the methods
/// when the view shows a 2-D weight under settings they have not run for,
/// taking their results, and its keys (M: the method shown; ← →: GPTQ's column).
extension AppState {
    public var methodsComputing: Bool { methodsPendingKey != nil }

    /// Asks for the methods when the view is on screen and its results are
    /// not for the open weight under the current settings.
    mutating func methodsIfNeeded() -> [AppCommand] {
        guard isVisible(.methods), loading == nil, let tensor, tensor.shape.count == 2, tensor.count > 0 else { return [] }
        var request = MethodsRequest(weight: tensor, settings: settings)
        request.tokens = methodsTokens
        guard methods?.key != request.key, methodsPendingKey != request.key, methodsFailedKey != request.key else { return [] }
        methodsGeneration += 1
        methodsPendingKey = request.key
        methods = nil
        methodsStep = 0
        return [.methods(request, generation: methodsGeneration)]
    }

    mutating func handleMethods(_ event: AppEvent) -> [AppCommand] {
        switch event {
        case .methodsReady(let result, let g):
            guard g == methodsGeneration else { return [] }
            var shown = result
            if fixedTimings {
                for i in shown.entries.indices { shown.entries[i].milliseconds = 0.5 + Double(i) }
            }
            methods = shown
            if result.complete { methodsPendingKey = nil }
        case .methodsFailed(let text, let key, let g):
            guard g == methodsGeneration else { return [] }
            message = text
            methodsFailedKey = key
            methodsPendingKey = nil
        default: break
        }
        return []
    }

    /// The method whose detail the view shows (an index into the entries).
    public var methodShown: MethodsAnalysis.Entry? {
        guard let entries = methods?.entries, !entries.isEmpty else { return nil }
        return entries[min(max(methodsShown, 0), entries.count - 1)]
    }

    mutating func cycleMethodShown() -> [AppCommand] {
        guard isVisible(.methods) else { message = "M chooses the method the Methods view (9) details"; return [] }
        let count = max(1, methods?.entries.count ?? WeightMethod.spellings.count)
        methodsShown = (methodsShown + 1) % count
        methodsStep = 0
        return []
    }

    /// ← → (h l), Home End step through GPTQ's columns; other keys go on to the cursor.
    mutating func handleMethodsKey(_ key: Key) -> [AppCommand]? {
        guard case .gptq(let trace)? = methodShown?.trace, !trace.order.isEmpty else { return nil }
        let last = trace.order.count - 1
        switch key {
        case .left, .character("h"): methodsStep = max(0, methodsStep - 1)
        case .right, .character("l"): methodsStep = min(last, methodsStep + 1)
        case .pageUp: methodsStep = max(0, methodsStep - 16)
        case .pageDown: methodsStep = min(last, methodsStep + 16)
        case .home: methodsStep = 0
        case .end: methodsStep = last
        default: return nil
        }
        return []
    }
}
