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
    public void Fit_CancelledWhileTheBatchThreadReads_ThrowsOperationCanceledAndEndsTheThread()
    {
        using var cancellation = new CancellationTokenSource();
        Thread? reader = null;
        var source = new HookedSource(Images(), read =>
        {
            reader = Thread.CurrentThread;
            if (read == 3)
            {
                cancellation.Cancel();
            }
        });

        Action fit = () => Trainer(Mlp(), Options(background: true)).Fit(source, cancellationToken: cancellation.Token);

        fit.Should().Throw<OperationCanceledException>();
        reader.Should().NotBeNull().And.NotBeSameAs(Thread.CurrentThread);
        reader!.IsAlive.Should().BeFalse("Fit joins its batch thread before it returns or throws");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AssembleBatchesInBackground_DecidesWhichThreadReadsTheSamples(bool background)
    {
        var readers = new HashSet<Thread>();
        var source = new HookedSource(Images(), _ =>
        {
            lock (readers)
            {
                readers.Add(Thread.CurrentThread);
            }
        });

        Trainer(Mlp(), Options(background)).Fit(source);

        readers.Should().ContainSingle();
        (readers.Single() == Thread.CurrentThread).Should().Be(!background);
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
