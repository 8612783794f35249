namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>One request inside the simulation: its lengths, progress, KV held and the times the client sees.</summary>
internal sealed class SimSequence
{
    public int Id, Prompt, Output, Computed, Generated, AllocBlocks;
    public double Send, First, Last, Alloc;
    public long LastStep = -2;
    /// <summary>Tokens whose KV must exist before the next sample: the prompt plus every generated token.</summary>
    public int Tokens => Prompt + Generated;
}
