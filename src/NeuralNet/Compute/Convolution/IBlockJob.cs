namespace NeuralNet.Compute.Convolution;

/// <summary>Work cut into numbered blocks that may run on any thread in any order (each block writes only its own outputs).</summary>
internal interface IBlockJob
{
    /// <summary>Runs block <paramref name="block"/>; <paramref name="worker"/> (0 = the calling thread) selects the scratch to use.</summary>
    void RunBlock(int block, int worker);
}
