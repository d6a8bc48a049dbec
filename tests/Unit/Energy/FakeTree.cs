using EdgeLm.Core.Energy;
using EdgeLm.Tests.Support;

namespace EdgeLm.Tests.Energy;

/// <summary>A writable copy of a fixture tree (or an empty one), for sensors that change while they are read.</summary>
public sealed class FakeTree : IDisposable
{
    private readonly TempFolder _folder = new();

    public FakeTree(string? fixture = null)
    {
        if (fixture is not null)
        {
            string source = Path.Combine(Repository.Root, "tests", "Fixtures", "energy", fixture);
            foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(Root, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }

    public string Root => _folder.Path;

    /// <summary>Writes a sysfs value the way the kernel presents one: whole, never half-written (write and rename).</summary>
    public void Write(string absolute, string text)
    {
        string path = Path.Combine(Root, absolute.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".new";
        File.WriteAllText(temporary, text + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// A window over a file that steps through <paramref name="values"/>: the first is read at the window's start, each
    /// next one written and read, the window ended on the last. The sampler's own reads come once a second, so in
    /// practice only these reads see the values. Returns the measurement and the source read.
    /// </summary>
    public (EnergyMeasurement Measurement, IEnergySource Source) Steps(string source, string file, params string[] values)
    {
        Write(file, values[0]);
        using EnergySession session = EnergySession.Open(new EnergyOptions { Root = Root, Source = source, Interval = TimeSpan.FromSeconds(1) });
        long from = session.Begin();
        foreach (string value in values.Skip(1))
        {
            Write(file, value);
            session.Begin();
        }

        return (session.End(from, null, null), session.Selection.Parts[0]);
    }

    public void Dispose() => _folder.Dispose();
}
