namespace EdgeLm.Core.Energy;

/// <summary>
/// The sources a measurement reads: one, or several of disjoint scopes (RAPL package + DRAM + GPU, or an AGX
/// Orin's module rails) whose energies add. Source, scope and method name every part, '+'-joined.
/// </summary>
public sealed record EnergySelection(IReadOnlyList<IEnergySource> Parts, IReadOnlyList<string> Warnings)
{
    public string Source => string.Join("+", Parts.Select(p => p.Name));
    public string Scope => string.Join("+", Parts.Select(p => p.Scope).Distinct());
    public string Method => string.Join("+", Parts.Select(EnergyMethods.Of).Distinct());
    public bool IsEstimate => Parts.Any(p => p.Kind == "estimate");
}

/// <summary>
/// Every source found, and the choice among them. By default the widest trustworthy scope: an external meter, then
/// the module or platform input (Jetson VDD_IN / POM_5V_IN, an ACPI power meter), then summed rails (Pi 5 PMIC, or
/// a Jetson without an input rail such as AGX Orin), then RAPL psys, then RAPL package + DRAM (plus GPUs), then a
/// discharging battery, then the estimate. Overlapping scopes are never added: psys contains the packages, a
/// package contains its core and uncore.
/// </summary>
public sealed class PowerSourceSet : IDisposable
{
    private readonly List<(IEnergySource? Source, PowerSourceInfo Info)> _found;

    internal PowerSourceSet(IEnumerable<(IEnergySource? Source, PowerSourceInfo Info)> found)
    {
        _found = found.ToList();
    }

    public IReadOnlyList<PowerSourceInfo> All => _found.Select(f => f.Info).ToArray();

    private IEnumerable<IEnergySource> Usable => _found.Where(f => f.Source is not null).Select(f => f.Source!);

    /// <summary>The sources a measurement uses: <paramref name="requested"/> names ('+' or ',' joined) or the default choice.</summary>
    public EnergySelection Choose(string? requested = null)
    {
        EnergySelection selection = string.IsNullOrWhiteSpace(requested) ? ChooseDefault() : ChooseNamed(requested);
        foreach ((_, PowerSourceInfo info) in _found)
        {
            info.Default = selection.Parts.Any(p => p.Name == info.Name);
        }

        return selection;
    }

    public void Dispose()
    {
        foreach ((IEnergySource? source, _) in _found)
        {
            source?.Dispose();
        }
    }

    private EnergySelection ChooseNamed(string requested)
    {
        var parts = new List<IEnergySource>();
        foreach (string name in requested.Split(new[] { '+', ',' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            (IEnergySource? source, PowerSourceInfo? info) = _found.FirstOrDefault(f => string.Equals(f.Info.Name, name, StringComparison.OrdinalIgnoreCase));
            if (info is null)
            {
                throw new EdgeLmArgumentException("UnknownPowerSource",
                    $"no power source '{name}' here; found: {string.Join(", ", _found.Select(f => f.Info.Name))}");
            }

            if (source is null)
            {
                throw new EdgeLmException("PowerSourceUnreadable", $"power source '{info.Name}' cannot be read: {info.Reason}");
            }

            IEnergySource? overlapping = parts.FirstOrDefault(p => Overlap(p, source));
            if (overlapping is not null)
            {
                throw new EdgeLmArgumentException("OverlappingPowerSources",
                    $"'{overlapping.Name}' and '{source.Name}' measure overlapping scopes ({overlapping.Scope}, {source.Scope}); adding them would count energy twice");
            }

            parts.Add(source);
        }

        return new EnergySelection(parts, Array.Empty<string>());
    }

    private EnergySelection ChooseDefault()
    {
        // A meter is there because someone configured it (--meter, -Meter, $EDGELM_METER): when it cannot be read,
        // measuring something else instead would pass off another scope, or an estimate, as the wall figure asked for.
        if (_found.FirstOrDefault(f => f.Info.Kind == "meter" && !f.Info.Readable).Info is PowerSourceInfo meter)
        {
            throw new EdgeLmException("MeterUnreadable",
                $"the power meter {meter.Name} cannot be read: {meter.Reason}; check its address and that it is on, or drop -Meter (--meter) and unset {MeterSource.Variable}");
        }

        IEnergySource[] usable = Usable.ToArray();
        IEnergySource[] gpus = usable.Where(s => s.Scope == "gpu-board").ToArray();
        IEnergySource[] packages = usable.Where(s => s.Kind == "rapl" && s.Scope == "cpu-package").ToArray();
        IEnergySource[] drams = usable.Where(s => s.Kind == "rapl" && s.Scope == "dram").ToArray();
        IEnumerable<IEnergySource[]> candidates = new[]
        {
            usable.Where(s => s.Kind == "meter").Take(1).ToArray(),
            usable.Where(s => s.Scope == "module-input").Take(1).ToArray(),
            usable.Where(s => s.Kind == "hwmon" && s.Scope == "platform").Take(1).ToArray(),
            usable.Where(s => s.Kind == "pmic").Take(1).ToArray(),
            usable.Where(s => s.Scope == "module-rail").ToArray(),
            usable.Where(s => s.Kind == "rapl" && s.Scope == "platform").Take(1).ToArray(),
            packages.Length > 0 ? packages.Concat(drams).Concat(gpus).ToArray() : Array.Empty<IEnergySource>(),
            gpus,
            usable.Where(s => s.Kind == "battery").Take(1).ToArray(),
            usable.Where(s => s.Kind == "estimate").Take(1).ToArray(),
        };
        IEnergySource[] chosen = candidates.First(c => c.Length > 0);

        // Say what was passed over and why, so an estimate is never a silent substitute for a sensor.
        var warnings = _found.Where(f => !f.Info.Readable && f.Info.Kind != "estimate")
            .Select(f => $"{f.Info.Name} not used: {f.Info.Reason}").ToList();
        if (chosen.All(c => c.Scope == "gpu-board"))
        {
            warnings.Add("only the GPU board is measured: no readable CPU or system source");
        }

        if (chosen.Any(c => c.Kind == "estimate"))
        {
            warnings.Add($"no power sensor is readable here; {chosen[0].Name} is an estimate, not a measurement");
        }

        return new EnergySelection(chosen, warnings);
    }

    /// <summary>True when adding the two would count some energy twice.</summary>
    internal static bool Overlap(IEnergySource a, IEnergySource b)
    {
        if (a.Name == b.Name)
        {
            return true;
        }

        if (a.Kind == "rapl" && b.Kind == "rapl")
        {
            // psys holds every package and DRAM; a package holds its core and uncore sub-zones.
            if (a.Scope == "platform" || b.Scope == "platform")
            {
                return true;
            }

            string parentA = a.Name.Split('/')[0], parentB = b.Name.Split('/')[0];
            bool aIsPart = a.Scope is "cpu-core" or "cpu-uncore", bIsPart = b.Scope is "cpu-core" or "cpu-uncore";
            return (aIsPart && parentA == b.Name) || (bIsPart && parentB == a.Name);
        }

        // A module's input contains its rails; an estimate or a meter overlaps everything it would be added to.
        bool Whole(IEnergySource s) => s.Scope is "module-input" or "wall" or "external" or "estimate" or "board-rails" or "board-calibrated" or "platform" or "battery";
        return Whole(a) || Whole(b);
    }
}
