using NeuralNet.Layers;
using NeuralNet.Optimizers;
using static NeuralNet.Tests.Optimizers.AllOptimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// State is kept by slot, so <c>GetState</c> on one optimizer and <c>SetState</c> on a fresh one over a new network's
/// (equally shaped) parameters carries each parameter's buffers to the parameter in the same position.
/// </summary>
public sealed class SlotStateTests
{
    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void SetState_IntoAFreshOptimizerBoundToANewNetwork_FollowsTheSlots(string name)
    {
        Network<double> original = Mlp(seed: 5);
        IOptimizer<double> optimizer = Create(name);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(original.Parameters);
            optimizer.Step(original.Parameters);
        }

        OptimizerState<double> saved = optimizer.GetState(original.Parameters);
        Network<double> copy = Mlp(seed: 99);
        for (int p = 0; p < copy.Parameters.Count; p++)
        {
            original.Parameters[p].ValueSpan.CopyTo(copy.Parameters[p].ValueSpan);
        }

        IOptimizer<double> resumed = Create(name);
        resumed.SetState(copy.Parameters, saved);
        OptimizerState<double> restored = resumed.GetState(copy.Parameters);

        restored.StepCount.Should().Be(3);
        for (int p = 0; p < saved.Buffers.Count; p++)
        {
            restored.Buffers[p].Keys.Should().BeEquivalentTo(saved.Buffers[p].Keys, $"slot {p}");
            foreach ((string buffer, double[] values) in saved.Buffers[p])
            {
                restored.Buffers[p][buffer].Should().Equal(values, $"slot {p}, buffer {buffer}");
            }
        }

        for (int step = 0; step < 2; step++)
        {
            SetGradients(original.Parameters);
            optimizer.Step(original.Parameters);
            SetGradients(copy.Parameters);
            resumed.Step(copy.Parameters);
        }

        Values(copy.Parameters).Should().Equal(Values(original.Parameters));
        FluentActions.Invoking(() => resumed.Step(original.Parameters)).Should().Throw<ArgumentException>().WithMessage($"{name}.Step: slot 0*");
    }

    [Fact]
    public void SetState_EntryS_GoesToSlotS()
    {
        // Two parameters of the same shape: only their slots tell their velocities apart.
        Parameter<double>[] parameters = [new("first", 2, 1), new("second", 2, 1)];
        var sgd = new Sgd<double>(1, momentum: 0.5);
        var state = new OptimizerState<double>(
            4, [new Dictionary<string, double[]> { ["velocity"] = [1, 2] }, new Dictionary<string, double[]> { ["velocity"] = [-3, -4] }]);

        sgd.SetState(parameters, state);
        sgd.Step(parameters);

        // Zero gradients: Δθ ← 0.5·Δθ, θ ← θ + Δθ.
        parameters[0].ValueSpan.ToArray().Should().Equal(0.5, 1);
        parameters[1].ValueSpan.ToArray().Should().Equal(-1.5, -2);
        sgd.GetState(parameters).StepCount.Should().Be(5);
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void SetState_WrongBuffer_IsRefusedAndChangesNothing(string name)
    {
        Network<double> network = Mlp(seed: 1);
        IOptimizer<double> optimizer = Create(name);
        SetGradients(network.Parameters);
        optimizer.Step(network.Parameters);
        OptimizerState<double> good = optimizer.GetState(network.Parameters);
        var buffers = good.Buffers.Select(b => (IReadOnlyDictionary<string, double[]>)b.ToDictionary()).ToArray();
        string first = buffers[1].Keys.First();
        buffers[1] = new Dictionary<string, double[]>(buffers[1]) { [first] = new double[3] };

        FluentActions.Invoking(() => optimizer.SetState(network.Parameters, new OptimizerState<double>(7, buffers))).Should().Throw<ArgumentException>()
            .WithMessage($"{name}: buffer '{first}' of parameter 1 (bias (4 × 1)) has 3 values, expected 4.*");
        OptimizerState<double> after = optimizer.GetState(network.Parameters);
        after.StepCount.Should().Be(1);
        after.Buffers[0][first].Should().Equal(good.Buffers[0][first]);
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void SetState_AValueNoStepProduces_IsRefusedAndChangesNothing(string name)
    {
        Network<double> network = Mlp(seed: 3);
        IOptimizer<double> optimizer = Create(name);
        SetGradients(network.Parameters);
        optimizer.Step(network.Parameters);
        OptimizerState<double> before = optimizer.GetState(network.Parameters);
        string nonNegative = name switch { "Adam" or "AdamW" => "secondMoment", "RmsProp" => "squareAverage", _ => "velocity" };

        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, -1e-300 })
        {
            if (bad < 0 && nonNegative == "velocity")
            {
                continue; // a velocity may be negative
            }

            var buffers = before.Buffers.Select(b => (IReadOnlyDictionary<string, double[]>)b.ToDictionary(e => e.Key, e => (double[])e.Value.Clone())).ToArray();
            buffers[1][nonNegative][2] = bad;

            Action restore = () => optimizer.SetState(network.Parameters, new OptimizerState<double>(7, buffers));

            restore.Should().Throw<ArgumentException>().WithMessage($"*'{nonNegative}' of parameter 1*index 2*");
            optimizer.GetState(network.Parameters).StepCount.Should().Be(1);
            optimizer.GetState(network.Parameters).Buffers[1][nonNegative].Should().Equal(before.Buffers[1][nonNegative]);
        }
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void Step_AfterAStepCountOfLongMaxValue_StaysAtItAndKeepsTheWeightsFinite(string name)
    {
        Network<double> network = Mlp(seed: 4);
        IOptimizer<double> optimizer = Create(name);
        SetGradients(network.Parameters);
        optimizer.Step(network.Parameters);
        OptimizerState<double> state = optimizer.GetState(network.Parameters);
        optimizer.SetState(network.Parameters, new OptimizerState<double>(long.MaxValue, state.Buffers));

        SetGradients(network.Parameters);
        optimizer.Step(network.Parameters);

        optimizer.GetState(network.Parameters).StepCount.Should().Be(long.MaxValue, "the count saturates instead of wrapping to a negative step");
        Values(network.Parameters).Should().OnlyContain(v => double.IsFinite(v));
    }

    private static Network<double> Mlp(int seed)
    {
        var random = new Random(seed);
        return new Network<double>(new Linear<double>(3, 4, random), new Tanh<double>(), new Linear<double>(4, 2, random));
    }
}
