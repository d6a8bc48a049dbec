using System.Security.Cryptography;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Arm64;

/// <summary>
/// The linux-arm64 release as a board gets it: out/release/edgelm-VERSION-linux-arm64.tar.gz (built by
/// ./build.sh release linux-arm64, which ./build.sh test runs), checked against SHA256SUMS, unpacked into a
/// temporary folder, and a tiny synthetic model made there by the release itself under qemu-aarch64.
/// </summary>
public sealed class Arm64ReleaseFixture : IDisposable
{
    // Far beyond an honest run under emulation (seconds each here; 80 s for infer on a machine busy building), so only
    // a hang trips it.
    public static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(10);
    public const string Rid = "linux-arm64";
    private const string Build = "run ./build.sh release linux-arm64 to build it";

    private readonly TempFolder _temp = new();

    public Arm64ReleaseFixture()
    {
        string release = Path.Combine(Repository.Root, "out", "release");
        string version = Version();
        Name = $"edgelm-{version}-{Rid}";
        Archive = Path.Combine(release, Name + ".tar.gz");
        Sums = Path.Combine(release, "SHA256SUMS");
        if (!File.Exists(Archive) || !File.Exists(Sums))
        {
            throw new InvalidOperationException($"{Archive} or {Sums} is missing; {Build}");
        }

        var (exit, _, err) = ProcessRunner.Run("tar", new[] { "-xzf", Archive, "-C", _temp.Path });
        if (exit != 0)
        {
            throw new InvalidOperationException($"tar could not unpack {Archive}: {err}; {Build}");
        }

        Folder = Path.Combine(_temp.Path, Name);
        Program = Path.Combine(Folder, "edgelm");
        Model = _temp.File("tiny.gguf");
        Synth = Edgelm("model", "synth", "--shape", "tiny", "--out", Model);
    }

    /// <summary>The release's archive and the checksum file beside it.</summary>
    public string Archive { get; }

    public string Sums { get; }

    /// <summary>The archive's one top folder, edgelm-VERSION-linux-arm64, and where it was unpacked.</summary>
    public string Name { get; }

    public string Folder { get; }

    /// <summary>The self-contained arm64 executable.</summary>
    public string Program { get; }

    /// <summary>The tiny model `edgelm model synth` made under emulation, and how that went.</summary>
    public string Model { get; }

    public WatchedRun Synth { get; }

    /// <summary>The release's edgelm under qemu-aarch64, with the worker started under it too.</summary>
    public WatchedRun Edgelm(params string[] args) => EdgelmOn(null, args);

    /// <summary>The same on the qemu CPU model <paramref name="cpu"/> (null: qemu's default).</summary>
    public WatchedRun EdgelmOn(string? cpu, params string[] args) =>
        WatchedProcess.Run(Arm64Emulator.Qemu, args.Prepend(Program), HangLimit, Arm64Emulator.ReleaseEnvironment(cpu));

    /// <summary>The archive's SHA-256 as sha256sum writes it.</summary>
    public string ArchiveSha256()
    {
        using FileStream stream = File.OpenRead(Archive);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => _temp.Dispose();

    // Directory.Build.props's <Version>, which build.sh names the archives with.
    private static string Version()
    {
        string props = File.ReadAllText(Path.Combine(Repository.Root, "Directory.Build.props"));
        int start = props.IndexOf("<Version>", StringComparison.Ordinal) + "<Version>".Length;
        return props[start..props.IndexOf("</Version>", start, StringComparison.Ordinal)];
    }
}
