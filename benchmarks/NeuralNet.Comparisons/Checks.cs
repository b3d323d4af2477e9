using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralNet.Comparisons;

/// <summary>
/// The <c>--check</c> mode: for both networks, batch 1 and 1000, 1 and 2 threads, ONNX Runtime (on NeuralNet's export)
/// and TorchSharp (with NeuralNet's weights copied) must give NeuralNet's outputs within
/// <see cref="OutputCheck.Tolerance"/>, and NeuralNet's single-sample span route must give its matrix route's.
/// </summary>
internal static class Checks
{
    public static bool Run()
    {
        bool ok = true;
        foreach (int threads in new[] { 1, 2 })
        {
            Threads.Use(threads);
            Console.WriteLine($"threads: {Threads.Describe()}");
            foreach ((string name, Func<Network<float>> build) in new (string, Func<Network<float>>)[] { ("CNN", () => Models.Cnn(1)), ("MLP", () => Models.Mlp(1)) })
            {
                foreach (int batch in new[] { 1, 1000 })
                {
                    try
                    {
                        Check(name, build(), batch, threads);
                    }
                    catch (InvalidOperationException e)
                    {
                        Console.Error.WriteLine(e.Message);
                        ok = false;
                    }
                }
            }
        }

        Console.WriteLine(ok ? "output checks: all passed" : "OUTPUT CHECKS FAILED");
        return ok;
    }

    private static void Check(string name, Network<float> network, int batch, int threads)
    {
        Models.PerturbBiases(network, seed: 5);
        Matrix<float> input = FashionData.Training(batch).Features;
        float[] inputValues = FashionData.Storage(input);
        float[] expected = FashionData.Storage(network.Predict(input));
        string what = $"{name}, batch {batch}, {threads} thread(s)";

        if (batch == 1)
        {
            var spanOutput = new float[expected.Length];
            network.Predict(inputValues, spanOutput);
            OutputCheck.Equal(expected, spanOutput, $"NeuralNet Predict(span) vs Predict(Matrix), {what}");
        }

        InferenceBenchmarks.OrtParts ort = InferenceBenchmarks.CreateOrt(network, inputValues, batch, threads, out string path);
        try
        {
            ort.Session.RunWithBinding(ort.RunOptions, ort.Binding);
            OutputCheck.Equal(expected, ort.OutputValues, $"ONNX Runtime, {what}");
        }
        finally
        {
            ort.Binding.Dispose();
            ort.Input.Dispose();
            ort.Output.Dispose();
            ort.RunOptions.Dispose();
            ort.Session.Dispose();
            File.Delete(path);
        }

        (nn.Module<Tensor, Tensor> model, Tensor x) = InferenceBenchmarks.CreateTorch(network, inputValues, batch);
        using (x)
        using (torch.inference_mode())
        using (Tensor y = model.forward(x))
        {
            OutputCheck.Equal(expected, y.data<float>().ToArray(), $"TorchSharp, {what}");
        }
    }
}
