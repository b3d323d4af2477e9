using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Compute;

/// <summary>
/// Each layer's float32 forward and backward, on every matrix-product path, against the plain MathNet formulation in
/// double precision (<c>W·X + b</c>, <c>G·Xᵀ</c>, <c>Wᵀ·G</c>, …).
/// </summary>
public sealed class LayerOracleTests
{
    public static TheoryData<int, int, int> LinearShapes => new()
    {
        { 784, 256, 64 },
        { 13, 7, 5 },
        { 3, 40, 1 },
        { 129, 33, 67 },
    };

    [PathTheory(GemmPath.Vector512)]
    [MemberData(nameof(LinearShapes))]
    public void Linear_OnVector512_MatchesMathNet(int inputs, int outputs, int batch) =>
        CheckLinear(GemmPath.Vector512, inputs, outputs, batch);

    [PathTheory(GemmPath.Vector256)]
    [MemberData(nameof(LinearShapes))]
    public void Linear_OnVector256_MatchesMathNet(int inputs, int outputs, int batch) =>
        CheckLinear(GemmPath.Vector256, inputs, outputs, batch);

    [PathTheory(GemmPath.Portable)]
    [MemberData(nameof(LinearShapes))]
    public void Linear_OnPortable_MatchesMathNet(int inputs, int outputs, int batch) =>
        CheckLinear(GemmPath.Portable, inputs, outputs, batch);

    [Fact]
    public void ReLU_ForwardAndBackwardMatchMathNet()
    {
        var random = new Random(3);
        Matrix<float> x = RandomMatrix(random, 37, 9);
        x[0, 0] = 0f;
        Matrix<float> g = RandomMatrix(random, 37, 9);
        var relu = new Relu<float>();

        Matrix<float> y = relu.Forward(x);
        Matrix<float> dx = relu.Backward(g);

        y.Should().BeEquivalentTo(x.Map(v => Math.Max(v, 0f)));
        dx.Should().BeEquivalentTo(g.PointwiseMultiply(x.Map(v => v > 0f ? 1f : 0f)));
        dx[0, 0].Should().Be(0f, "the derivative at 0 is taken as 0");
    }

    [Fact]
    public void Softmax_ForwardAndBackwardMatchMathNet()
    {
        var random = new Random(4);
        Matrix<float> z = RandomMatrix(random, 10, 17) * 8f;
        Matrix<float> g = RandomMatrix(random, 10, 17);
        var softmax = new Softmax<float>();

        Matrix<double> s = z.Map(v => (double)v);
        for (int j = 0; j < s.ColumnCount; j++)
        {
            MathNet.Numerics.LinearAlgebra.Vector<double> column = s.Column(j);
            MathNet.Numerics.LinearAlgebra.Vector<double> e = (column - column.Maximum()).PointwiseExp();
            s.SetColumn(j, e / e.Sum());
        }

        Matrix<double> gd = g.Map(v => (double)v);

        // dz = s ⊙ (g − 1·(sᵀg)) per column, written with MathNet operations.
        Matrix<double> inner = Matrix<double>.Build.Dense(10, 17, (_, j) => s.Column(j).DotProduct(gd.Column(j)));
        Matrix<double> expectedGradient = s.PointwiseMultiply(gd - inner);

        Matrix<float> actual = softmax.Forward(z);
        Matrix<float> dz = softmax.Backward(g);

        ShouldMatch(actual, s, s.Map(Math.Abs) * 1e-6 + 1e-7, "softmax");
        ShouldMatch(dz, expectedGradient, (s.PointwiseMultiply(gd.PointwiseAbs() + inner.PointwiseAbs()) * 1e-5) + 1e-7, "softmax gradient");
    }

    private static void CheckLinear(GemmPath path, int inputs, int outputs, int batch)
    {
        var random = new Random(inputs + (outputs * 1000) + (batch * 1_000_000));
        Matrix<float> w = RandomMatrix(random, outputs, inputs);
        MathNet.Numerics.LinearAlgebra.Vector<float> b = MathNet.Numerics.LinearAlgebra.Vector<float>.Build.Dense(outputs, _ => (float)random.NextDouble() - 0.5f);
        Matrix<float> x = RandomMatrix(random, inputs, batch);
        Matrix<float> g = RandomMatrix(random, outputs, batch);
        var layer = new Linear<float>(w, b);

        Matrix<float> y, dx, predicted;
        using (new ForcedPath(path))
        {
            y = layer.Forward(x).Clone();
            dx = layer.Backward(g);
            predicted = Matrix<float>.Build.Dense(outputs, batch);
            layer.Predict(x, predicted);
        }

        Matrix<double> wd = w.Map(v => (double)v), xd = x.Map(v => (double)v), gd = g.Map(v => (double)v);
        Matrix<double> bias = Matrix<double>.Build.Dense(outputs, batch, (i, _) => b[i]);
        double u = 5.96e-8;

        ShouldMatch(y, (wd * xd) + bias, ((wd.PointwiseAbs() * xd.PointwiseAbs()) + bias.PointwiseAbs()) * ((inputs + 2) * u), $"{path} W·X + b");
        predicted.Should().BeEquivalentTo(y, "Predict computes the same as the training forward pass");
        ShouldMatch(layer.WeightsGradient, gd.TransposeAndMultiply(xd), gd.PointwiseAbs().TransposeAndMultiply(xd.PointwiseAbs()) * ((batch + 2) * u), $"{path} G·Xᵀ");
        ShouldMatch(layer.BiasGradient, gd.RowSums().ToColumnMatrix(), gd.PointwiseAbs().RowSums().ToColumnMatrix() * ((batch + 2) * u), $"{path} G·1");
        ShouldMatch(dx, wd.TransposeThisAndMultiply(gd), wd.PointwiseAbs().TransposeThisAndMultiply(gd.PointwiseAbs()) * ((outputs + 2) * u), $"{path} Wᵀ·G");
    }

    private static void ShouldMatch(Matrix<float> actual, Matrix<double> expected, Matrix<double> bound, string what)
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        for (int j = 0; j < expected.ColumnCount; j++)
        {
            for (int i = 0; i < expected.RowCount; i++)
            {
                if (!(Math.Abs(actual[i, j] - expected[i, j]) <= bound[i, j] + 1e-30))
                {
                    Assert.Fail($"{what}: ({i}, {j}) is {actual[i, j]}, expected {expected[i, j]} ± {bound[i, j]}.");
                }
            }
        }
    }

    private static Matrix<float> RandomMatrix(Random random, int rows, int columns) =>
        Matrix<float>.Build.Dense(rows, columns, (_, _) => (float)((random.NextDouble() * 2) - 1));
}
