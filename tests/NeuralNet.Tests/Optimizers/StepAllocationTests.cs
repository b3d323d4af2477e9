using NeuralNet.Optimizers;
using static NeuralNet.Tests.Optimizers.AllOptimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>Once bound and stepped, <c>Step</c> allocates nothing: the binding check and the slot lookup are array reads.</summary>
public sealed class StepAllocationTests
{
    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(AllOptimizers))]
    public void Step_AfterTheFirst_AllocatesNothing(string name)
    {
        IOptimizer<double> optimizer = Create(name);
        Parameter<double>[] parameters = [new("weight", 40, 3), new("bias", 40, 1)];
        SetGradients(parameters);
        optimizer.Step(parameters);
        optimizer.Step(parameters);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 100; step++)
        {
            optimizer.Step(parameters);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
