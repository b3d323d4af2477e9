using System.Diagnostics;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Minibatch backpropagation: for each batch, a forward pass through the network, the loss and its gradient,
/// a backward pass through the layers in reverse, and one optimizer step.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer&lt;float&gt;(network, new CrossEntropyLoss&lt;float&gt;(), new Sgd&lt;float&gt;(0.1, momentum: 0.9),
///     new TrainerOptions { Epochs = 20, BatchSize = 32, Seed = 1 });
/// TrainingHistory history = trainer.Fit(train, validation);
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int EvaluationChunk = 1024;

    /// <summary>Creates a trainer.</summary>
    /// <param name="network">The network to train (in place).</param>
    /// <param name="loss">The loss to minimise.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="options">Epochs, batch size and shuffling; defaults if <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">The loss expects logits but the network ends in a Softmax layer.</exception>
    public Trainer(Network<T> network, ILoss<T> loss, IOptimizer<T> optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        Options = options ?? new TrainerOptions();
        Options.Validate();
        if (loss.ExpectsLogits && LayerQueries.EndsInSoftmax(network))
        {
            throw new InvalidOperationException(
                $"{loss.Name} takes logits and applies its own log-softmax, but the network ends in a Softmax layer, so softmax would be applied twice. Remove the final Softmax layer (use Network.PredictProbabilities for probabilities).");
        }

        Network = network;
        Loss = loss;
        Optimizer = optimizer;
        InitialLearningRate = optimizer.LearningRate;
    }

    /// <summary>The network being trained.</summary>
    public Network<T> Network { get; }

    /// <summary>The loss being minimised.</summary>
    public ILoss<T> Loss { get; }

    /// <summary>The optimizer applying the updates.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>Epochs, batch size, shuffling and the optional training aids (schedule, validation split, early stopping, clipping).</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Callbacks run at every batch end and epoch end, in list order (see <see cref="ITrainingCallback{T}"/>).
    /// Add them before calling <see cref="Fit"/>.
    /// </summary>
    public IList<ITrainingCallback<T>> Callbacks { get; } = new List<ITrainingCallback<T>>();

    /// <summary>The optimizer's learning rate when the trainer was created: the <c>η₀</c> given to <see cref="TrainerOptions.Schedule"/>.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Trains the network and returns the per-epoch history.</summary>
    /// <remarks>
    /// Per batch: forward, loss and its gradient, backward, optional clipping of the global gradient norm
    /// (<see cref="TrainerOptions.GradientClipNorm"/>), one optimizer step, then the batch-end callbacks. The learning
    /// rate is set from <see cref="TrainerOptions.Schedule"/> before each epoch or batch. After each epoch the validation
    /// set (given, or split off by <see cref="TrainerOptions.ValidationSplit"/>) is evaluated, the result reported, the
    /// epoch-end callbacks run, <see cref="TrainerOptions.EarlyStopping"/> consulted and, with
    /// <see cref="TrainerOptions.CheckpointPath"/>, a checkpoint written (continue it with <see cref="Resume"/>). The loop reuses its buffers and
    /// context object, so steady-state batches allocate nothing in the trainer.
    /// </remarks>
    /// <param name="training">The training samples.</param>
    /// <param name="validation">Optional samples evaluated after every epoch.</param>
    /// <param name="progress">Receives each epoch's result as it finishes.</param>
    /// <param name="cancellationToken">Checked before every batch; cancellation throws <see cref="OperationCanceledException"/> between batches.</param>
    /// <exception cref="ArgumentException">A dataset does not fit the network or loss, or holds NaN or ∞; both a validation set and a
    /// <see cref="TrainerOptions.ValidationSplit"/> were given; or early stopping monitors a validation metric without a validation set. Nothing has been trained.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm stopped being finite; names the epoch and batch.</exception>
    /// <exception cref="NotSupportedException"><see cref="TrainerOptions.CheckpointPath"/> is set but a layer cannot be saved; nothing has been trained.</exception>
    public TrainingHistory Fit(
        Dataset<T> training,
        Dataset<T>? validation = null,
        IProgress<EpochResult>? progress = null,
        CancellationToken cancellationToken = default) => Run(training, validation, progress, cancellationToken, resumeFrom: null);

    private TrainingHistory Run(
        Dataset<T> training,
        Dataset<T>? validation,
        IProgress<EpochResult>? progress,
        CancellationToken cancellationToken,
        Checkpoint<T>? resumeFrom)
    {
        CheckDataset(training, nameof(training));
        if (validation is not null)
        {
            CheckDataset(validation, nameof(validation));
        }

        (training, validation) = ApplyValidationSplit(training, validation);
        CheckBatchStatistics(training.Count);
        CheckEarlyStopping(validation);
        CheckCheckpointing();

        var history = new TrainingHistory();
        int count = training.Count;
        int batchSize = Math.Min(Options.BatchSize, count);
        IReadOnlyList<Parameter<T>> parameters = Network.Parameters;
        EarlyStoppingTracker<T>? earlyStopping = Options.EarlyStopping is EarlyStopping rule ? new EarlyStoppingTracker<T>(rule, ModelStateSlots.Of(Network)) : null;
        int firstEpoch = 1;
        long scheduleStep = 0;
        if (resumeFrom is not null)
        {
            ResumeState state = ReadResumeState(resumeFrom, count, batchSize, earlyStopping);
            resumeFrom.RestoreInto(Network, Optimizer);
            Optimizer.LearningRate = state.LearningRate;
            scheduleStep = state.ScheduleStep;
            firstEpoch = state.Ended ? int.MaxValue : resumeFrom.Epoch + 1;
        }

        // System.Random's state cannot be saved, so a resumed run replays the shuffles of the epochs already done:
        // cheap (one pass over the indices per epoch) and exactly the orders the uninterrupted run used.
        var random = new Random(Options.Seed);
        int[] order = Dataset<T>.Permutation(count, random);
        if (!Options.Shuffle)
        {
            Array.Sort(order);
        }

        for (int epoch = 2; Options.Shuffle && epoch < firstEpoch && epoch <= Options.Epochs; epoch++)
        {
            random.Shuffle(order);
        }

        var batches = new BatchBuffers(training, batchSize);
        var context = new TrainingContext<T>(Network, Optimizer, history);
        ILearningRateSchedule? schedule = Options.Schedule;
        bool perBatchSchedule = schedule is not null && Options.ScheduleInterval == ScheduleInterval.Batch;
        for (int epoch = firstEpoch; epoch <= Options.Epochs; epoch++)
        {
            long start = Stopwatch.GetTimestamp();
            if (Options.Shuffle && epoch > 1)
            {
                random.Shuffle(order);
            }

            if (schedule is not null && !perBatchSchedule)
            {
                Optimizer.LearningRate = schedule.GetLearningRate(InitialLearningRate, epoch - 1);
            }

            context.Epoch = epoch;
            context.EpochResult = null;
            double lossSum = 0;
            int correct = 0;
            int seen = 0;
            int batchNumber = 0;
            for (int first = 0; first < count && !context.StopRequested; first += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batchNumber++;
                if (perBatchSchedule)
                {
                    Optimizer.LearningRate = schedule!.GetLearningRate(InitialLearningRate, checked((int)scheduleStep++));
                }

                int size = Math.Min(batchSize, count - first);
                ReadOnlySpan<int> indices = order.AsSpan(first, size);
                Matrix<T> input = batches.Gather(indices);
                Matrix<T> output = Network.Forward(input);
                Matrix<T> gradient = batches.OutputGradient(output.RowCount, size);
                T batchLoss = batches.Labels is int[] labels
                    ? Loss.Compute(output, labels.AsSpan(0, size), gradient)
                    : Loss.Compute(output, batches.Targets!, gradient);
                double lossValue = double.CreateChecked(batchLoss);
                if (!double.IsFinite(lossValue))
                {
                    throw new TrainingDivergedException(epoch, batchNumber, lossValue);
                }

                if (batches.Labels is int[] batchLabels)
                {
                    correct += CountCorrect(output, batchLabels.AsSpan(0, size));
                }

                Network.BackwardParameters(gradient); // the input gradient of the first layer is never used
                context.GradientNorm = null;
                if (Options.GradientClipNorm is double maxNorm)
                {
                    double norm = GradientClipping.ClipByGlobalNorm(parameters, maxNorm);
                    if (!double.IsFinite(norm))
                    {
                        throw new TrainingDivergedException(
                            epoch,
                            batchNumber,
                            lossValue,
                            $"Training diverged: the gradient norm became {norm} at epoch {epoch}, batch {batchNumber} (the loss was {lossValue}). Lower the learning rate or scale the inputs.");
                    }

                    context.GradientNorm = norm;
                }

                Optimizer.Step(parameters);
                lossSum += lossValue * size;
                seen += size;
                context.Batch = batchNumber;
                context.BatchSize = size;
                context.BatchLoss = lossValue;
                for (int c = 0; c < Callbacks.Count; c++)
                {
                    Callbacks[c].OnBatchEnd(context);
                }
            }

            Evaluation? validationResult = validation is null ? null : Evaluate(validation);
            var result = new EpochResult(
                epoch,
                lossSum / seen,
                training.IsClassification ? (double)correct / seen : null,
                validationResult?.Loss,
                validationResult?.Accuracy,
                Stopwatch.GetElapsedTime(start))
            {
                LearningRate = Optimizer.LearningRate,
            };
            history.Add(result);
            progress?.Report(result);
            context.EpochResult = result;
            for (int c = 0; c < Callbacks.Count; c++)
            {
                Callbacks[c].OnEpochEnd(context);
            }

            // The tracker sees every finished epoch, even one after which a callback stops training.
            bool patienceExhausted = earlyStopping is not null && earlyStopping.Update(result);
            bool ending = context.StopRequested || patienceExhausted;
            if (Options.CheckpointPath is string checkpointPath)
            {
                SaveCheckpoint(checkpointPath, epoch, count, batchSize, scheduleStep, ending, earlyStopping);
            }

            if (context.StopRequested)
            {
                history.StopReason = TrainingStopReason.Callback;
                break;
            }

            if (patienceExhausted)
            {
                history.StopReason = TrainingStopReason.EarlyStopping;
                break;
            }
        }

        if (earlyStopping is not null)
        {
            history.BestEpoch = earlyStopping.BestEpoch;
            earlyStopping.RestoreBest();
        }

        return history;
    }

    /// <summary>The network's mean loss (and accuracy, for classification) on a dataset, using stateless inference.</summary>
    /// <param name="data">The samples to evaluate.</param>
    public Evaluation Evaluate(Dataset<T> data)
    {
        CheckDataset(data, nameof(data));
        double lossSum = 0;
        int correct = 0;
        int[]? labels = data.LabelArray;
        for (int first = 0; first < data.Count; first += EvaluationChunk)
        {
            int size = Math.Min(EvaluationChunk, data.Count - first);
            Matrix<T> output = Network.Predict(data.Features.SubMatrix(0, data.FeatureCount, first, size));
            T chunkLoss;
            if (labels is not null)
            {
                ReadOnlySpan<int> chunkLabels = labels.AsSpan(first, size);
                chunkLoss = Loss.Compute(output, chunkLabels, null);
                correct += CountCorrect(output, chunkLabels);
            }
            else
            {
                chunkLoss = Loss.Compute(output, data.Targets!.SubMatrix(0, data.Targets.RowCount, first, size), null);
            }

            lossSum += double.CreateChecked(chunkLoss) * size;
        }

        return new Evaluation(lossSum / data.Count, labels is null ? null : (double)correct / data.Count);
    }

    private static int CountCorrect(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        T[] values = DenseStorage.Of(output, nameof(output));
        int rows = output.RowCount;
        int correct = 0;
        for (int j = 0; j < labels.Length; j++)
        {
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax<T>(values.AsSpan(j * rows, rows)) == labels[j])
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>
    /// Batch normalization needs at least two samples per training batch; refuse up front a split whose last batch
    /// would hold one, rather than failing after the earlier batches have changed the network.
    /// </summary>
    private void CheckBatchStatistics(int count)
    {
        int batchSize = Math.Min(Options.BatchSize, count);
        if ((batchSize == 1 || count % batchSize == 1) && LayerQueries.NeedsTwoSamplesPerBatch(Network, out string? layerName))
        {
            throw new ArgumentException(
                $"The network has {layerName}, which needs at least 2 samples per batch, but {count} training samples in batches of {batchSize} leave a last batch of 1. Change the batch size or the number of samples.");
        }
    }

    private void CheckDataset(Dataset<T> data, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data, parameterName);
        if (data.Count == 0)
        {
            throw new ArgumentException($"The {parameterName} set is empty.", parameterName);
        }

        if (Network.InputSize is int inputs && data.FeatureCount != inputs)
        {
            throw new ArgumentException(
                $"The {parameterName} set has {data.FeatureCount} features per sample but the network's first layer {Network.Layers[0].Name} expects {inputs}.",
                parameterName);
        }

        int? outputs = Network.OutputSize;
        if (data.LabelArray is int[] labels)
        {
            if (outputs is int classes)
            {
                for (int j = 0; j < labels.Length; j++)
                {
                    if (labels[j] >= classes)
                    {
                        throw new ArgumentOutOfRangeException(
                            parameterName, labels[j], $"Label {labels[j]} of sample {j} in the {parameterName} set is outside the network's {classes} outputs.");
                    }
                }
            }

            if (!Loss.ExpectsLogits)
            {
                throw new ArgumentException(
                    $"{Loss.Name} needs target values but the {parameterName} set has class labels; use CrossEntropyLoss, or a regression dataset.",
                    parameterName);
            }
        }
        else if (outputs is int width && data.Targets!.RowCount != width)
        {
            throw new ArgumentException(
                $"The {parameterName} set has {data.Targets.RowCount} targets per sample but the network has {width} outputs.", parameterName);
        }

        Network<T>.CheckFinite(data.Features, parameterName);
        if (data.Targets is not null)
        {
            Network<T>.CheckFinite(data.Targets, parameterName);
        }
    }

    /// <summary>The reused input, label, target and gradient buffers of the training loop.</summary>
    private sealed class BatchBuffers
    {
        private readonly T[] features;
        private readonly int featureCount;
        private readonly T[]? targetsSource;
        private readonly int targetCount;
        private readonly int[]? labelsSource;
        private readonly MatrixCache<T> inputs = new();
        private readonly MatrixCache<T> targetBuffers = new();
        private readonly MatrixCache<T> gradients = new();

        public BatchBuffers(Dataset<T> data, int batchSize)
        {
            features = DenseStorage.Of(data.Features, "features");
            featureCount = data.FeatureCount;
            labelsSource = data.LabelArray;
            Labels = labelsSource is null ? null : new int[batchSize];
            if (data.Targets is not null)
            {
                targetsSource = DenseStorage.Of(data.Targets, "targets");
                targetCount = data.Targets.RowCount;
            }
        }

        public int[]? Labels { get; }

        public Matrix<T>? Targets { get; private set; }

        public Matrix<T> Gather(ReadOnlySpan<int> indices)
        {
            Matrix<T> input = inputs.Get(featureCount, indices.Length);
            SampleCopy.Columns(features, featureCount, indices, DenseStorage.Of(input, "input"));
            if (labelsSource is not null)
            {
                for (int j = 0; j < indices.Length; j++)
                {
                    Labels![j] = labelsSource[indices[j]];
                }
            }
            else
            {
                Targets = targetBuffers.Get(targetCount, indices.Length);
                SampleCopy.Columns(targetsSource!, targetCount, indices, DenseStorage.Of(Targets, "targets"));
            }

            return input;
        }

        public Matrix<T> OutputGradient(int rows, int columns) => gradients.Get(rows, columns);
    }
}
