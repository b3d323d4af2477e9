using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Losses;

/// <summary>The mean-reduced gradient of a batch equals the average of the single-sample gradients (1/N applied once).</summary>
public sealed class BatchMeanTests
{
    [Fact]
    public void CrossEntropy_NetworkParameterGradientsOfABatch_AreTheMeanOfSingleSampleGradients()
    {
        var random = new Random(21);
        var network = new Network<double>(
            new Linear<double>(3, 5, random, Initializer.HeNormal), new Tanh<double>(), new Linear<double>(5, 4, random));
        var loss = new CrossEntropyLoss<double>();
        Matrix<double> x = RandomValues.NormalMatrix(3, 6, random);
        int[] labels = [0, 1, 2, 3, 1, 0];

        double batchLoss = Gradients(network, loss, x, labels, out double[][] batchGradients);

        double meanLoss = 0;
        double[][] sum = batchGradients.Select(g => new double[g.Length]).ToArray();
        for (int j = 0; j < x.ColumnCount; j++)
        {
            meanLoss += Gradients(network, loss, x.SubMatrix(0, 3, j, 1), [labels[j]], out double[][] single) / x.ColumnCount;
            for (int p = 0; p < sum.Length; p++)
            {
                for (int i = 0; i < sum[p].Length; i++)
                {
                    sum[p][i] += single[p][i] / x.ColumnCount;
                }
            }
        }

        batchLoss.Should().BeApproximately(meanLoss, 1e-14);
        for (int p = 0; p < sum.Length; p++)
        {
            for (int i = 0; i < sum[p].Length; i++)
            {
                batchGradients[p][i].Should().BeApproximately(sum[p][i], 1e-14);
            }
        }
    }

    [Fact]
    public void MeanSquaredError_GradientOfABatch_IsTheMeanOfSingleSampleGradients()
    {
        var random = new Random(22);
        var loss = new MeanSquaredErrorLoss<double>();
        Matrix<double> y = RandomValues.NormalMatrix(2, 4, random);
        Matrix<double> t = RandomValues.NormalMatrix(2, 4, random);
        var batchGradient = Matrix<double>.Build.Dense(2, 4);
        loss.Compute(y, t, batchGradient);

        for (int j = 0; j < 4; j++)
        {
            var single = Matrix<double>.Build.Dense(2, 1);
            loss.Compute(y.SubMatrix(0, 2, j, 1), t.SubMatrix(0, 2, j, 1), single);
            (batchGradient.SubMatrix(0, 2, j, 1) - (single / 4)).FrobeniusNorm().Should().BeLessThan(1e-15);
        }
    }

    private static double Gradients(Network<double> network, ILoss<double> loss, Matrix<double> x, int[] labels, out double[][] gradients)
    {
        Matrix<double> output = network.Forward(x);
        var gradient = Matrix<double>.Build.Dense(output.RowCount, output.ColumnCount);
        double value = loss.Compute(output, labels, gradient);
        network.Backward(gradient);
        gradients = network.Parameters.Select(p => p.GradientSpan.ToArray()).ToArray();
        return value;
    }
}
