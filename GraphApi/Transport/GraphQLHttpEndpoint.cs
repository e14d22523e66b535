using System.Buffers;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQL.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ThreatGraph.GraphApi.Transport;

/// <summary>GraphQL over HTTP (GET and POST) on plain ASP.NET Core.</summary>
public static class GraphQLHttpEndpoint
{
    private const string LoggerName = "ThreatGraph.GraphApi.Transport.GraphQLHttpEndpoint";

    /// <summary>
    /// Maps GraphQL-over-HTTP at <paramref name="pattern"/>:
    /// <list type="bullet">
    /// <item>POST with <c>Content-Type: application/json</c> and a body <c>{query, operationName, variables, extensions, documentId}</c>;</item>
    /// <item>GET with the same names as query-string parameters (<c>variables</c>/<c>extensions</c> JSON-encoded); mutations over GET get 405 with <c>Allow: POST</c>;</item>
    /// <item>the response is <c>application/graphql-response+json; charset=utf-8</c> unless the Accept header prefers
    /// <c>application/json</c> (legacy: 200 also for parse/validation errors); 200 when executed, 400 for request, parse and
    /// validation errors (no <c>data</c>), 406 for an Accept it cannot serve, 415 for another Content-Type,
    /// 413 for a body above <see cref="GraphQLTransportOptions.MaxRequestBytes"/>; other methods get 405 from routing;</item>
    /// <item>a document over a limit of <see cref="GraphQLDocumentLimiter"/> is refused like a validation error (400), before
    /// GraphQL.NET validates it; an execution is cancelled when the client goes away, and when it runs longer than
    /// <see cref="GraphQLTransportOptions.MaxExecutionTime"/> (200 with a timeout error and <c>"data": null</c>).</item>
    /// </list>
    /// Needs <c>AddGraphQLTransport</c> plus GraphQL.NET's <c>IDocumentExecuter</c>, <c>ISchema</c> and <c>IGraphQLTextSerializer</c>
    /// (GraphQL.SystemTextJson) in DI. Subscriptions are rejected here; map <see cref="GraphQLWebSocketEndpoint.MapGraphQLWebSocket"/>
    /// on the same pattern to serve them (WebSocket upgrade requests are routed to it).
    /// </summary>
    public static IEndpointConventionBuilder MapGraphQLHttp(this IEndpointRouteBuilder app, string pattern = "/graphql")
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], new RequestDelegate(HandleAsync))
            .WithDisplayName("GraphQL HTTP " + pattern);
    }

    internal static async Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        var options = services.GetRequiredService<IOptions<GraphQLTransportOptions>>().Value;

        var mediaType = GraphQLMediaTypes.Negotiate(http.Request);
        if (mediaType is null)
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status406NotAcceptable, GraphQLMediaTypes.Json,
                $"The Accept header allows neither {GraphQLMediaTypes.GraphQLResponseJson} nor {GraphQLMediaTypes.Json}.");
            return;
        }

        if (WebSocketRequests.IsUpgrade(http))
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status400BadRequest, mediaType,
                "WebSocket requests are not served by the GraphQL HTTP endpoint; map MapGraphQLWebSocket on this path.");
            return;
        }

        var isGet = HttpMethods.IsGet(http.Request.Method);
        var (request, failure) = isGet
            ? ReadGetRequest(http, serializer, options)
            : await ReadPostRequestAsync(http, serializer, options);
        if (failure is not null)
        {
            await WriteErrorAsync(http, serializer, failure.Value.Status, mediaType, failure.Value.Message);
            return;
        }

        if (request is null || (string.IsNullOrWhiteSpace(request.Query) && string.IsNullOrWhiteSpace(request.DocumentId)))
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status400BadRequest, mediaType,
                "The request has neither a 'query' nor a 'documentId'.");
            return;
        }

        ExecutionResult result;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        using var budget = new CancellationTokenSource(options.MaxExecutionTime, time);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, budget.Token);
        try
        {
            result = await GraphQLExecution.ExecuteAsync(services, options, request, o =>
            {
                o.Schema = services.GetRequiredService<ISchema>();
                o.Query = request.Query;
                o.DocumentId = request.DocumentId;
                o.OperationName = request.OperationName;
                o.Variables = request.Variables;
                o.Extensions = request.Extensions;
                o.RequestServices = services;
                o.User = http.User;
                o.CancellationToken = cancellation.Token;
                o.ValidationRules = (o.ValidationRules ?? DocumentValidator.CoreRules)
                    .Append(isGet ? HttpOperationTypeValidationRule.ForGet : HttpOperationTypeValidationRule.ForPost);
                options.ConfigureExecution?.Invoke(o, http);
            });
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            result = GraphQLExecution.TimedOut(options);
        }
        catch (Exception ex)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName)
                .LogError(ex, "GraphQL HTTP execution failed");
            await WriteErrorAsync(http, serializer, StatusCodes.Status500InternalServerError, mediaType,
                options.ExposeExceptionDetails ? ex.ToString() : "Internal server error.");
            return;
        }

        var status = StatusCodes.Status200OK;
        if (!result.Executed)
        {
            if (result.Errors?.Any(e => e is MutationOverGetError) == true)
            {
                status = StatusCodes.Status405MethodNotAllowed;
                http.Response.Headers.Allow = HttpMethods.Post;
            }
            else if (mediaType == GraphQLMediaTypes.GraphQLResponseJson)
            {
                status = StatusCodes.Status400BadRequest;
            }
        }

        await WriteResultAsync(http, serializer, status, mediaType, result);
    }

    private static (GraphQLRequest? Request, (int Status, string Message)? Failure) ReadGetRequest(
        HttpContext http, IGraphQLTextSerializer serializer, GraphQLTransportOptions options)
    {
        var q = http.Request.Query;
        try
        {
            var request = new GraphQLRequest
            {
                Query = q["query"].FirstOrDefault(),
                OperationName = q["operationName"].FirstOrDefault(),
                DocumentId = q["documentId"].FirstOrDefault(),
                Variables = ReadInputs(serializer, q["variables"].FirstOrDefault()),
                Extensions = ReadInputs(serializer, q["extensions"].FirstOrDefault()),
            };
            return (request, null);
        }
        catch (JsonException ex)
        {
            return (null, (StatusCodes.Status400BadRequest,
                JsonErrorMessage("The 'variables' or 'extensions' query parameter is not a valid JSON object", ex, options)));
        }
    }

    private static Inputs? ReadInputs(IGraphQLTextSerializer serializer, string? json)
        => string.IsNullOrWhiteSpace(json) ? null : serializer.Deserialize<Inputs>(json);

    private static async Task<(GraphQLRequest? Request, (int Status, string Message)? Failure)> ReadPostRequestAsync(
        HttpContext http, IGraphQLTextSerializer serializer, GraphQLTransportOptions options)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, GraphQLMediaTypes.Json, StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !string.Equals(contentType.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, (StatusCodes.Status415UnsupportedMediaType,
                "POST requests must have 'Content-Type: application/json' (charset utf-8)."));
        }

        var limit = options.MaxRequestBytes;
        if (http.Request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        string body;
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }

            body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, (StatusCodes.Status400BadRequest, "The request body is empty."));
        }

        try
        {
            return (serializer.Deserialize<GraphQLRequest>(body), null);
        }
        catch (JsonException ex)
        {
            return (null, (StatusCodes.Status400BadRequest, JsonErrorMessage("The request body is not valid JSON", ex, options)));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NotSupportedException)
        {
            return (null, (StatusCodes.Status400BadRequest, options.ExposeExceptionDetails
                ? "The request body is not a valid GraphQL request: " + ex.Message
                : "The request body is not a valid GraphQL request."));
        }
    }

    private static (int, string) TooLarge(long limit)
        => (StatusCodes.Status413PayloadTooLarge, $"The request body exceeds {limit} bytes.");

    private static string JsonErrorMessage(string what, JsonException ex, GraphQLTransportOptions options)
    {
        var where = ex.LineNumber is { } line
            ? $" at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}"
            : "";
        return options.ExposeExceptionDetails ? $"{what}{where}: {ex.Message}" : $"{what}{where}.";
    }

    private static Task WriteErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, int status, string mediaType, string message)
        => WriteResultAsync(http, serializer, status, mediaType, new ExecutionResult { Errors = [new ExecutionError(message)] });

    private static async Task WriteResultAsync(HttpContext http, IGraphQLTextSerializer serializer, int status, string mediaType, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
