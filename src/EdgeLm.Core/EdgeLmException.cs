namespace EdgeLm.Core;

/// <summary>
/// A failure the user can act on: the message names the file or value and the fix.
/// Front ends print <see cref="Exception.Message"/> as it is, never a stack trace by default.
/// </summary>
public class EdgeLmException : Exception
{
    public EdgeLmException(string errorId, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
    }

    /// <summary>Stable identifier for PowerShell's ErrorRecord and for scripts (e.g. "GgufTruncated").</summary>
    public string ErrorId { get; }

    /// <summary>What kind of failure this is, in the terms of PowerShell's ErrorCategory names.</summary>
    public virtual string Category => "InvalidOperation";
}

/// <summary>A file we were asked to read is missing, unreadable or malformed.</summary>
public sealed class EdgeLmInvalidFileException : EdgeLmException
{
    public EdgeLmInvalidFileException(string path, string errorId, string message, Exception? inner = null)
        : base(errorId, message, inner)
    {
        Path = path;
    }

    public string Path { get; }

    public override string Category => ErrorId == "FileNotFound" ? "ObjectNotFound" : "InvalidData";
}

/// <summary>A parameter value is out of range or inconsistent with another.</summary>
public sealed class EdgeLmArgumentException : EdgeLmException
{
    public EdgeLmArgumentException(string errorId, string message)
        : base(errorId, message)
    {
    }

    public override string Category => "InvalidArgument";
}

/// <summary>llama.cpp's libraries are missing, of the wrong version or failed to load.</summary>
public sealed class EdgeLmNativeLibraryException : EdgeLmException
{
    public EdgeLmNativeLibraryException(string errorId, string message, Exception? inner = null)
        : base(errorId, message, inner)
    {
    }

    public override string Category => "ResourceUnavailable";
}
