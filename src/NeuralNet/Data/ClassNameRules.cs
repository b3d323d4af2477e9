using System.Text;

namespace NeuralNet.Data;

/// <summary>
/// What a list of class names may be, wherever it is kept (a dataset, a network, a model file): 1 to 65,536 names, each
/// 1 to 1,024 bytes of UTF-8 (so no lone surrogate), no two equal (ordinal comparison).
/// </summary>
internal static class ClassNameRules
{
    /// <summary>The most class names a list may hold.</summary>
    public const int MaxCount = 1 << 16;

    /// <summary>The longest class name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Strict UTF-8: refuses lone surrogates when encoding and invalid bytes when decoding.</summary>
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why the names break the rules, or <see langword="null"/> when they keep them.</summary>
    public static string? FindViolation(IReadOnlyList<string> names)
    {
        if (names.Count is 0 or > MaxCount)
        {
            return $"{names.Count} class names; 1 to {MaxCount} are allowed";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < names.Count; k++)
        {
            string? name = names[k];
            if (string.IsNullOrEmpty(name))
            {
                return $"class name {k} is {(name is null ? "null" : "empty")}";
            }

            int bytes;
            try
            {
                bytes = Strict.GetByteCount(name);
            }
            catch (EncoderFallbackException)
            {
                return $"class name {k} holds a lone surrogate, which UTF-8 cannot store";
            }

            if (bytes > MaxNameBytes)
            {
                return $"class name {k} is {bytes} UTF-8 bytes long; at most {MaxNameBytes} are allowed";
            }

            if (!seen.Add(name))
            {
                return $"class name {k} '{Shorten(name)}' appears twice";
            }
        }

        return null;
    }

    /// <summary>A copy of the names, after checking them.</summary>
    /// <exception cref="ArgumentException">The names break the rules; the message says how.</exception>
    public static string[] Checked(IReadOnlyList<string> names, string who, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(names, parameterName);
        string[] copy = [.. names];
        string? violation = FindViolation(copy);
        return violation is null ? copy : throw new ArgumentException($"{who}: {violation}.", parameterName);
    }

    /// <summary>At most 40 characters of a name, for messages.</summary>
    public static string Shorten(string name) => name.Length <= 40 ? name : string.Concat(name.AsSpan(0, 40), "…");
}
