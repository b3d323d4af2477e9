using NeuralNet.Data;
using NeuralNet.Training;
using static NeuralNet.Tests.Training.ImageProblems;

namespace NeuralNet.Tests.Training;

/// <summary><see cref="TrainerOptions.AssembleBatchesInBackground"/>: the same training as the synchronous path, failures and cancellation included.</summary>
public sealed class BackgroundBatchTests
{
    public static TheoryData<bool, bool> Networks() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Fit_BackgroundAssembly_GivesBitIdenticalWeightsAndHistoryToTheSynchronousPath(bool cnn, bool augmented)
    {
        Network<float> synchronous = cnn ? Cnn() : Mlp();
        Network<float> background = cnn ? Cnn() : Mlp();

        TrainingHistory expected = Trainer(synchronous, Options(background: false, augmented) with { Epochs = 4 }).Fit(Images());
        TrainingHistory actual = Trainer(background, Options(background: true, augmented) with { Epochs = 4 }).Fit(Images());

        Bits(background).Should().Equal(Bits(synchronous));
        actual.Select(e => e.TrainingLoss).Should().Equal(expected.Select(e => e.TrainingLoss));
        Bits(background).Should().NotEqual(Bits(cnn ? Cnn() : Mlp()), "training changed the weights");
    }

    [Fact]
    public void Fit_StopMidEpoch_EndsWithTheSameWeightsInBothPaths()
    {
        int[] Run(bool background)
        {
            Network<float> network = Mlp();
            Trainer<float> trainer = Trainer(network, Options(background) with { Epochs = 5 });
            trainer.Callbacks.Add(new BatchHook(context =>
            {
                if (context.Epoch == 2 && context.Batch == 3)
                {
                    context.Stop();
                }
            }));
            trainer.Fit(Images()).Should().HaveCount(2);
            return Bits(network);
        }

        Run(background: true).Should().Equal(Run(background: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_SourceThrowsOnTheFifthRead_SurfacesTheSameExceptionAfterFourBatches(bool background)
    {
        var source = new HookedSource(Images(), read =>
        {
            if (read == 5)
            {
                throw new InvalidDataException("disk unreadable at sample 33");
            }
        });
        int batchesTrained = 0;
        Trainer<float> trainer = Trainer(Mlp(), Options(background));
        trainer.Callbacks.Add(new BatchHook(_ => batchesTrained++));

        Action fit = () => trainer.Fit(source);

        fit.Should().Throw<InvalidDataException>().WithMessage("disk unreadable at sample 33");
        batchesTrained.Should().Be(4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_TransformThrows_SurfacesTheException(bool background)
    {
        Trainer<float> trainer = Trainer(Mlp(), Options(background) with { Augmentation = [new FailingTransform()] });

        Action fit = () => trainer.Fit(Images());

        fit.Should().Throw<NotSupportedException>().WithMessage("this transform always fails");
    }

    [Fact]
    public void Fit_CancelledFromTheBatchThread_ThrowsOperationCanceledAndEndsTheThread()
    {
        Thread trainingThread = Thread.CurrentThread;
        using var cancellation = new CancellationTokenSource();
        using var cancelled = new ManualResetEventSlim();
        Thread? batchThread = null;
        var source = new HookedSource(Images(), _ =>
        {
            if (Thread.CurrentThread != trainingThread && !cancelled.IsSet)
            {
                batchThread = Thread.CurrentThread;
                cancellation.Cancel();
                cancelled.Set();
            }
        });
        Trainer<float> trainer = Trainer(Mlp(), Options(background: true));
        trainer.Callbacks.Add(new BatchHook(_ => cancelled.Wait(TimeSpan.FromMinutes(2)))); // until the batch thread has read

        Action fit = () => trainer.Fit(source, cancellationToken: cancellation.Token);

        fit.Should().Throw<OperationCanceledException>();
        batchThread.Should().NotBeNull();
        batchThread!.IsAlive.Should().BeFalse("Fit joins its batch thread before it returns or throws");
    }

    [Fact]
    public void AssembleBatchesInBackgroundOff_ReadsEverySampleOnTheTrainingThread()
    {
        var readers = new HashSet<Thread>();
        var source = new HookedSource(Images(), _ => readers.Add(Thread.CurrentThread));

        Trainer(Mlp(), Options(background: false)).Fit(source);

        readers.Should().Equal(Thread.CurrentThread);
    }

    [Fact]
    public void AssembleBatchesInBackgroundOn_ReadsTheNextBatchOnAnotherThreadWhileABatchTrains()
    {
        // The first batch's end-of-batch callback waits until a read happens on another thread: the batch thread must
        // assemble batch 2 while batch 1 is still in training (a generous limit turns a hang into a failure).
        Thread trainingThread = Thread.CurrentThread;
        using var readElsewhere = new ManualResetEventSlim();
        var source = new HookedSource(Images(), _ =>
        {
            if (Thread.CurrentThread != trainingThread)
            {
                readElsewhere.Set();
            }
        });
        bool seen = false;
        Trainer<float> trainer = Trainer(Mlp(), Options(background: true));
        trainer.Callbacks.Add(new BatchHook(context =>
        {
            if (context.Epoch == 1 && context.Batch == 1)
            {
                seen = readElsewhere.Wait(TimeSpan.FromMinutes(2));
            }
        }));

        trainer.Fit(source);

        seen.Should().BeTrue();
    }

    private sealed class FailingTransform : ISampleTransform
    {
        public void CheckShape(Shape sampleShape)
        {
        }

        public void Apply<T>(Span<T> sample, Shape sampleShape, ulong randomBits)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => throw new NotSupportedException("this transform always fails");
    }
}

/// <summary>Runs an action at every batch end.</summary>
internal sealed class BatchHook(Action<TrainingContext<float>> onBatchEnd) : ITrainingCallback<float>
{
    public void OnBatchEnd(TrainingContext<float> context) => onBatchEnd(context);
}
