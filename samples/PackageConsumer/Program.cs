// Uses the three packages as an application would: loads a CSV with class names (NeuralNet.Data), trains a tiny
// network with the core package, including a layer of this app's own (FixedScale.cs), saves it, loads it back and
// checks the predictions and class names agree; checks the custom layer's backward with GradientCheck; exports a
// network to ONNX and imports it back (NeuralNet.Onnx). The last line printed is checked by eng/pack-and-consume.sh.
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Training;

string folder = Directory.CreateTempSubdirectory("package-consumer-").FullName;
try
{
    // XOR as a CSV file with a header and class names: not linearly separable, so the hidden layer has to learn something.
    string csv = Path.Combine(folder, "xor.csv");
    File.WriteAllText(csv, "a,b,parity\n0,0,even\n0,1,odd\n1,0,odd\n1,1,even\n");
    Dataset<float> data = CsvLoader.ReadClassification<float>(csv, format: new CsvFormat { HasHeader = true });
    Matrix<float> features = data.Features;
    int[] labels = [.. data.Labels!];
    bool names = data.ClassNames is ["even", "odd"] && labels.SequenceEqual([0, 1, 1, 0]);

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

    string path = Path.Combine(folder, "xor.nnet");
    network.Save(path);
    Network<float> loaded = Network<float>.Load(path);
    float[] before = network.Predict(features).ToColumnMajorArray();
    float[] after = loaded.Predict(features).ToColumnMajorArray();
    int[] classes = loaded.PredictClass(features);
    string[] predictedNames = loaded.PredictLabel(features);
    bool identical = before.SequenceEqual(after) && loaded.Layers[2] is FixedScale<float> { Factor: 1.5 };
    bool correct = classes.SequenceEqual(labels) && predictedNames.SequenceEqual(["even", "odd", "odd", "even"]);
    GradientCheckReport check = GradientCheck.Layer(new FixedScale<double>(1.5), Matrix<double>.Build.Random(3, 2, 1));
    Console.WriteLine($"predicted after load: {string.Join(' ', predictedNames)}");
    Console.WriteLine(check);

    // ONNX: a layer without an ONNX form is refused by name; a network of the library's layers goes there and back.
    bool refused;
    try
    {
        network.ExportOnnx(Path.Combine(folder, "custom.onnx"));
        refused = false;
    }
    catch (NotSupportedException e)
    {
        refused = e.Message.Contains("FixedScale", StringComparison.Ordinal);
    }

    var exportable = new Network<float>(new Linear<float>(2, 8, random), new Tanh<float>(), new Linear<float>(8, 2, random));
    string onnx = Path.Combine(folder, "xor.onnx");
    exportable.ExportOnnx(onnx);
    Network<float> imported = Network<float>.ImportOnnx(onnx);
    bool roundTrip = refused && imported.Predict(features).ToColumnMajorArray().SequenceEqual(exportable.Predict(features).ToColumnMajorArray());
    Console.WriteLine($"ONNX: export of the custom layer refused={refused}; imported {imported.Layers.Count} layers");

    Console.WriteLine($"PackageConsumer: csv class names={names}, saved+loaded predictions identical={identical}, xor correct={correct}, custom layer gradient check={check.Passed}, onnx round trip identical={roundTrip}");
    return names && identical && correct && check.Passed && roundTrip ? 0 : 1;
}
finally
{
    Directory.Delete(folder, recursive: true);
}
