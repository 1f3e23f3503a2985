/// The AWQ and SmoothQuant traces of an outcome, for views and tests.
extension MethodOutcome {
    /// The AWQ trace, when the method was AWQ.
    public var awqTrace: AWQTrace? {
        if case .awq(let t)? = trace { return t }
        return nil
    }

    /// The SmoothQuant trace, when the method was SmoothQuant.
    public var smoothQuantTrace: SmoothQuantTrace? {
        if case .smoothQuant(let t)? = trace { return t }
        return nil
    }
}
