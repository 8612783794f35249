namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>Output tokens/s the clients receive, smoothed exponentially over a window (the front-end's backlog integrates it).</summary>
internal sealed class TokenStream
{
    private double _weighted, _at;

    /// <summary>A step of `seconds` ending now emitted `tokens`: its rate over the step joins the average.</summary>
    public void Emit(double now, int tokens, double seconds, double window)
    {
        if (tokens == 0 || window <= 0 || seconds <= 0) return;
        _weighted = _weighted * Math.Exp(-(now - _at) / window) + tokens / seconds * (1 - Math.Exp(-seconds / window));
        _at = now;
    }

    public double Rate(double now, double window) => _weighted * Math.Exp(-(now - _at) / window);
}
