using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>Conversions the layers' ONNX forms share.</summary>
internal static class LayerValues
{
    /// <summary>The values widened to double, for an <see cref="OnnxInitializer"/>.</summary>
    public static double[] ToDoubles<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = double.CreateChecked(values[i]);
        }

        return result;
    }
}
