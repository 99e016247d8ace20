using ArtifactPortal.IntegrationTests.Support;

namespace ArtifactPortal.Benchmarks.Load;

/// <summary>
/// CPU time of the three processes that share the machine's cores during a load run: the portal, PostgreSQL and the client
/// (the HTTP load generator, or the browser for circuits). The portal's, per request, does not depend on what the others
/// take; the sum per request says how many requests a second the cores can carry at all.
/// </summary>
internal readonly record struct CpuBudget(TimeSpan Portal, TimeSpan Postgres, TimeSpan Client)
{
    public TimeSpan Total => Portal + Postgres + Client;

    public static CpuBudget Read(PortalProcess portal, PostgresServer postgres, Func<TimeSpan> client) =>
        new(portal.CpuTime(), postgres.CpuTime(), client());

    public static CpuBudget operator -(CpuBudget after, CpuBudget before) =>
        new(after.Portal - before.Portal, after.Postgres - before.Postgres, after.Client - before.Client);
}
