using ThreatGraph.GraphApi.Hosting;
using ThreatGraph.Silo.Hosting;

if (args.Length > 0 && MovedCommands.PointerFor(args[0]) is { } pointer)
{
    Console.Error.WriteLine(pointer);
    return 2;
}

// Content root = where the binaries and appsettings.json are, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}
try
{
    builder.AddThreatGraphSilo();
}
catch (StartupConfigurationException e)
{
    Console.Error.WriteLine($"ThreatGraph cannot start: {e.Message}");
    return 3;
}
builder.Services.AddThreatGraphApi(builder.Configuration);

var app = builder.Build();
app.MapThreatGraphApi();
app.MapThreatGraphOperations();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
await app.RunAsync();
return 0;

/// <summary>Entry point, public so that tests can host it (WebApplicationFactory).</summary>
public partial class Program;
