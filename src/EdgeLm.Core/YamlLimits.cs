using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EdgeLm.Core;

/// <summary>
/// Bounds a YAML document before anything builds objects from it: YamlDotNet's object builders recurse once per
/// nesting level (a plan nested 30,000 deep overflows the stack, which no catch survives) and follow aliases. The
/// event parser used here is iterative, so checking with it is safe for any input.
/// </summary>
internal static class YamlLimits
{
    /// <summary>Nesting far deeper than any plan, budget or board catalog (they are two or three levels deep).</summary>
    public const int MaxDepth = 64;

    /// <summary>Aliases (*name) per document: our files need none; a handful is tolerated.</summary>
    public const int MaxAliases = 100;

    /// <summary>Throws <see cref="EdgeLmInvalidFileException"/> naming the line when a limit is passed; YAML errors are left to the caller.</summary>
    public static void Check(string text, string file, string what)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0, aliases = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        throw Limit(file, parser.Current!.Start, $"nests deeper than {MaxDepth} levels; a {what} is a few levels deep");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                case AnchorAlias:
                    if (++aliases > MaxAliases)
                    {
                        throw Limit(file, parser.Current!.Start, $"uses more than {MaxAliases} aliases; a {what} needs none");
                    }

                    break;
            }
        }
    }

    private static EdgeLmInvalidFileException Limit(string file, Mark at, string problem) =>
        new(file, "YamlTooComplex", $"{file}: line {at.Line}, column {at.Column}: the YAML {problem}");
}
