using System.Runtime.InteropServices;
using Micro.Core.Results;
using Micro.Core.Text;
using Micro.Devices.Collectives;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>
/// SIGINT and SIGTERM on a collectives rank. The rank that writes closes its sink (a point being written finishes
/// first, none follows), writes ceilings.json from results.jsonl when this run added a point, and then every rank ends
/// the job with MPI_Abort(130/143): peers blocked in a collective cannot be released any other way, and a rank that
/// exits on its own would leave the others waiting. mpirun forwarding a signal to every rank ends the same way.
/// Exiting through the runtime instead (Environment.Exit) would run MPI_Finalize at exit while this rank's main thread
/// is still inside a collective.
/// </summary>
public sealed class RankSignals : IDisposable
{
    private readonly object _gate = new();
    private readonly int _rank;
    private readonly Action? _writeCeilings;
    private readonly IDisposable _deferred;
    private readonly PosixSignalRegistration[] _registrations;
    private bool _closed, _ceilingsCurrent;
    private int _points;

    private readonly Action<int, string> _endJob;

    /// <param name="writeCeilings">Writes ceilings.json from results.jsonl; null on a rank that writes no file.</param>
    /// <param name="endJob">Ends the job with the code and the line (MPI_Abort; never returns there).</param>
    public RankSignals(int rank, Action? writeCeilings, Action<int, string>? endJob = null)
    {
        _rank = rank;
        _writeCeilings = writeCeilings;
        _endJob = endJob ?? MpiProcess.AbortJob;
        _deferred = SignalExit.Defer();
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler("SIGINT", ExitCodes.Interrupted)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler("SIGTERM", ExitCodes.Terminated)),
        ];
    }

    /// <summary>The sink every point of this rank goes through: nothing passes once a signal has closed it.</summary>
    public IResultSink Gate(IResultSink inner) => new GatedSink(this, inner);

    /// <summary>The run's own ceilings.json at its end; a signal after it writes nothing more.</summary>
    public void WriteCeilings()
    {
        lock (_gate)
        {
            _writeCeilings?.Invoke();
            _ceilingsCurrent = true;
        }
    }

    private Action<PosixSignalContext> Handler(string name, int code) => ctx =>
    {
        ctx.Cancel = true;
        string written;
        lock (_gate)
        {
            if (_closed) return; // a second signal: the first is already ending the job
            _closed = true;
            written = _writeCeilings is null ? "" : _points == 0 ? "; no point measured, nothing written"
                : $"; {_points} point(s) in results.jsonl" + (_ceilingsCurrent ? ", ceilings.json already written" : ", ceilings.json written from them");
            if (_writeCeilings is not null && _points > 0 && !_ceilingsCurrent)
            {
                try { _writeCeilings(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InputException or OutputException)
                {
                    written = $"; ceilings.json not written: {ConsoleText.OneLine(e.Message)}";
                }
            }
        }
        _endJob(code, $"micro: rank {_rank}: interrupted by {name}{written}; ending the job");
    };

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _deferred.Dispose();
    }

    private sealed class GatedSink(RankSignals owner, IResultSink inner) : IResultSink
    {
        public void Add(MeasurementRecord record)
        {
            lock (owner._gate)
            {
                if (owner._closed) return;
                inner.Add(record);
                owner._points++;
                owner._ceilingsCurrent = false;
            }
        }
    }
}
