import QuantEngine

/// The tour's lessons, in the order of the concepts text the workshop reads
/// (`quantization-concepts.md`; docs/contract.md §15). Each scene's text is
/// at most 8 lines at 80 columns, and every setting parses as the CLI takes
/// it (both tested).
public enum TourLessons {
    static let minilm = "minilm-l6-layer0.safetensors"
    static let synthetic = "synthetic.safetensors"

    public static let all: [TourLesson] = [
        TourLesson(title: "Why quantize", scenes: [
            TourScene(text: [
                "A model is its weights, and every generated token reads all of them from memory once: size and memory bandwidth set the speed limit.",
                "Fewer bits per weight shrink the file and every read by the same ratio: float32 → int8 is 4× smaller, int4 about 8× (scales included).",
                "The table is the open model, counted from its shapes, and what a 7B-parameter model would weigh and how many tokens per second 100 GB/s of memory could feed it. The price is accuracy: the next lessons measure it.",
            ], tryKeys: "PgDn: the next lesson", tensor: .firstWeight, scheme: "int8", granularity: "channel",
               view: .histogram, panel: .footprint),
        ]),
        TourLesson(title: "The affine mapping", scenes: [
            TourScene(text: [
                "Affine quantization maps the float range [min, max] onto the integer codes [qmin, qmax] with a scale S and a zero-point Z:",
                "  S = (max − min) / (qmax − qmin)    Z = qmin − round(min / S)",
                "  q = round(x / S + Z)               x̂ = S · (q − Z)",
                "The Mapping view fills the formulas in with this tensor's numbers and follows the element under the cursor (●) from x to its code and back. Inside the range the error x̂ − x is at most S/2.",
            ], tryKeys: "arrows: another element · m: the largest |x| · + −: bits · a: symmetry",
               tensor: .firstWeight, scheme: "int8-asym", granularity: "tensor", view: .mapping, cursor: .maxAbs),
        ]),
        TourLesson(title: "Symmetric vs asymmetric", scenes: [
            TourScene(text: [
                "Symmetric (A) centres the grid on 0: Z = 0 and only S is stored. Asymmetric (B) spends every code on the real [min, max].",
                "After a GELU, activations are skewed: almost all in [−0.17, 6.4]. The symmetric grid wastes its negative half on values that never occur; compare the grids and the SQNR rows.",
            ], tryKeys: "X: swap A and B · L: log scale · + −: bits of A · PgDn: an all-positive tensor",
               tensor: .sample(file: synthetic, tensor: "gelu_activation"), scheme: "int8", granularity: "tensor",
               compareScheme: "int8-asym", compareGranularity: "tensor", view: .histogram, logScale: true),
            TourScene(text: [
                "A LayerNorm weight is all positive (here [0.36, 0.76]). The seed maps the exact [min, max] (B, int8-asym-exact): every code lands on the data, but Z = qmin − round(min/S) = −358, far outside [−128, 127].",
                "x̂ = S·(q − Z) is still right in float, yet 0.0 has no code and Z needs a wider integer. quantscope's int8-asym (A), like PyTorch's observers, stretches the range to hold 0 so Z stays a code; its steps are coarser.",
            ], tryKeys: "X: swap · 2: Mapping view · a: symmetric → asym → unsigned → full → asym-exact",
               tensor: .sample(file: minilm, tensor: "encoder.layer.0.output.LayerNorm.weight"),
               scheme: "int8-asym", granularity: "tensor", compareScheme: "int8-asym-exact", compareGranularity: "tensor", view: .histogram),
        ]),
        TourLesson(title: "int4 and packing", scenes: [
            TourScene(text: [
                "int4 has 16 codes. The full signed range is [−8, 7]; a symmetric grid uses [−7, 7] so +a and −a are twins.",
                "Memory holds bytes, so two codes share one: packed = (c0 & 0x0F) | (c1 << 4). The mask keeps a negative c0 from filling the high nibble.",
                "Half the bytes of int8 is half the memory traffic: int4 pays even without int4 arithmetic, the codes are unpacked and dequantized on the fly. The Packing view shows this tensor's real bytes.",
            ], tryKeys: "p: packing layout · arrows: another element · c: granularity · < >: group size",
               tensor: .firstWeight, scheme: "int4", granularity: "group:32", view: .packing),
            TourScene(text: [
                "quantscope's int4 (A) leaves −8 unused so the grid is symmetric: codes [−7, 7], S = a/7. The seed's full signed range (B, int4-full) uses all 16 codes [−8, 7] with S = 2a/15: finer steps, but +a lands on 7.5 and clips to 7.",
                "Compare the grids and the error rows: which is better depends on the data.",
            ], tryKeys: "X: swap · c: granularity of A · a: the next integer mapping for A",
               tensor: .firstWeight, scheme: "int4", granularity: "group:32", compareScheme: "int4-full", compareGranularity: "group:32",
               view: .histogram),
        ]),
        TourLesson(title: "FP8: E4M3 vs E5M2", scenes: [
            TourScene(text: [
                "FP8 keeps sign, exponent and mantissa in 8 bits. E4M3 (A) has 3 mantissa bits: finer steps, largest 448. E5M2 (B) has 2: coarser steps, range to 57344.",
                "With a scale per tensor the range fits either way, so E4M3's precision wins on weights (compare SQNR); E5M2's range is for gradients. The grid is not uniform: the step doubles at each power of two.",
            ], tryKeys: "X: swap · L: log scale · PgDn: one value's bits",
               tensor: .firstWeight, scheme: "fp8-e4m3", granularity: "tensor",
               compareScheme: "fp8-e5m2", compareGranularity: "tensor", view: .histogram, cursor: .maxAbs),
            TourScene(text: [
                "The element under the cursor, bit by bit: the sign, the exponent (biased), the mantissa, and the value they encode, in E4M3 and then, with f, in E5M2.",
                "A value between two codes rounds to the nearer one (ties to an even mantissa); beyond the largest finite value E4M3 saturates.",
            ], tryKeys: "f: the next float format · arrows: another element · m: the largest |x|",
               tensor: .firstWeight, scheme: "fp8-e4m3", granularity: "tensor", view: .bits, bitsFormat: .e4m3fn, cursor: .maxAbs),
        ]),
        TourLesson(title: "Granularity", scenes: [
            TourScene(text: [
                "One scale for the whole tensor (A) is set by its single largest value. This tensor has four outlier columns (|x| up to 6.2, the rest below 0.2): per tensor, most values share a handful of codes.",
                "One scale per channel (B, a row each) lets each row's range set its own S: compare the SQNR. Rows still hold an outlier each, so more granular scales help more.",
            ], tryKeys: "X: swap · c: granularity of A · x: channel axis · PgDn: every granularity at once",
               tensor: .sample(file: synthetic, tensor: "laplacian_outlier_channels"), scheme: "int8", granularity: "tensor",
               compareScheme: "int8", compareGranularity: "channel", view: .histogram, logScale: true),
            TourScene(text: [
                "The Error view puts the same scheme per tensor, per channel and per group side by side, and ranks the rows by their error.",
                "The outliers sit in columns, so channel:1 (x switches the axis) gives them scales of their own; group:G does it for runs of G values, at the cost of one more scale per group.",
            ], tryKeys: "x: channel axis · c: granularity · < >: group size · w: the worst element",
               tensor: .sample(file: synthetic, tensor: "laplacian_outlier_channels"), scheme: "int8", granularity: "channel",
               view: .error),
        ]),
        TourLesson(title: "Calibration", scenes: [
            TourScene(text: [
                "The range a tensor is quantized over need not be [min, max]. Clipping the few largest values (B keeps half the range) makes S smaller, so every other value gets finer steps; the clipped ones saturate.",
                "Calibration chooses the clip: min-max keeps everything, a percentile drops the rarest values, an MSE search tries clips and keeps the best.",
            ], tryKeys: "[ ]: narrow / widen A's clip · X: swap · L: log scale",
               tensor: .sample(file: synthetic, tensor: "laplacian_outlier_channels"), scheme: "int4", granularity: "tensor",
               compareScheme: "int4", compareGranularity: "tensor", compareClip: 0.5, view: .histogram, logScale: true),
            TourScene(text: [
                "Here the clip is calibrated (K): the Error view draws the MSE at every clip the search tried, on log scales. Min-max (M) keeps the outliers and pays with coarse steps; the percentile (P) and the MSE-optimal clip (*) trade a few saturated values for finer steps everywhere else.",
            ], tryKeys: "K: minmax → p99.9 → p99.99 → mse · + −: bits · [ ]: clip by hand",
               tensor: .sample(file: synthetic, tensor: "laplacian_outlier_channels"), scheme: "int4", granularity: "tensor",
               calibration: .mse, view: .error),
        ]),
        TourLesson(title: "PTQ vs QAT", scenes: [
            TourScene(text: [
                "Post-training quantization (PTQ) rounds a trained model's weights once. At 8 bits that is nearly free; at 2 bits (A, three codes: −S, 0, S) against 4 bits (B) the damage is plain.",
                "Quantization-aware training (QAT) simulates the rounding while training, so the model learns weights that survive it.",
            ], tryKeys: "+ −: bits of A · X: swap · PgDn: PTQ and QAT on a model trained here",
               tensor: .firstWeight, scheme: "int2", granularity: "channel", compareScheme: "int4", compareGranularity: "channel", view: .histogram),
            TourScene(text: [
                "A small MLP learns three interleaved spirals in float (•). Then each bit width two ways: PTQ rounds the trained weights once (the jump where the float curve ends); QAT fine-tunes from them with the weights fake-quantized in the forward pass and the gradient passed straight through the rounding.",
                "int4 PTQ is already enough; at 3 and 2 bits QAT wins back what rounding cost.",
            ], tryKeys: "PgUp: the int2 and int4 grids · `quantscope qat` prints these numbers",
               tensor: .firstWeight, scheme: "int2", granularity: "channel", view: .histogram, panel: .qat),
        ]),
        TourLesson(title: "The int8 inference path", scenes: [
            TourScene(text: [
                "At inference int8 weights meet int8 activations: products are summed in int32 (thousands of terms cannot overflow it), then one multiply by S_w · S_x turns each sum back into a float for the next layer.",
                "The Matmul view runs that kernel on this weight against seeded activations, and the others (int4, FP8, GGUF) beside it: each output's error against float32, and each kernel's time against a float32 matmul on this CPU.",
            ], tryKeys: "t: activations gaussian → outliers → a tensor · 3: Error view",
               tensor: .firstWeight, scheme: "int8", granularity: "channel", view: .matmul),
        ]),
        TourLesson(title: "NF4: bitsandbytes' 4-bit", scenes: [
            TourScene(text: [
                "NF4 (A) also has 16 codes, but its levels are not evenly spaced: they are quantiles of a normal distribution, so more of them sit near 0 where most weights are. Each block of 64 weights has its own absmax scale.",
                "Against int4 with the same blocks of 64 (B), NF4 usually wins on normal-shaped weights: compare the grids and the SQNR rows.",
            ], tryKeys: "X: swap · s: another scheme for A · arrows: another element",
               tensor: .firstWeight, scheme: "nf4", granularity: nil, compareScheme: "int4", compareGranularity: "group:64",
               view: .histogram, cursor: .maxAbs),
        ]),
    ]
}
