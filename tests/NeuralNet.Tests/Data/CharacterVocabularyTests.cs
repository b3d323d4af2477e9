using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class CharacterVocabularyTests
{
    [Fact]
    public void WithPaddingAndUnknown_NumbersTheOrdinalSortedCharactersFromTwo()
    {
        var vocabulary = CharacterVocabulary.WithPaddingAndUnknown(["zéa", "ab"]);

        vocabulary.Characters.Should().Equal('a', 'b', 'z', 'é');
        vocabulary.Count.Should().Be(6);
        vocabulary.IdOf('a').Should().Be(2);
        vocabulary.IdOf('é').Should().Be(5);
        vocabulary.IdOf('q').Should().Be(CharacterVocabulary.UnknownId);
        vocabulary.CharacterOf(4).Should().Be('z');
    }

    [Fact]
    public void Exact_NumbersFromZeroAndRejectsUnknownCharacters()
    {
        var vocabulary = CharacterVocabulary.Exact("hello\u0007");

        vocabulary.Characters.Should().Equal('\u0007', 'e', 'h', 'l', 'o');
        vocabulary.Count.Should().Be(5);
        vocabulary.IdOf('\u0007').Should().Be(0);
        ((Action)(() => vocabulary.IdOf('x'))).Should().Throw<ArgumentException>().WithMessage("The character U+0078 is not in the vocabulary*");
    }

    [Fact]
    public void Encode_FillsTheRestOfTheColumnWithPadding()
    {
        var vocabulary = CharacterVocabulary.WithPaddingAndUnknown(["abc"]);
        double[] column = [9, 9, 9, 9, 9];

        int length = vocabulary.Encode("cax", column.AsSpan());

        length.Should().Be(3);
        column.Should().Equal(4, 2, 1, 0, 0);
        vocabulary.Decode([4, 2, 1, 0, 3]).Should().Be("ca\uFFFD", "padding ends the text");
    }

    [Fact]
    public void Encode_TextLongerThanTheColumn_Throws()
    {
        var vocabulary = CharacterVocabulary.WithPaddingAndUnknown(["abc"]);

        ((Action)(() => vocabulary.Encode("abcabc", new float[5].AsSpan()))).Should().Throw<ArgumentException>().WithMessage("'abcabc' has 6 characters but the destination holds 5 ids*");
    }

    [Fact]
    public void CharacterOf_ReservedOrOutOfRangeId_Throws()
    {
        var vocabulary = CharacterVocabulary.WithPaddingAndUnknown(["abc"]);

        ((Action)(() => vocabulary.CharacterOf(1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => vocabulary.CharacterOf(5))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
