namespace EdgeLm.Tests.Support;

/// <summary>
/// What the arm64 tests run with on an x64 machine: qemu-user (invoked directly, no binfmt) and the arm64 cross
/// compiler, both installed by tools/qemu.sh (which ./build.sh test runs, passing the emulator on as EDGELM_QEMU).
/// Missing tools fail the test naming that script, as the browser tests name tools/chromium.sh.
/// </summary>
public static class Arm64Emulator
{
    public const string Variable = "EDGELM_QEMU";
    private const string Install = "run tools/qemu.sh (as root, or with passwordless sudo) to install qemu-user-static, " +
        "gcc-aarch64-linux-gnu and the arm64 libc6, libstdc++6 and libssl3, or set " + Variable + " to a qemu-aarch64";

    /// <summary>The emulator: EDGELM_QEMU, else qemu-aarch64-static or qemu-aarch64 on PATH.</summary>
    public static string Qemu => Find(Environment.GetEnvironmentVariable(Variable), "qemu-aarch64-static", "qemu-aarch64")
        ?? throw new InvalidOperationException($"no arm64 emulator (qemu-aarch64-static) on PATH; {Install}");

    /// <summary>The arm64 C compiler (Debian's gcc-aarch64-linux-gnu).</summary>
    public static string CrossCompiler => Find(null, "aarch64-linux-gnu-gcc")
        ?? throw new InvalidOperationException($"no arm64 C compiler (aarch64-linux-gnu-gcc) on PATH; {Install}");

    /// <summary>
    /// The environment for the release under qemu-user: the worker started under the same emulator, since an arm64
    /// process here cannot exec another arm64 program by itself. The runtime keeps its defaults, as on a board
    /// (W^X included: turning it off made no measurable difference under Debian's qemu 7.2). <paramref name="cpu"/>
    /// is a qemu CPU model (QEMU_CPU, which the worker's emulator inherits): cortex-a72 is a Raspberry Pi 4's,
    /// cortex-a76 a Pi 5's; null leaves qemu's default, which has every feature it emulates.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReleaseEnvironment(string? cpu = null)
    {
        var environment = new Dictionary<string, string> { ["EDGELM_WORKER_PREFIX"] = Qemu };
        if (cpu is not null)
        {
            environment["QEMU_CPU"] = cpu;
        }

        return environment;
    }

    private static string? Find(string? given, params string[] names)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return File.Exists(given) ? Path.GetFullPath(given) : Find(null, given);
        }

        foreach (string name in names)
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
