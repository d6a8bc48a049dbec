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

    public void Dispose() => _folder.Dispose();
}
