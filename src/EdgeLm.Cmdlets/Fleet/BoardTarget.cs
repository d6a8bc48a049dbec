using System.Management.Automation.Runspaces;
using EdgeLm.Core.Benchmarks;

namespace EdgeLm.Cmdlets.Fleet;

/// <summary>One board: reached by host name (a session opened and closed here), or through a session the caller opened.</summary>
internal sealed record BoardTarget(string Name, FleetBoard? Host, PSSession? Session);
