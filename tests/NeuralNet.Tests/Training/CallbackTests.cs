using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class CallbackTests
{
    private static Trainer<double> Trainer(Network<double> network, int epochs = 4) =>
        new(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1, momentum: 0.9), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 8,
            Seed = 3,
        });

    [Fact]
    public void Callbacks_SeeEveryBatchAndEpochInOrderThroughOneReusedContext()
    {
        Trainer<double> trainer = Trainer(TinyProblems.SmallClassifier(2), epochs: 3);
        var batches = new List<(int Epoch, int Batch, int Size, double Loss, bool HasResult)>();
        var epochs = new List<EpochResult>();
        var contexts = new HashSet<object>(ReferenceEqualityComparer.Instance);
        trainer.Callbacks.Add(new DelegateCallback(
            onBatch: c =>
            {
                batches.Add((c.Epoch, c.Batch, c.BatchSize, c.BatchLoss, c.EpochResult is not null));
                contexts.Add(c);
            },
            onEpoch: c =>
            {
                epochs.Add(c.EpochResult!);
                c.History.Last.Should().BeSameAs(c.EpochResult);
                contexts.Add(c);
            }));

        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1)); // 20 samples, batches of 8, 8, 4

        batches.Select(b => (b.Epoch, b.Batch, b.Size)).Should().Equal(
            (1, 1, 8), (1, 2, 8), (1, 3, 4), (2, 1, 8), (2, 2, 8), (2, 3, 4), (3, 1, 8), (3, 2, 8), (3, 3, 4));
        batches.Should().OnlyContain(b => !b.HasResult && double.IsFinite(b.Loss) && b.Loss > 0);
        epochs.Should().Equal(history);
        contexts.Should().HaveCount(1);

        // The epoch's training loss is the size-weighted mean of its batch losses.
        double epoch1 = ((batches[0].Loss * 8) + (batches[1].Loss * 8) + (batches[2].Loss * 4)) / 20;
        history[0].TrainingLoss.Should().BeApproximately(epoch1, 1e-15);
    }

    [Fact]
    public void Callback_AtABatchEnd_CanStopTraining()
    {
        Trainer<double> trainer = Trainer(TinyProblems.SmallClassifier(2), epochs: 10);
        int batchesSeen = 0;
        trainer.Callbacks.Add(new DelegateCallback(onBatch: c =>
        {
            batchesSeen++;
            if (c.Epoch == 2 && c.Batch == 2)
            {
                c.Stop();
            }
        }));

        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1));

        batchesSeen.Should().Be(5);
        history.Count.Should().Be(2);
        history.StopReason.Should().Be(TrainingStopReason.Callback);
        history.Last.TrainingAccuracy!.Value.Should().BeApproximately(Math.Round(history.Last.TrainingAccuracy.Value * 16) / 16, 1e-12, "the stopped epoch covers its 16 samples");
    }

    [Fact]
    public void Callback_AtAnEpochEnd_CanStopTraining()
    {
        Trainer<double> trainer = Trainer(TinyProblems.SmallClassifier(2), epochs: 10);
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c =>
        {
            if (c.Epoch == 3)
            {
                c.Stop();
            }
        }));

        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1));
        history.Count.Should().Be(3);
        history.StopReason.Should().Be(TrainingStopReason.Callback);
    }

    [Fact]
    public void Callback_CanSaveTheWeightsItSees()
    {
        Network<double> network = TinyProblems.SmallClassifier(2);
        Trainer<double> trainer = Trainer(network);
        double[]? saved = null;
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c => saved = TinyProblems.Weights(c.Network)));
        trainer.Fit(TinyProblems.Blobs(10, 1));
        saved.Should().Equal(TinyProblems.Weights(network));
    }

    [Fact]
    public void Callbacks_RunInListOrder()
    {
        Trainer<double> trainer = Trainer(TinyProblems.SmallClassifier(2), epochs: 1);
        var calls = new List<string>();
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: _ => calls.Add("first")));
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: _ => calls.Add("second")));
        trainer.Fit(TinyProblems.Blobs(10, 1));
        calls.Should().Equal("first", "second");
    }

    [Fact]
    public void Fit_InSteadyState_AllocatesNothingPerBatch()
    {
        // Dropout, Adam, clipping and a per-batch schedule on the path; the batch size divides the data, so every batch has one shape.
        // The parameterised layer is a test-local, allocation-free one, so the probe measures the trainer and its aids
        // rather than any particular layer.
        var network = new Network<double>(new FeatureScale(2), new Tanh<double>(), new Dropout<double>(0.3, 4), new FeatureScale(2));
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Adam<double>(0.01), new TrainerOptions
        {
            Epochs = 3,
            BatchSize = 10,
            Seed = 1,
            GradientClipNorm = 1.0,
            Schedule = new CosineAnnealingSchedule(30),
            ScheduleInterval = ScheduleInterval.Batch,
        });
        var allocated = new long[3, 5];
        trainer.Callbacks.Add(new AllocationProbe(allocated));
        trainer.Fit(TinyProblems.Blobs(25, 1)); // 50 samples: 5 batches per epoch

        // Between consecutive batch ends of the later epochs, nothing was allocated on this thread.
        for (int epoch = 1; epoch < 3; epoch++)
        {
            for (int batch = 1; batch < 5; batch++)
            {
                (allocated[epoch, batch] - allocated[epoch, batch - 1]).Should().Be(0, $"epoch {epoch + 1}, batch {batch + 1}");
            }
        }
    }

    /// <summary>y = a ⊙ x per feature (a learnable per-row scale): ∂L/∂a = Σⱼ gᵢⱼ xᵢⱼ, ∂L/∂x = a ⊙ g.</summary>
    private sealed class FeatureScale : ILayer<double>
    {
        private readonly Parameter<double> scale;
        private MathNet.Numerics.LinearAlgebra.Matrix<double>? input;
        private MathNet.Numerics.LinearAlgebra.Matrix<double>? output;
        private MathNet.Numerics.LinearAlgebra.Matrix<double>? inputGradient;

        public FeatureScale(int features)
        {
            scale = new Parameter<double>("scale", features, 1);
            scale.ValueSpan.Fill(1.5);
            Parameters = [scale];
            InputShape = Shape.Vector(features);
        }

        public string Name => "FeatureScale";

        public Shape? InputShape { get; }

        public IReadOnlyList<Parameter<double>> Parameters { get; }

        public Shape GetOutputShape(Shape inputShape) => inputShape;

        public LayerConfig GetConfig() => new("feature_scale");

        public MathNet.Numerics.LinearAlgebra.Matrix<double> Forward(MathNet.Numerics.LinearAlgebra.Matrix<double> x)
        {
            input = x;
            output ??= MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
            Predict(x, output);
            return output;
        }

        public MathNet.Numerics.LinearAlgebra.Matrix<double> Backward(MathNet.Numerics.LinearAlgebra.Matrix<double> g)
        {
            inputGradient ??= MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(g.RowCount, g.ColumnCount);
            for (int i = 0; i < g.RowCount; i++)
            {
                double sum = 0;
                for (int j = 0; j < g.ColumnCount; j++)
                {
                    sum += g[i, j] * input![i, j];
                    inputGradient[i, j] = scale.ValueSpan[i] * g[i, j];
                }

                scale.GradientSpan[i] = sum;
            }

            return inputGradient;
        }

        public void Predict(MathNet.Numerics.LinearAlgebra.Matrix<double> x, MathNet.Numerics.LinearAlgebra.Matrix<double> y)
        {
            for (int i = 0; i < x.RowCount; i++)
            {
                for (int j = 0; j < x.ColumnCount; j++)
                {
                    y[i, j] = scale.ValueSpan[i] * x[i, j];
                }
            }
        }
    }

    private sealed class AllocationProbe(long[,] allocated) : ITrainingCallback<double>
    {
        public void OnBatchEnd(TrainingContext<double> context) =>
            allocated[context.Epoch - 1, context.Batch - 1] = GC.GetAllocatedBytesForCurrentThread();
    }
}
