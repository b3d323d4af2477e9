using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

public sealed class InitializerChoiceTests
{
    [Fact]
    public void Linear_InjectedSeed_DeterminesTheWeights()
    {
        var a = new Linear<float>(20, 10, new Random(5), Initializer.HeNormal);
        var b = new Linear<float>(20, 10, new Random(5), Initializer.HeNormal);
        var c = new Linear<float>(20, 10, new Random(6), Initializer.HeNormal);

        a.Weights.Enumerate().Should().Equal(b.Weights.Enumerate());
        a.Weights.Enumerate().Should().NotEqual(c.Weights.Enumerate());
        a.Bias.Enumerate().Should().OnlyContain(v => v == 0);
    }

    [Fact]
    public void Linear_HeAndGlorot_HaveTheirDocumentedSpread()
    {
        var he = new Linear<double>(400, 300, new Random(1), Initializer.HeNormal);
        var glorot = new Linear<double>(400, 300, new Random(1));

        double heVariance = he.Weights.Enumerate().Select(w => w * w).Average();
        double glorotVariance = glorot.Weights.Enumerate().Select(w => w * w).Average();
        double glorotLimit = Math.Sqrt(6.0 / 700);

        glorot.WeightInitializer.Should().BeSameAs(Initializer.GlorotUniform);
        heVariance.Should().BeApproximately(2.0 / 400, 2.0 / 400 * 0.02);
        glorotVariance.Should().BeApproximately(glorotLimit * glorotLimit / 3, glorotLimit * glorotLimit / 3 * 0.02);
        glorot.Weights.Enumerate().Should().OnlyContain(w => Math.Abs(w) <= glorotLimit);
    }
}
