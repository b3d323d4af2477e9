using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
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
    /// <summary>Creates a trainer.</summary>
    /// <param name="network">The network to train (in place).</param>
    /// <param name="loss">The loss to minimise.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="options">Epochs, batch size and shuffling; defaults if <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">The loss expects logits but the network ends in a Softmax layer.</exception>
    /// <exception cref="ArgumentException">The optimizer is already bound to another network's parameters, or the loss has <see cref="Reduction.None"/>.</exception>
    public Trainer(Network<T> network, ILoss<T> loss, IOptimizer<T> optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        Options = options ?? new TrainerOptions();
        Options.Validate();
        if (loss.Reduction == Reduction.None)
        {
            throw new ArgumentException(
                $"{loss.Name} has Reduction.None, which gives per-sample losses but no scalar to minimise; use Reduction.Mean or Reduction.Sum.", nameof(loss));
        }

        if (loss.ExpectsLogits && LayerQueries.EndsInSoftmax(network))
        {
            throw new InvalidOperationException(
                $"{loss.Name} takes logits and applies its own log-softmax (or log-sigmoid), but the network ends in a Softmax layer, so softmax would be applied twice. Remove the final Softmax layer (use Network.PredictProbabilities for probabilities).");
        }

        // An optimizer serves one parameter list: bind it now, so one used for another network fails here, not mid-epoch.
        optimizer.Bind(network.Parameters);
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
    /// Callbacks run at the start and end of every epoch and batch, before every optimizer step and when training ends,
    /// in list order (see <see cref="ITrainingCallback{T}"/> for the order). Add them before calling <see cref="Fit"/>.
    /// </summary>
    public IList<ITrainingCallback<T>> Callbacks { get; } = new List<ITrainingCallback<T>>();

    /// <summary>The optimizer's learning rate when the trainer was created: the <c>η₀</c> given to <see cref="TrainerOptions.Schedule"/>.</summary>
    public double InitialLearningRate { get; }

    /// <summary>Trains the network and returns the per-epoch history.</summary>
    /// <remarks>
    /// Per batch: forward, loss and its gradient, backward, optional clipping of the global gradient norm
    /// (<see cref="TrainerOptions.GradientClipNorm"/>), a check that the loss and norm are finite, one optimizer step,
    /// then the batch-end callbacks. The learning rate is set from <see cref="TrainerOptions.Schedule"/> before each
    /// epoch or batch. After each epoch the validation set (given, or split off by <see cref="TrainerOptions.ValidationSplit"/>)
    /// is evaluated, the result reported, the epoch-end callbacks run, <see cref="TrainerOptions.EarlyStopping"/> consulted
    /// and, with <see cref="TrainerOptions.CheckpointPath"/>, a checkpoint written (continue it with <see cref="Resume"/>).
    /// Each of these aids is an <see cref="ITrainingCallback{T}"/> run around <see cref="Callbacks"/>. The loop reuses
    /// its buffers and context object, so steady-state batches allocate nothing in the trainer.
    /// </remarks>
    /// <param name="training">The training samples: a <see cref="Dataset{T}"/>, a <see cref="SampleFile{T}"/> streamed from disk, or any
    /// <see cref="IDataSource{T}"/> (a source other than a <see cref="Dataset{T}"/> takes no <see cref="TrainerOptions.ValidationSplit"/>).</param>
    /// <param name="validation">Optional samples evaluated after every epoch (in memory).</param>
    /// <param name="progress">Receives each epoch's result as it finishes.</param>
    /// <param name="cancellationToken">Checked before every batch; cancellation throws <see cref="OperationCanceledException"/> between batches.</param>
    /// <exception cref="ArgumentException">A dataset does not fit the network or loss, or holds NaN or ∞; both a validation set and a
    /// <see cref="TrainerOptions.ValidationSplit"/> were given; or early stopping monitors a validation metric without a validation set. Nothing has been trained.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm stopped being finite; names the epoch and batch.</exception>
    /// <exception cref="Exception">Whatever the training source or an augmentation throws while a batch is assembled
    /// (e.g. <see cref="InvalidDataException"/> from a damaged <see cref="SampleFile{T}"/>), the same exception on either thread.</exception>
    /// <exception cref="NotSupportedException"><see cref="TrainerOptions.CheckpointPath"/> is set but a layer cannot be saved; nothing has been trained.</exception>
    /// <exception cref="IOException"><see cref="TrainerOptions.CheckpointPath"/> is in a missing or unwritable folder, or is a folder; the message
    /// names the path and nothing has been trained.</exception>
    public TrainingHistory Fit(
        IDataSource<T> training,
        Dataset<T>? validation = null,
        IProgress<EpochResult>? progress = null,
        CancellationToken cancellationToken = default) => Run(training, validation, progress, cancellationToken, resumeFrom: null);

    /// <summary>The network's mean loss (and accuracy, for classification) on a dataset, using stateless inference.</summary>
    /// <param name="data">The samples to evaluate.</param>
    /// <exception cref="ArgumentException">The dataset does not fit the network or loss, or holds NaN or ∞.</exception>
    public Evaluation Evaluate(Dataset<T> data)
    {
        DatasetChecks.Check(Network, Loss, data, nameof(data));
        return new Evaluator<T>(Network, Loss).Evaluate(data);
    }

    /// <summary>Checks everything, then runs the epochs (from a checkpoint, if given).</summary>
    private TrainingHistory Run(
        IDataSource<T> training,
        Dataset<T>? validation,
        IProgress<EpochResult>? progress,
        CancellationToken cancellationToken,
        Checkpoint<T>? resumeFrom)
    {
        (training, validation) = RunData.Prepare(Network, Loss, Options, training, validation);
        if (Options.CheckpointPath is string checkpointPath)
        {
            CheckpointWriter<T>.CheckTarget(Network, checkpointPath);
        }

        BatchAugmentation? augmentation = BatchAugmentation.Create(Options, Network, training);
        var run = new TrainingRun<T>(this, training, validation, augmentation, progress);
        if (resumeFrom is not null)
        {
            run.ResumeFrom(resumeFrom);
        }

        return run.Execute(cancellationToken);
    }
}
