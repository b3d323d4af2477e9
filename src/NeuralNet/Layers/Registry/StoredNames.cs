namespace NeuralNet.Layers;

/// <summary>The rule for names stored in model files (kinds, settings, parameters, buffers).</summary>
internal static class StoredNames
{
    /// <summary>The longest stored name.</summary>
    public const int MaxLength = 64;

    public static bool IsValidByte(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'.' or (byte)'-';

    public static void Check(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameterName);
        if (name.Length > MaxLength || !name.All(c => c < 128 && IsValidByte((byte)c)))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid stored name: use 1 to {MaxLength} ASCII letters, digits, '_', '.' or '-'.", parameterName);
        }
    }
}
