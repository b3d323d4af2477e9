// Trains a tiny network with the packaged library, saves it, loads it back and checks the predictions agree.
// The last line printed is checked by eng/pack-and-consume.sh.
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

// XOR: not linearly separable, so the hidden layer has to learn something.
Matrix<float> features = Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
int[] labels = [0, 1, 1, 0];
var data = Dataset<float>.ForClassification(features, labels, classCount: 2);

var random = new Random(7);
var network = new Network<float>(
    new Linear<float>(2, 8, random, Initializer.HeNormal),
    new Tanh<float>(),
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
    bool identical = before.SequenceEqual(after);
    bool correct = classes.SequenceEqual(labels);
    Console.WriteLine($"predicted classes after load: {string.Join(' ', classes)}");
    Console.WriteLine($"PackageConsumer: saved+loaded predictions identical={identical}, xor correct={correct}");
    return identical && correct ? 0 : 1;
}
finally
{
    File.Delete(path);
}
