using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Readme;

/// <summary>The README's quick start, compiled and run here so it cannot go stale (the README test compares the text).</summary>
internal static class QuickStart
{
    public static (Network<float> Network, TrainingHistory History, int[] Predicted) Run(TextWriter console)
    {
        // begin quick start
        // XOR: four samples, one per column (features × samples).
        var x = Matrix<float>.Build.DenseOfColumnArrays([0f, 0f], [0f, 1f], [1f, 0f], [1f, 1f]);
        var data = Dataset<float>.ForClassification(x, labels: [0, 1, 1, 0]);

        var random = new Random(42);                                 // every random draw comes from an injected seed
        var network = new Network<float>(
            new Linear<float>(2, 8, random, Initializer.HeNormal),   // y = W x + b
            new ReLU<float>(),
            new Linear<float>(8, 2, random));                        // logits: the loss applies the softmax

        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(),
            new Sgd<float>(learningRate: 0.1, momentum: 0.9),        // Δθ ← αΔθ − η∇L, θ ← θ + Δθ
            new TrainerOptions { Epochs = 200, BatchSize = 4, Seed = 1 });
        TrainingHistory history = trainer.Fit(data);

        console.WriteLine(network);                                  // layers, output shapes, parameter counts
        console.WriteLine(history.Last);                             // epoch 200: loss …, accuracy 1.0000
        int[] predicted = network.PredictClass(x);                   // [0, 1, 1, 0]
        // end quick start
        return (network, history, predicted);
    }
}
