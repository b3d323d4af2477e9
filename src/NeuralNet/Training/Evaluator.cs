using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>A network's mean loss and accuracy on a dataset, by stateless inference in chunks.</summary>
internal sealed class Evaluator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Chunk = 1024;

    private readonly Network<T> network;
    private readonly ILoss<T> loss;

    public Evaluator(Network<T> network, ILoss<T> loss)
    {
        this.network = network;
        this.loss = loss;
    }

    /// <summary>Evaluates <paramref name="data"/>, which must already have passed <see cref="DatasetChecks"/>.</summary>
    public Evaluation Evaluate(Dataset<T> data)
    {
        double lossSum = 0;
        int correct = 0;
        int[]? labels = data.LabelArray;
        for (int first = 0; first < data.Count; first += Chunk)
        {
            int size = Math.Min(Chunk, data.Count - first);
            Matrix<T> output = network.Predict(data.Features.SubMatrix(0, data.FeatureCount, first, size));
            T chunkLoss;
            if (labels is not null)
            {
                ReadOnlySpan<int> chunkLabels = labels.AsSpan(first, size);
                chunkLoss = loss.Compute(output, chunkLabels, null);
                correct += CountCorrect(output, chunkLabels);
            }
            else
            {
                chunkLoss = loss.Compute(output, data.Targets!.SubMatrix(0, data.Targets.RowCount, first, size), null);
            }

            lossSum += loss.Reduction == Reduction.Sum ? double.CreateChecked(chunkLoss) : double.CreateChecked(chunkLoss) * size;
        }

        return new Evaluation(lossSum / data.Count, labels is null ? null : (double)correct / data.Count);
    }

    /// <summary>How many columns of <paramref name="output"/> have their largest entry at the sample's label.</summary>
    public static int CountCorrect(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        T[] values = DenseStorage.Of(output, nameof(output));
        int rows = output.RowCount;
        int correct = 0;
        for (int j = 0; j < labels.Length; j++)
        {
            if (TensorPrimitives.IndexOfMax<T>(values.AsSpan(j * rows, rows)) == labels[j])
            {
                correct++;
            }
        }

        return correct;
    }
}
