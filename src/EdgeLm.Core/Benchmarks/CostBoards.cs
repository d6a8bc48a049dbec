using System.Text.RegularExpressions;
using EdgeLm.Core.Devices;

namespace EdgeLm.Core.Benchmarks;

/// <summary>The board a configuration ran on, for its price and catalog watts: the price given, else the catalog entry named or matched.</summary>
internal sealed record CostBoard(string? Name, double PriceUsd, string PriceSource, double? TdpWatts);

/// <summary>
/// Finds a configuration's board in the embedded board catalog: by -Board (a catalog name), else by DeviceName (a
/// catalog name, or what an entry's board or cpu pattern matches). Results carry the device's name, not its board
/// model, so a host name like 'pi5' matches nothing: then the price must be given (-BoardPriceUsd), and the error says so.
/// </summary>
internal static class CostBoards
{
    public static CostBoard Resolve(string? deviceName, string? board, double? priceUsd, IReadOnlyList<BoardEntry>? catalog = null)
    {
        catalog ??= BoardCatalog.EmbeddedEntries;
        BoardEntry? entry = board is not null ? Named(board, catalog, priceUsd) : Matched(deviceName, catalog, priceUsd);
        if (priceUsd is double given)
        {
            return new CostBoard(entry?.Name, given, "given", entry?.TdpWatts);
        }

        if (entry?.PriceUsd is double listed && double.IsFinite(listed) && listed >= 0)
        {
            return new CostBoard(entry.Name, listed, "catalog", entry.TdpWatts);
        }

        throw new EdgeLmArgumentException("BoardPriceUnknown",
            $"the board catalog has no price for '{entry?.Name}'; give what the board cost with -BoardPriceUsd (--board-price-usd)");
    }

    private static BoardEntry? Named(string board, IReadOnlyList<BoardEntry> catalog, double? priceUsd)
    {
        BoardEntry? entry = catalog.FirstOrDefault(e => string.Equals(e.Name, board, StringComparison.OrdinalIgnoreCase));
        if (entry is null && priceUsd is null)
        {
            throw new EdgeLmArgumentException("UnknownBoard",
                $"Board (--board) '{board}' is not in the board catalog; use one of {Names(catalog)}, or give what the board cost with -BoardPriceUsd (--board-price-usd)");
        }

        return entry;
    }

    private static BoardEntry? Matched(string? deviceName, IReadOnlyList<BoardEntry> catalog, double? priceUsd)
    {
        if (string.IsNullOrWhiteSpace(deviceName))
        {
            return priceUsd is null
                ? throw new EdgeLmArgumentException("BoardPriceUnknown",
                    "the results name no device, so the board's price is unknown; give -BoardPriceUsd (--board-price-usd), or -Board (--board) with a catalog name")
                : null;
        }

        BoardEntry[] matches = catalog.Where(e => string.Equals(e.Name, deviceName, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length == 0)
        {
            matches = catalog.Where(e => Like(e.Board, deviceName) || Like(e.Cpu, deviceName)).ToArray();
        }

        if (matches.Length == 1 || (matches.Length > 1 && matches.Select(m => m.PriceUsd).Distinct().Count() == 1))
        {
            return matches[0];
        }

        if (priceUsd is not null)
        {
            // The price is given; catalog watts only from an entry that is certain.
            return null;
        }

        throw matches.Length == 0
            ? new EdgeLmArgumentException("BoardPriceUnknown",
                $"DeviceName '{deviceName}' matches no board of the catalog, so its price is unknown; give what the board cost with -BoardPriceUsd (--board-price-usd), or name its catalog entry with -Board (--board): {Names(catalog)}")
            : new EdgeLmArgumentException("BoardAmbiguous",
                $"DeviceName '{deviceName}' matches {matches.Length} boards of the catalog ({string.Join("; ", matches.Select(m => $"{m.Name} ${m.PriceUsd}"))}); name one with -Board (--board), or give the price with -BoardPriceUsd (--board-price-usd)");
    }

    private static bool Like(string? pattern, string value)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return false;
        }

        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string Names(IReadOnlyList<BoardEntry> catalog) => string.Join(", ", catalog.Select(e => $"'{e.Name}'"));
}
