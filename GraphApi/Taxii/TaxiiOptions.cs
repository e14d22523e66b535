using System.ComponentModel.DataAnnotations;

namespace ThreatGraph.GraphApi.Taxii;

/// <summary>TAXII 2.1 server settings (configuration section "Taxii").</summary>
public sealed class TaxiiOptions
{
    public const string Section = "Taxii";

    /// <summary>Most objects (or manifest records, or versions) in one page; a larger <c>limit</c> is lowered to it.</summary>
    [Range(1, 100_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Page size when the request gives no <c>limit</c>.</summary>
    [Range(1, 100_000)]
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Title of the discovery resource and of the API root.</summary>
    public string Title { get; set; } = "ThreatGraph TAXII 2.1";
}
