using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

/// <summary>
/// The float32 matrix product on every instruction-set path against MathNet's <c>Multiply</c> (the oracle):
/// odd shapes, every transpose variant, several α and β, leading dimensions larger than the row count.
/// </summary>
public sealed class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 },
        { 2, 3, 1 },
        { 7, 11, 13 },
        { 17, 19, 23 },
        { 31, 37, 41 },
        { 33, 9, 257 },     // one row past a 32-row tile
        { 33, 9, 1030 },    // depth past one 1024 block: C is added to after the first
        { 1000, 3, 5 },     // tall and skinny
        { 3, 1000, 7 },     // short and wide
        { 65, 2, 300 },     // two columns: the skinny path
        { 257, 65, 129 },
        { 40, 1030, 300 },  // wider than one packed B block (3 blocks of 432 columns at depth 300)
    };

    public static TheoryData<bool, bool, double, double> Variants()
    {
        var data = new TheoryData<bool, bool, double, double>();
        foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            foreach ((double alpha, double beta) in new[] { (1.0, 0.0), (1.0, 1.0), (-0.5, 0.3), (2.5, 0.0), (0.75, -1.0) })
            {
                data.Add(ta, tb, alpha, beta);
            }
        }

        return data;
    }

    /// <summary>
    /// Every shape with every variant, through whatever route the product picks; shapes small or narrow enough for a
    /// shortcut (tiny or skinny product) run a second time through the blocked kernel alone.
    /// </summary>
    public static TheoryData<int, int, int, bool, bool, double, double, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, double, double, bool>();
        foreach (object[] shape in Shapes)
        {
            int m = (int)shape[0], n = (int)shape[1], k = (int)shape[2];
            bool hasShortcut = (long)m * n * k <= TinyGemm.MaxMultiplyAdds || n <= SkinnyGemm.MaxColumns;
            foreach (object[] variant in Variants())
            {
                data.Add(m, n, k, (bool)variant[0], (bool)variant[1], (double)variant[2], (double)variant[3], false);
                if (hasShortcut)
                {
                    data.Add(m, n, k, (bool)variant[0], (bool)variant[1], (double)variant[2], (double)variant[3], true);
                }
            }
        }

        return data;
    }

    [PathTheory(GemmPath.Vector512)]
    [MemberData(nameof(Cases))]
    public void Vector512_MatchesMathNet(int m, int n, int k, bool transposeA, bool transposeB, double alpha, double beta, bool blockedKernelOnly) =>
        CheckAgainstOracle(GemmPath.Vector512, m, n, k, transposeA, transposeB, alpha, beta, blockedKernelOnly);

    [PathTheory(GemmPath.Vector256)]
    [MemberData(nameof(Cases))]
    public void Vector256_MatchesMathNet(int m, int n, int k, bool transposeA, bool transposeB, double alpha, double beta, bool blockedKernelOnly) =>
        CheckAgainstOracle(GemmPath.Vector256, m, n, k, transposeA, transposeB, alpha, beta, blockedKernelOnly);

    [PathTheory(GemmPath.Portable)]
    [MemberData(nameof(Cases))]
    public void Portable_MatchesMathNet(int m, int n, int k, bool transposeA, bool transposeB, double alpha, double beta, bool blockedKernelOnly) =>
        CheckAgainstOracle(GemmPath.Portable, m, n, k, transposeA, transposeB, alpha, beta, blockedKernelOnly);

    [PathTheory(GemmPath.Vector512)]
    [InlineData(GemmPath.Vector512)]
    public void Vector512_AtMlpShapes_AgreesWithTheDoubleProduct(GemmPath path) => CheckMlpShapes(path);

    [PathTheory(GemmPath.Vector256)]
    [InlineData(GemmPath.Vector256)]
    public void Vector256_AtMlpShapes_AgreesWithTheDoubleProduct(GemmPath path) => CheckMlpShapes(path);

    [PathTheory(GemmPath.Portable)]
    [InlineData(GemmPath.Portable)]
    public void Portable_AtMlpShapes_AgreesWithTheDoubleProduct(GemmPath path) => CheckMlpShapes(path);

    [PathTheory(GemmPath.Vector512)]
    [InlineData(GemmPath.Vector512)]
    public void Vector512_SplitAcrossThreads_EqualsOneThreadBitForBit(GemmPath path) => CheckThreadSplit(path);

    [PathTheory(GemmPath.Vector256)]
    [InlineData(GemmPath.Vector256)]
    public void Vector256_SplitAcrossThreads_EqualsOneThreadBitForBit(GemmPath path) => CheckThreadSplit(path);

    private static void CheckMlpShapes(GemmPath path)
    {
        var random = new Random(7);
        foreach ((bool ta, bool tb, int m, int n, int k) in new[] { (false, false, 256, 64, 784), (false, true, 256, 784, 64), (true, false, 784, 64, 256) })
        {
            float[] a = RandomValues(random, m * k), b = RandomValues(random, k * n);
            float[] c = new float[m * n];
            using (new ForcedPath(path))
            {
                Gemm.Multiply(ta, tb, m, n, k, 1f, a, ta ? k : m, b, tb ? n : k, 0f, c, m);
            }

            double[] ad = Array.ConvertAll(a, v => (double)v), bd = Array.ConvertAll(b, v => (double)v);
            double[] cd = new double[m * n];
            Gemm.Multiply(ta, tb, m, n, k, 1.0, ad, ta ? k : m, bd, tb ? n : k, 0.0, cd, m);
            for (int i = 0; i < c.Length; i++)
            {
                if (!(Math.Abs(c[i] - cd[i]) <= 1e-5 * Math.Sqrt(k)))
                {
                    Assert.Fail($"{path} {(ta ? "T" : "N")}{(tb ? "T" : "N")}: element {i} is {c[i]}, the double product {cd[i]}.");
                }
            }
        }
    }

    private static void CheckThreadSplit(GemmPath path)
    {
        var random = new Random(11);

        // Wide products are sliced by columns, tall ones by rows; every transpose variant the kernel serves. The last two
        // are skinny (one and three columns, inference on single samples), split by rows into slices that end mid-vector.
        // The last two have ragged edge tiles whose positions change with the slicing; α = 0.7 is not a power of two, so
        // α must be applied to edge tiles exactly as to full ones for the results to agree.
        foreach ((int m, int n, int k) in new[] { (96, 400, 450), (800, 64, 320), (300, 1, 250), (270, 3, 301), (64, 1500, 600), (40, 2100, 300) })
        {
            foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true) })
            {
                float[] a = RandomValues(random, m * k), b = RandomValues(random, k * n);
                float[] single = RandomValues(random, m * n);
                float[] split = [.. single];
                int before = ComputeInfo.MaxThreads;
                long skinnyBefore = ComputeSettings.SkinnySplitElements;
                try
                {
                    using (new ForcedPath(path))
                    {
                        ComputeSettings.SkinnySplitElements = 1;
                        ComputeInfo.MaxThreads = 1;
                        Gemm.Multiply(ta, tb, m, n, k, 0.7f, a, ta ? k : m, b, tb ? n : k, 1f, single, m);
                        ComputeInfo.MaxThreads = 4;
                        Gemm.Multiply(ta, tb, m, n, k, 0.7f, a, ta ? k : m, b, tb ? n : k, 1f, split, m);
                    }
                }
                finally
                {
                    ComputeInfo.MaxThreads = before;
                    ComputeSettings.SkinnySplitElements = skinnyBefore;
                }

                split.Should().Equal(single, $"{m}×{n}×{k} {(ta ? "T" : "N")}{(tb ? "T" : "N")} on {path}");
            }
        }
    }

    private static void CheckAgainstOracle(GemmPath path, int m, int n, int k, bool transposeA, bool transposeB, double alpha, double beta, bool blockedKernelOnly)
    {
        // A fixed seed per case (HashCode is randomised per process), so a failure reproduces.
        var random = new Random((((m * 131) + n) * 131) + k + (transposeA ? 7 : 0) + (transposeB ? 13 : 0) + (int)(alpha * 100) + (int)(beta * 1000));
        int aRows = transposeA ? k : m, aColumns = transposeA ? m : k;
        int bRows = transposeB ? n : k, bColumns = transposeB ? k : n;

        // Leading dimensions larger than the row count, as for a sub-matrix, so padding is never read as data.
        int lda = aRows + 3, ldb = bRows + 1, ldc = m + 2;
        float[] a = RandomValues(random, lda * aColumns);
        float[] b = RandomValues(random, ldb * bColumns);
        float[] c = RandomValues(random, ldc * n);
        if (beta == 0)
        {
            Array.Fill(c, float.NaN);
        }

        (Matrix<double> expected, Matrix<double> bound) = GemmOracle.Expect(
            transposeA, transposeB,
            GemmOracle.Stored(a, aRows, aColumns, lda), GemmOracle.Stored(b, bRows, bColumns, ldb),
            (float)alpha, (float)beta, GemmOracle.Stored(c, m, n, ldc));
        float[] padding = [.. c];

        using (new ForcedPath(path, blockedKernelOnly))
        {
            Gemm.Multiply(transposeA, transposeB, m, n, k, (float)alpha, a, lda, b, ldb, (float)beta, c, ldc);
        }

        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < ldc; i++)
            {
                float actual = c[i + (j * ldc)];
                if (i >= m)
                {
                    // Rows past m are padding of the leading dimension: never written.
                    if (BitConverter.SingleToInt32Bits(actual) != BitConverter.SingleToInt32Bits(padding[i + (j * ldc)]))
                    {
                        Assert.Fail($"{path}: padding row {i} of column {j} was overwritten ({m}×{n}×{k}).");
                    }

                    continue;
                }

                if (!(Math.Abs(actual - expected[i, j]) <= bound[i, j] + 1e-30))
                {
                    Assert.Fail(
                        $"{path}: C({i}, {j}) of {m}×{n}×{k}, {(transposeA ? "T" : "N")}{(transposeB ? "T" : "N")}, α={alpha}, β={beta}: " +
                        $"got {actual}, expected {expected[i, j]} ± {bound[i, j]}.");
                }
            }
        }
    }

    private static float[] RandomValues(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
