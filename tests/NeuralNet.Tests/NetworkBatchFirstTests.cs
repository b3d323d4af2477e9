using System.Buffers;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Tests;

/// <summary>
/// The batch-first entry points of <see cref="Network{T}"/> (samples one per row, spans, tensors) give the matrix path's
/// answers bit for bit, refuse input that looks transposed, and the single-sample span path allocates nothing.
/// </summary>
public sealed class NetworkBatchFirstTests
{
    private const int Features = 20;
    private const int Samples = 7;

    [Fact]
    public void PredictSpan_EqualsMatrixPathBitForBit()
    {
        Network<float> network = Mlp(1);
        float[][] rows = Rows(Samples, Features, 2);
        Matrix<float> expected = network.Predict(Matrix<float>.Build.DenseOfColumnArrays(rows));
        int[] expectedClasses = network.PredictClass(Matrix<float>.Build.DenseOfColumnArrays(rows));

        var output = new float[network.OutputSize!.Value];
        for (int j = 0; j < rows.Length; j++)
        {
            network.Predict(rows[j], output);
            output.Should().Equal(expected.Column(j).ToArray());
            network.PredictClass(rows[j]).Should().Be(expectedClasses[j]);
        }
    }

    [Fact]
    public void PredictRectangular_EqualsMatrixPathBitForBit()
    {
        Network<float> network = Mlp(3);
        float[][] rows = Rows(Samples, Features, 4);
        var samples = new float[Samples, Features];
        for (int i = 0; i < Samples; i++)
        {
            for (int f = 0; f < Features; f++)
            {
                samples[i, f] = rows[i][f];
            }
        }

        Matrix<float> expected = network.Predict(Matrix<float>.Build.DenseOfColumnArrays(rows));
        float[,] actual = network.Predict(samples);

        actual.GetLength(0).Should().Be(Samples);
        actual.GetLength(1).Should().Be(3);
        for (int i = 0; i < Samples; i++)
        {
            for (int o = 0; o < 3; o++)
            {
                actual[i, o].Should().Be(expected[o, i]);
            }
        }

        network.PredictClass(samples).Should().Equal(Network<float>.ArgMaxPerColumn(expected));
    }

    [Fact]
    public void PredictJagged_EqualsMatrixPathBitForBit()
    {
        Network<double> network = new(new Linear<double>(Features, 6, new Random(5)), new Tanh<double>(), new Linear<double>(6, 4, new Random(6)));
        double[][] rows = [.. Rows(Samples, Features, 7).Select(r => r.Select(v => (double)v).ToArray())];
        Matrix<double> expected = network.Predict(Matrix<double>.Build.DenseOfColumnArrays(rows));

        double[][] actual = network.Predict(rows);

        actual.Should().HaveCount(Samples);
        for (int i = 0; i < Samples; i++)
        {
            actual[i].Should().Equal(expected.Column(i).ToArray());
        }

        network.PredictClass(rows).Should().Equal(Network<double>.ArgMaxPerColumn(expected));
    }

    [Fact]
    public void PredictTensor_FlatSamples_EqualsMatrixPathBitForBit()
    {
        Network<float> network = Mlp(8);
        float[][] rows = Rows(Samples, Features, 9);
        Matrix<float> expected = network.Predict(Matrix<float>.Build.DenseOfColumnArrays(rows));

        Tensor<float> actual = network.Predict(Tensor.Create(rows.SelectMany(r => r).ToArray(), [Samples, Features]));

        actual.Lengths.ToArray().Should().Equal(Samples, 3);
        var flat = new float[Samples * 3];
        actual.FlattenTo(flat);
        flat.Should().Equal(expected.ToColumnMajorArray(), "[samples, outputs] row-major is outputs × samples column-major");
    }

    [Fact]
    public void PredictTensor_StridedSlice_EqualsItsDenseCopy()
    {
        Network<float> network = Mlp(21);
        float[][] wide = Rows(Samples, Features + 5, 22);
        Tensor<float> slice = Tensor.Create(wide.SelectMany(r => r).ToArray(), [Samples, Features + 5])
            .Slice([new NRange(0, Samples), new NRange(2, Features + 2)]);
        float[][] rows = [.. wide.Select(r => r[2..(Features + 2)])];

        slice.IsDense.Should().BeFalse();
        var flat = new float[Samples * 3];
        network.Predict(slice).FlattenTo(flat);
        flat.Should().Equal(network.Predict(Matrix<float>.Build.DenseOfColumnArrays(rows)).ToColumnMajorArray());
    }

    [Fact]
    public void PredictTensor_ImageSamples_GivesBatchTimesOutputShapeEqualToMatrixPath()
    {
        var random = new Random(10);
        var network = new Network<float>(
            Shape.Of(2, 5, 5),
            new Conv2d<float>(2, 3, 3, random),
            new Relu<float>());
        float[] values = [.. Enumerable.Range(0, 4 * 50).Select(i => (float)Math.Sin(i))];
        Matrix<float> expected = network.Predict(Matrix<float>.Build.Dense(50, 4, values));

        Tensor<float> actual = network.Predict(Tensor.Create(values, [4, 2, 5, 5]));

        actual.Lengths.ToArray().Should().Equal(4, 3, 3, 3);
        var flat = new float[4 * 27];
        actual.FlattenTo(flat);
        flat.Should().Equal(expected.ToColumnMajorArray());
    }

    [Fact]
    public void PredictSpan_AfterWarmUp_AllocatesNothing()
    {
        Network<float> network = Mlp(11, hidden: 64);
        float[] sample = Rows(1, Features, 12)[0];
        var output = new float[3];
        network.Predict(sample, output);
        network.PredictClass(sample);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int classes = 0;
        for (int i = 0; i < 100; i++)
        {
            network.Predict(sample, output);
            classes += network.PredictClass(sample);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0, $"the single-sample span path uses per-thread scratch (classes {classes})");
    }

    [Fact]
    public void PredictSpan_From8Threads_EqualsSingleThreadedResults()
    {
        Network<float> network = Mlp(13, hidden: 32);
        float[][] rows = Rows(50, Features, 14);
        float[][] expected = [.. rows.Select(r =>
        {
            var output = new float[3];
            network.Predict(r, output);
            return output;
        })];

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            var output = new float[3];
            for (int round = 0; round < 20; round++)
            {
                for (int j = 0; j < rows.Length; j++)
                {
                    int which = (j + thread + round) % rows.Length;
                    network.Predict(rows[which], output);
                    if (!output.AsSpan().SequenceEqual(expected[which]))
                    {
                        failures.Add($"thread {thread}, round {round}, sample {which}");
                    }
                }
            }
        });

        failures.Should().BeEmpty();
    }

    [Fact]
    public void PredictRectangular_Transposed_ThrowsSayingItLooksTransposed()
    {
        Network<float> network = Mlp(15);

        Action act = () => network.Predict(new float[Features, 64]);

        act.Should().Throw<ArgumentException>().WithMessage("*looks transposed: got [20, 64]*pass [samples, features]*").Which.ParamName.Should().Be("samples");
        network.Invoking(n => n.PredictClass(new float[Features, 64])).Should().Throw<ArgumentException>().WithMessage("*looks transposed*");
        network.Invoking(n => n.Predict(new float[64, 19])).Should().Throw<ArgumentException>()
            .WithMessage("*got [64, 19], 19 features per sample*takes 20 (20)*");
    }

    [Fact]
    public void PredictJagged_Transposed_ThrowsSayingItLooksTransposed()
    {
        Network<float> network = Mlp(16);
        float[][] transposed = [.. Enumerable.Range(0, Features).Select(_ => new float[5])];

        network.Invoking(n => n.Predict(transposed)).Should().Throw<ArgumentException>()
            .WithMessage("*looks transposed: got [20, 5]*pass [samples, features]*");
    }

    [Fact]
    public void PredictJagged_RowsOfDifferentLengths_ThrowsNamingTheRow()
    {
        Network<float> network = Mlp(17);
        float[][] rows = [new float[Features], new float[Features], new float[Features - 1]];

        network.Invoking(n => n.Predict(rows)).Should().Throw<ArgumentException>().WithMessage("*row 2 has 19 values but row 0 has 20*");
        network.Invoking(n => n.Predict([new float[Features], null!])).Should().Throw<ArgumentException>().WithMessage("*row 1 is null*");
    }

    [Fact]
    public void PredictSpan_WrongLengths_Throw()
    {
        Network<float> network = Mlp(18);
        var output = new float[3];

        network.Invoking(n => n.Predict(new float[Features - 1], output)).Should().Throw<ArgumentException>()
            .WithMessage("*the sample has 19 values but the network takes 20 features (20)*").Which.ParamName.Should().Be("sample");
        network.Invoking(n => n.PredictClass(new float[Features * 4])).Should().Throw<ArgumentException>()
            .WithMessage("*80 values, 4 times the network's 20 features*a span is one sample*");
        network.Invoking(n => n.Predict(new float[Features], new float[4])).Should().Throw<ArgumentException>()
            .WithMessage("*output span has 4 values but the network gives 3 per sample*").Which.ParamName.Should().Be("output");
    }

    [Fact]
    public void PredictSpan_NaN_ThrowsNamingTheFeature()
    {
        Network<float> network = Mlp(19);
        var sample = new float[Features];
        sample[6] = float.NaN;

        network.Invoking(n => n.Predict(sample, new float[3])).Should().Throw<ArgumentException>().WithMessage("*NaN at feature 6*");
    }

    [Fact]
    public void PredictTensor_WrongLayouts_ThrowWithTheShape()
    {
        Network<float> network = Mlp(20);

        network.Invoking(n => n.Predict(Tensor.Create(new float[Features * 64], [Features, 64]))).Should().Throw<ArgumentException>()
            .WithMessage("*looks transposed: got [20, 64]*pass [samples, features]*");
        network.Invoking(n => n.Predict(Tensor.Create(new float[Features], [Features]))).Should().Throw<ArgumentException>()
            .WithMessage("*shape [20] has no batch axis*[1, 20]*");
        network.Invoking(n => n.Predict(Tensor.Create(new float[3 * 4 * 5], [3, 4, 5]))).Should().Throw<ArgumentException>()
            .WithMessage("*[3, 4, 5] holds samples of shape (4, 5), but the network takes (20)*");
    }

    private static Network<float> Mlp(int seed, int hidden = 8)
    {
        var random = new Random(seed);
        return new Network<float>(
            new Linear<float>(Features, hidden, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(hidden, 3, random));
    }

    private static float[][] Rows(int count, int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => (float)((2 * random.NextDouble()) - 1)).ToArray())];
    }
}
