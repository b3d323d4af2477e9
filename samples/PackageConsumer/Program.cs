// Trains a tiny network with the packaged library, including a layer of this app's own (FixedScale.cs), saves it,
// loads it back and checks the predictions agree; then checks the custom layer's backward with GradientCheck.
// The last line printed is checked by eng/pack-and-consume.sh.
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

// XOR: not linearly separable, so the hidden layer has to learn something.
Matrix<float> features = Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
int[] labels = [0, 1, 1, 0];
var data = Dataset<float>.ForClassification(features, labels, classCount: 2);

// Our own layer kind: registered once, it is saved and loaded like the library's layers.
LayerRegistry.Register(typeof(FixedScale<>));

var random = new Random(7);
var network = new Network<float>(
    new Linear<float>(2, 8, random, Initializer.HeNormal),
    new Tanh<float>(),
    new FixedScale<float>(1.5),
    new Linear<float>(8, 2, random));
var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.3, momentum: 0.9),
    new TrainerOptions { Epochs = 300, BatchSize = 4, Seed = 1 });
TrainingHistory history = trainer.Fit(data);
Console.WriteLine(network);
Console.WriteLine($"final training loss {history.Last.TrainingLoss:G4}");

string path = Path.Combine(Path.GetTempPath(), $"package-consumer-{Environment.ProcessId}.nnet");
try
{
    network.Save(path);
    Network<float> loaded = Network<float>.Load(path);
    float[] before = network.Predict(features).ToColumnMajorArray();
    float[] after = loaded.Predict(features).ToColumnMajorArray();
    int[] classes = loaded.PredictClass(features);
    bool identical = before.SequenceEqual(after) && loaded.Layers[2] is FixedScale<float> { Factor: 1.5 };
    bool correct = classes.SequenceEqual(labels);
    GradientCheckReport check = GradientCheck.Layer(new FixedScale<double>(1.5), Matrix<double>.Build.Random(3, 2, 1));
    Console.WriteLine($"predicted classes after load: {string.Join(' ', classes)}");
    Console.WriteLine(check);
    Console.WriteLine($"PackageConsumer: saved+loaded predictions identical={identical}, xor correct={correct}, custom layer gradient check={check.Passed}");
    return identical && correct && check.Passed ? 0 : 1;
}
finally
{
    File.Delete(path);
}
