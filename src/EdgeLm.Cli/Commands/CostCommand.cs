using System.CommandLine;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm cost (Measure-EdgeCost): dollars per million tokens on the device against cloud prices.</summary>
internal static class CostCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var input = Opt.Paths("--in", "Results files (.jsonl, or .csv as Export-Csv writes it); repeat the option for more.", required: true);
        var cloudPrices = Opt.Text("--cloud-prices", "A cloud price YAML whose entries override (same provider and model) or extend the built-in table.", "PATH");
        var cloudModel = Opt.Text("--cloud-model", "Cloud entries to compare against, by model or provider, comma-separated; * and ? are wildcards (default: all).", "NAME,NAME");
        var board = Opt.Text("--board", "The board's catalog name (boards.yaml), when the results' device name does not say which board ran.", "NAME");
        var boardPrice = Opt.Double("--board-price-usd", "What the board cost, USD (default: the catalog's list price).", min: 0, helpName: "USD");
        var lifetime = Opt.Double("--lifetime-years", "Years the board serves; its price is spread over them.", helpName: "YEARS").WithDefault(CostSettings.DefaultLifetimeYears);
        var duty = Opt.Double("--duty-cycle", "Share of the day the board works, above 0 and at most 1.", helpName: "FRACTION").WithDefault(CostSettings.DefaultDutyCycle);
        var kwh = Opt.Double("--electricity-usd-per-kwh", "The electricity tariff, USD per kWh.", min: 0, helpName: "USD").WithDefault(CostSettings.DefaultElectricityUsdPerKwh);
        var watts = Opt.Double("--power-watts", "The board's power while it works (default: the runs' measured average power).", helpName: "WATTS");
        var requests = Opt.Double("--requests-per-day", "The workload's requests per day; gives the monthly cost and whether the device keeps up.", min: 0, helpName: "N");
        var promptTokens = Opt.Int("--prompt-tokens-per-request", "Prompt tokens per request (default: each configuration's prompt tokens).", min: 0);
        var outputTokens = Opt.Int("--output-tokens-per-request", "Generated tokens per request (default: each configuration's requested tokens).", min: 0);
        var command = new Command("cost", "Dollars per million tokens on the device (hardware amortization plus electricity) against cloud API prices, with the break-even volume.")
        {
            input, cloudPrices, cloudModel, board, boardPrice, lifetime, duty, kwh, watts, requests, promptTokens, outputTokens,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            var settings = new CostSettings
            {
                Board = parse.GetValue(board),
                BoardPriceUsd = parse.GetValue(boardPrice),
                LifetimeYears = parse.GetValue(lifetime)!.Value,
                DutyCycle = parse.GetValue(duty)!.Value,
                ElectricityUsdPerKwh = parse.GetValue(kwh)!.Value,
                PowerWatts = parse.GetValue(watts),
                RequestsPerDay = parse.GetValue(requests),
                PromptTokensPerRequest = parse.GetValue(promptTokens),
                OutputTokensPerRequest = parse.GetValue(outputTokens),
                CloudPricePath = parse.GetValue(cloudPrices),
                CloudModel = parse.GetValue(cloudModel)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            IReadOnlyList<InferenceResult> results = parse.GetValue(input)!.SelectMany(ResultFiles.Import).ToArray();
            RecordPrinter printer = context.Printer();
            foreach (CostEstimate estimate in Costs.Estimate(results, settings))
            {
                printer.Print(estimate);
            }

            return 0;
        });
        return command;
    }
}
