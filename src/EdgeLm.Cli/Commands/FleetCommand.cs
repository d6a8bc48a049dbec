using System.CommandLine;
using EdgeLm.Core;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cli.Commands;

/// <summary>edgelm fleet (Invoke-EdgeBenchmark -HostName's twin over plain ssh): one plan on every board, into one results file.</summary>
internal static class FleetCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var hosts = Opt.Text("--hosts", "The boards, comma-separated: host, host:port, [ipv6] or [ipv6]:port.", "HOST,HOST");
        hosts.Required = true;
        var plan = Opt.Text("--plan", "The YAML plan every board runs (its model paths are paths on the boards).", "PATH");
        plan.Required = true;
        var output = Opt.Text("--out", "The merged results file (JSON Lines): every board's runs, keyed by DeviceName and RunKey.", "PATH");
        output.Required = true;
        var resume = Opt.Flag("--resume", "Go on where each board stopped (its own results file there) and append to the merged file.");
        var user = Opt.Text("--user", "The user to log in as on every board (default: ssh's).", "NAME");
        var key = Opt.Text("--key", "The private key file for the boards (default: ssh's).", "PATH");
        var port = Opt.Int("--port", "The SSH port of boards given without one (default: ssh's).", min: 1, max: 65535);
        var sshOption = Opt.Text("--ssh-option", "ssh -o options for every board, comma-separated NAME=VALUE.", "NAME=VALUE");
        var remote = Opt.Text("--remote-edgelm", "The edgelm to run on the boards: a command on their PATH or a path there.", "PATH").WithDefault("edgelm");
        var command = new Command("fleet", "Run one benchmark plan on every board over ssh with the self-contained edgelm, streaming each run into one results file.")
        {
            hosts, plan, output, resume, user, key, port, sshOption, remote,
        };
        command.SetAction(parse =>
        {
            CommandContext context = CommandContext.Of(parse, globals);
            var request = new SshFleetRequest
            {
                Boards = Usage.Check(() => FleetBoards.Parse(parse.GetValue(hosts)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), parse.GetValue(port)), "fleet"),
                PlanPath = parse.GetValue(plan)!,
                OutputPath = parse.GetValue(output)!,
                Resume = parse.GetValue(resume),
                UserName = parse.GetValue(user),
                KeyFilePath = parse.GetValue(key) is string file ? Path.GetFullPath(file) : null,
                SshOptions = parse.GetValue(sshOption)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? Array.Empty<string>(),
                RemoteEdgelm = parse.GetValue(remote)!,
            };
            int failed = 0;
            object gate = new();
            SshFleet.Run(request,
                (board, line) => { lock (gate) context.Note($"{board.Name}: {line}"); },
                (_, line) => { lock (gate) context.Warning(line); },
                (board, e) => { lock (gate) { failed++; context.Warning(e.Message); } },
                context.Cancellation);
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
