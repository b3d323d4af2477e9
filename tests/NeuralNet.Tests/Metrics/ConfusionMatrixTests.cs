using NeuralNet.Metrics;

namespace NeuralNet.Tests.Metrics;

public sealed class ConfusionMatrixTests
{
    // Hand-built case, 3 classes, 10 samples:
    //              predicted  cat dog bird
    //   actual cat             3   1   0     (support 4)
    //   actual dog             1   2   1     (support 4)
    //   actual bird            0   0   2     (support 2)
    private static readonly int[] Actual = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2];
    private static readonly int[] Predicted = [0, 0, 0, 1, 0, 1, 1, 2, 2, 2];
    private static readonly string[] Names = ["cat", "dog", "bird"];

    private static ConfusionMatrix Build() => new(Actual, Predicted, Names);

    [Fact]
    public void Counts_HoldEachActualPredictedPair()
    {
        ConfusionMatrix matrix = Build();

        int[,] expected = { { 3, 1, 0 }, { 1, 2, 1 }, { 0, 0, 2 } };
        for (int a = 0; a < 3; a++)
        {
            for (int p = 0; p < 3; p++)
            {
                matrix[a, p].Should().Be(expected[a, p], $"cell ({a}, {p})");
            }
        }

        matrix.Total.Should().Be(10);
        matrix.Correct.Should().Be(7);
        matrix.Accuracy.Should().Be(0.7);
    }

    [Fact]
    public void PerClassScores_PrecisionRecallAndF1_MatchHandComputation()
    {
        ConfusionMatrix matrix = Build();

        // cat: P = 3/4, R = 3/4, F1 = 3/4.  dog: P = 2/3, R = 2/4, F1 = 2·(2/3)(1/2)/(2/3 + 1/2) = 4/7.  bird: P = 2/3, R = 1, F1 = 4/5.
        matrix.ForClass(0).Should().BeEquivalentTo(new ClassMetrics(0, "cat", 0.75, 0.75, 0.75, 4));
        ClassMetrics dog = matrix.ForClass(1);
        dog.Precision.Should().BeApproximately(2.0 / 3, 1e-15);
        dog.Recall.Should().Be(0.5);
        dog.F1.Should().BeApproximately(4.0 / 7, 1e-15);
        ClassMetrics bird = matrix.ForClass(2);
        bird.Precision.Should().BeApproximately(2.0 / 3, 1e-15);
        bird.Recall.Should().Be(1);
        bird.F1.Should().BeApproximately(0.8, 1e-15);
        matrix.MacroF1.Should().BeApproximately((0.75 + (4.0 / 7) + 0.8) / 3, 1e-15);
    }

    [Fact]
    public void PerClassScores_ClassNeverPredicted_HasZeroPrecisionAndF1()
    {
        var matrix = new ConfusionMatrix([0, 1, 1], [0, 0, 0], classCount: 2);

        matrix.ForClass(1).Should().BeEquivalentTo(new ClassMetrics(1, "1", 0, 0, 0, 2));
        matrix.ForClass(0).Precision.Should().BeApproximately(1.0 / 3, 1e-15);
    }

    [Fact]
    public void ToString_IsATableWithClassNamesCountsAndScores()
    {
        string[] lines = Build().ToString().Split(Environment.NewLine);

        lines[0].Should().Be("Confusion matrix (rows: actual class, columns: predicted class)");
        lines[1].Should().Be("        0  1  2 | recall precision     F1 support");
        lines[2].Should().Be("0 cat   3  1  0 | 0.7500    0.7500 0.7500       4");
        lines[3].Should().Be("1 dog   1  2  1 | 0.5000    0.6667 0.5714       4");
        lines[4].Should().Be("2 bird  0  0  2 | 1.0000    0.6667 0.8000       2");
        lines[5].Should().Be("accuracy 0.7000 (7 of 10), macro F1 0.7071");
    }

    [Fact]
    public void Constructor_LabelsOutsideTheClasses_AreRejectedNamingTheSample()
    {
        Action build = () => new ConfusionMatrix([0, 1], [0, 3], Names);

        build.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Label 3 of sample 1 is outside the 3 classes*");
    }

    [Fact]
    public void Constructor_DifferentLengths_AreRejected()
    {
        Action build = () => new ConfusionMatrix([0, 1, 2], [0, 1], Names);

        build.Should().Throw<ArgumentException>().WithMessage("3 actual labels but 2 predictions*");
    }

    [Fact]
    public void Accuracy_CountsEqualLabels()
    {
        Classification.Accuracy(Actual, Predicted).Should().Be(0.7);
    }
}
