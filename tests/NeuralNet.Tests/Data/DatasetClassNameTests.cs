using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Metrics;

namespace NeuralNet.Tests.Data;

public sealed class DatasetClassNameTests
{
    private static readonly Matrix<float> Features = Matrix<float>.Build.Dense(1, 4, [1, 2, 3, 4]);

    [Fact]
    public void WithClassNames_KeepsTheSamplesAndAddsTheNames()
    {
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]);

        Dataset<float> named = data.WithClassNames(["cat", "dog"]);

        named.ClassNames.Should().Equal("cat", "dog");
        named.Labels.Should().Equal(0, 1, 1, 0);
        named.Features.Should().BeSameAs(data.Features);
        data.ClassNames.Should().BeNull();
    }

    [Fact]
    public void SubsetSplitShuffleAndWithFeatures_KeepTheNames()
    {
        Dataset<float> named = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]).WithClassNames(["cat", "dog"]);

        named.Subset([1, 2]).ClassNames.Should().Equal("cat", "dog");
        named.Shuffle(3).ClassNames.Should().Equal("cat", "dog");
        named.Split(0.5, 1).First.ClassNames.Should().Equal("cat", "dog");
        named.Split(0.5, 1, stratify: true).Second.ClassNames.Should().Equal("cat", "dog");
        named.WithFeatures(Features.Multiply(2f)).ClassNames.Should().Equal("cat", "dog");
    }

    [Theory]
    [InlineData(new[] { "cat" }, "*1 class names for 2 classes*")]
    [InlineData(new[] { "cat", "cat" }, "*class name 1 'cat' appears twice*")]
    [InlineData(new[] { "cat", "" }, "*class name 1 is empty*")]
    public void WithClassNames_BadNames_AreRejected(string[] names, string message)
    {
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]);

        FluentActions.Invoking(() => data.WithClassNames(names)).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void WithClassNames_LoneSurrogate_IsRejected()
    {
        // Not in InlineData: test-case serialization would replace the lone surrogate.
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]);
        string[] names = ["cat", "\ud800"];

        FluentActions.Invoking(() => data.WithClassNames(names)).Should().Throw<ArgumentException>().WithMessage("*class name 1 holds a lone surrogate*");
    }

    [Fact]
    public void WithClassNames_NameOver1024Bytes_IsRejected()
    {
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 0, 0, 0]);

        FluentActions.Invoking(() => data.WithClassNames([new string('x', 1025)])).Should().Throw<ArgumentException>().WithMessage("*1025 UTF-8 bytes*");
        data.WithClassNames([new string('x', 1024)]).ClassNames.Should().ContainSingle();
    }

    [Fact]
    public void ClassLabels_OfAClassificationSet_AreTheLabelsWithoutANullCheck()
    {
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]);
        int[] predicted = [0, 1, 0, 0];

        // Compiles without '!' and without warnings (warnings are errors): the labels are not nullable here.
        double accuracy = Classification.Accuracy(data.ClassLabels, predicted);

        accuracy.Should().Be(0.75);
        data.ClassLabels.Should().Equal(data.Labels);
    }

    [Fact]
    public void IsClassification_TellsTheCompilerTheLabelsAreThere()
    {
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]);

        int count = data.IsClassification ? data.Labels.Count : 0;

        count.Should().Be(4);
    }

    [Fact]
    public void ClassLabelsAndWithClassNames_OfARegressionSet_Throw()
    {
        Dataset<float> data = Dataset<float>.ForRegression(Features, Features);

        FluentActions.Invoking(() => data.ClassLabels).Should().Throw<InvalidOperationException>().WithMessage("*regression*");
        FluentActions.Invoking(() => data.WithClassNames(["a"])).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => data.Split(0.5, 1, stratify: true)).Should().Throw<InvalidOperationException>().WithMessage("*stratify: false*");
    }

    [Fact]
    public void StratifiedSplit_OfIris_KeepsTheClassProportionsExactly()
    {
        Dataset<float> iris = IrisData.Load();

        (Dataset<float> training, Dataset<float> test) = iris.Split(0.8, seed: 5, stratify: true);

        Counts(training).Should().Equal(40, 40, 40);
        Counts(test).Should().Equal(10, 10, 10);
        training.ClassLabels.Take(20).Distinct().Should().HaveCountGreaterThan(1, "the classes are mixed, not in blocks");
        var used = new HashSet<int>();
        Columns(training, iris, used).Concat(Columns(test, iris, used)).ToList().Should().BeEquivalentTo(Enumerable.Range(0, 150), "every sample goes to exactly one part");
    }

    [Fact]
    public void StratifiedSplit_IsSeeded()
    {
        Dataset<float> iris = IrisData.Load();

        Dataset<float> a = iris.Split(0.8, seed: 5, stratify: true).First;
        Dataset<float> b = iris.Split(0.8, seed: 5, stratify: true).First;
        Dataset<float> c = iris.Split(0.8, seed: 6, stratify: true).First;

        b.Features.Should().Be(a.Features);
        c.Features.Should().NotBe(a.Features);
    }

    [Fact]
    public void StratifiedSplit_OfUnevenClasses_HasTheUnstratifiedSizeAndGivesRemaindersToTheLargestFractions()
    {
        // Classes of 7, 2 and 1 samples; 0.5 of 10 = 5: floors 3, 1, 0 with remainders 0.5, 0, 0.5 → one more to class 0.
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 2];
        Dataset<float> data = Dataset<float>.ForClassification(Matrix<float>.Build.Dense(1, 10, (_, j) => j), labels);

        (Dataset<float> first, Dataset<float> second) = data.Split(0.5, seed: 1, stratify: true);

        Counts(first).Should().Equal(4, 1, 0);
        Counts(second).Should().Equal(3, 1, 1);
    }

    [Fact]
    public void StratifiedThreeWaySplit_OfIris_KeepsTheClassProportions()
    {
        (Dataset<float> training, Dataset<float> validation, Dataset<float> test) = IrisData.Load().Split(0.6, 0.2, seed: 2, stratify: true);

        Counts(training).Should().Equal(30, 30, 30);
        Counts(validation).Should().Equal(10, 10, 10);
        Counts(test).Should().Equal(10, 10, 10);
    }

    [Fact]
    public void StratifyFalse_IsThePlainSplit()
    {
        Dataset<float> iris = IrisData.Load();

        iris.Split(0.7, 3, stratify: false).First.Features.Should().Be(iris.Split(0.7, 3).First.Features);
        iris.Split(0.6, 0.2, 3, stratify: false).Test.Features.Should().Be(iris.Split(0.6, 0.2, 3).Test.Features);
    }

    private static int[] Counts(Dataset<float> data) => [.. Enumerable.Range(0, data.ClassCount).Select(k => data.ClassLabels.Count(l => l == k))];

    /// <summary>Which sample of <paramref name="whole"/> each sample of <paramref name="part"/> is (iris has two duplicate rows, so matched greedily).</summary>
    private static List<int> Columns(Dataset<float> part, Dataset<float> whole, HashSet<int> used)
    {
        var columns = new List<int>();
        for (int j = 0; j < part.Count; j++)
        {
            int match = Enumerable.Range(0, whole.Count).First(w => !used.Contains(w) && whole.Features.Column(w).Equals(part.Features.Column(j)) && whole.ClassLabels[w] == part.ClassLabels[j]);
            used.Add(match);
            columns.Add(match);
        }

        return columns;
    }
}
