using NeuralNet.Optimizers;
using static NeuralNet.Tests.Optimizers.AllOptimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// The binding contract of <see cref="IOptimizer{T}"/>: the first <c>Bind</c>, <c>Step</c>, <c>GetState</c> or
/// <c>SetState</c> fixes the parameter list; every later call must pass the same parameters in the same order, or it
/// throws an <see cref="ArgumentException"/> that says so and changes nothing.
/// </summary>
public sealed class BindingTests
{
    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void Step_OtherParametersAfterBinding_ThrowsAndChangesNothing(string name)
    {
        IOptimizer<double> optimizer = Create(name);
        Parameter<double>[] bound = TwoParameters();
        Parameter<double>[] others = TwoParameters();
        SetGradients(bound);
        optimizer.Step(bound);
        SetGradients(others);
        double[] before = Values(others);

        Action step = () => optimizer.Step(others);

        step.Should().Throw<ArgumentException>()
            .WithMessage($"{name}.Step: slot 0 of this optimizer is bound to weight (3 × 2) but the list has weight (3 × 2), a parameter this optimizer is not bound to.*create a new optimizer*")
            .Where(e => e.ParamName == "parameters");
        Values(others).Should().Equal(before);
        optimizer.GetState(bound).StepCount.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void Step_ListOfAnotherLength_ThrowsNamingBothCounts(string name)
    {
        IOptimizer<double> optimizer = Create(name);
        Parameter<double>[] bound = TwoParameters();
        optimizer.Bind(bound);

        FluentActions.Invoking(() => optimizer.Step([bound[0]])).Should().Throw<ArgumentException>()
            .WithMessage($"{name}.Step: this optimizer is bound to 2 parameters but was given a list of 1.*");
        FluentActions.Invoking(() => optimizer.Step([.. bound, new Parameter<double>("extra", 1, 1)])).Should().Throw<ArgumentException>()
            .WithMessage("*bound to 2 parameters but was given a list of 3*");
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void Step_ReorderedList_IsRefusedWhateverTheCall(string name)
    {
        IOptimizer<double> optimizer = Create(name);
        Parameter<double>[] bound = TwoParameters();
        SetGradients(bound);
        optimizer.Step(bound);
        OptimizerState<double> state = optimizer.GetState(bound);
        Parameter<double>[] reordered = [bound[1], bound[0]];
        const string Reordered = "*slot 0 of this optimizer is bound to weight (3 × 2) but the list has bias (3 × 1), which is bound to slot 1: the list is in a different order*";

        FluentActions.Invoking(() => optimizer.Step(reordered)).Should().Throw<ArgumentException>().WithMessage($"{name}.Step: " + Reordered);
        FluentActions.Invoking(() => optimizer.GetState(reordered)).Should().Throw<ArgumentException>().WithMessage($"{name}.GetState: " + Reordered);
        FluentActions.Invoking(() => optimizer.SetState(reordered, state)).Should().Throw<ArgumentException>().WithMessage($"{name}.SetState: " + Reordered);
        FluentActions.Invoking(() => optimizer.Bind(reordered)).Should().Throw<ArgumentException>().WithMessage($"{name}.Bind: " + Reordered);
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void Bind_SameParametersInAnyListObject_AreAccepted(string name)
    {
        IOptimizer<double> bindsFirst = Create(name);
        IOptimizer<double> bindsOnStep = Create(name);
        Parameter<double>[] first = TwoParameters();
        Parameter<double>[] second = TwoParameters();
        bindsFirst.Bind(first);
        bindsFirst.Bind(new List<Parameter<double>>(first));

        for (int step = 0; step < 3; step++)
        {
            SetGradients(first);
            SetGradients(second);
            bindsFirst.Step([first[0], first[1]]);
            bindsOnStep.Step(second);
        }

        Values(first).Should().Equal(Values(second));
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void Bind_ASecondList_Throws(string name)
    {
        IOptimizer<double> optimizer = Create(name);
        optimizer.Bind(TwoParameters());

        FluentActions.Invoking(() => optimizer.Bind(TwoParameters())).Should().Throw<ArgumentException>()
            .WithMessage($"{name}.Bind: slot 0 of this optimizer is bound to weight (3 × 2)*not bound to*");
    }

    [Fact]
    public void GetState_BindsToo()
    {
        var adam = new Adam<double>();
        Parameter<double>[] first = TwoParameters();
        OptimizerState<double> empty = adam.GetState(first);

        empty.StepCount.Should().Be(0);
        empty.Buffers.Should().HaveCount(2).And.OnlyContain(b => b.Count == 0);
        FluentActions.Invoking(() => adam.Step(TwoParameters())).Should().Throw<ArgumentException>().WithMessage("Adam.Step: slot 0*");
    }

    [Fact]
    public void Bind_NullOrRepeatedParameter_IsRefused()
    {
        Parameter<double>[] pair = TwoParameters();

        FluentActions.Invoking(() => new Sgd<double>(0.1).Bind([pair[0], pair[1], pair[0]])).Should().Throw<ArgumentException>()
            .WithMessage("Sgd.Bind: the parameter weight (3 × 2) appears twice in the list (at index 0 and 2)*");
        FluentActions.Invoking(() => new Adam<double>().Step([pair[0], null!])).Should().Throw<ArgumentException>()
            .WithMessage("Adam.Step: the parameter at index 1 is null.*");
        FluentActions.Invoking(() => new RmsProp<double>().Bind(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void SetState_RefusedByAnUnboundOptimizer_LeavesItUnbound()
    {
        var adam = new Adam<double>();
        Parameter<double>[] first = TwoParameters();
        var tooShort = new OptimizerState<double>(1, [new Dictionary<string, double[]>()]);

        FluentActions.Invoking(() => adam.SetState(first, tooShort)).Should().Throw<ArgumentException>()
            .WithMessage("Adam: the state has 1 parameters, the network 2.*");
        Parameter<double>[] second = TwoParameters();
        SetGradients(second);
        adam.Step(second);
        adam.GetState(second).StepCount.Should().Be(1);
    }

    [Fact]
    public void Sgd_WithoutMomentum_KeepsNoStateButIsBoundAllTheSame()
    {
        var sgd = new Sgd<double>(0.1);
        Parameter<double>[] bound = TwoParameters();
        SetGradients(bound);
        sgd.Step(bound);

        sgd.GetState(bound).Buffers.Should().OnlyContain(b => b.Count == 0);
        FluentActions.Invoking(() => sgd.Step(TwoParameters())).Should().Throw<ArgumentException>().WithMessage("Sgd.Step: *");
    }

    [Fact]
    public void Bind_EmptyList_CanBeBoundAndStepped()
    {
        var adam = new Adam<double>();
        adam.Step([]);

        adam.GetState([]).StepCount.Should().Be(1);
        FluentActions.Invoking(() => adam.Step(TwoParameters())).Should().Throw<ArgumentException>().WithMessage("*bound to 0 parameters but was given a list of 2*");
    }

    private static Parameter<double>[] TwoParameters()
    {
        Parameter<double>[] parameters = [new("weight", 3, 2), new("bias", 3, 1)];
        for (int i = 0; i < 6; i++)
        {
            parameters[0].ValueSpan[i] = 0.1 * (i - 2);
        }

        parameters[1].ValueSpan.Fill(0.5);
        return parameters;
    }
}
