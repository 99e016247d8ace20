using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactPortal.Core.Data;

/// <summary>
/// An EF compiled query (made by <c>EF.CompileAsyncQuery</c> against <see cref="DbContext"/>) per model: EF refuses to run
/// one against another model than the first, and a process may hold several (the tests run SQLite and PostgreSQL side by side).
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : Delegate
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new();

    /// <summary>The query for <paramref name="db"/>'s model; call it with <c>(DbContext)db</c>.</summary>
    public TQuery For(IPortalDbContext db) => _byModel.GetOrAdd(((DbContext)db).Model, _ => compile());
}
