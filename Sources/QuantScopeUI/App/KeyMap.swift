/// Every key the explorer answers to, with what it does: the `?` overlay
/// lists exactly these, so the help can never drift from the behaviour
/// tested in `AppStateTests`.
public enum KeyMap {
    public struct Entry: Sendable {
        public var keys: String
        public var action: String
    }

    public struct Section: Sendable {
        public var title: String
        public var entries: [Entry]
    }

    public static let sections: [Section] = [
        Section(title: "Anywhere", entries: [
            Entry(keys: "q  Ctrl-C", action: "quit"),
            Entry(keys: "?  F1", action: "this help: Esc, ? or F1 closes it; ↑ ↓ j k PgUp PgDn g G Home End scroll it"),
            Entry(keys: "Tab  Shift-Tab", action: "focus: tensor list ↔ view"),
            Entry(keys: "1 … 6", action: "Histogram, Mapping, Error, Packing, Float bits, Matmul"),
            Entry(keys: "7 8 9", action: "Model: every weight; Sweep: every scheme; Methods: RTN, GPTQ, AWQ"),
            Entry(keys: "mouse", action: "click a tensor or a view tab; the wheel scrolls"),
            Entry(keys: "T", action: "the guided tour (PgDn next, PgUp back, Esc leaves)"),
        ]),
        Section(title: "Tensor list", entries: [
            Entry(keys: "↑ ↓  j k", action: "move"),
            Entry(keys: "PgUp PgDn", action: "a page up / down"),
            Entry(keys: "g G  Home End", action: "first / last tensor"),
            Entry(keys: "Enter  → l", action: "open the tensor"),
            Entry(keys: "/", action: "filter by name: Enter keeps it, Esc clears it"),
            Entry(keys: "n N", action: "next / previous tensor"),
            Entry(keys: "Esc", action: "clear the filter, or back to the view"),
        ]),
        Section(title: "Model and Sweep views", entries: [
            Entry(keys: "arrows  Enter", action: "move over layers × roles; open the weight"),
            Entry(keys: "v", action: "colour: SQNR → stored bits/weight → diff (--against)"),
            Entry(keys: "e", action: "SQNR column in the tensor list"),
            Entry(keys: "Esc", action: "stop the scan or sweep; its results stay"),
        ]),
        Section(title: "Element cursor (view focus)", entries: [
            Entry(keys: "← → ↑ ↓  h l k j", action: "move along the row / across rows"),
            Entry(keys: "PgUp PgDn  Home End", action: "16 rows; row start / end"),
            Entry(keys: "g G", action: "first / last element"),
            Entry(keys: "m  w", action: "jump to max |x| / to the worst error"),
            Entry(keys: "i", action: "type a value to follow (Mapping, Float bits views)"),
            Entry(keys: "Esc", action: "back to the tensor list"),
        ]),
        Section(title: "Quantization", entries: [
            Entry(keys: "s  S", action: "next / previous scheme (from stored: the fresh re-quantization)"),
            Entry(keys: "o", action: "a quantized file's tensor as stored ↔ re-quantized fresh"),
            Entry(keys: "+ =  - _", action: "more / fewer bits (int schemes)"),
            Entry(keys: "a", action: "symmetric → asym → unsigned → full → asym-exact"),
            Entry(keys: "c", action: "granularity: tensor → channel → group → block"),
            Entry(keys: "> .  < ,", action: "larger / smaller group (or block)"),
            Entry(keys: "x", action: "channel axis"),
            Entry(keys: "[  ]", action: "narrow / widen the clipping range"),
            Entry(keys: "K", action: "calibrate the clip: minmax → p99.9 → p99.99 → mse"),
            Entry(keys: "p", action: "packing layout (Packing view)"),
            Entry(keys: "f", action: "float format (Float bits view)"),
            Entry(keys: "L", action: "log scale for histograms"),
            Entry(keys: "C  X", action: "compare: pin as B, change A (C closes); swap A and B"),
            Entry(keys: "t", action: "Matmul activations: gaussian → outliers → a tensor"),
            Entry(keys: "M  ← →", action: "Methods view: method shown; GPTQ's column"),
        ]),
    ]
}
