using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeLm.Core.Devices;

/// <summary>
/// A Jetson's L4T release (/etc/nv_tegra_release: "# R36 (release), REVISION: 4.3, ..."), the JetPack it
/// belongs to, and the nvpmodel power mode: the id from /var/lib/nvpmodel/status ("pmode:0002") named by
/// /etc/nvpmodel.conf ("&lt; POWER_MODEL ID=2 NAME=MAXN_SUPER &gt;"), or `nvpmodel -q` where those are unreadable.
/// </summary>
internal sealed record JetsonInfo(string? L4TVersion, string? JetPackVersion, string? PowerMode, int? PowerModeId)
{
    // [0-9], not \d: \d also matches other scripts' digits, which int parsing refuses.
    private static readonly Regex Release = new(@"^#\s*R([0-9]+)\s*\(release\),\s*REVISION:\s*([0-9.]+)", RegexOptions.CultureInvariant);
    private static readonly Regex Status = new(@"pmode:0*([0-9]+)", RegexOptions.CultureInvariant);
    private static readonly Regex Model = new(@"<\s*POWER_MODEL\s+ID=([0-9]+)\s+NAME=([A-Za-z0-9_]+)\s*>", RegexOptions.CultureInvariant);
    private static readonly Regex Default = new(@"<\s*PM_CONFIG\s+DEFAULT=([0-9]+)\s*>", RegexOptions.CultureInvariant);
    private static readonly Regex Query = new(@"NV Power Mode:\s*(\S+)\s*\n\s*([0-9]+)", RegexOptions.CultureInvariant);

    /// <summary>Null when the root is not a Jetson (no nv_tegra_release).</summary>
    public static JetsonInfo? Read(ProbeRoot root, ExternalCommand commands)
    {
        string? release = root.Read("/etc/nv_tegra_release", expected: false);
        if (release is null)
        {
            return null;
        }

        string? l4t = null, jetPack = null;
        Match m = Release.Match(release);
        if (m.Success)
        {
            // A snapshot tree is not to be trusted: a release number past any int leaves the release unknown, with a note.
            if (TryNumber(m.Groups[1].Value, out int major))
            {
                l4t = $"{m.Groups[1].Value}.{m.Groups[2].Value}";
                jetPack = JetPackFor(major);
            }
            else
            {
                root.Warn($"/etc/nv_tegra_release: release R{Shorten(m.Groups[1].Value)} is too large to be an L4T release; L4T and JetPack versions unknown");
            }
        }

        (string? name, int? id) = PowerModeFromFiles(root);
        if (name is null)
        {
            Match q = Query.Match(commands.Run("nvpmodel", new[] { "-q" }, root) ?? string.Empty);
            if (q.Success && TryNumber(q.Groups[2].Value, out int queried))
            {
                (name, id) = (q.Groups[1].Value, queried);
            }
            else if (q.Success)
            {
                root.Warn($"nvpmodel -q: power mode id {Shorten(q.Groups[2].Value)} is too large to be a mode id; power mode unknown");
            }
            else
            {
                root.Warn("nvpmodel: power mode unknown (/var/lib/nvpmodel/status and nvpmodel -q gave none)");
            }
        }

        return new JetsonInfo(l4t, jetPack, name, id);
    }

    private static (string? Name, int? Id) PowerModeFromFiles(ProbeRoot root)
    {
        string? conf = root.Read("/etc/nvpmodel.conf", expected: false);
        if (conf is null)
        {
            return (null, null);
        }

        // nvpmodel writes the status file when a mode is set; until then the configured default applies.
        string? status = root.Read("/var/lib/nvpmodel/status", expected: false);
        Match s = Status.Match(status ?? string.Empty);
        Match d = Default.Match(conf);
        (Match chosen, string file) = s.Success ? (s, "/var/lib/nvpmodel/status") : (d, "/etc/nvpmodel.conf");
        if (!chosen.Success)
        {
            return (null, null);
        }

        if (!TryNumber(chosen.Groups[1].Value, out int id))
        {
            root.Warn($"{file}: power mode id {Shorten(chosen.Groups[1].Value)} is too large to be a mode id; power mode unknown");
            return (null, null);
        }

        // A mode whose ID is too large for an int cannot be the one chosen, so it is skipped, not an error.
        string? name = Model.Matches(conf)
            .Where(x => TryNumber(x.Groups[1].Value, out int modelId) && modelId == id)
            .Select(x => x.Groups[2].Value).FirstOrDefault();
        return (name, id);
    }

    private static bool TryNumber(string digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A number as written, cut short so a file of digits cannot flood the warning.</summary>
    private static string Shorten(string digits) => digits.Length <= 24 ? digits : digits[..24] + "…";

    /// <summary>
    /// The JetPack major release of an L4T major (R32 is JetPack 4, R35 JetPack 5, R36 JetPack 6, R38 JetPack 7);
    /// minor JetPack releases do not map one-to-one onto L4T revisions, so L4TVersion carries the detail.
    /// </summary>
    internal static string? JetPackFor(int major) => major switch
    {
        32 => "4",
        35 => "5",
        36 => "6",
        38 => "7",
        _ => null,
    };
}
