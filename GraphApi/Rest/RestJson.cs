using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatGraph.GraphApi.Rest;

public static class RestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
