using System.Security.Cryptography;
using System.Text;

namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// What a board keeps of a fleet plan: the plan's text, saved in the board's EdgeLm cache under a name taken from a
/// hash of that text, with its own results file beside it. The same plan sent again finds the same file, so a board
/// that dropped off resumes from what it saved; an edited plan is another file and starts afresh.
/// </summary>
public static class FleetPlanCopy
{
    /// <summary>The folder under the board's EdgeLm cache ($EDGELM_CACHE_DIR, else ~/.cache/edgelm) that holds the copies.</summary>
    public const string Folder = "fleet";

    /// <summary>The file name without extension: `plan-` and the first 16 hex digits of the text's SHA-256.</summary>
    public static string Stem(string planText)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(planText.ReplaceLineEndings("\n")));
        return "plan-" + Convert.ToHexString(hash, 0, 8).ToLowerInvariant();
    }
}
