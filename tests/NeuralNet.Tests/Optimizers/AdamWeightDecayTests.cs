using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// <see cref="AdamW{T}"/> is <see cref="Adam{T}"/> with decoupled weight decay, one implementation: with no decay the two
/// step bit for bit alike, and Adam's own decay is PyTorch's coupled L2 (<c>g ← ∇L + λθ</c>).
/// </summary>
public sealed class AdamWeightDecayTests
{
    /// <summary>37 elements: whole SIMD vectors plus a scalar tail, whatever the hardware's vector width.</summary>
    private const int Length = 37;

    [Fact]
    public void AdamW_WithoutDecayInDouble_StepsBitForBitLikeAdam()
    {
        (double[] adam, double[] adamW) = Run<double>(new Adam<double>(0.05), new AdamW<double>(0.05, weightDecay: 0));
        adamW.Should().Equal(adam);
    }

    [Fact]
    public void AdamW_WithoutDecayInFloat_StepsBitForBitLikeAdam()
    {
        (float[] adam, float[] adamW) = Run<float>(new Adam<float>(0.05, beta1: 0.8, epsilon: 1e-6), new AdamW<float>(0.05, beta1: 0.8, epsilon: 1e-6, weightDecay: 0));
        adamW.Should().Equal(adam);
    }

    [Fact]
    public void Adam_WithDecoupledDecay_IsAdamW()
    {
        (double[] adam, double[] adamW) = Run<double>(new Adam<double>(0.05, weightDecay: 0.3, decoupledWeightDecay: true), new AdamW<double>(0.05, weightDecay: 0.3));
        adamW.Should().Equal(adam);
        new AdamW<double>().DecoupledWeightDecay.Should().BeTrue();
        new Adam<double>().DecoupledWeightDecay.Should().BeFalse();
    }

    [Fact]
    public void Adam_WeightDecay_IsCoupledL2AddedToTheGradientAsInPyTorch()
    {
        // torch.optim.Adam: g ← ∇L + λθ, then the usual moments. So Adam(λ) on ∇L equals Adam(0) on ∇L + λθ, bit for bit.
        const double Lambda = 0.2;
        var random = new Random(29);
        var decayed = new Parameter<double>("weight", Length, 1);
        var plain = new Parameter<double>("weight", Length, 1);
        for (int i = 0; i < Length; i++)
        {
            decayed.ValueSpan[i] = plain.ValueSpan[i] = (2 * random.NextDouble()) - 1;
        }

        var withDecay = new Adam<double>(0.05, weightDecay: Lambda);
        var withoutDecay = new Adam<double>(0.05);
        for (int step = 0; step < 4; step++)
        {
            for (int i = 0; i < Length; i++)
            {
                double g = (2 * random.NextDouble()) - 1;
                decayed.GradientSpan[i] = g;
                plain.GradientSpan[i] = g + (Lambda * plain.ValueSpan[i]);
            }

            withDecay.Step([decayed]);
            withoutDecay.Step([plain]);
            decayed.ValueSpan.ToArray().Should().Equal(plain.ValueSpan.ToArray(), $"step {step + 1}");
        }

        withDecay.DecoupledWeightDecay.Should().BeFalse();
    }

    [Fact]
    public void AdamAndAdamW_NameThemselvesAndTheirDecay()
    {
        new Adam<double>(0.01, weightDecay: 0.1).ToString().Should().Be("Adam(learning rate 0.01, β₁ 0.9, β₂ 0.999, ε 1E-08, weight decay 0.1)");
        new Adam<double>(0.01, weightDecay: 0.1, decoupledWeightDecay: true).ToString().Should().Be("Adam(learning rate 0.01, β₁ 0.9, β₂ 0.999, ε 1E-08, decoupled weight decay 0.1)");
        new AdamW<double>(0.01).ToString().Should().Be("AdamW(learning rate 0.01, β₁ 0.9, β₂ 0.999, ε 1E-08, decoupled weight decay 0.01)");
        FluentActions.Invoking(() => new AdamW<double>().LearningRate = -1).Should().Throw<ArgumentOutOfRangeException>().WithMessage("AdamW: learning rate*");
    }

    /// <summary>Five steps of each optimizer from the same start with the same random gradients; returns both final values.</summary>
    private static (T[] First, T[] Second) Run<T>(IOptimizer<T> first, IOptimizer<T> second)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(31);
        Parameter<T>[] a = [new("weight", Length, 1), new("bias", 1, 1)];
        Parameter<T>[] b = [new("weight", Length, 1), new("bias", 1, 1)];
        for (int p = 0; p < a.Length; p++)
        {
            for (int i = 0; i < a[p].Length; i++)
            {
                a[p].ValueSpan[i] = b[p].ValueSpan[i] = T.CreateChecked((2 * random.NextDouble()) - 1);
            }
        }

        for (int step = 0; step < 5; step++)
        {
            for (int p = 0; p < a.Length; p++)
            {
                for (int i = 0; i < a[p].Length; i++)
                {
                    a[p].GradientSpan[i] = b[p].GradientSpan[i] = T.CreateChecked((2 * random.NextDouble()) - 1);
                }
            }

            first.Step(a);
            second.Step(b);
        }

        return ([.. a.SelectMany(p => p.ValueSpan.ToArray())], [.. b.SelectMany(p => p.ValueSpan.ToArray())]);
    }
}
