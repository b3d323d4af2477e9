using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NeuralNet.Compute;

/// <summary>
/// General matrix product on column-major storage, in the BLAS convention:
/// <c>C ← α·op(A)·op(B) + β·C</c>, where <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: <c>op(A)</c> is <c>m × k</c>, <c>op(B)</c> is <c>k × n</c>, <c>C</c> is <c>m × n</c>.
/// Element <c>(i, j)</c> of a column-major matrix with leading dimension <c>ld</c> sits at <c>i + j·ld</c>.
/// </para>
/// <para>
/// When <c>β = 0</c> the previous contents of <c>C</c> are ignored (never read), so NaN or garbage
/// in an uninitialised buffer cannot leak into the result.
/// </para>
/// <para>
/// float32 products (except <c>Aᵀ·Bᵀ</c>) take the fastest path the hardware has (see <see cref="ComputeInfo"/>);
/// float64 and unsupported hardware take <see cref="PortableGemm"/>. All paths compute the same sums up to float rounding.
/// </para>
/// </remarks>
internal static class Gemm
{
    /// <summary>Computes <c>C ← α·op(A)·op(B) + β·C</c> on column-major spans.</summary>
    public static void Multiply<T>(
        bool transposeA, bool transposeB,
        int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == T.Zero)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        GemmPath path = ComputeSettings.ActivePath;
        if (typeof(T) == typeof(float) && path != GemmPath.Portable && !(transposeA && transposeB))
        {
            FloatGemm.Multiply(
                path, transposeA, transposeB, m, n, k,
                float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc);
            return;
        }

        ScaleC(m, n, beta, c, ldc);
        PortableGemm.Accumulate(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
    }

    /// <summary>
    /// The layer product <c>C ← act(A·B + bias·1ᵀ)</c> (A is <c>m × k</c>, B is <c>k × n</c>, <paramref name="bias"/> has
    /// one value per row of C; <c>act</c> is <c>max(·, 0)</c> when <paramref name="relu"/>, else the identity).
    /// </summary>
    /// <remarks>
    /// Bit for bit what storing the bias into every column of C, <see cref="Multiply{T}"/> with α = β = 1, and then
    /// <c>TensorPrimitives.Max(C, 0)</c> give; the float32 fast path does the bias and the ReLU in the micro-kernel's
    /// store, while the sums are still in registers, instead of in separate passes over C.
    /// </remarks>
    public static void MultiplyBiasActivation<T>(
        int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        ReadOnlySpan<T> bias, bool relu, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(false, false, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (bias.Length != m)
        {
            throw new ArgumentException($"The bias has {bias.Length} values but C has {m} rows.", nameof(bias));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        GemmPath path = ComputeSettings.ActivePath;
        if (typeof(T) == typeof(float) && path != GemmPath.Portable && k > 0)
        {
            FloatGemm.Multiply(
                path, false, false, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                0f, MemoryMarshal.Cast<T, float>(c), ldc, MemoryMarshal.Cast<T, float>(bias), relu);
            return;
        }

        for (int j = 0; j < n; j++)
        {
            bias.CopyTo(c.Slice(j * ldc, m));
        }

        Multiply(false, false, m, n, k, T.One, a, lda, b, ldb, T.One, c, ldc);
        if (relu)
        {
            for (int j = 0; j < n; j++)
            {
                Span<T> column = c.Slice(j * ldc, m);
                TensorPrimitives.Max(column, T.Zero, column);
            }
        }
    }

    /// <summary>C ← β·C column by column; β = 0 clears without reading, so NaN in C does not survive.</summary>
    internal static void ScaleC<T>(int m, int n, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (beta == T.One)
        {
            return;
        }

        for (int j = 0; j < n; j++)
        {
            Span<T> column = c.Slice(j * ldc, m);
            if (beta == T.Zero)
            {
                column.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(column, beta, column);
            }
        }
    }

    private static void Validate(
        bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix product dimensions must be non-negative, got m={m}, n={n}, k={k}.");
        }

        int aRows = transposeA ? k : m, aCols = transposeA ? m : k;
        int bRows = transposeB ? n : k, bCols = transposeB ? k : n;
        CheckOperand("A", aRows, aCols, aLength, lda);
        CheckOperand("B", bRows, bCols, bLength, ldb);
        CheckOperand("C", m, n, cLength, ldc);
    }

    private static void CheckOperand(string name, int rows, int cols, int length, int ld)
    {
        if (ld < Math.Max(1, rows))
        {
            throw new ArgumentOutOfRangeException(name, $"Leading dimension of {name} is {ld}, smaller than its {rows} rows.");
        }

        if (rows > 0 && cols > 0 && (long)(cols - 1) * ld + rows > length)
        {
            throw new ArgumentException($"{name} ({rows} × {cols}, leading dimension {ld}) needs more than the {length} elements given.", name);
        }
    }
}
