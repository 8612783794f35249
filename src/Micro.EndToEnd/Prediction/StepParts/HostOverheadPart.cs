namespace Micro.EndToEnd.Prediction.StepParts;

/// <summary>
/// What a step costs besides the GPU's work on data: host CPU time per step and per running sequence
/// (step_overhead_ms, per_sequence_overhead_us: the same on every GPU) and one graph-replayed launch per kernel
/// (kernel_launch_us: the profile's measured replay, else its prior).
/// </summary>
internal sealed class HostOverheadPart(int layers)
{
    /// <summary>Kernels in one decode step per layer (norms, QKV, rope, attention, O, MLP/experts, residuals) plus the lm_head/sampler tail.</summary>
    public const int KernelsPerLayer = 12, KernelsPerStepTail = 6;

    public int KernelsPerStep => KernelsPerLayer * layers + KernelsPerStepTail;

    public double Cost(in StepLoad load, PhysicalParameters p) =>
        p.StepOverheadSeconds + p.PerSequenceSeconds * load.Sequences + p.KernelLaunchSeconds * KernelsPerStep;
}
