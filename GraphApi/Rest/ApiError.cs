namespace ThreatGraph.GraphApi.Rest;

/// <summary>The body of every non-2xx REST answer: <c>{"error": {"code": "...", "message": "..."}}</c>.</summary>
public sealed record ApiError(ApiErrorBody Error)
{
    public static ApiError Of(string code, string message) => new(new ApiErrorBody(code, message));
}

public sealed record ApiErrorBody(string Code, string Message);
