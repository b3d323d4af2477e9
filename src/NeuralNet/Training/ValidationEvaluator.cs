using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>Evaluates the validation set after every epoch and adds its loss and accuracy to the epoch's result.</summary>
internal sealed class ValidationEvaluator<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Evaluator<T> evaluator;
    private readonly Dataset<T> validation;

    /// <param name="evaluator">Evaluates the trained network.</param>
    /// <param name="validation">The validation set, already checked against the network and loss.</param>
    public ValidationEvaluator(Evaluator<T> evaluator, Dataset<T> validation)
    {
        this.evaluator = evaluator;
        this.validation = validation;
    }

    public void OnEpochEnd(TrainingContext<T> context)
    {
        Evaluation result = evaluator.Evaluate(validation);
        context.EpochResult = context.EpochResult! with { ValidationLoss = result.Loss, ValidationAccuracy = result.Accuracy };
    }
}
