using System.Reflection;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Architecture;

/// <summary>
/// EdgeLm.Core's namespaces form layers; code may use its own layer and those below, never one above. The order
/// is written here and in docs/architecture.md (a test keeps the two the same).
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Bottom first.</summary>
    public static readonly string[] Layers =
    {
        "EdgeLm.Core",            // foundation: errors, percentiles, the cache folder
        "EdgeLm",                 // records: what the front ends write (InferenceResult, BenchmarkSummary, ...)
        "EdgeLm.Native",          // native library file names, shared as source with the loader
        "EdgeLm.Core.Native",     // llama.cpp's C API: P/Invoke, structs, handles, the runtime
        "EdgeLm.Core.Models",     // GGUF files: read, write, synthesize, quantize
        "EdgeLm.Core.Devices",    // the board: /proc, /sys, board tools
        "EdgeLm.Core.Energy",     // power sources and the energy sampler
        "EdgeLm.Core.Settings",   // RunSettings: everything that defines a run, and its rules
        "EdgeLm.Core.Engine",     // llama.cpp wrappers: model, context, sampler, chat templates
        "EdgeLm.Core.Perplexity", // perplexity over a text as llama-perplexity computes it, its settings and text
        "EdgeLm.Core.Worker",     // what runs in the worker process, and its protocol
        "EdgeLm.Core.Host",       // the host side: settings, worker client, runs into records, device profiles
        "EdgeLm.Core.Quality",    // answer quality: prompt suites and their checks
        "EdgeLm.Core.Benchmarks", // plans, sweeps, result files, summaries, comparisons, budgets
        "EdgeLm.Core.Report", // the HTML report: SVG charts and sections from results
    };

    [Fact]
    public void CoreNamespacesUseOnlyTheirOwnLayerAndThoseBelow()
    {
        string core = typeof(EdgeLm.Core.EdgeLmException).Assembly.Location;
        IReadOnlyDictionary<(string From, string To), string> edges = NamespaceReferences.Read(core);
        string[] violations = Violations(edges).ToArray();
        Assert.True(violations.Length == 0, "references upward:\n" + string.Join("\n", violations));
        Assert.DoesNotContain(edges.Keys.SelectMany(e => new[] { e.From, e.To }), n => Array.IndexOf(Layers, n) < 0);
    }

    [Fact]
    public void AReferenceUpwardIsReported()
    {
        var edges = new Dictionary<(string, string), string>
        {
            [("EdgeLm.Core.Host", "EdgeLm.Core.Devices")] = "InferenceHost",
            [("EdgeLm.Core.Devices", "EdgeLm.Core.Benchmarks")] = "DeviceProbe",
        };

        string violation = Assert.Single(Violations(edges));
        Assert.Equal("EdgeLm.Core.Devices -> EdgeLm.Core.Benchmarks (in DeviceProbe): Devices is below Benchmarks", violation);
    }

    [Fact]
    public void FrontEndsReferenceCoreButNotEachOther()
    {
        AssemblyName[] cmdlets = typeof(EdgeLm.Cmdlets.WorkerPump).Assembly.GetReferencedAssemblies();
        AssemblyName[] cli = typeof(EdgeLm.Cli.RecordPrinter).Assembly.GetReferencedAssemblies();
        Assert.Contains(cmdlets, a => a.Name == "EdgeLm.Core");
        Assert.Contains(cli, a => a.Name == "EdgeLm.Core");
        Assert.DoesNotContain(cmdlets, a => a.Name == "edgelm");
        Assert.DoesNotContain(cli, a => a.Name == "EdgeLm.Cmdlets");
        Assert.DoesNotContain(typeof(EdgeLm.Core.EdgeLmException).Assembly.GetReferencedAssemblies(), a => a.Name is "edgelm" or "EdgeLm.Cmdlets" or "EdgeLm.Loader");
    }

    [Fact]
    public void ArchitectureDocumentListsTheSameOrder()
    {
        string doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));
        int[] positions = Layers.Select(l => doc.IndexOf("`" + l + "`", StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0, "docs/architecture.md does not name every layer in backticks"));
        Assert.Equal(positions.Order(), positions);
    }

    private static IEnumerable<string> Violations(IReadOnlyDictionary<(string From, string To), string> edges) =>
        edges
            .Where(e => Array.IndexOf(Layers, e.Key.From) < Array.IndexOf(Layers, e.Key.To))
            .OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => $"{e.Key.From} -> {e.Key.To} (in {e.Value}): {Short(e.Key.From)} is below {Short(e.Key.To)}");

    private static string Short(string layer) => layer[(layer.LastIndexOf('.') + 1)..];
}
