using System.Numerics;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// One call of <see cref="Trainer{T}.Fit"/> or <see cref="Trainer{T}.Resume"/>: the epochs over the shuffled batches,
/// with the <see cref="TrainingStep{T}"/> in the middle and the trainer's aids and the user's callbacks around it,
/// all on <see cref="ITrainingCallback{T}"/>. The data must already have passed <see cref="RunData"/>.
/// </summary>
internal sealed class TrainingRun<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Trainer<T> trainer;
    private readonly int count;
    private readonly int batchSize;
    private readonly IDataSource<T> training;
    private readonly BatchAssembler<T> assembler;
    private readonly TrainingStep<T> step;
    private readonly TrainingContext<T> context;
    private readonly LearningRateScheduler<T>? scheduler;
    private readonly EarlyStoppingTracker<T>? earlyStopping;
    private readonly CallbackPipeline<T> callbacks;
    private long firstEpoch = 1;

    public TrainingRun(Trainer<T> trainer, IDataSource<T> training, Dataset<T>? validation, BatchAugmentation? augmentation, IProgress<EpochResult>? progress)
    {
        TrainerOptions options = trainer.Options;
        this.trainer = trainer;
        this.training = training;
        count = training.Count;
        batchSize = Math.Min(options.BatchSize, count);
        assembler = new BatchAssembler<T>(new ShuffleOrder(count, options.Seed, options.Shuffle), count, batchSize, augmentation);
        step = new TrainingStep<T>(trainer.Network, trainer.Loss, trainer.Optimizer, options.GradientClipNorm);
        context = new TrainingContext<T>(trainer.Network, trainer.Optimizer, new TrainingHistory(), options.Epochs, (count + batchSize - 1) / batchSize);
        scheduler = options.Schedule is { } schedule
            ? new LearningRateScheduler<T>(schedule, options.ScheduleInterval, trainer.InitialLearningRate)
            : null;
        earlyStopping = options.EarlyStopping is { } rule ? new EarlyStoppingTracker<T>(rule, ModelStateSlots.Of(trainer.Network)) : null;
        callbacks = Assemble(training.ClassCount > 0, validation, progress);
    }

    /// <summary>
    /// Continues from <paramref name="checkpoint"/>: checks all of its trainer state against this run, then restores the
    /// network, optimizer, learning rate, schedule step and early-stopping progress.
    /// </summary>
    public void ResumeFrom(Checkpoint<T> checkpoint)
    {
        ResumePoint<T> point = ResumePoint<T>.Read(checkpoint, new RunSettings<T>(trainer.Options, count, batchSize, earlyStopping, TrainerState.OptimizerKind(trainer.Optimizer)));
        if (point.EarlyStopping?.BestWeights is T[][] best && ModelStateSlots.FindViolation(trainer.Network, best) is string violation)
        {
            throw new ModelFormatException($"Trainer.Resume: the checkpoint's early-stopping {violation}; no run writes that, so the checkpoint is damaged.");
        }

        checkpoint.RestoreInto(trainer.Network, trainer.Optimizer);
        trainer.Optimizer.LearningRate = point.LearningRate;
        scheduler?.BatchStep = point.ScheduleStep;
        if (point.EarlyStopping is not null)
        {
            earlyStopping!.Restore(point.EarlyStopping);
        }

        firstEpoch = point.Ended ? trainer.Options.Epochs + 1L : point.Epoch + 1L;
        context.History.WeightsEpoch = point.Epoch;
    }

    /// <summary>Runs the remaining epochs and returns their history.</summary>
    public TrainingHistory Execute(CancellationToken cancellationToken)
    {
        using (IBatchFeed<T> feed = CreateFeed(cancellationToken))
        {
            for (long epoch = firstEpoch; epoch <= trainer.Options.Epochs && !context.StopRequested; epoch++)
            {
                RunEpoch(feed, (int)epoch, cancellationToken);
            }
        }

        context.History.StopReason = context.StopReason;
        callbacks.OnTrainingEnd(context);
        return context.History;
    }

    /// <summary>
    /// The batches of the remaining epochs, assembled on a background thread (<see cref="TrainerOptions.AssembleBatchesInBackground"/>)
    /// or on this one; either way the same batches with the same augmentation.
    /// </summary>
    private IBatchFeed<T> CreateFeed(CancellationToken cancellationToken)
    {
        int epochs = trainer.Options.Epochs;
        if (!AssemblesInBackground() || firstEpoch > epochs)
        {
            return new SynchronousBatchFeed<T>(assembler, new BatchBuffers<T>(training, batchSize));
        }

        return new BackgroundBatchFeed<T>(
            assembler, new BatchBuffers<T>(training, batchSize), new BatchBuffers<T>(training, batchSize), (int)firstEpoch, epochs, context.BatchesPerEpoch, cancellationToken);
    }

    /// <summary><see cref="TrainerOptions.AssembleBatchesInBackground"/>, with its automatic default resolved for this run.</summary>
    private bool AssemblesInBackground() => AssemblesInBackground(trainer.Options, training, ComputeInfo.MaxThreads);

    /// <summary>
    /// Whether a run with <paramref name="options"/> on <paramref name="training"/>, allowed <paramref name="maxThreads"/>
    /// threads, assembles its batches in the background.
    /// </summary>
    internal static bool AssemblesInBackground(TrainerOptions options, IDataSource<T> training, int maxThreads) =>
        options.AssembleBatchesInBackground
        ?? ((training is not Dataset<T> || options.Augmentation is { Count: > 0 }) && maxThreads > 1);

    private void RunEpoch(IBatchFeed<T> feed, int epoch, CancellationToken cancellationToken)
    {
        context.StartEpoch(epoch);
        callbacks.OnEpochStart(context);
        for (int first = 0, batch = 1; first < count; first += batchSize, batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = Math.Min(batchSize, count - first);
            context.StartBatch(size);
            callbacks.OnBatchStart(context);
            step.Run(feed.Next(epoch, batch), context, callbacks);
            callbacks.OnBatchEnd(context);
            if (context.StopRequested)
            {
                break;
            }
        }

        callbacks.OnEpochEnd(context);
    }

    /// <summary>
    /// The aids in call order: those that prepare what the user's callbacks see (divergence check before the update,
    /// schedule, metrics, validation, the history; the best weights before the end), then the user's callbacks, then
    /// those that act on the finished epoch (early stopping, then the checkpoint, which records whether training stops), and last
    /// the console log of <see cref="TrainerOptions.Verbose"/>, which sees the run's end as it is.
    /// </summary>
    private CallbackPipeline<T> Assemble(bool classification, Dataset<T>? validation, IProgress<EpochResult>? progress)
    {
        TrainerOptions options = trainer.Options;
        List<ITrainingCallback<T>> before = [new DivergenceDetector<T>()];
        List<ITrainingCallback<T>> after = [];
        if (scheduler is not null)
        {
            before.Add(scheduler);
        }

        before.Add(new EpochMetrics<T>(classification, trainer.Loss.Reduction));
        if (validation is not null)
        {
            before.Add(new ValidationEvaluator<T>(new Evaluator<T>(trainer.Network, trainer.Loss), validation));
        }

        before.Add(new HistoryRecorder<T>(progress));
        if (earlyStopping is not null)
        {
            before.Add(new BestWeightsRestorer<T>(earlyStopping));
            after.Add(new EarlyStoppingCallback<T>(earlyStopping));
        }

        if (options.CheckpointPath is string path)
        {
            var settings = new TrainerState(options.Seed, options.Shuffle, count, batchSize, 0, 0, false, false, TrainerState.OptimizerKind(trainer.Optimizer));
            after.Add(new CheckpointWriter<T>(path, settings, scheduler, earlyStopping));
        }

        if (options.Verbose)
        {
            after.Add(new ConsoleLogger<T>());
        }

        return new CallbackPipeline<T>([.. before], trainer.Callbacks, [.. after]);
    }
}
