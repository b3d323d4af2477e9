using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Words as id columns: the encoding a char embedding takes, on a tiny synthetic data set.</summary>
public sealed class LabeledWordsTests : IDisposable
{
    private readonly WordListFolder lists = new();
    private readonly WordLanguageDataset dataset;

    public LabeledWordsTests()
    {
        lists.WriteUtf8(0, "abcdefghijklmnop\nabc\nenaaa\nenbbb\n");
        dataset = WordLanguage.Build(lists.Directory, 3, 1);
    }

    public void Dispose() => lists.Dispose();

    private int Index(string word) => dataset.Training.Words.ToList().IndexOf(word);

    [Fact]
    public void Encode_WritesIdsThenPaddingPerColumnAndTheLengths()
    {
        CharacterVocabulary vocabulary = dataset.Vocabulary;
        Matrix<float> ids = Matrix<float>.Build.Dense(16, 2, float.NaN);
        int[] lengths = new int[2];

        dataset.Training.Encode([Index("abc"), Index("abcdefghijklmnop")], ids, lengths);

        lengths.Should().Equal(3, 16);
        ids.Column(0).ToArray().Should().Equal([.. "abc".Select(c => (float)vocabulary.IdOf(c)), .. new float[13]]);
        ids.Column(1).ToArray().Should().Equal("abcdefghijklmnop".Select(c => (float)vocabulary.IdOf(c)));
        vocabulary.IdOf('a').Should().Be(2, "ids 0 and 1 are padding and unknown, and 'a' is the smallest training character");
    }

    [Fact]
    public void ToIdMatrix_HoldsEveryWordInItsColumn()
    {
        Matrix<double> ids = dataset.Training.ToIdMatrix<double>();

        ids.RowCount.Should().Be(16);
        ids.ColumnCount.Should().Be(dataset.Training.Count);
        for (int j = 0; j < dataset.Training.Count; j++)
        {
            int[] column = [.. ids.Column(j).Select(v => (int)v)];
            dataset.Vocabulary.Decode(column).Should().Be(dataset.Training.Words[j]);
            column.Count(id => id != 0).Should().Be(dataset.Training.Lengths[j]);
        }
    }

    [Fact]
    public void ToDataset_HasIdFeaturesLanguageLabelsAndCodes()
    {
        Dataset<float> data = dataset.Test.ToDataset<float>();

        data.FeatureCount.Should().Be(16);
        data.Count.Should().Be(12);
        data.Labels.Should().Equal(dataset.Test.Labels);
        data.ClassCount.Should().Be(12);
        data.ClassNames.Should().Equal(WordLanguage.LanguageCodes);
        data.Features.Should().Be(dataset.Test.ToIdMatrix<float>());
    }

    [Fact]
    public void Encode_WrongMatrixSizeOrIndex_Throws()
    {
        int[] lengths = new int[2];

        ((Action)(() => dataset.Training.Encode([0, 1], Matrix<float>.Build.Dense(15, 2), lengths))).Should().Throw<ArgumentException>().WithMessage("The id matrix must be 16 × 2*15 × 2*");
        ((Action)(() => dataset.Training.Encode([0, 1], Matrix<float>.Build.Dense(16, 2), new int[1]))).Should().Throw<ArgumentException>();
        ((Action)(() => dataset.Training.Encode([0, 36], Matrix<float>.Build.Dense(16, 2), lengths))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Word index 36 is outside [0, 36)*");
    }
}
