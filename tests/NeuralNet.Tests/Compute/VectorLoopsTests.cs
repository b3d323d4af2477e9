using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

/// <summary><see cref="VectorLoops.AllFinite{T}"/>: a NaN or ±∞ anywhere (vector body or scalar tail) is found.</summary>
public sealed class VectorLoopsTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void AllFinite_OneValueNotFinite_IsFalseWhereverItIs(float bad)
    {
        var values = new float[203];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 2 == 0 ? float.MaxValue : -0f;
        }

        VectorLoops.AllFinite<float>(values).Should().BeTrue();
        for (int position = 0; position < values.Length; position++)
        {
            float kept = values[position];
            values[position] = bad;
            VectorLoops.AllFinite<float>(values).Should().BeFalse($"{bad} at {position}");
            values[position] = kept;
        }
    }

    [Fact]
    public void AllFinite_InDouble_FindsInfinityAndAcceptsExtremes()
    {
        double[] values = [double.MaxValue, double.MinValue, double.Epsilon, -0.0, 1e308, 3, 4, 5, 6, 7, 8];

        VectorLoops.AllFinite<double>(values).Should().BeTrue();
        values[^1] = double.NegativeInfinity;
        VectorLoops.AllFinite<double>(values).Should().BeFalse();
        VectorLoops.AllFinite<double>([]).Should().BeTrue();
    }
}
