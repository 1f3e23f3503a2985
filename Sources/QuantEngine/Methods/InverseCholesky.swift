/// The upper Cholesky factor of H⁻¹ without forming H⁻¹ (docs/contract.md §16.3).
///
/// GPTQ needs U upper with UᵀU = H⁻¹ (the reference code: cholesky, then
/// cholesky_inverse, then cholesky upper). With J the reversal permutation,
/// factor J·H·J = L·Lᵀ (lower); then H = Ũ·Ũᵀ with Ũ = J·L·J upper, so
/// H⁻¹ = Ũ⁻ᵀ·Ũ⁻¹ and U = Ũ⁻¹ = J·L⁻¹·J (the factor is unique). That is one
/// Cholesky and one triangular inverse, n³/3 multiply-adds each, both
/// blocked so that nearly all the work is `MethodGEMM` rank-k updates.
/// Float32 throughout, like the reference code; diagonal blocks in Float64.
enum InverseCholesky {
    static let block = 128

    /// Overwrites `h` (n×n, symmetric positive definite; only its lower
    /// triangle is read) with U (upper; the strict lower triangle zero).
    /// - Throws: `.notPositiveDefinite(column:)` with the column of H whose pivot failed.
    static func factor(_ h: UnsafeMutablePointer<Float>, n: Int, token: WorkToken? = nil) throws(MethodError) {
        guard n > 0 else { return }
        let a = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        defer { a.deallocate() }
        // A = J·H·J, lower triangle from H's lower triangle (A[i][j] = H[n−1−i][n−1−j], j ≤ i reads H's upper: use symmetry).
        for i in 0..<n {
            for j in 0...i { a[i * n + j] = h[(n - 1 - j) * n + (n - 1 - i)] }
        }
        try cholesky(a, n: n, token: token)
        if token?.isCancelled == true { throw .cancelled }
        // LinvT = (L⁻¹)ᵀ, kept in h's storage; then U[p][q] = L⁻¹[n−1−p][n−1−q] = LinvT[n−1−q][n−1−p].
        invertLower(a, n: n, transposedInto: h)
        // Reverse-transpose LinvT into a, then copy back as U.
        for p in 0..<n {
            for q in 0..<n { a[p * n + q] = q >= p ? h[(n - 1 - q) * n + (n - 1 - p)] : 0 }
        }
        h.update(from: a, count: n * n)
    }

    /// Lower Cholesky in place (right-looking, blocked): the strict upper
    /// triangle is left as garbage and never read.
    static func cholesky(_ a: UnsafeMutablePointer<Float>, n: Int, token: WorkToken?) throws(MethodError) {
        var k0 = 0
        while k0 < n {
            let k1 = min(k0 + block, n), width = k1 - k0
            // Diagonal block, unblocked, sums in Float64.
            for j in k0..<k1 {
                var d = Double(a[j * n + j])
                for t in k0..<j { d -= Double(a[j * n + t]) * Double(a[j * n + t]) }
                guard d > 0, d.isFinite else { throw .notPositiveDefinite(column: n - 1 - j) }
                let ljj = d.squareRoot()
                a[j * n + j] = Float(ljj)
                for i in (j + 1)..<k1 {
                    var s = Double(a[i * n + j])
                    for t in k0..<j { s -= Double(a[i * n + t]) * Double(a[j * n + t]) }
                    a[i * n + j] = Float(s / ljj)
                }
            }
            guard k1 < n else { break }
            // Panel: L21 = A21·L11⁻ᵀ, row by row (forward substitution), over the cores.
            let io = UnsafeSendable(a)
            Parallel.forEach(count: n - k1, minimumChunk: 16) { range in
                let a = io.value
                for i in range {
                    let row = a + (k1 + i) * n
                    for j in k0..<k1 {
                        var s = row[j]
                        let lj = a + j * n
                        for t in k0..<j { s -= row[t] * lj[t] }
                        row[j] = s / lj[j]
                    }
                }
            }
            // Trailing update A22 −= L21·L21ᵀ, lower triangle, in strips of rows.
            let strip = 512
            var r0 = k1
            while r0 < n {
                let r1 = min(r0 + strip, n)
                MethodGEMM.subtractProduct(a + r0 * n + k0, lda: n, a + k1 * n + k0, ldb: n,
                                           m: r1 - r0, n: r1 - k1, k: width, from: a + r0 * n + k1, ldc: n)
                r0 = r1
            }
            if token?.isCancelled == true { throw .cancelled }
            k0 = k1
        }
    }

    /// X = L⁻¹ (lower), written transposed into `xt` (xt[c][r] = X[r][c],
    /// upper; the rest zero). Block row by block row:
    /// X[Ri, <i0] = −D⁻¹·(L[Ri, <i0]·X[<i0, <i0]), the product as GEMMs over
    /// column chunks that skip X's zero upper part.
    static func invertLower(_ l: UnsafeMutablePointer<Float>, n: Int, transposedInto xt: UnsafeMutablePointer<Float>) {
        xt.initialize(repeating: 0, count: n * n)
        let g = UnsafeMutablePointer<Float>.allocate(capacity: block * n)
        defer { g.deallocate() }
        var i0 = 0
        while i0 < n {
            let i1 = min(i0 + block, n), rows = i1 - i0
            // Diagonal block D⁻¹ (Float64 forward substitution), column by column.
            for c in i0..<i1 {
                xt[c * n + c] = Float(1 / Double(l[c * n + c]))
                for r in (c + 1)..<i1 {
                    var s = 0.0
                    for t in c..<r { s -= Double(l[r * n + t]) * Double(xt[c * n + t]) }
                    xt[c * n + r] = Float(s / Double(l[r * n + r]))
                }
            }
            if i0 > 0 {
                // G = L[Ri, c0..<i0]·X[c0..<i0, c0..<c1] per chunk of columns; X[t][c] = xt[c][t].
                g.initialize(repeating: 0, count: rows * i0)
                let chunk = 512
                var c0 = 0
                while c0 < i0 {
                    let c1 = min(c0 + chunk, i0)
                    // subtractProduct gives −G; the sign is folded in below.
                    MethodGEMM.subtractProduct(l + i0 * n + c0, lda: n, xt + c0 * n + c0, ldb: n,
                                               m: rows, n: c1 - c0, k: i0 - c0, from: g + c0, ldc: i0)
                    c0 = c1
                }
                // X[Ri, c] = D⁻¹·(−G[:, c]): forward substitution per column, over the cores.
                let io = UnsafeSendable((l, xt, g))
                Parallel.forEach(count: i0, minimumChunk: 64) { range in
                    let (l, xt, g) = io.value
                    for c in range {
                        let out = xt + c * n
                        for r in i0..<i1 {
                            var s = g[(r - i0) * i0 + c]
                            let lr = l + r * n
                            for t in i0..<r { s -= lr[t] * out[t] }
                            out[r] = s / lr[r]
                        }
                    }
                }
            }
            i0 = i1
        }
    }
}
