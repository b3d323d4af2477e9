using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// One run's callbacks in call order: the trainer's aids that prepare what the user's callbacks see, the user's
/// <see cref="Trainer{T}.Callbacks"/> (read live, in list order), then the aids that act on what the user's callbacks did.
/// Every hook walks the three lists in that order, without allocating.
/// </summary>
internal sealed class CallbackPipeline<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ITrainingCallback<T>[] before;
    private readonly IList<ITrainingCallback<T>> user;
    private readonly ITrainingCallback<T>[] after;

    public CallbackPipeline(ITrainingCallback<T>[] before, IList<ITrainingCallback<T>> user, ITrainingCallback<T>[] after)
    {
        this.before = before;
        this.user = user;
        this.after = after;
    }

    public void OnEpochStart(TrainingContext<T> context) => Invoke(context, static (c, x) => c.OnEpochStart(x));

    public void OnBatchStart(TrainingContext<T> context) => Invoke(context, static (c, x) => c.OnBatchStart(x));

    public void OnBeforeOptimizerStep(TrainingContext<T> context) => Invoke(context, static (c, x) => c.OnBeforeOptimizerStep(x));

    public void OnBatchEnd(TrainingContext<T> context) => Invoke(context, static (c, x) => c.OnBatchEnd(x));

    public void OnEpochEnd(TrainingContext<T> context) => Invoke(context, static (c, x) => c.OnEpochEnd(x));

    public void OnTrainingEnd(TrainingContext<T> context) => Invoke(context, static (c, x) => c.OnTrainingEnd(x));

    private void Invoke(TrainingContext<T> context, Action<ITrainingCallback<T>, TrainingContext<T>> hook)
    {
        foreach (ITrainingCallback<T> callback in before)
        {
            hook(callback, context);
        }

        for (int i = 0; i < user.Count; i++)
        {
            hook(user[i], context);
        }

        foreach (ITrainingCallback<T> callback in after)
        {
            hook(callback, context);
        }
    }
}
