using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeLm.Core.Benchmarks;

/// <summary>One hosted model's price (cloud-prices.yaml): USD per million prompt and generated tokens, with where and when it was read.</summary>
internal sealed class CloudPrice
{
    public string Provider { get; set; } = string.Empty;
    public string Model { get; set; } = string.Empty;
    public double? InputUsdPerMillionTokens { get; set; }
    public double? OutputUsdPerMillionTokens { get; set; }
    public string? Date { get; set; }
    public string? Source { get; set; }
}

/// <summary>
/// The cloud price table: the embedded one (prices with their sources and dates), and a user's file that overrides
/// entries of the same provider and model and adds others. Files come through InputFiles and YamlLimits like plans,
/// so a FIFO, a device, a huge or deeply nested file is refused at once; a price that is not a finite number of 0 or
/// more, or an entry without provider or model, is refused naming the file and the entry.
/// </summary>
internal static class CloudPrices
{
    private const string What = "cloud price file";

    private static readonly Lazy<IReadOnlyList<CloudPrice>> Embedded = new(() =>
    {
        using Stream stream = typeof(CloudPrices).Assembly.GetManifestResourceStream("EdgeLm.Core.Benchmarks.cloud-prices.yaml")
            ?? throw new InvalidOperationException("cloud-prices.yaml is not embedded in EdgeLm.Core");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "cloud-prices.yaml (embedded)");
    });

    public static IReadOnlyList<CloudPrice> EmbeddedEntries => Embedded.Value;

    /// <summary>The embedded table with <paramref name="userFile"/>'s entries over it (same provider and model replaced, in place; new ones added).</summary>
    public static IReadOnlyList<CloudPrice> Load(string? userFile)
    {
        var table = Embedded.Value.ToList();
        if (userFile is null)
        {
            return table;
        }

        foreach (CloudPrice price in Read(userFile))
        {
            int at = table.FindIndex(p => Same(p, price));
            if (at >= 0)
            {
                table[at] = price;
            }
            else
            {
                table.Add(price);
            }
        }

        return table;
    }

    /// <summary>A user's price file, checked: refused with <see cref="EdgeLmInvalidFileException"/> naming the file, the entry and the fix.</summary>
    public static IReadOnlyList<CloudPrice> Read(string path)
    {
        string full = Path.GetFullPath(path);
        string text;
        try
        {
            text = InputFiles.ReadText(full, InputFiles.MaxDocumentBytes, What, "CloudPricesNotFound");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeLmInvalidFileException(full, "CloudPricesUnreadable", $"{full}: {e.Message}");
        }

        YamlLimits.Check(text, full, What);
        IReadOnlyList<CloudPrice> prices = Parse(text, full);
        if (prices.Count == 0)
        {
            throw new EdgeLmInvalidFileException(full, "CloudPricesEmpty",
                $"{full}: no prices; write a list of entries like '- {{ provider: OpenAI, model: gpt-4o-mini, inputUsdPerMillionTokens: 0.15, outputUsdPerMillionTokens: 0.60, date: '2026-05', source: 'https://...' }}'");
        }

        return prices;
    }

    private static IReadOnlyList<CloudPrice> Parse(string text, string file)
    {
        List<CloudPrice> prices;
        try
        {
            prices = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
                .Deserialize<List<CloudPrice>?>(text) ?? new List<CloudPrice>();
        }
        catch (YamlException e)
        {
            throw new EdgeLmInvalidFileException(file, "CloudPricesInvalid", $"{PlanReader.At(file, e.Start)}: {e.InnerException?.Message ?? e.Message}");
        }

        for (int i = 0; i < prices.Count; i++)
        {
            CloudPrice price = prices[i] ?? throw Invalid(file, i, "is empty; give provider, model and both prices");
            if (string.IsNullOrWhiteSpace(price.Provider) || string.IsNullOrWhiteSpace(price.Model))
            {
                throw Invalid(file, i, "has no provider or no model; give both (e.g. provider: OpenAI, model: gpt-4o-mini)");
            }

            RequirePrice(file, i, price, "inputUsdPerMillionTokens", price.InputUsdPerMillionTokens);
            RequirePrice(file, i, price, "outputUsdPerMillionTokens", price.OutputUsdPerMillionTokens);
        }

        return prices;
    }

    private static void RequirePrice(string file, int index, CloudPrice price, string name, double? value)
    {
        if (value is not double v || !double.IsFinite(v) || v < 0)
        {
            string given = value is null ? "missing" : value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Invalid(file, index, $"({price.Provider} {price.Model}) has {name} {given}; give the price in USD per million tokens, a number of 0 or more");
        }
    }

    private static EdgeLmInvalidFileException Invalid(string file, int index, string problem) =>
        new(file, "CloudPriceInvalid", $"{file}: entry {index + 1} {problem}");

    private static bool Same(CloudPrice a, CloudPrice b) =>
        string.Equals(a.Provider, b.Provider, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Model, b.Model, StringComparison.OrdinalIgnoreCase);
}
