using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <summary>
/// Words with class labels (one part of <see cref="WordLanguageDataset"/>), and their encoding as token ids for a
/// network: a word of length <c>L</c> is a column of <see cref="MaxLength"/> ids, its <c>L</c> character ids followed
/// by padding (0), stored as the matrix's element type.
/// </summary>
public sealed class LabeledWords
{
    private readonly string[] words;
    private readonly int[] labels;
    private readonly int[] lengths;

    internal LabeledWords(string[] words, int[] labels, IReadOnlyList<string> classNames, CharacterVocabulary vocabulary, int maxLength)
    {
        this.words = words;
        this.labels = labels;
        lengths = [.. words.Select(word => word.Length)];
        ClassNames = classNames;
        Vocabulary = vocabulary;
        MaxLength = maxLength;
    }

    /// <summary>The words.</summary>
    public IReadOnlyList<string> Words => words;

    /// <summary>The label of each word, in <c>[0, ClassNames.Count)</c>.</summary>
    public IReadOnlyList<int> Labels => labels;

    /// <summary>The length of each word in characters (UTF-16 code units): its number of ids before the padding.</summary>
    public IReadOnlyList<int> Lengths => lengths;

    /// <summary>The class names (language codes), indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The vocabulary the words are encoded with (that of the training words).</summary>
    public CharacterVocabulary Vocabulary { get; }

    /// <summary>The number of ids per encoded word, padding included: the rows of an id matrix (16).</summary>
    public int MaxLength { get; }

    /// <summary>The number of words.</summary>
    public int Count => words.Length;

    /// <summary>
    /// Encodes the words <c>indices[j]</c> into column <c>j</c> of <paramref name="ids"/> (ids, then padding 0) and
    /// their lengths into <c>lengths[j]</c>: a minibatch in the library's layout, allocation-free.
    /// </summary>
    /// <param name="indices">The words to encode, one per column.</param>
    /// <param name="ids">A dense <c>MaxLength × indices.Length</c> matrix.</param>
    /// <param name="lengths">Receives each word's length; at least <c>indices.Length</c> long.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="ArgumentException">The matrix is not dense, or a size does not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <c>[0, Count)</c>.</exception>
    public void Encode<T>(ReadOnlySpan<int> indices, Matrix<T> ids, Span<int> lengths)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.RowCount != MaxLength || ids.ColumnCount != indices.Length)
        {
            throw new ArgumentException($"The id matrix must be {MaxLength} × {indices.Length} (ids × words) but is {ids.RowCount} × {ids.ColumnCount}.", nameof(ids));
        }

        if (lengths.Length < indices.Length)
        {
            throw new ArgumentException($"lengths holds {lengths.Length} values for {indices.Length} words.", nameof(lengths));
        }

        T[] storage = DenseStorage.Of(ids, nameof(ids));
        for (int j = 0; j < indices.Length; j++)
        {
            int index = indices[j];
            if ((uint)index >= (uint)words.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Word index {index} is outside [0, {words.Length}).");
            }

            lengths[j] = Vocabulary.Encode(words[index], storage.AsSpan(j * MaxLength, MaxLength));
        }
    }

    /// <summary>All words encoded: a <c>MaxLength × Count</c> matrix of ids, word <c>j</c> in column <c>j</c> (lengths: <see cref="Lengths"/>).</summary>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    public Matrix<T> ToIdMatrix<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> ids = Matrix<T>.Build.Dense(MaxLength, Count);
        Encode([.. Enumerable.Range(0, Count)], ids, new int[Count]);
        return ids;
    }

    /// <summary>
    /// A classification data set for the trainer: features are the id matrix (<see cref="ToIdMatrix{T}"/>), labels the
    /// word labels, class names the language codes.
    /// </summary>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    public Dataset<T> ToDataset<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => Dataset<T>.ForClassification(ToIdMatrix<T>(), labels, ClassNames.Count).WithClassNames(ClassNames);

    /// <summary>The words as TSV, UTF-8 without a byte order mark: one <c>word&lt;TAB&gt;class name&lt;LF&gt;</c> per word, in order.</summary>
    public byte[] ToTsv()
    {
        var text = new StringBuilder(words.Length * 16);
        for (int i = 0; i < words.Length; i++)
        {
            text.Append(words[i]).Append('\t').Append(ClassNames[labels[i]]).Append('\n');
        }

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(text.ToString());
    }

    /// <summary>The SHA-256 of <see cref="ToTsv"/>, as 64 lowercase hexadecimal digits.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(ToTsv()));

    /// <summary>Writes <see cref="ToTsv"/> to <paramref name="path"/>.</summary>
    /// <param name="path">The destination file.</param>
    public void WriteTsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, ToTsv());
    }

    /// <summary>The words as text, e.g. <c>LabeledWords(60000 words, 12 classes)</c>.</summary>
    public override string ToString() => $"LabeledWords({Count} words, {ClassNames.Count} classes)";
}
