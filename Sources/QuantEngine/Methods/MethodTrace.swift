/// A method's own record of what it did, for views and tests.
public enum MethodTrace: Sendable, Equatable {
    case gptq(GPTQTrace)
    case awq(AWQTrace)
    case smoothQuant(SmoothQuantTrace)
}
