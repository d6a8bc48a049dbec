namespace EdgeLm.Core;

/// <summary>
/// Checks an output path before work starts, and writes through temporaries so a failure never leaves a half file at
/// it: only regular files are ever replaced (a FIFO would block the writer forever, a device would be destroyed).
/// </summary>
internal static class OutputFiles
{
    public static string Prepare(string path, bool force)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new EdgeLmArgumentException("OutputPathMissing", "no output path was given; name the .gguf file to write");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new EdgeLmArgumentException("OutputIsDirectory", $"{full} is a folder; give a file name inside it, such as {Path.Combine(full, "model.gguf")}");
        }

        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new EdgeLmArgumentException("OutputFolderMissing", $"the folder {folder} does not exist; create it first");
        }

        FileKind kind = InputFiles.KindOf(full);
        if (kind is not (FileKind.Regular or FileKind.Missing))
        {
            throw new EdgeLmArgumentException("OutputNotARegularFile", $"{full} is {InputFiles.Describe(kind)}; a model is written only to a regular file, and -Force / --force replaces only regular files");
        }

        if (kind == FileKind.Regular && !force)
        {
            throw new EdgeLmArgumentException("OutputExists", $"{full} already exists; use -Force / --force to overwrite it");
        }

        return full;
    }

    /// <summary>
    /// Writes <paramref name="path"/> whole: into a temporary beside it, then renamed over it, so a reader never sees
    /// half a file and a failure leaves what was there. Like Export-Csv it replaces an existing regular file; anything
    /// else there (a FIFO, a device, a folder) is refused, naming <paramref name="what"/>.
    /// </summary>
    public static void WriteText(string path, string what, Action<TextWriter> write)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new EdgeLmArgumentException("OutputPathMissing", $"no path was given for {what}; name the file to write");
        }

        string full = Path.GetFullPath(path);
        FileKind kind = InputFiles.KindOf(full);
        if (kind is not (FileKind.Regular or FileKind.Missing))
        {
            throw new EdgeLmArgumentException("OutputNotARegularFile",
                $"{full} is {InputFiles.Describe(kind)}; {what} is written only to a regular file (leave the path out to write to the standard output)");
        }

        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new EdgeLmArgumentException("OutputFolderMissing", $"the folder {folder} does not exist; create it first");
        }

        string temporary = TemporaryBeside(full);
        try
        {
            using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(false)))
            {
                write(writer);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static string TemporaryBeside(string output) =>
        Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
}
