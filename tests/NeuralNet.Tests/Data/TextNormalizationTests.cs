using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class TextNormalizationTests
{
    [Theory]
    [InlineData("strasse")]
    [InlineData("łódź")]
    [InlineData("ærø")]
    [InlineData("₂€")]
    [InlineData("")]
    public void IsSurelyNfc_TextWithoutUnstableCharacters_IsTrue(string text)
    {
        TextNormalization.IsSurelyNfc(text).Should().BeTrue();
    }

    [Theory]
    [InlineData("cafe\u0301")]   // a combining mark composes with its base
    [InlineData("\u2126")]        // OHM SIGN is replaced by GREEK CAPITAL LETTER OMEGA
    [InlineData("\u1100\u1161")]  // Hangul jamo compose into a syllable
    [InlineData("a\U0001D165")]   // a combining mark outside the BMP (a surrogate pair)
    public void IsSurelyNfc_TextThatNfcCanChange_IsFalse(string text)
    {
        TextNormalization.IsSurelyNfc(text).Should().BeFalse();
    }

    [Fact]
    public void ToNfc_StableText_IsReturnedAsItIs()
    {
        string text = "łódź";

        TextNormalization.ToNfc(text, "here").Should().BeSameAs(text);
    }
}
