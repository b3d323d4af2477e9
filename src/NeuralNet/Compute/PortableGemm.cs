using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Compute;

/// <summary>
/// Matrix product for any element type, built from contiguous column operations
/// (<see cref="TensorPrimitives"/> axpy and dot products), so it vectorises on every platform.
/// It is the reference path and the one used for <see cref="double"/>.
/// </summary>
internal static class PortableGemm
{
    /// <summary>Adds <c>α·op(A)·op(B)</c> to <c>C</c>; arguments were validated by <see cref="Gemm"/>.</summary>
    public static void Accumulate<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!transposeA)
        {
            // C[:, j] += Σ_p A[:, p] · (α B(p, j)): axpy on contiguous columns of A.
            for (int j = 0; j < n; j++)
            {
                Span<T> cColumn = c.Slice(j * ldc, m);
                for (int p = 0; p < k; p++)
                {
                    // No shortcut for B(p, j) = 0: 0·∞ must give NaN here as on the SIMD paths.
                    T bpj = transposeB ? b[j + p * ldb] : b[p + j * ldb];
                    TensorPrimitives.MultiplyAdd(a.Slice(p * lda, m), alpha * bpj, cColumn, cColumn);
                }
            }

            return;
        }

        if (!transposeB)
        {
            // C(i, j) += α ⟨A[:, i], B[:, j]⟩: dot products of contiguous columns.
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<T> bColumn = b.Slice(j * ldb, k);
                for (int i = 0; i < m; i++)
                {
                    c[i + j * ldc] += alpha * TensorPrimitives.Dot(a.Slice(i * lda, k), bColumn);
                }
            }

            return;
        }

        // Aᵀ·Bᵀ: rarely needed, plain loops.
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum += a[p + i * lda] * b[j + p * ldb];
                }

                c[i + j * ldc] += alpha * sum;
            }
        }
    }
}
