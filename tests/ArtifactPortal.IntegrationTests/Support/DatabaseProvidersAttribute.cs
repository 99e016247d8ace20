using System.Reflection;
using ArtifactPortal.Infrastructure.Data;
using Xunit.Sdk;

namespace ArtifactPortal.IntegrationTests.Support;

/// <summary>Runs a theory once per database the portal is tested on: a SQLite file and a real PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseProvidersAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
    [
        [DatabaseProvider.Sqlite],
        [DatabaseProvider.Postgres],
    ];
}
