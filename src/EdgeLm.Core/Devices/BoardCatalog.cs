using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeLm.Core.Devices;

/// <summary>One board of the catalog (boards.yaml): price and typical power for cost and energy estimates.</summary>
internal sealed class BoardEntry
{
    public string Name { get; set; } = string.Empty;
    public string? Board { get; set; }
    public string? Cpu { get; set; }
    public double? MemoryGb { get; set; }
    public double? PriceUsd { get; set; }
    public double? IdleWatts { get; set; }
    public double? TdpWatts { get; set; }
    public string? Gpu { get; set; }
    public bool GpuSharesMemory { get; set; }
    public string? Notes { get; set; }

    /// <summary>Theoretical DRAM bandwidth, GB/s (10^9 bytes per second); null where no public source was found.</summary>
    public double? BandwidthGBps { get; set; }

    /// <summary>Where <see cref="BandwidthGBps"/> comes from (a URL, and how it was derived).</summary>
    public string? BandwidthSource { get; set; }
}

/// <summary>
/// The embedded board catalog, with a user's own file consulted first ($EDGELM_BOARD_CATALOG, else
/// ~/.config/edgelm/boards.yaml). A user file that cannot be read or parsed is a warning naming the file and
/// line; the embedded catalog still answers.
/// </summary>
internal static class BoardCatalog
{
    public const string Variable = "EDGELM_BOARD_CATALOG";
    private static readonly Lazy<IReadOnlyList<BoardEntry>> Embedded = new(() =>
    {
        using Stream stream = typeof(BoardCatalog).Assembly.GetManifestResourceStream("EdgeLm.Core.Devices.boards.yaml")
            ?? throw new InvalidOperationException("boards.yaml is not embedded in EdgeLm.Core");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    });

    public static IReadOnlyList<BoardEntry> EmbeddedEntries => Embedded.Value;

    /// <summary>The best entry for a board, or null. Warnings about a user file go to <paramref name="root"/>.</summary>
    public static BoardEntry? Find(string? boardModel, string? cpuModel, long? memoryBytes, ProbeRoot root, string? userFile = null)
    {
        IEnumerable<BoardEntry> user = LoadUser(userFile ?? UserFile(), root);
        return Match(user, boardModel, cpuModel, memoryBytes) ?? Match(Embedded.Value, boardModel, cpuModel, memoryBytes);
    }

    /// <summary>Every board: the user's file first, then the embedded entries it does not rename.</summary>
    public static IReadOnlyList<BoardEntry> All(ProbeRoot root, string? userFile = null)
    {
        var user = LoadUser(userFile ?? UserFile(), root).ToList();
        var names = new HashSet<string>(user.Select(e => e.Name), StringComparer.OrdinalIgnoreCase);
        return user.Concat(Embedded.Value.Where(e => !names.Contains(e.Name))).ToArray();
    }

    public static BoardEntry? Match(IEnumerable<BoardEntry> entries, string? boardModel, string? cpuModel, long? memoryBytes)
    {
        var matches = entries.Where(e =>
            (e.Board is not null && boardModel is not null && Regex.IsMatch(boardModel, e.Board, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)) ||
            (e.Cpu is not null && cpuModel is not null && Regex.IsMatch(cpuModel, e.Cpu, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))).ToList();
        if (matches.Count <= 1 || memoryBytes is null)
        {
            return matches.FirstOrDefault();
        }

        // The kernel reports a little less than the installed memory: pick the nearest size, ties to the larger.
        double gib = memoryBytes.Value / (1024.0 * 1024 * 1024);
        return matches.OrderBy(e => e.MemoryGb is double m ? Math.Abs(m - gib) : double.MaxValue).ThenByDescending(e => e.MemoryGb).First();
    }

    internal static IReadOnlyList<BoardEntry> Parse(TextReader reader) =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<List<BoardEntry>>(reader) ?? new List<BoardEntry>();

    private static string? UserFile()
    {
        string? explicitFile = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(explicitFile))
        {
            return explicitFile;
        }

        string? config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string folder = !string.IsNullOrEmpty(config) ? config : Path.Combine(home, ".config");
        string file = Path.Combine(folder, "edgelm", "boards.yaml");
        return File.Exists(file) ? file : null;
    }

    private static IEnumerable<BoardEntry> LoadUser(string? file, ProbeRoot root)
    {
        if (file is null)
        {
            return Array.Empty<BoardEntry>();
        }

        try
        {
            string text = InputFiles.ReadText(file, InputFiles.MaxDocumentBytes, "board catalog");
            YamlLimits.Check(text, file, "board catalog");
            return Parse(new StringReader(text));
        }
        catch (YamlException e)
        {
            root.Warn($"{file}: board catalog line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}; fix the file or unset {Variable}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EdgeLmInvalidFileException)
        {
            root.Warn($"{file}: board catalog not readable: {e.Message}");
        }

        return Array.Empty<BoardEntry>();
    }
}
