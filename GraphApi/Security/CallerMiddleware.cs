using Microsoft.AspNetCore.Http;
using ThreatGraph.Contracts.Security;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Puts the caller the authorization step admitted into Orleans' RequestContext, so every grain call of the
/// request carries it (and the TLP access policy in the grains judges it).</summary>
public sealed class CallerMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        CallerContext.Set(ThreatGraphClaims.Caller(http.User));
        return next(http);
    }
}
