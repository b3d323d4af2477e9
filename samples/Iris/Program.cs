using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

// iris.csv: a header line, then 4 measurements in cm and the species name per line (samples/Iris/iris.csv).
var iris = CsvLoader.ReadClassification<float>("iris.csv", format: new CsvFormat { HasHeader = true });
var (train, test) = iris.Split(0.8, seed: 1, stratify: true);   // the class names (species) go along
var normalization = new Normalization<float>(4);
normalization.Adapt(train);                                       // the preprocessing is in the model, fitted on train
var random = new Random(1);
var network = new Network<float>(normalization,
    new Linear<float>(4, 16, random), new Relu<float>(), new Linear<float>(16, 3, random));
var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Adam<float>(0.01),
    new TrainerOptions { Epochs = 50, BatchSize = 16, Seed = 1, Verbose = true });   // a line per epoch, like Keras
trainer.Fit(train);
Console.WriteLine($"test accuracy: {trainer.Evaluate(test).Accuracy:F4}");
network.Save("iris.nnet");                                        // layers, weights, statistics and class names

var loaded = Network<float>.Load("iris.nnet");                    // as a new process would: raw features in
Console.WriteLine(loaded.PredictLabel([5.1f, 3.5f, 1.4f, 0.2f]));  // setosa
