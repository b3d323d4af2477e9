using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Compute;

/// <summary>
/// <c>Sgd.Step</c> remembers each velocity by its position in the parameter list (to skip the dictionary) and runs
/// its passes chunk by chunk: neither may change which velocity a parameter gets, nor the arithmetic.
/// </summary>
public sealed class SgdVelocityLookupTests
{
    [Fact]
    public void Velocities_follow_the_parameter_when_the_list_is_reordered()
    {
        (Parameter<double> a, Parameter<double> b) = (Make("a", 1.0, 5), Make("b", -2.0, 7));
        (Parameter<double> a2, Parameter<double> b2) = (Make("a", 1.0, 5), Make("b", -2.0, 7));
        var reordered = new Sgd<double>(0.1, momentum: 0.9);
        var fixedOrder = new Sgd<double>(0.1, momentum: 0.9);

        for (int step = 0; step < 3; step++)
        {
            SetGradient(a, step);
            SetGradient(b, step + 10);
            SetGradient(a2, step);
            SetGradient(b2, step + 10);
            reordered.Step(step % 2 == 0 ? [a, b] : [b, a]);
            fixedOrder.Step([a2, b2]);
        }

        a.ValueSpan.ToArray().Should().Equal(a2.ValueSpan.ToArray());
        b.ValueSpan.ToArray().Should().Equal(b2.ValueSpan.ToArray());
        reordered.GetState([a, b]).Buffers[1]["velocity"].Should().Equal(fixedOrder.GetState([a2, b2]).Buffers[1]["velocity"]);
    }

    [Fact]
    public void A_parameter_longer_than_one_chunk_gets_every_element_updated_by_the_rule()
    {
        // 5,000 elements span three 2,048-element chunks, the last one partial.
        Parameter<float> parameter = new("w", 5000, 1);
        var random = new Random(3);
        float[] theta = new float[5000], g = new float[5000];
        for (int i = 0; i < theta.Length; i++)
        {
            theta[i] = (float)random.NextDouble();
            g[i] = (float)(random.NextDouble() - 0.5);
        }

        theta.CopyTo(parameter.ValueSpan);
        var sgd = new Sgd<float>(0.05, momentum: 0.9, weightDecay: 0.01);
        float[] velocity = new float[5000];
        for (int step = 0; step < 2; step++)
        {
            g.CopyTo(parameter.GradientSpan);
            sgd.Step([parameter]);
            for (int i = 0; i < theta.Length; i++)
            {
                // g' = g + λθ, Δθ ← αΔθ − ηg', θ ← θ + Δθ, in the optimizer's float operations.
                float decayed = (theta[i] * 0.01f) + g[i];
                velocity[i] = (decayed * -0.05f) + (velocity[i] * 0.9f);
                theta[i] += velocity[i];
            }
        }

        float[] actual = parameter.ValueSpan.ToArray();
        for (int i = 0; i < theta.Length; i++)
        {
            actual[i].Should().BeApproximately(theta[i], 1e-6f, $"element {i}");
        }
    }

    private static Parameter<double> Make(string name, double start, int length)
    {
        var parameter = new Parameter<double>(name, length, 1);
        for (int i = 0; i < length; i++)
        {
            parameter.ValueSpan[i] = start + i;
        }

        return parameter;
    }

    private static void SetGradient(Parameter<double> parameter, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < parameter.Length; i++)
        {
            parameter.GradientSpan[i] = random.NextDouble() - 0.5;
        }
    }
}
