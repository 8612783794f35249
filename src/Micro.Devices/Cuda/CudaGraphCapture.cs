namespace Micro.Devices.Cuda;

/// <summary>Stream capture into a CUDA graph (cuStreamBeginCapture_v2 .. cuStreamEndCapture, cuGraphInstantiateWithFlags).</summary>
public static unsafe class CudaGraphCapture
{
    public static CudaGraphExec Capture(CudaContext ctx, CudaStream stream, Action record)
    {
        ctx.Bind();
        Cu.Check(CudaApi.cuStreamBeginCapture_v2(stream.Raw, CuConst.StreamCaptureModeThreadLocal), "cuStreamBeginCapture_v2");
        IntPtr graph;
        try
        {
            record();
        }
        finally
        {
            // Always end the capture, or the stream stays in capture mode.
            var end = CudaApi.cuStreamEndCapture(stream.Raw, &graph);
            Cu.Check(end, "cuStreamEndCapture");
        }
        IntPtr exec;
        var r = CudaApi.cuGraphInstantiateWithFlags(&exec, graph, 0);
        if (r != CuConst.Success)
        {
            CudaApi.cuGraphDestroy(graph);
            throw Cu.Error(r, "cuGraphInstantiateWithFlags");
        }
        return new CudaGraphExec(ctx.Raw, exec, graph);
    }
}
