using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// <c>Sgd.Step</c> finds each velocity by the parameter's slot in the bound list and runs its passes chunk by chunk:
/// neither may apply one parameter's velocity to another, nor change the arithmetic.
/// </summary>
public sealed class SgdVelocityLookupTests
{
    [Fact]
    public void Step_ReorderedList_IsRefusedAndNoVelocityMovesToAnotherParameter()
    {
        (Parameter<double> a, Parameter<double> b) = (Make("a", 1.0, 5), Make("b", -2.0, 5));
        var sgd = new Sgd<double>(0.1, momentum: 0.9);
        SetGradient(a, 0);
        SetGradient(b, 10);
        sgd.Step([a, b]);
        OptimizerState<double> before = sgd.GetState([a, b]);
        double[] aBefore = a.ValueSpan.ToArray(), bBefore = b.ValueSpan.ToArray();

        // Same lengths, so a slot lookup that ignored identity would silently swap the two velocities.
        Action reordered = () => sgd.Step([b, a]);

        reordered.Should().Throw<ArgumentException>()
            .WithMessage("Sgd.Step: slot 0 of this optimizer is bound to a (5 × 1) but the list has b (5 × 1), which is bound to slot 1: the list is in a different order*")
            .Where(e => e.ParamName == "parameters");
        a.ValueSpan.ToArray().Should().Equal(aBefore);
        b.ValueSpan.ToArray().Should().Equal(bBefore);
        OptimizerState<double> after = sgd.GetState([a, b]);
        after.StepCount.Should().Be(1);
        after.Buffers[0]["velocity"].Should().Equal(before.Buffers[0]["velocity"]);
        after.Buffers[1]["velocity"].Should().Equal(before.Buffers[1]["velocity"]);
    }

    [Fact]
    public void Step_NewListObjectHoldingTheBoundParametersInOrder_StepsLikeTheBoundOne()
    {
        (Parameter<double> a, Parameter<double> b) = (Make("a", 1.0, 5), Make("b", -2.0, 7));
        (Parameter<double> a2, Parameter<double> b2) = (Make("a", 1.0, 5), Make("b", -2.0, 7));
        var freshLists = new Sgd<double>(0.1, momentum: 0.9);
        var oneList = new Sgd<double>(0.1, momentum: 0.9);
        Parameter<double>[] bound = [a2, b2];

        for (int step = 0; step < 3; step++)
        {
            SetGradient(a, step);
            SetGradient(b, step + 10);
            SetGradient(a2, step);
            SetGradient(b2, step + 10);
            freshLists.Step(new List<Parameter<double>> { a, b });
            oneList.Step(bound);
        }

        a.ValueSpan.ToArray().Should().Equal(a2.ValueSpan.ToArray());
        b.ValueSpan.ToArray().Should().Equal(b2.ValueSpan.ToArray());
        freshLists.GetState([a, b]).Buffers[1]["velocity"].Should().Equal(oneList.GetState(bound).Buffers[1]["velocity"]);
    }

    [Fact]
    public void Step_ParameterLongerThanOneChunk_UpdatesEveryElementByTheRule()
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
