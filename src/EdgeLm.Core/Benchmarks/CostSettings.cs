namespace EdgeLm.Core.Benchmarks;

/// <summary>
/// Everything Measure-EdgeCost and edgelm cost are told: the device's cost inputs (each default documented in
/// docs/records.md and shown on every record), the workload, the cloud price file and which cloud entries to compare.
/// Both front ends build it from their parameters; <see cref="Validate"/> holds the rules, once.
/// </summary>
public sealed class CostSettings
{
    /// <summary>Three years: a common straight-line depreciation period for small computers, and about how long a board stays current.</summary>
    public const double DefaultLifetimeYears = 3;

    /// <summary>The board works all day: the lowest cost per token the device can reach; the workload figures use the real busy time.</summary>
    public const double DefaultDutyCycle = 1.0;

    /// <summary>A round assumption of a household tariff in USD; set your own.</summary>
    public const double DefaultElectricityUsdPerKwh = 0.15;

    /// <summary>A catalog board by name (boards.yaml's name), when DeviceName does not say which board ran.</summary>
    public string? Board { get; init; }

    /// <summary>What the board cost, USD; overrides the catalog's list price.</summary>
    public double? BoardPriceUsd { get; init; }

    public double LifetimeYears { get; init; } = DefaultLifetimeYears;
    public double DutyCycle { get; init; } = DefaultDutyCycle;
    public double ElectricityUsdPerKwh { get; init; } = DefaultElectricityUsdPerKwh;

    /// <summary>The board's power while it works, watts; overrides the measured figure (for runs without energy).</summary>
    public double? PowerWatts { get; init; }

    /// <summary>Requests per day of the workload; without it the monthly figures are null.</summary>
    public double? RequestsPerDay { get; init; }

    /// <summary>Prompt and generated tokens per request; default each configuration's PromptTokens and RequestedTokens.</summary>
    public int? PromptTokensPerRequest { get; init; }
    public int? OutputTokensPerRequest { get; init; }

    /// <summary>A cloud price file whose entries override (same provider and model) or extend the embedded table.</summary>
    public string? CloudPricePath { get; init; }

    /// <summary>Wildcards on the cloud entries' model or provider; null = every entry.</summary>
    public IReadOnlyList<string>? CloudModel { get; init; }

    /// <summary>Refuses values no cost can be computed from, naming the setting (as both front ends spell it), the value and the fix.</summary>
    public void Validate()
    {
        Require(BoardPriceUsd is null || (double.IsFinite(BoardPriceUsd.Value) && BoardPriceUsd >= 0), "InvalidBoardPrice",
            $"BoardPriceUsd (--board-price-usd) is {BoardPriceUsd}; give what the board cost in USD, 0 or more (0: already paid for)");
        Require(double.IsFinite(LifetimeYears) && LifetimeYears > 0 && LifetimeYears <= 100, "InvalidLifetime",
            $"LifetimeYears (--lifetime-years) is {LifetimeYears}; give the years the board serves, above 0 (default {DefaultLifetimeYears})");
        Require(double.IsFinite(DutyCycle) && DutyCycle > 0 && DutyCycle <= 1, "InvalidDutyCycle",
            $"DutyCycle (--duty-cycle) is {DutyCycle}; give the share of the day the board works, above 0 and at most 1 (default {DefaultDutyCycle})");
        Require(double.IsFinite(ElectricityUsdPerKwh) && ElectricityUsdPerKwh >= 0, "InvalidElectricityPrice",
            $"ElectricityUsdPerKwh (--electricity-usd-per-kwh) is {ElectricityUsdPerKwh}; give the tariff in USD per kWh, 0 or more (default {DefaultElectricityUsdPerKwh})");
        Require(PowerWatts is null || (double.IsFinite(PowerWatts.Value) && PowerWatts > 0 && PowerWatts <= 10_000), "InvalidPower",
            $"PowerWatts (--power-watts) is {PowerWatts}; give the board's power while it works, above 0 and at most 10000 W");
        Require(RequestsPerDay is null || (double.IsFinite(RequestsPerDay.Value) && RequestsPerDay >= 0), "InvalidRequestsPerDay",
            $"RequestsPerDay (--requests-per-day) is {RequestsPerDay}; give 0 or more requests per day");
        Require(PromptTokensPerRequest is null or >= 0, "InvalidPromptTokensPerRequest",
            $"PromptTokensPerRequest (--prompt-tokens-per-request) is {PromptTokensPerRequest}; give 0 or more");
        Require(OutputTokensPerRequest is null or >= 0, "InvalidOutputTokensPerRequest",
            $"OutputTokensPerRequest (--output-tokens-per-request) is {OutputTokensPerRequest}; give 0 or more");
        Require(PromptTokensPerRequest is not 0 || OutputTokensPerRequest is not 0, "EmptyRequest",
            "PromptTokensPerRequest and OutputTokensPerRequest are both 0; a request has some tokens");
    }

    private static void Require(bool condition, string errorId, string message)
    {
        if (!condition)
        {
            throw new EdgeLmArgumentException(errorId, message);
        }
    }
}
