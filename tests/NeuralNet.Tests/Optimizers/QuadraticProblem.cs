using System.Numerics;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// The fixed problem the Adam, AdamW and RMSProp tests share: L(θ) = ½ Σ cᵢ (θᵢ − τᵢ)², so g = c ⊙ (θ − τ), with θ split
/// over two parameters (a 3 × 1 weight and a 1 × 1 bias).
/// </summary>
internal static class QuadraticProblem
{
    /// <summary>θ at the start.</summary>
    public static readonly double[] Start = [1.0, -2.0, 0.5, 0.25];

    /// <summary>The curvatures c.</summary>
    public static readonly double[] Curvature = [1.0, 3.0, 0.5, 2.0];

    /// <summary>The minimum τ (not 0: with g ∝ θ, Adam is invariant to the curvature and coupled decay would change nothing).</summary>
    public static readonly double[] Target = [0.5, 1.0, -1.0, 0.0];

    public static Parameter<T>[] Problem<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Parameter<T>[] parameters = [new Parameter<T>("weight", 3, 1), new Parameter<T>("bias", 1, 1)];
        Load(parameters, Start);
        return parameters;
    }

    public static void Load<T>(Parameter<T>[] parameters, double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < 3; i++)
        {
            parameters[0].ValueSpan[i] = T.CreateChecked(values[i]);
        }

        parameters[1].ValueSpan[0] = T.CreateChecked(values[3]);
    }

    public static void SetGradients<T>(Parameter<T>[] parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < 3; i++)
        {
            parameters[0].GradientSpan[i] = T.CreateChecked(Curvature[i]) * (parameters[0].ValueSpan[i] - T.CreateChecked(Target[i]));
        }

        parameters[1].GradientSpan[0] = T.CreateChecked(Curvature[3]) * (parameters[1].ValueSpan[0] - T.CreateChecked(Target[3]));
    }

    public static double[] Flatten<T>(Parameter<T>[] parameters)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. parameters.SelectMany(p => p.Value.AsColumnMajorArray()).Select(double.CreateChecked)];
}
