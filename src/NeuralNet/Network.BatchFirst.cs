using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet;

/// <content>
/// Batch-first inference: samples given one per <b>row</b> (<c>[samples, features]</c>, the layout of Keras, PyTorch,
/// ML.NET and CSV files; the first index is the sample), single samples as spans, and <see cref="Tensor{T}"/> batches
/// whose first axis is the sample. Each gives exactly, bit for bit, what <see cref="Predict(Matrix{T})"/> gives on the
/// same samples laid out one per column: a row-major <c>[samples, features]</c> block is the memory of a column-major
/// <c>features × samples</c> matrix, so each conversion is one block copy.
/// </content>
public sealed partial class Network<T>
{
    /// <summary>
    /// Stateless, thread-safe inference on one sample, written into <paramref name="output"/>; allocates nothing in
    /// steady state (each thread keeps its own scratch, as <see cref="Predict(Matrix{T})"/> does).
    /// </summary>
    /// <param name="sample">One sample's features, <see cref="InputSize"/> values (an image in the row-major order of <see cref="InputShape"/>).</param>
    /// <param name="output">Receives the sample's <see cref="OutputSize"/> outputs.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="sample"/> is not <see cref="InputSize"/> long (a batch passed as one span is refused), <paramref name="output"/> is not
    /// <see cref="OutputSize"/> long, or the sample holds NaN or ∞.
    /// </exception>
    public void Predict(ReadOnlySpan<T> sample, Span<T> output)
    {
        Matrix<T> result = PredictSample(sample, nameof(sample));
        Span<T> values = DenseStorage.Of(result, nameof(result)).AsSpan(0, result.RowCount);
        if (output.Length != values.Length)
        {
            throw new ArgumentException(
                $"Predict: the output span has {output.Length} values but the network gives {values.Length} per sample{(OutputShape is Shape shape ? $" {shape}" : "")}.",
                nameof(output));
        }

        values.CopyTo(output);
    }

    /// <summary>The most probable class (argmax of the output) of one sample; allocates nothing in steady state. Thread-safe.</summary>
    /// <param name="sample">One sample's features, <see cref="InputSize"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="sample"/> is not <see cref="InputSize"/> long, or holds NaN or ∞.</exception>
    public int PredictClass(ReadOnlySpan<T> sample)
    {
        Matrix<T> result = PredictSample(sample, nameof(sample));
        return TensorPrimitives.IndexOfMax<T>(DenseStorage.Of(result, nameof(result)).AsSpan(0, result.RowCount));
    }

    /// <summary>Stateless, thread-safe inference on samples given <b>one per row</b>: <c>[samples, features]</c>.</summary>
    /// <param name="samples">One sample per row (the first index is the sample), <see cref="InputSize"/> features per row.</param>
    /// <returns>A new <c>[samples, outputs]</c> array: row <c>i</c> is the output for sample <c>i</c>.</returns>
    /// <exception cref="ArgumentException">
    /// The rows are not <see cref="InputSize"/> long (an array that looks transposed, <c>[features, samples]</c>, says so;
    /// a square one cannot be told apart), there are no samples, or a value is NaN or ∞.
    /// </exception>
    public T[,] Predict(T[,] samples) => BatchFirstArrays.ToRectangular(PredictRows(samples));

    /// <summary>Stateless, thread-safe inference on samples given <b>one per array</b> (a jagged array, one sample per row).</summary>
    /// <param name="samples">One array of <see cref="InputSize"/> features per sample.</param>
    /// <returns>One new output array per sample, in order.</returns>
    /// <exception cref="ArgumentException">
    /// A row is null or of another length than the others (the message names the row), the rows are not
    /// <see cref="InputSize"/> long (transposed input says so), there are no samples, or a value is NaN or ∞.
    /// </exception>
    public T[][] Predict(T[][] samples) => BatchFirstArrays.ToJagged(PredictRows(samples));

    /// <summary>The most probable class of each sample, given <b>one per row</b>: <c>[samples, features]</c>.</summary>
    /// <param name="samples">One sample per row, <see cref="InputSize"/> features per row.</param>
    /// <returns>One class index per row.</returns>
    /// <exception cref="ArgumentException">As <see cref="Predict(T[,])"/>.</exception>
    public int[] PredictClass(T[,] samples) => ArgMaxPerColumn(PredictRows(samples));

    /// <summary>The most probable class of each sample, given <b>one per array</b>.</summary>
    /// <param name="samples">One array of <see cref="InputSize"/> features per sample.</param>
    /// <returns>One class index per sample.</returns>
    /// <exception cref="ArgumentException">As <see cref="Predict(T[][])"/>.</exception>
    public int[] PredictClass(T[][] samples) => ArgMaxPerColumn(PredictRows(samples));

    /// <summary>
    /// Stateless, thread-safe inference on a batch-first tensor: shape <c>[batch, …sample shape]</c> in, shape
    /// <c>[batch, …output shape]</c> out.
    /// </summary>
    /// <remarks>
    /// The first axis is the sample. The sample axes are <see cref="InputShape"/> (e.g. <c>[batch, 1, 28, 28]</c>, as
    /// PyTorch's NCHW), or flat <c>[batch, <see cref="InputSize"/>]</c>. The tensor may be strided (a slice); its values
    /// are copied once into a matrix (a tensor does not expose its array). The result wraps the network's output
    /// without a copy.
    /// </remarks>
    /// <param name="samples">A tensor of rank 2 or more whose first axis is the sample.</param>
    /// <returns>A new dense tensor <c>[batch, …<see cref="OutputShape"/>]</c>.</returns>
    /// <exception cref="ArgumentException">
    /// Rank below 2 (no batch axis), sample axes that are neither <see cref="InputShape"/> nor <see cref="InputSize"/>
    /// (a <c>[features, batch]</c> tensor says it looks transposed), an empty batch, or a value that is NaN or ∞.
    /// </exception>
    public Tensor<T> Predict(Tensor<T> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ReadOnlySpan<nint> lengths = samples.Lengths;
        long[] dimensions = new long[lengths.Length];
        for (int i = 0; i < dimensions.Length; i++)
        {
            dimensions[i] = lengths[i];
        }

        string got = BatchFirstArrays.Dimensions(dimensions);
        if (samples.Rank < 2)
        {
            throw new ArgumentException(
                $"Predict: a tensor of shape {got} has no batch axis; pass [batch, …sample shape], e.g. [1, {InputSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "features"}] for one sample, or use Predict(ReadOnlySpan<T>, Span<T>).",
                nameof(samples));
        }

        if (samples.FlattenedLength == 0)
        {
            throw new ArgumentException($"Predict: the tensor of shape {got} holds no samples.", nameof(samples));
        }

        int batch = checked((int)lengths[0]);
        int[] sampleDimensions = [.. dimensions[1..].Select(d => checked((int)d))];
        Shape outputShape;
        if (InputShape is Shape input)
        {
            bool fits = input.Dimensions.SequenceEqual(sampleDimensions) || (sampleDimensions.Length == 1 && sampleDimensions[0] == input.Size);
            if (!fits)
            {
                throw new ArgumentException(
                    samples.Rank == 2 && lengths[0] == input.Size
                        ? $"Predict: the tensor looks transposed: got {got} but the network takes {input.Size} features per sample; pass [samples, features], the batch axis first."
                        : $"Predict: the tensor of shape {got} holds samples of shape {Shape.Of(sampleDimensions)}, but the network takes {input} ({input.Size} values); pass [batch, …{input}] or [batch, {input.Size}].",
                    nameof(samples));
            }

            outputShape = OutputShape!;
        }
        else
        {
            outputShape = Shape.Of(sampleDimensions);
            foreach (ILayer<T> layer in layers)
            {
                outputShape = layer.GetOutputShape(outputShape);
            }
        }

        int features = checked((int)(samples.FlattenedLength / batch));
        var values = new T[samples.FlattenedLength];
        samples.FlattenTo(values);
        Matrix<T> matrix = BatchFirstArrays.Wrap(values, features, batch);
        CheckFinite(matrix, nameof(samples));
        Matrix<T> result = PredictCore(matrix, scratchResult: false);

        nint[] outputLengths = new nint[outputShape.Rank + 1];
        outputLengths[0] = batch;
        for (int i = 0; i < outputShape.Rank; i++)
        {
            outputLengths[i + 1] = outputShape[i];
        }

        return Tensor.Create(DenseStorage.Of(result, nameof(result)), outputLengths);
    }

    /// <summary>Runs one checked sample through this thread's scratch; the result is valid until the thread's next prediction.</summary>
    private Matrix<T> PredictSample(ReadOnlySpan<T> sample, string parameterName)
    {
        if (InputSize is int size ? sample.Length != size : sample.IsEmpty)
        {
            throw new ArgumentException(
                InputSize is int expected && expected > 0 && sample.Length > expected && sample.Length % expected == 0
                    ? $"Predict: the sample has {sample.Length} values, {sample.Length / expected} times the network's {expected} features {InputShape}; a span is one sample: pass a batch as [samples, features] to Predict(T[,])."
                    : $"Predict: the sample has {sample.Length} values but the network takes {InputSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "at least one"} features{(InputShape is Shape shape ? $" {shape}" : "")}.",
                parameterName);
        }

        Matrix<T> input = SampleScratch.Get(sample.Length);
        sample.CopyTo(DenseStorage.Of(input, nameof(input)));
        CheckFinite(input, parameterName);
        return PredictCore(input, scratchResult: true);
    }

    /// <summary>Checks rows of <c>[samples, features]</c> against the input size and predicts them.</summary>
    private Matrix<T> PredictRows(T[,] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        CheckOrientation(samples.GetLength(0), samples.GetLength(1), "array", nameof(samples));
        Matrix<T> input = BatchFirstArrays.FromRectangular(samples, "Predict", nameof(samples));
        CheckFinite(input, nameof(samples));
        return PredictCore(input, scratchResult: false);
    }

    /// <summary>Checks jagged rows (one sample each) against the input size and predicts them.</summary>
    private Matrix<T> PredictRows(T[][] samples)
    {
        int length = BatchFirstArrays.RowLength(samples, "Predict", nameof(samples));
        CheckOrientation(samples.Length, length, "jagged array", nameof(samples));
        Matrix<T> input = BatchFirstArrays.FromJagged(samples, length);
        CheckFinite(input, nameof(samples));
        return PredictCore(input, scratchResult: false);
    }

    /// <summary>Refuses rows of the wrong length, saying so when the samples look transposed (<c>[features, samples]</c>).</summary>
    private void CheckOrientation(int rows, int columns, string kind, string parameterName)
    {
        if (InputSize is not int features || columns == features)
        {
            return;
        }

        string got = BatchFirstArrays.Dimensions(rows, columns);
        throw new ArgumentException(
            rows == features
                ? $"Predict: the {kind} looks transposed: got {got} but the network takes {features} features per sample; pass [samples, features], one sample per row."
                : $"Predict: got {got}, {columns} features per sample (one sample per row), but the network takes {features} {InputShape}; pass [samples, features].",
            parameterName);
    }

    /// <summary>Per-thread copy of the single sample given to the span entry points (a matrix needs an array).</summary>
    private static class SampleScratch
    {
        [ThreadStatic]
        private static MatrixCache<T>? cache;

        public static Matrix<T> Get(int features) => (cache ??= new MatrixCache<T>()).Get(features, 1);
    }
}
