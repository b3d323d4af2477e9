using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Uniform and normal draws from an injected <see cref="Random"/>, in double precision.</summary>
internal static class RandomDraws
{
    /// <summary>Fills with draws from <c>U(−limit, limit)</c>.</summary>
    public static void Uniform<T>(Span<T> values, double limit, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(((2.0 * random.NextDouble()) - 1.0) * limit);
        }
    }

    /// <summary>Fills with draws from <c>N(0, σ²)</c> (Box–Muller, both outputs used).</summary>
    public static void Normal<T>(Span<T> values, double sigma, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]: log is finite
            double u2 = random.NextDouble();
            double radius = sigma * Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = T.CreateChecked(radius * Math.Cos(2.0 * Math.PI * u2));
            if (i + 1 < values.Length)
            {
                values[i + 1] = T.CreateChecked(radius * Math.Sin(2.0 * Math.PI * u2));
            }
        }
    }
}
