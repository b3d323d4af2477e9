using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// Maps characters (UTF-16 code units) to token ids and back: the characters in ordinal order, after the reserved ids
/// if there are any. A sequence of ids is what an embedding layer takes, one sequence per matrix column.
/// </summary>
/// <remarks>
/// Two layouts: <see cref="WithPaddingAndUnknown"/> reserves id 0 for padding (after the end of a shorter sequence)
/// and id 1 for characters outside the vocabulary, so the first character has id 2 (the word-language data set);
/// <see cref="Exact"/> reserves nothing and an unknown character is an error (the fortunes corpus, whose vocabulary is
/// every character of the text).
/// </remarks>
public sealed class CharacterVocabulary
{
    private readonly Dictionary<char, int> ids;
    private readonly char[] characters;

    private CharacterVocabulary(IEnumerable<char> characters, bool reservesPaddingAndUnknown)
    {
        this.characters = [.. characters.Distinct().Order()]; // char's order is the ordinal (code-unit) order
        ReservesPaddingAndUnknown = reservesPaddingAndUnknown;
        ids = new Dictionary<char, int>(this.characters.Length);
        for (int i = 0; i < this.characters.Length; i++)
        {
            ids.Add(this.characters[i], FirstCharacterId + i);
        }
    }

    /// <summary>Id 0 of a vocabulary that <see cref="ReservesPaddingAndUnknown"/>: the filler after a shorter sequence's end.</summary>
    public const int PaddingId = 0;

    /// <summary>Id 1 of a vocabulary that <see cref="ReservesPaddingAndUnknown"/>: a character outside the vocabulary.</summary>
    public const int UnknownId = 1;

    /// <summary>Whether ids 0 (<see cref="PaddingId"/>) and 1 (<see cref="UnknownId"/>) are reserved.</summary>
    public bool ReservesPaddingAndUnknown { get; }

    /// <summary>The id of the first (smallest) character: 2 with reserved ids, else 0.</summary>
    public int FirstCharacterId => ReservesPaddingAndUnknown ? 2 : 0;

    /// <summary>The characters, in ordinal order; character <c>i</c> has id <c>FirstCharacterId + i</c>.</summary>
    public IReadOnlyList<char> Characters => characters;

    /// <summary>The number of ids, reserved ones included: the embedding's input size <c>V</c>.</summary>
    public int Count => FirstCharacterId + characters.Length;

    /// <summary>A vocabulary of the distinct characters of <paramref name="texts"/> after id 0 = padding and id 1 = unknown.</summary>
    /// <param name="texts">The texts (for a data set, the training texts only).</param>
    public static CharacterVocabulary WithPaddingAndUnknown(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return new CharacterVocabulary(texts.SelectMany(text => text), reservesPaddingAndUnknown: true);
    }

    /// <summary>A vocabulary of exactly the distinct characters of <paramref name="text"/>, from id 0, with no reserved ids.</summary>
    /// <param name="text">The text.</param>
    public static CharacterVocabulary Exact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CharacterVocabulary(text, reservesPaddingAndUnknown: false);
    }

    /// <summary>Whether <paramref name="character"/> has an id of its own.</summary>
    public bool Contains(char character) => ids.ContainsKey(character);

    /// <summary>The id of <paramref name="character"/>; <see cref="UnknownId"/> for a character outside a vocabulary that reserves it.</summary>
    /// <exception cref="ArgumentException">The character is not in a vocabulary without an unknown id.</exception>
    public int IdOf(char character)
    {
        if (ids.TryGetValue(character, out int id))
        {
            return id;
        }

        return ReservesPaddingAndUnknown
            ? UnknownId
            : throw new ArgumentException($"The character U+{(int)character:X4} is not in the vocabulary of {characters.Length} characters, which has no unknown id.", nameof(character));
    }

    /// <summary>The character of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is a reserved id or outside <c>[0, Count)</c>.</exception>
    public char CharacterOf(int id)
    {
        if (id < FirstCharacterId || id >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Character ids are in [{FirstCharacterId}, {Count}).");
        }

        return characters[id - FirstCharacterId];
    }

    /// <summary>
    /// Writes the ids of <paramref name="text"/> into the start of <paramref name="ids"/> as numbers of type
    /// <typeparamref name="T"/> and <see cref="PaddingId"/> (0) into the rest: one column of an id matrix.
    /// </summary>
    /// <param name="text">The text, at most <c>ids.Length</c> characters.</param>
    /// <param name="ids">The destination, for example a column of a dense matrix's column-major storage.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <returns>The length of <paramref name="text"/>: the number of ids before the padding.</returns>
    /// <exception cref="ArgumentException">The text is longer than <paramref name="ids"/>, or has a character this vocabulary cannot encode.</exception>
    public int Encode<T>(ReadOnlySpan<char> text, Span<T> ids)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (text.Length > ids.Length)
        {
            throw new ArgumentException($"'{text}' has {text.Length} characters but the destination holds {ids.Length} ids.", nameof(ids));
        }

        for (int i = 0; i < text.Length; i++)
        {
            ids[i] = T.CreateChecked(IdOf(text[i]));
        }

        ids[text.Length..].Clear(); // T's zero is PaddingId
        return text.Length;
    }

    /// <summary>The ids of <paramref name="text"/>, one per character.</summary>
    /// <exception cref="ArgumentException">The text has a character this vocabulary cannot encode.</exception>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        int[] result = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            result[i] = IdOf(text[i]);
        }

        return result;
    }

    /// <summary>The text of <paramref name="ids"/>; padding ids end it, an unknown id becomes U+FFFD.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside <c>[0, Count)</c>.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new System.Text.StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            if (ReservesPaddingAndUnknown && id == PaddingId)
            {
                break;
            }

            text.Append(ReservesPaddingAndUnknown && id == UnknownId ? '\uFFFD' : CharacterOf(id));
        }

        return text.ToString();
    }

    /// <summary>The vocabulary as text, e.g. <c>CharacterVocabulary(63 ids: padding, unknown, 61 characters)</c>.</summary>
    public override string ToString() => ReservesPaddingAndUnknown
        ? $"CharacterVocabulary({Count} ids: padding, unknown, {characters.Length} characters)"
        : $"CharacterVocabulary({Count} characters)";
}
