using EdgeLm.Core.Devices;
using EdgeLm.Core.Energy;
using EdgeLm.Core.Engine;
using EdgeLm.Core.Models;
using EdgeLm.Core.Native;

namespace EdgeLm.Core.Host;

/// <summary>A value to offer when completing a parameter, and what it is.</summary>
public sealed record CompletionName(string Name, string Description);

/// <summary>
/// What a parameter's value can be, for tab completion in both front ends (the cmdlets' argument completers and
/// edgelm's completions), so the two offer the same names. Never throws: no names is the honest answer.
/// </summary>
public static class CompletionNames
{
    private static readonly TimeSpan DiscoveryLimit = TimeSpan.FromSeconds(3);

    /// <summary>The meter kinds MeterSource reads, completed as KIND=.</summary>
    public static readonly IReadOnlyList<CompletionName> MeterKinds = new[]
    {
        new CompletionName("shelly-gen1=", "Shelly Gen1 plug: shelly-gen1=http://ADDRESS"),
        new CompletionName("shelly-gen2=", "Shelly Gen2 plug: shelly-gen2=http://ADDRESS"),
        new CompletionName("tasmota=", "Tasmota plug: tasmota=http://ADDRESS"),
        new CompletionName("command=", "a command that prints watts: command=/path/to/command"),
    };

    public static IReadOnlyList<CompletionName> Shapes() => SyntheticShapes.Names.Select(n => new CompletionName(n, $"synthetic shape {n}")).ToArray();

    /// <summary>The board catalog's names (-Board, --board), the user's file included.</summary>
    public static IReadOnlyList<CompletionName> Boards() =>
        Devices.BoardCatalog.All(new Devices.ProbeRoot()).Select(b => new CompletionName(b.Name, $"board {b.Name}")).ToArray();

    public static IReadOnlyList<CompletionName> Quantizations() =>
        ModelQuantizer.SupportedQuantizations.Select(q => new CompletionName(q, $"quantization {q}")).ToArray();

    /// <summary>
    /// "model" (the model's own template) and llama.cpp's built-in names. Listing those loads llama.cpp's library into
    /// this process (no model); where it cannot load, "model" alone is offered.
    /// </summary>
    public static IReadOnlyList<CompletionName> ChatTemplates(string? nativeDirectory = null)
    {
        var names = new List<string> { Engine.ChatTemplates.ModelTemplate };
        try
        {
            LlamaRuntime.Initialize(nativeDirectory);
            names.AddRange(Engine.ChatTemplates.BuiltIn());
        }
        catch (EdgeLmException)
        {
        }

        return names.Select(n => new CompletionName(n, $"chat template {n}")).ToArray();
    }

    /// <summary>InferenceResult property names: the default grouping keys first, then the rest by name.</summary>
    public static IReadOnlyList<CompletionName> ResultProperties() =>
        ResultFields.DefaultKeys.Select(k => new CompletionName(k, $"InferenceResult property {k} (a default grouping key)"))
            .Concat(RecordText.Properties(typeof(InferenceResult)).Select(p => p.Name).Where(n => !ResultFields.DefaultKeys.Contains(n))
                .Order(StringComparer.OrdinalIgnoreCase).Select(n => new CompletionName(n, $"InferenceResult property {n}")))
            .ToArray();

    /// <summary>
    /// The power sources found under <paramref name="root"/> (an external <paramref name="meter"/> by name, never read
    /// while completing), readable ones first. Discovery that takes longer than a few seconds (a hung nvidia-smi)
    /// gives no names rather than a frozen console.
    /// </summary>
    public static IReadOnlyList<CompletionName> PowerSources(string root, string? meter)
    {
        var found = new List<PowerSourceInfo>();
        meter ??= Environment.GetEnvironmentVariable(MeterSource.Variable);
        if (!string.IsNullOrWhiteSpace(meter))
        {
            try
            {
                using MeterSource source = MeterSource.Parse(meter);
                found.Add(new PowerSourceInfo { Name = source.Name, Kind = source.Kind, Scope = source.Scope, Readable = true });
            }
            catch (EdgeLmException)
            {
                // A malformed meter is reported when the command runs; nothing to offer for it here.
            }
        }

        Task<IReadOnlyList<PowerSourceInfo>> discovery = Task.Run(() =>
        {
            using PowerSourceSet sources = PowerSourceDiscovery.Discover(new ProbeRoot(root), new ExternalCommand(), meter: null);
            return sources.All;
        });
        try
        {
            if (!discovery.Wait(DiscoveryLimit))
            {
                return Array.Empty<CompletionName>();
            }
        }
        catch (AggregateException)
        {
            return Array.Empty<CompletionName>();
        }

        found.AddRange(discovery.Result);
        return found.OrderBy(s => s.Readable ? 0 : 1).Select(s => new CompletionName(s.Name,
            $"{s.Name}: {s.Kind}, {s.Scope}" + (s.Readable ? string.Empty : $", not readable: {s.Reason}"))).ToArray();
    }

    /// <summary>
    /// For a value that joins names with <paramref name="separator"/> ('+' for power sources, ',' for a list): the
    /// part of <paramref name="word"/> already complete (up to and including the last separator) and the part being typed.
    /// </summary>
    public static (string Done, string Typed) SplitJoined(string? word, char separator)
    {
        string text = word ?? string.Empty;
        int last = text.LastIndexOf(separator);
        return last < 0 ? (string.Empty, text) : (text[..(last + 1)], text[(last + 1)..]);
    }
}
