namespace NeuralNet.Data;

/// <summary>
/// A text as token ids for a character-level language model: the vocabulary of all its characters, and a training
/// part (the first ⌊9N/10⌋ characters) and a validation part (the rest) to draw windows from.
/// </summary>
public sealed class CharacterCorpus
{
    /// <summary>Encodes <paramref name="text"/> with the vocabulary of its own characters and splits it 9 : 1.</summary>
    /// <param name="text">The text, at least 10 characters.</param>
    /// <exception cref="ArgumentException">The text is shorter than 10 characters (the validation part would be empty).</exception>
    public CharacterCorpus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 10)
        {
            throw new ArgumentException($"A corpus needs at least 10 characters for a 9 : 1 split; got {text.Length}.", nameof(text));
        }

        Text = text;
        Vocabulary = CharacterVocabulary.Exact(text);
        int[] ids = Vocabulary.Encode(text);
        int trainingLength = (int)(9L * text.Length / 10);
        Training = new TokenSequence(ids.AsMemory(0, trainingLength));
        Validation = new TokenSequence(ids.AsMemory(trainingLength));
    }

    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>The vocabulary: every distinct character of the text in ordinal order, ids from 0, none reserved.</summary>
    public CharacterVocabulary Vocabulary { get; }

    /// <summary>The ids of the first ⌊9N/10⌋ characters.</summary>
    public TokenSequence Training { get; }

    /// <summary>The ids of the remaining characters.</summary>
    public TokenSequence Validation { get; }

    /// <summary>The corpus as text, e.g. <c>CharacterCorpus(2576669 characters, 113 in the vocabulary)</c>.</summary>
    public override string ToString() => $"CharacterCorpus({Text.Length} characters, {Vocabulary.Count} in the vocabulary)";
}
