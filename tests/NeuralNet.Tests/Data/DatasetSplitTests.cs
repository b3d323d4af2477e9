using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class DatasetSplitTests
{
    // Sample j has the single feature j and label j % 3, so every sample can be traced through a split.
    private static Dataset<double> Numbered(int count) =>
        Dataset<double>.ForClassification(Matrix<double>.Build.Dense(1, count, (_, j) => j), [.. Enumerable.Range(0, count).Select(j => j % 3)]);

    private static int[] Ids(Dataset<double> data) => [.. data.Features.Row(0).Select(v => (int)v)];

    [Fact]
    public void ThreeWaySplit_HasRequestedSizesAndPartitionsTheSamples()
    {
        (Dataset<double> training, Dataset<double> validation, Dataset<double> test) = Numbered(100).Split(0.7, 0.2, seed: 5);

        training.Count.Should().Be(70);
        validation.Count.Should().Be(20);
        test.Count.Should().Be(10);
        Ids(training).Concat(Ids(validation)).Concat(Ids(test)).Should().BeEquivalentTo(Enumerable.Range(0, 100));
        training.Labels.Should().Equal(Ids(training).Select(j => j % 3));
    }

    [Fact]
    public void ThreeWaySplit_IsReproducibleAndDependsOnTheSeed()
    {
        Dataset<double> data = Numbered(50);

        Ids(data.Split(0.6, 0.2, seed: 1).Test).Should().Equal(Ids(data.Split(0.6, 0.2, seed: 1).Test));
        Ids(data.Split(0.6, 0.2, seed: 1).Test).Should().NotEqual(Ids(data.Split(0.6, 0.2, seed: 2).Test));
    }

    [Fact]
    public void ThreeWaySplit_FractionsLeavingNoTestSamples_AreRejected()
    {
        Action split = () => Numbered(10).Split(0.8, 0.2, seed: 0);

        split.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*must be positive and sum to less than 1*");
    }

    [Fact]
    public void Shuffle_PermutesSamplesWithTheirLabels()
    {
        Dataset<double> shuffled = Numbered(30).Shuffle(seed: 3);

        Ids(shuffled).Should().BeEquivalentTo(Enumerable.Range(0, 30));
        Ids(shuffled).Should().NotEqual(Enumerable.Range(0, 30));
        shuffled.Labels.Should().Equal(Ids(shuffled).Select(j => j % 3));
        Ids(Numbered(30).Shuffle(seed: 3)).Should().Equal(Ids(shuffled));
    }

    [Fact]
    public void WithFeatures_KeepsTheLabelsAndChecksTheSampleCount()
    {
        Dataset<double> data = Numbered(4);

        Dataset<double> replaced = data.WithFeatures(Matrix<double>.Build.Dense(2, 4, 7.0));

        replaced.FeatureCount.Should().Be(2);
        replaced.Labels.Should().Equal(0, 1, 2, 0);
        replaced.ClassCount.Should().Be(3);
        FluentActions.Invoking(() => data.WithFeatures(Matrix<double>.Build.Dense(2, 3))).Should().Throw<ArgumentException>()
            .WithMessage("Dataset: the new features have 3 samples (columns) but the dataset has 4.*");
    }
}
