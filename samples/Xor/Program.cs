using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Samples;

namespace XorSample;

/// <summary>XOR learned by a 2-4-1 network, one explicit step of the algorithm at a time.</summary>
public static class Program
{
    /// <summary>Trains for <c>--epochs N</c> steps (default 2000) and prints the four predictions; returns 0, or 1 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        int epochs = 2000;
        var commandLine = new CommandLine("Xor", "Learns XOR with a 2-4-1 network, the four steps of backpropagation written out.")
            .Option("--epochs", "N", $"training steps on the four samples (default {epochs})", v => epochs = CommandLine.Positive("--epochs", v));
        if (commandLine.Parse(args) is int exit)
        {
            return exit;
        }

        // The four samples, one per column: inputs (2 × 4) and targets (1 × 4).
        Matrix<double> inputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
        Matrix<double> targets = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 1, 0 } });

        // A network is a chain of vector functions: linear, activation, linear, activation.
        var random = new Random(1);
        var network = new Network<double>(
            new Linear<double>(2, 4, random, Initializer.GlorotUniform),
            new Tanh<double>(),
            new Linear<double>(4, 1, random, Initializer.GlorotUniform),
            new Sigmoid<double>());
        var loss = new MeanSquaredErrorLoss<double>();
        var optimizer = new Sgd<double>(learningRate: 0.5, momentum: 0.9); // Δθ ← α·Δθ − η·∇L, θ ← θ + Δθ
        Matrix<double> gradient = Matrix<double>.Build.Dense(1, 4);

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            Matrix<double> output = network.Forward(inputs);        // 1. forward: each function feeds the next
            double value = loss.Compute(output, targets, gradient); // 2. loss, and ∂L/∂output
            network.Backward(gradient);                             // 3. backward: chain rule, last layer first
            optimizer.Step(network.Parameters);                     // 4. momentum update of every weight and bias
            if (epoch == 1 || epoch % 500 == 0 || epoch == epochs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch,5}: loss {value:F6}"));
            }
        }

        Matrix<double> predictions = network.Predict(inputs);
        for (int j = 0; j < 4; j++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{inputs[0, j]} xor {inputs[1, j]} = {predictions[0, j]:F4} (target {targets[0, j]})"));
        }

        return 0;
    }
}
