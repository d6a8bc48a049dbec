using System.CommandLine;
using EdgeLm.Core.Benchmarks;
using EdgeLm.Core.Report;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm report (Export-EdgeReport): one self-contained HTML page from results files.</summary>
internal static class ReportCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var input = Opt.Paths("--in", "Results files (.jsonl, or .csv as Export-Csv writes it); repeat the option for more (several devices are compared side by side).", required: true);
        var quality = Opt.Paths("--quality", "Quality records to show beside the runs: edgelm quality and edgelm prompts --summary output (JSON Lines); repeat for more.");
        var profile = Opt.Paths("--profile", "Device profiles for the header and the memory line: edgelm device --format json output; repeat for more devices.");
        var output = Opt.Text("--out", "The HTML file to write (an existing file is replaced only when it is an EdgeLm report).", "PATH").WithDefault("report.html");
        var title = Opt.Text("--title", "The report's title (default: EdgeLm report and the device names).", "TEXT");
        var board = Opt.Text("--board", "The board's catalog name, for its price, when the results' device name does not say which board ran.", "NAME");
        var boardPrice = Opt.Double("--board-price-usd", "What the board cost, USD, for the cost section (default: the catalog's list price).", min: 0, helpName: "USD");
        var cloudModel = Opt.Text("--cloud-model", "Cloud entries to compare against, comma-separated, * and ? wildcards (default: gpt-4o-mini, gemini-2.5-flash, claude-haiku-4-5).", "NAME,NAME");
        var command = new Command("report", "Write one self-contained HTML report (speed, latency, memory, energy, trade-offs, cost, quality) from results files.")
        {
            input, quality, profile, output, title, board, boardPrice, cloudModel,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            string[] sources = parse.GetValue(input)!;
            var qualityRecords = (parse.GetValue(quality) ?? Array.Empty<string>()).Select(ReportInputs.ReadQuality).ToArray();
            var request = new ReportRequest
            {
                Results = sources.SelectMany(ResultFiles.Import).ToArray(),
                Quality = qualityRecords.SelectMany(q => q.Quality).ToArray(),
                Prompts = qualityRecords.SelectMany(q => q.Prompts).ToArray(),
                Profiles = (parse.GetValue(profile) ?? Array.Empty<string>()).SelectMany(ReportInputs.ReadProfiles).ToArray(),
                Sources = sources,
                Title = parse.GetValue(title),
                Board = parse.GetValue(board),
                BoardPriceUsd = parse.GetValue(boardPrice),
                CloudModel = parse.GetValue(cloudModel)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            string written = HtmlReport.Write(request, parse.GetValue(output)!);
            context.Note($"wrote {written}");
            return 0;
        });
        return command;
    }
}
