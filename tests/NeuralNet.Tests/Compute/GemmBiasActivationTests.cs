using System.Numerics.Tensors;
using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

/// <summary>
/// The layer product <c>act(A·B + bias)</c> with the bias and ReLU in the micro-kernel's store, on every path, against
/// the unfused computation it replaces (bias stored into C, the product added with β = 1, then
/// <c>TensorPrimitives.Max(C, 0)</c>): equal bit for bit, also split across threads and with NaN and ±∞ in the sums.
/// </summary>
public sealed class GemmBiasActivationTests
{
    public static TheoryData<GemmPath, bool, int, int, int, bool> Cases()
    {
        var data = new TheoryData<GemmPath, bool, int, int, int, bool>();
        (int M, int N, int K)[] shapes =
        [
            (256, 64, 784),   // the MLP's first layer, batch 64
            (10, 1000, 128),  // its last layer at a batch of 1000: a ragged 10-row edge
            (128, 3, 256),    // skinny: three samples
            (70, 1, 300),     // skinny, rows past a vector
            (3, 5, 7),        // tiny
            (45, 37, 1100),   // two depth blocks: the bias joins the first, the ReLU the last
            (40, 1030, 300),  // several blocks of B's columns, ragged edges both ways
        ];
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable })
        {
            if (!ComputeSettings.IsSupported(path))
            {
                continue;
            }

            foreach ((int m, int n, int k) in shapes)
            {
                foreach (bool blockedOnly in new[] { false, true })
                {
                    data.Add(path, blockedOnly, m, n, k, true);
                    data.Add(path, blockedOnly, m, n, k, false);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MultiplyBiasActivation_OnEveryPath_EqualsTheUnfusedPassesBitForBit(GemmPath path, bool blockedOnly, int m, int n, int k, bool relu)
    {
        var random = new Random(m + n + k);
        float[] a = Values(random, m * k), b = Values(random, k * n), bias = Values(random, m);
        float[] fused = Values(random, m * n);
        float[] unfused;
        using (new ForcedPath(path, blockedOnly))
        {
            Gemm.MultiplyBiasActivation(m, n, k, a, m, b, k, bias, relu, fused, m);
            unfused = Unfused(m, n, k, a, b, bias, relu);
        }

        fused.Should().Equal(unfused, (x, y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y));
    }

    [Fact]
    public void MultiplyBiasActivation_InDouble_EqualsTheUnfusedPassesBitForBit()
    {
        var random = new Random(5);
        const int m = 33, n = 40, k = 70;
        double[] a = [.. Values(random, m * k).Select(v => (double)v)], b = [.. Values(random, k * n).Select(v => (double)v)];
        double[] bias = [.. Values(random, m).Select(v => (double)v)];
        double[] fused = new double[m * n], unfused = new double[m * n];
        Gemm.MultiplyBiasActivation(m, n, k, a, m, b, k, bias, relu: true, fused, m);
        for (int j = 0; j < n; j++)
        {
            bias.CopyTo(unfused.AsSpan(j * m, m));
        }

        Gemm.Multiply(false, false, m, n, k, 1.0, a, m, b, k, 1.0, unfused, m);
        TensorPrimitives.Max(unfused, 0.0, unfused);
        fused.Should().Equal(unfused);
    }

    [Fact]
    public void MultiplyBiasActivation_SumsWithNaNAndInfinity_AreActivatedAsTensorPrimitivesMaxDoes()
    {
        // A column of A holding ±∞ makes sums of +∞, −∞ and (∞ − ∞) NaN; the ReLU must keep NaN and turn −∞ into 0.
        var random = new Random(9);
        const int m = 64, n = 24, k = 40;
        float[] a = Values(random, m * k), b = Values(random, k * n), bias = Values(random, m);
        for (int i = 0; i < m; i += 3)
        {
            a[i] = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
            a[i + (5 * m)] = float.PositiveInfinity;
        }

        bias[1] = -0f;
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable }.Where(ComputeSettings.IsSupported))
        {
            foreach (bool blockedOnly in new[] { false, true })
            {
                float[] fused = new float[m * n];
                float[] unfused;
                using (new ForcedPath(path, blockedOnly))
                {
                    Gemm.MultiplyBiasActivation(m, n, k, a, m, b, k, bias, relu: true, fused, m);
                    unfused = Unfused(m, n, k, a, b, bias, relu: true);
                }

                unfused.Should().Contain(float.NaN, "the case must reach NaN sums");
                fused.Should().Equal(unfused, (x, y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y), $"{path}, blocked only: {blockedOnly}");
            }
        }
    }

    [PathTheory(GemmPath.Vector512)]
    [InlineData(10, 1000, 128)]
    [InlineData(16, 70, 300)]
    [InlineData(17, 70, 300)]
    [InlineData(256, 64, 784)]
    [InlineData(45, 37, 1100)]
    public void Vector512_EqualsVector256BitForBit(int m, int n, int k)
    {
        // Both kernels sum each element over the same depth blocks in the same order, so the AVX-512 path may hand
        // products of at most 16 rows to the AVX2 kernel's 16-row tiles without changing a bit.
        var random = new Random(m * k);
        float[] a = Values(random, m * k), b = Values(random, k * n), bias = Values(random, m);
        float[] wide = new float[m * n], narrow = new float[m * n];
        using (new ForcedPath(GemmPath.Vector512, blockedKernelOnly: true))
        {
            Gemm.MultiplyBiasActivation(m, n, k, a, m, b, k, bias, relu: true, wide, m);
        }

        using (new ForcedPath(GemmPath.Vector256, blockedKernelOnly: true))
        {
            Gemm.MultiplyBiasActivation(m, n, k, a, m, b, k, bias, relu: true, narrow, m);
        }

        wide.Should().Equal(narrow);
    }

    [PathTheory(GemmPath.Vector512)]
    [InlineData(GemmPath.Vector512)]
    public void Vector512_SplitAcrossThreads_EqualsOneThreadBitForBit(GemmPath path) => CheckThreadSplit(path);

    [PathTheory(GemmPath.Vector256)]
    [InlineData(GemmPath.Vector256)]
    public void Vector256_SplitAcrossThreads_EqualsOneThreadBitForBit(GemmPath path) => CheckThreadSplit(path);

    private static void CheckThreadSplit(GemmPath path)
    {
        var random = new Random(3);

        // Sliced by columns (wide), by rows (tall) and by rows of a skinny product (one sample), with ragged edges.
        foreach ((int m, int n, int k) in new[] { (96, 400, 450), (800, 64, 320), (300, 1, 250), (40, 2100, 1100) })
        {
            float[] a = Values(random, m * k), b = Values(random, k * n), bias = Values(random, m);
            float[] single = new float[m * n], split = new float[m * n];
            int before = ComputeInfo.MaxThreads;
            long skinnyBefore = ComputeSettings.SkinnySplitElements;
            try
            {
                using (new ForcedPath(path))
                {
                    ComputeSettings.SkinnySplitElements = 1;
                    ComputeInfo.MaxThreads = 1;
                    Gemm.MultiplyBiasActivation(m, n, k, a, m, b, k, bias, relu: true, single, m);
                    ComputeInfo.MaxThreads = 4;
                    Gemm.MultiplyBiasActivation(m, n, k, a, m, b, k, bias, relu: true, split, m);
                }
            }
            finally
            {
                ComputeInfo.MaxThreads = before;
                ComputeSettings.SkinnySplitElements = skinnyBefore;
            }

            split.Should().Equal(single, $"{m} × {n} × {k} must not depend on the thread count");
        }
    }

    /// <summary>What the layer did before the fusion: the bias into every column, the product added, the ReLU pass.</summary>
    private static float[] Unfused(int m, int n, int k, float[] a, float[] b, float[] bias, bool relu)
    {
        float[] c = new float[m * n];
        for (int j = 0; j < n; j++)
        {
            bias.CopyTo(c.AsSpan(j * m, m));
        }

        Gemm.Multiply(false, false, m, n, k, 1f, a, m, b, k, 1f, c, m);
        if (relu)
        {
            TensorPrimitives.Max(c, 0f, c);
        }

        return c;
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((2 * random.NextDouble()) - 1);
        }

        return values;
    }
}
