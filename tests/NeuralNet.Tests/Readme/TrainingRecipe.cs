using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests.Readme;

/// <summary>The README's training-features example, compiled and run here (the README test compares the text).</summary>
internal static class TrainingRecipe
{
    public static (Network<float> Network, TrainingHistory History) Run(Dataset<float> train, TextWriter console)
    {
        // begin training recipe
        var random = new Random(7);
        var network = new Network<float>(
            new Linear<float>(20, 64, random, Initializer.HeNormal),
            new BatchNorm1d<float>(64),                    // running statistics are used by Predict
            new ReLU<float>(),
            new Dropout<float>(0.2, seed: 7),              // active in training only
            new Linear<float>(64, 3, random));

        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new AdamW<float>(0.01, weightDecay: 0.05),
            new TrainerOptions
            {
                Epochs = 30, BatchSize = 32, Seed = 1,
                Schedule = new LinearWarmupSchedule(2, new CosineAnnealingSchedule(28)),   // warm-up, then cosine
                ValidationSplit = 0.2,                     // a seeded random split, never the tail
                EarlyStopping = new EarlyStopping(patience: 5),  // on validation loss; restores the best weights
                GradientClipNorm = 5.0,                    // rescales all gradients to a global L2 norm ≤ 5
            });
        trainer.Callbacks.Add(new ConsoleLogger<float>(console));   // one line per epoch, like Keras's verbose=1
        TrainingHistory history = trainer.Fit(train);      // history.StopReason, history.BestEpoch
        // end training recipe
        return (network, history);
    }
}
