using EdgeLm.Core.Settings;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Worker;
namespace EdgeLm.Core.Host;

/// <summary>One request with a host of its own: for callers that run a single request and are done.</summary>
public static class InferenceRunner
{
    /// <summary>Validates now; runs as the results are enumerated; stops the worker when enumeration ends.</summary>
    public static IEnumerable<InferenceResult> Run(RunSettings request, CancellationToken cancellationToken = default,
        InferenceHostOptions? options = null, IProgress<InferenceProgress>? progress = null)
    {
        var host = new InferenceHost(options);
        try
        {
            return Owned(host, host.Run(request, progress, cancellationToken));
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static IEnumerable<InferenceResult> Owned(InferenceHost host, IEnumerable<InferenceResult> results)
    {
        using (host)
        {
            foreach (InferenceResult result in results)
            {
                yield return result;
            }
        }
    }
}
