using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Layers;

/// <summary>Where an <see cref="InferencePass"/> writes each step's output.</summary>
internal interface IInferenceOutputs<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The matrix for the output of step <paramref name="step"/> (0, 1, … over the steps that write a new matrix).</summary>
    Matrix<T> Get(int step, int rows, int columns, bool last);
}

/// <summary>
/// The stateless inference walk over a chain of layers, shared by <see cref="Network{T}"/> and <see cref="Residual{T}"/>:
/// layers that are the identity at inference are skipped, element-wise layers write over an intermediate the walk
/// owns, and a layer takes a following activation into its own store when it can (bit for bit the separate passes).
/// </summary>
internal static class InferencePass
{
    /// <summary>Runs <paramref name="layers"/> on <paramref name="input"/> (never written); returns the last output.</summary>
    /// <param name="layers">The chain.</param>
    /// <param name="shapes">The chain's connected shapes (layers + 1 of them), or <see langword="null"/>.</param>
    /// <param name="input">The chain's input, one sample per column.</param>
    /// <param name="outputs">Gives the matrix each step writes.</param>
    public static Matrix<T> Run<T, TOutputs>(ILayer<T>[] layers, Shape[]? shapes, Matrix<T> input, ref TOutputs outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOutputs : struct, IInferenceOutputs<T>
    {
        Matrix<T> activation = input;
        int step = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            ILayer<T> layer = layers[i];
            bool last = i == layers.Length - 1;
            if (!last && (layer.Traits & LayerTraits.IdentityAtInference) != 0)
            {
                // Dropout, Flatten: the data pass through unchanged at inference.
                continue;
            }

            if (!last && (layer.Traits & LayerTraits.Elementwise) != 0 && !ReferenceEquals(activation, input))
            {
                // Element-wise layers may write over their input, and this input is the walk's own intermediate.
                layer.Predict(activation, activation);
                continue;
            }

            int rows = shapes is not null && activation.RowCount == shapes[i].Size
                ? shapes[i + 1].Size
                : layer.GetOutputShape(Shape.Vector(activation.RowCount)).Size;

            // A following activation the layer can apply in its own store (Linear then ReLU): one pass instead of two.
            FusedActivation fused = !last && layer is IActivationFusing<T> fusing && layers[i + 1] is IFusableActivation next
                && fusing.CanFuse(next.Fusion) ? next.Fusion : FusedActivation.None;
            if (fused != FusedActivation.None)
            {
                i++;
                last = i == layers.Length - 1;
            }

            Matrix<T> output = outputs.Get(step++, rows, activation.ColumnCount, last);
            if (fused != FusedActivation.None)
            {
                ((IActivationFusing<T>)layer).Predict(activation, output, fused);
            }
            else
            {
                layer.Predict(activation, output);
            }

            activation = output;
        }

        return activation;
    }
}
