using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Compute;
using static NeuralNet.Tests.Layers.Conv2dTests;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// float32 <see cref="Conv2d{T}"/> on every instruction-set path (forced), against the double nested-loop reference:
/// forward, Predict, the full backward and the parameter-only backward of a first layer (which takes the direct
/// small-tap kernels where they apply); results that do not depend on the thread count; a CNN step that allocates nothing.
/// </summary>
public sealed class Conv2dPathTests
{
    /// <summary>Images large enough for the direct kernels (≥ 16 positions) next to ones that take im2col + GEMM.</summary>
    public static readonly ConvSpec[] PathSpecs =
    [
        new("1→32 3×3 padding 1, 28×28 (the CNN's first layer)", 1, 32, (3, 3), (1, 1), 1, (1, 1), 1, true, 28, 28),
        new("1→5 3×3 padding 1, odd 9×7", 1, 5, (3, 3), (1, 1), 1, (1, 1), 1, true, 9, 7),
        new("2→3 2×3 stride 2 padding (1, 0), 13×11", 2, 3, (2, 3), (2, 2), (1, 0), (1, 1), 1, true, 13, 11),
        new("3→7 3×3 same, 6×5, no bias", 3, 7, (3, 3), (1, 1), Conv2dPadding.Same, (1, 1), 1, false, 6, 5),
        new("4→6 3×3 groups 2 dilation 2 padding 1, 11×9", 4, 6, (3, 3), (1, 1), 1, (2, 2), 2, true, 11, 9),
        new("3→6 3×3 depthwise multiplier 2, stride 2 padding 1, 15×15", 3, 6, (3, 3), (2, 2), 1, (1, 1), 3, true, 15, 15),
        new("3→3 3×3 depthwise, 10×9", 3, 3, (3, 3), (1, 1), 1, (1, 1), 3, true, 10, 9),
        new("2→3 1×1 stride 2, 9×9", 2, 3, (1, 1), (2, 2), 0, (1, 1), 1, true, 9, 9),
        new("5→4 1×1 pointwise, 6×6", 5, 4, (1, 1), (1, 1), 0, (1, 1), 1, true, 6, 6),
        new("1→3 5×5 padding 2 on a 1-row image, 1×20", 1, 3, (5, 5), (1, 1), 2, (1, 1), 1, true, 1, 20),
        new("3→5 4×2 same dilation (1, 2), 9×10", 3, 5, (4, 2), (1, 1), Conv2dPadding.Same, (1, 2), 1, true, 9, 10),
        new("32→9 3×3 padding 1, 7×7 (many taps: GEMM)", 32, 9, (3, 3), (1, 1), 1, (1, 1), 1, true, 7, 7),
        new("3→4 3×3, 4×4 (fewer positions than a vector)", 3, 4, (3, 3), (1, 1), 0, (1, 1), 1, true, 4, 4),
    ];

    public static TheoryData<ConvSpec, int> SpecsAndBatches()
    {
        var data = new TheoryData<ConvSpec, int>();
        foreach (ConvSpec spec in PathSpecs)
        {
            data.Add(spec, 1);
            data.Add(spec, 5);
        }

        return data;
    }

    [PathTheory(GemmPath.Vector512)]
    [MemberData(nameof(SpecsAndBatches))]
    public void ForwardAndGradients_OnVector512_MatchTheReference(ConvSpec spec, int batch) => CheckPath(GemmPath.Vector512, spec, batch);

    [PathTheory(GemmPath.Vector256)]
    [MemberData(nameof(SpecsAndBatches))]
    public void ForwardAndGradients_OnVector256_MatchTheReference(ConvSpec spec, int batch) => CheckPath(GemmPath.Vector256, spec, batch);

    [PathTheory(GemmPath.Vector512)]
    [MemberData(nameof(SpecsAndBatches))]
    public void ForwardAndGradients_OnVector512WithoutTheDirectKernels_MatchTheReference(ConvSpec spec, int batch) => CheckPath(GemmPath.Vector512, spec, batch, direct: false);

    [PathTheory(GemmPath.Vector256)]
    [MemberData(nameof(SpecsAndBatches))]
    public void ForwardAndGradients_OnVector256WithoutTheDirectKernels_MatchTheReference(ConvSpec spec, int batch) => CheckPath(GemmPath.Vector256, spec, batch, direct: false);

    [PathTheory(GemmPath.Portable)]
    [MemberData(nameof(SpecsAndBatches))]
    public void ForwardAndGradients_OnThePortablePath_MatchTheReference(ConvSpec spec, int batch) => CheckPath(GemmPath.Portable, spec, batch);

    [Fact]
    public void UsesDirect_CnnLayersOnAVectorPath_TakeTheDirectKernels()
    {
        var first = new Conv2d<float>(1, 32, 3, new Random(1), padding: 1);
        first.Connect(Shape.Of(1, 28, 28));
        var second = new Conv2d<float>(32, 64, 3, new Random(1), padding: 1);
        second.Connect(Shape.Of(32, 14, 14));
        var large = new Conv2d<float>(256, 8, 3, new Random(1), padding: 1);
        large.Connect(Shape.Of(256, 32, 32));
        var tiny = new Conv2d<float>(2, 2, 3, new Random(1));
        tiny.Connect(Shape.Of(2, 4, 4));

        using (new ForcedPath(GemmPath.Portable))
        {
            first.UsesDirect.Should().BeFalse("the portable path takes im2col + GEMM");
        }

        if (ComputeSettings.IsSupported(GemmPath.Vector256))
        {
            using var forced = new ForcedPath(GemmPath.Vector256);
            first.UsesDirect.Should().BeTrue();
            second.UsesDirect.Should().BeTrue();
            large.UsesDirect.Should().BeFalse("one sample's columns (2304 × 1024) exceed the L2-sized block");
            tiny.UsesDirect.Should().BeFalse("4 positions are less than a vector");
        }
    }

    [Fact]
    public void SmallCnnStep_OneAndTwoThreads_GiveBitIdenticalOutputsAndGradients()
    {
        Matrix<float> x = RandomValues.NormalMatrix(784, 37, new Random(3)).Map(v => (float)v);
        int[] labels = [.. Enumerable.Range(0, 37).Select(i => (i * 7) % 10)];
        int before = ComputeInfo.MaxThreads;
        try
        {
            Matrix<float> one = x.SubMatrix(0, 784, 0, 1);
            ComputeInfo.MaxThreads = 1;
            (float[] output, float[][] gradients, float[] predicted) single = Step(x, labels);
            float[] singleSample = SmallCnn(1).Predict(one).ToColumnMajorArray();
            ComputeInfo.MaxThreads = 2;
            (float[] output, float[][] gradients, float[] predicted) two = Step(x, labels);
            float[] twoSample = SmallCnn(1).Predict(one).ToColumnMajorArray();

            two.output.Should().Equal(single.output);
            two.predicted.Should().Equal(single.predicted);
            twoSample.Should().Equal(singleSample, "a batch of one is cut by output channels");
            for (int p = 0; p < single.gradients.Length; p++)
            {
                two.gradients[p].Should().Equal(single.gradients[p], $"parameter {p}");
            }
        }
        finally
        {
            ComputeInfo.MaxThreads = before;
        }
    }

    [Fact]
    public void SmallCnnTrainingStep_InSteadyState_AllocatesNothing()
    {
        Network<float> network = SmallCnn(1);
        Matrix<float> x = RandomValues.NormalMatrix(784, 16, new Random(3)).Map(v => (float)v);
        int[] labels = [.. Enumerable.Range(0, 16).Select(i => i % 10)];
        var gradient = Matrix<float>.Build.Dense(10, 16);
        var loss = new CrossEntropyLoss<float>();
        var optimizer = new Sgd<float>(0.01, momentum: 0.9);
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 10; step++)
        {
            Step();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);

        void Step()
        {
            loss.Compute(network.Forward(x), labels, gradient);
            network.BackwardParameters(gradient);
            optimizer.Step(network.Parameters);
        }
    }

    private static (float[] Output, float[][] Gradients, float[] Predicted) Step(Matrix<float> x, int[] labels)
    {
        Network<float> network = SmallCnn(1);
        var gradient = Matrix<float>.Build.Dense(10, x.ColumnCount);
        float[] output = network.Forward(x).ToColumnMajorArray();
        new CrossEntropyLoss<float>().Compute(network.Forward(x), labels, gradient);
        network.BackwardParameters(gradient);
        return (output, [.. network.Parameters.Select(p => p.Gradient.ToColumnMajorArray())], network.Predict(x).ToColumnMajorArray());
    }

    /// <summary>Issue 10's CNN "small" without dropout (so two runs see the same network).</summary>
    private static Network<float> SmallCnn(int seed)
    {
        var random = new Random(seed);
        return new Network<float>(
            Shape.Of(1, 28, 28),
            new Conv2d<float>(1, 32, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new MaxPool2d<float>(2),
            new Conv2d<float>(32, 64, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new MaxPool2d<float>(2),
            new Flatten<float>(),
            new Linear<float>(64 * 7 * 7, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(128, 10, random));
    }

    private static void CheckPath(GemmPath path, ConvSpec spec, int batch, bool? direct = null)
    {
        using var forced = new ForcedPath(path);
        bool? previous = Conv2d<float>.ForcedDirect;
        bool? previousWeights = Conv2d<float>.ForcedDirectWeightGradient;
        Conv2d<float>.ForcedDirect = direct;
        try
        {
            CheckLayer(spec, batch);
            if (direct != false)
            {
                // The direct weight gradient for many taps too (opt-in; the GEMM is the default there).
                Conv2d<float>.ForcedDirectWeightGradient = true;
                CheckLayer(spec, batch);
            }
        }
        finally
        {
            Conv2d<float>.ForcedDirect = previous;
            Conv2d<float>.ForcedDirectWeightGradient = previousWeights;
        }
    }

    private static void CheckLayer(ConvSpec spec, int batch)
    {
        Conv2d<double> exact = spec.CreateConnected();
        float[] weight = [.. exact.Weights.ToColumnMajorArray().Select(v => (float)v)];
        float[]? bias = spec.Bias ? [.. exact.Bias!.ToColumnMajorArray().Select(v => (float)v)] : null;
        var layer = new Conv2d<float>(spec.InChannels, spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding, spec.Dilation, spec.Groups, weight, bias);
        layer.Connect(spec.InputShape);
        var random = new Random(21 + batch);
        Matrix<double> x = RandomValues.NormalMatrix(spec.InputShape.Size, batch, random).Map(v => (double)(float)v);
        Matrix<double> g = RandomValues.NormalMatrix(spec.OutputShape.Size, batch, random).Map(v => (double)(float)v);
        Reference reference = Reference.Compute(spec, [.. weight.Select(v => (double)v)], bias?.Select(v => (double)v).ToArray(), x, g);
        Matrix<float> xf = x.Map(v => (float)v);
        Matrix<float> gf = g.Map(v => (float)v);

        Close(layer.Forward(xf).ToColumnMajorArray(), reference.Output, "forward");
        var predicted = Matrix<float>.Build.Dense(spec.OutputShape.Size, batch);
        layer.Predict(xf, predicted);
        Close(predicted.ToColumnMajorArray(), reference.Output, "Predict");
        Close(layer.Backward(gf).ToColumnMajorArray(), reference.InputGradient, "input gradient");
        Close(layer.Parameters[0].Gradient.ToColumnMajorArray(), reference.WeightGradient, "weight gradient");
        if (spec.Bias)
        {
            Close(layer.Parameters[1].Gradient.ToColumnMajorArray(), reference.BiasGradient, "bias gradient");
        }

        // The first layer's step: parameter gradients only (the direct kernels where they apply).
        layer.Parameters[0].GradientSpan.Fill(float.NaN);
        layer.Forward(xf);
        ((IParameterGradients<float>)layer).BackwardParameters(gf);
        Close(layer.Parameters[0].Gradient.ToColumnMajorArray(), reference.WeightGradient, "weight gradient without the input gradient");
        if (spec.Bias)
        {
            Close(layer.Parameters[1].Gradient.ToColumnMajorArray(), reference.BiasGradient, "bias gradient without the input gradient");
        }
    }

    private static void Close(float[] actual, double[] expected, string what)
    {
        actual.Should().HaveSameCount(expected);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < actual.Length; i++)
        {
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(1e-5 * scale, $"{what}, entry {i}: {actual[i]} vs {expected[i]}");
        }
    }
}
