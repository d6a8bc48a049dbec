namespace EdgeLm.Core.Models;

/// <summary>Checks an output path before work starts, and names temporaries so a failure never leaves a half file at it.</summary>
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

    public static string TemporaryBeside(string output) =>
        Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
}
