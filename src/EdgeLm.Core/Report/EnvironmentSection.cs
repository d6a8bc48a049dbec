namespace EdgeLm.Core.Report;

/// <summary>The header: per device, what it is and how its runs were measured, from its profile (when given) and the runs themselves.</summary>
internal static class EnvironmentSection
{
    public static void Write(ReportContext context, HtmlDocument html)
    {
        html.Heading(2, "Environment", "environment");
        foreach (string device in context.Devices)
        {
            InferenceResult[] runs = context.Runs.Where(r => r.DeviceName == device).ToArray();
            DeviceProfile? profile = context.Request.Profiles.LastOrDefault(p => p.DeviceName == device);
            if (context.Devices.Count > 1)
            {
                html.Heading(3, device);
            }

            var items = new List<(string, string)> { ("Device", device) };
            if (profile is not null)
            {
                items.Add(("Board", profile.CatalogEntry ?? profile.BoardModel ?? "not recorded"));
                items.Add(("CPU", $"{profile.CpuModel} ({profile.PhysicalCores} cores, {profile.Architecture})"));
                items.Add(("Memory", ReportText.Bytes(profile.TotalMemoryBytes)));
                items.Add(("System", $"{profile.OperatingSystem}, kernel {profile.KernelVersion}"));
                if (profile.PowerMode is not null || profile.L4TVersion is not null)
                {
                    items.Add(("Power mode", $"{profile.PowerMode ?? "not recorded"}{(profile.L4TVersion is null ? string.Empty : $" (L4T {profile.L4TVersion}, JetPack {profile.JetPackVersion})")}"));
                }
            }
            else
            {
                items.Add(("Board", "no device profile given (edgelm report --profile, or pipe Get-DeviceProfile's record)"));
            }

            items.Add(("EdgeLm", ReportText.Joined(runs.Select(r => r.EdgeLmVersion))));
            items.Add(("llama.cpp", ReportText.Joined(runs.Select(r => r.LlamaVersion))));
            items.Add(("Backend (CPU variant)", ReportText.Joined(runs.Select(r => r.Backend))));
            items.Add(("Energy", runs.Any(r => r.EnergySource is not null)
                ? $"{ReportText.Joined(runs.Select(r => r.EnergySource))}; scope {ReportText.Joined(runs.Select(r => r.EnergyScope))}; method {ReportText.Joined(runs.Select(r => r.EnergyMethod))}; basis {ReportText.Joined(runs.Select(r => r.EnergyBasis))}"
                : "not measured"));
            int known = runs.Count(r => r.Contended is not null);
            items.Add(("Contention", known == 0 ? "not recorded" : $"{runs.Count(r => r.Contended == true)} of {known} runs shared the CPU with another load"));
            int throttled = runs.Count(r => r.Throttled == true);
            items.Add(("Throttling", runs.Any(r => r.Throttled is not null) ? $"{throttled} of {runs.Length} runs throttled" : "no sensor"));
            string[] stamps = runs.Select(r => r.Timestamp).Where(t => t.Length > 0).Order(StringComparer.Ordinal).ToArray();
            items.Add(("Runs", $"{runs.Length} measured, {stamps.FirstOrDefault()} to {stamps.LastOrDefault()} (UTC)"));
            if (runs.Any(r => r.SyntheticWeights == true))
            {
                string which = runs.All(r => r.SyntheticWeights == true) ? "all" : "some";
                items.Add(("Models", $"{which} are EdgeLm's synthetic models (random weights): their speed, memory and energy are real, their answers and perplexity are not"));
            }

            html.Definitions(items);
        }
    }
}
