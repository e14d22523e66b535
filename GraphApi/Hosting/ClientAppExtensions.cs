using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace ThreatGraph.GraphApi.Hosting;

/// <summary>Serves the dashboard (<c>/</c>) and GraphiQL (<c>/graphiql</c>) from the <c>clientapp</c> folder beside the
/// binaries (built from GraphApi/ClientApp by <c>dotnet build</c>). The pages hold no data: they call the API with
/// the key the user types, so they need no authentication themselves.</summary>
public static class ClientAppExtensions
{
    public const string Folder = "clientapp";

    static readonly Dictionary<string, string> Pages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/"] = "/index.html",
        ["/graphiql"] = "/graphiql.html",
    };

    public static WebApplication UseThreatGraphClientApp(this WebApplication app, string? root = null)
    {
        root ??= Path.Combine(AppContext.BaseDirectory, Folder);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientAppExtensions).FullName!)
                .LogWarning("The dashboard and GraphiQL are not served: {Root} has no index.html (built with -p:BuildClientApp=false, or without Node.js)", root);
            return app;
        }
        app.Use((http, next) =>
        {
            if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            {
                if (Pages.TryGetValue(http.Request.Path.Value ?? "", out var page))
                {
                    http.Request.Path = page;
                }
            }
            return next(http);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            OnPrepareResponse = file => ClientAppSecurityHeaders.Apply(file.Context.Response.Headers),
        });
        return app;
    }
}
