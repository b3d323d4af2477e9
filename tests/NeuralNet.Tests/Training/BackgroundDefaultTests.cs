using NeuralNet.Data;
using NeuralNet.Training;
using static NeuralNet.Tests.Training.ImageProblems;

namespace NeuralNet.Tests.Training;

/// <summary>The automatic default of <see cref="TrainerOptions.AssembleBatchesInBackground"/>: background only where there is work to hide and a second thread.</summary>
public sealed class BackgroundDefaultTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    public void Default_InMemoryWithoutAugmentation_StaysOnTheTrainingThread(int maxThreads, bool expected)
    {
        var options = new TrainerOptions { Epochs = 1 };

        TrainingRun<float>.AssemblesInBackground(options, Images(), maxThreads).Should().Be(expected);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Default_WithAugmentation_UsesTheBackgroundOnlyWithASecondThread(int maxThreads, bool expected)
    {
        var options = new TrainerOptions { Epochs = 1, Augmentation = Augmentation() };

        TrainingRun<float>.AssemblesInBackground(options, Images(), maxThreads).Should().Be(expected);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Default_SourceNotInMemory_UsesTheBackgroundOnlyWithASecondThread(int maxThreads, bool expected)
    {
        var source = new HookedSource(Images(), _ => { });

        TrainingRun<float>.AssemblesInBackground(new TrainerOptions { Epochs = 1 }, source, maxThreads).Should().Be(expected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ExplicitSetting_OverridesTheDefault(bool background)
    {
        var options = new TrainerOptions { Epochs = 1, Augmentation = Augmentation(), AssembleBatchesInBackground = background };

        TrainingRun<float>.AssemblesInBackground(options, Images(), maxThreads: 2).Should().Be(background);
    }
}
