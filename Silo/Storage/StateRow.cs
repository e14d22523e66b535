using Azure.Data.Tables;

namespace ThreatGraph.Silo.Storage;

/// <summary>
/// One grain state as one table row. Inline: the serialized bytes split over binary properties <c>D0</c>…<c>D14</c>
/// of at most 64 KiB each (Azure's cap per binary property; 15 of them stay under the 1 MiB entity cap). Too large for
/// that (<see cref="StateTable.InlineLimitBytes"/>): the bytes are in a blob of their own and the row holds its name in
/// <c>Blob</c>. Either way the row is the one source of truth for the state's ETag.
/// </summary>
public static class StateRow
{
    public const int ChunkBytes = 64 * 1024;
    public const int MaxChunks = 15;
    public const string BlobProperty = "Blob";
    public const string LengthProperty = "Length";

    /// <summary>Request bytes a transaction spends on one operation besides its data: multipart headers, the entity
    /// URL, property names and type annotations (generous: the budget must never be exceeded).</summary>
    const int OperationOverheadBytes = 1_024;

    public static TableEntity Inline(string partitionKey, string rowKey, byte[] data)
    {
        if (data.Length > MaxChunks * ChunkBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data.Length, $"more than {MaxChunks} × {ChunkBytes} bytes: store it in a blob");
        }
        var entity = new TableEntity(partitionKey, rowKey) { [LengthProperty] = data.Length };
        for (int offset = 0, i = 0; offset < data.Length; offset += ChunkBytes, i++)
        {
            entity[ChunkName(i)] = data.AsSpan(offset, Math.Min(ChunkBytes, data.Length - offset)).ToArray();
        }
        return entity;
    }

    public static TableEntity Pointer(string partitionKey, string rowKey, string blobName, int length) =>
        new(partitionKey, rowKey) { [BlobProperty] = blobName, [LengthProperty] = length };

    /// <summary>The blob holding the state, or null when the bytes are in the row.</summary>
    public static string? BlobOf(TableEntity entity) => entity.GetString(BlobProperty);

    /// <summary>The inline bytes of a row (call only when <see cref="BlobOf"/> is null).</summary>
    public static byte[] InlineData(TableEntity entity)
    {
        var length = entity.GetInt32(LengthProperty) ?? throw new InvalidDataException($"row {entity.RowKey} has no {LengthProperty}");
        var data = new byte[length];
        var offset = 0;
        for (var i = 0; offset < length; i++)
        {
            var chunk = entity.GetBinary(ChunkName(i)) ?? throw new InvalidDataException($"row {entity.RowKey} lacks {ChunkName(i)}");
            chunk.CopyTo(data, offset);
            offset += chunk.Length;
        }
        return data;
    }

    /// <summary>What an operation adds to a transaction's request body: binary goes as base64 (4 bytes per 3).</summary>
    public static int RequestBytes(string rowKey, int inlineBytes) => OperationOverheadBytes + 2 * rowKey.Length + (inlineBytes + 2) / 3 * 4;

    static string ChunkName(int i) => i switch
    {
        0 => "D0", 1 => "D1", 2 => "D2", 3 => "D3", 4 => "D4", 5 => "D5", 6 => "D6", 7 => "D7",
        8 => "D8", 9 => "D9", 10 => "D10", 11 => "D11", 12 => "D12", 13 => "D13", 14 => "D14",
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };
}
