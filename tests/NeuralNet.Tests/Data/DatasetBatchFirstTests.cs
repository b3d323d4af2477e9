using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// The batch-first constructors of <see cref="Dataset{T}"/> (one sample per row) build exactly the
/// <c>features × samples</c> dataset of the matrix constructors, refuse transposed input, and a flat array is shared.
/// </summary>
public sealed class DatasetBatchFirstTests
{
    // Three samples of two features, one per row; sample i is (i, 10 + i).
    private static readonly float[][] Rows = [[0f, 10f], [1f, 11f], [2f, 12f]];
    private static readonly int[] Labels = [1, 0, 2];

    private static Matrix<float> Columns => Matrix<float>.Build.DenseOfColumnArrays(Rows);

    [Fact]
    public void ForClassification_EveryBatchFirstForm_EqualsTheColumnMatrixDataset()
    {
        Dataset<float> expected = Dataset<float>.ForClassification(Columns, Labels);
        float[] flat = [.. Rows.SelectMany(r => r)];

        Dataset<float>[] actual =
        [
            Dataset<float>.ForClassification(new float[,] { { 0f, 10f }, { 1f, 11f }, { 2f, 12f } }, Labels),
            Dataset<float>.ForClassification(Rows, Labels),
            Dataset<float>.ForClassification(flat.AsSpan(), 3, Labels),
            Dataset<float>.ForClassification(flat, 3, Labels),
        ];

        foreach (Dataset<float> data in actual)
        {
            data.Features.Should().Be(expected.Features);
            data.FeatureCount.Should().Be(2);
            data.Count.Should().Be(3);
            data.Labels.Should().Equal(Labels);
            data.ClassCount.Should().Be(3);
        }
    }

    [Fact]
    public void ForRegression_EveryBatchFirstForm_EqualsTheColumnMatrixDataset()
    {
        float[][] targetRows = [[5f], [6f], [7f]];
        Dataset<float> expected = Dataset<float>.ForRegression(Columns, Matrix<float>.Build.DenseOfColumnArrays(targetRows));
        float[] flat = [.. Rows.SelectMany(r => r)];
        float[] targets = [5f, 6f, 7f];

        Dataset<float>[] actual =
        [
            Dataset<float>.ForRegression(new float[,] { { 0f, 10f }, { 1f, 11f }, { 2f, 12f } }, new float[,] { { 5f }, { 6f }, { 7f } }),
            Dataset<float>.ForRegression(Rows, targetRows),
            Dataset<float>.ForRegression(flat.AsSpan(), targets.AsSpan(), 3),
            Dataset<float>.ForRegression(flat, targets, 3),
        ];

        foreach (Dataset<float> data in actual)
        {
            data.Features.Should().Be(expected.Features);
            data.Targets.Should().Be(expected.Targets);
        }
    }

    [Fact]
    public void ForClassification_FlatArray_SharesTheArrayAndTheSpanFormCopies()
    {
        float[] flat = [.. Rows.SelectMany(r => r)];
        Dataset<float> shared = Dataset<float>.ForClassification(flat, 3, Labels);
        Dataset<float> copied = Dataset<float>.ForClassification((ReadOnlySpan<float>)flat, 3, Labels);

        flat[3] = 42f;   // sample 1, feature 1

        shared.Features[1, 1].Should().Be(42f);
        shared.Features.AsColumnMajorArray().Should().BeSameAs(flat);
        copied.Features[1, 1].Should().Be(11f);
    }

    [Fact]
    public void ForClassification_TransposedArray_ThrowsSayingItLooksTransposed()
    {
        var transposed = new float[2, 3];   // [features, samples] for 3 labels

        Action act = () => Dataset<float>.ForClassification(transposed, Labels);

        act.Should().Throw<ArgumentException>().WithMessage("*features look transposed: got [2, 3] for 3 labels*pass [samples, features]*")
            .Which.ParamName.Should().Be("features");
        FluentActions.Invoking(() => Dataset<float>.ForClassification([new float[3], new float[3]], Labels))
            .Should().Throw<ArgumentException>().WithMessage("*look transposed: got [2, 3]*");
        FluentActions.Invoking(() => Dataset<float>.ForClassification(new float[4, 2], Labels))
            .Should().Throw<ArgumentException>().WithMessage("*got [4, 2], 4 samples (one per row), but 3 labels*");
    }

    [Fact]
    public void ForRegression_TransposedTargets_ThrowsSayingTheyLookTransposed()
    {
        FluentActions.Invoking(() => Dataset<float>.ForRegression(new float[3, 2], new float[1, 3]))
            .Should().Throw<ArgumentException>().WithMessage("*targets look transposed: got features [3, 2] and targets [1, 3]*")
            .Which.ParamName.Should().Be("targets");
        FluentActions.Invoking(() => Dataset<float>.ForRegression(new float[2, 3], new float[3, 1]))
            .Should().Throw<ArgumentException>().WithMessage("*features look transposed*").Which.ParamName.Should().Be("features");
    }

    [Fact]
    public void ForClassification_JaggedRowsOfDifferentLengths_ThrowsNamingTheRow()
    {
        FluentActions.Invoking(() => Dataset<float>.ForClassification([[0f, 1f], [2f, 3f], [4f]], Labels))
            .Should().Throw<ArgumentException>().WithMessage("*row 2 has 1 values but row 0 has 2*");
        FluentActions.Invoking(() => Dataset<float>.ForRegression([[0f, 1f], null!], [[1f], [2f]]))
            .Should().Throw<ArgumentException>().WithMessage("*row 1 is null*");
    }

    [Fact]
    public void ForClassification_FlatLengthNotAMultipleOfTheSampleCount_Throws()
    {
        FluentActions.Invoking(() => Dataset<float>.ForClassification(new float[7], 3, Labels))
            .Should().Throw<ArgumentException>().WithMessage("*7 values do not split into 3 samples*");
        FluentActions.Invoking(() => Dataset<float>.ForRegression(new float[6], new float[4], 3))
            .Should().Throw<ArgumentException>().WithMessage("*4 values do not split into 3 samples*").Which.ParamName.Should().Be("targets");
        FluentActions.Invoking(() => Dataset<float>.ForClassification(new float[6], 0, Labels))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Dataset<float>.ForClassification(new float[6], 2, Labels))
            .Should().Throw<ArgumentException>().WithMessage("*3 labels for 2 samples*");
    }
}
