namespace NeuralNet.Losses;

/// <summary>How a loss reduces its per-sample (or per-element) values to the scalar it returns, as PyTorch's <c>reduction</c>.</summary>
public enum Reduction
{
    /// <summary>
    /// The mean (PyTorch's <c>'mean'</c>, the default): over the batch for cross-entropy (over the summed class weights
    /// of the labels when it has class weights), over batch × outputs for the element-wise losses (squared error, L1,
    /// Huber, smooth L1, binary cross-entropy).
    /// </summary>
    Mean,

    /// <summary>The sum over the batch (and over the outputs, for the element-wise losses): PyTorch's <c>'sum'</c>.</summary>
    Sum,

    /// <summary>
    /// No reduction (PyTorch's <c>'none'</c>): there is no scalar, so <c>Compute</c> throws and the trainer refuses the
    /// loss; read the per-sample losses with <c>ComputePerSample</c> (which every reduction offers).
    /// </summary>
    None,
}
