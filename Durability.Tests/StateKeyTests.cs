using ThreatGraph.Silo.Storage;

namespace ThreatGraph.Durability.Tests;

/// <summary>Where a grain state lives in the grain-state table is fixed by these values: a change moves every row
/// (bump <see cref="StateTableLayout.Version"/> and say how data moves), so they are pinned here.</summary>
public sealed class StateKeyTests
{
    [Fact]
    public void Row_keys_escape_what_Azure_Table_forbids_and_keep_the_rest()
    {
        Assert.Equal("node|node%2Fipv4-addr--1%2F3", StateKey.RowKey("node", GrainId.Create("node", "ipv4-addr--1/3")));
        Assert.Equal("s|t%2Fa%5Cb%23c%3Fd%25e%01f%7Fg%85h-é漢", StateKey.RowKey("s", GrainId.Create("t", "a\\b#c?d%e\u0001f\u007fg\u0085h-é漢")));
    }

    [Fact]
    public void Long_row_keys_are_cut_and_end_with_a_hash_of_the_whole()
    {
        var a = StateKey.RowKey("s", GrainId.Create("t", new string('x', 1000) + "a"));
        var b = StateKey.RowKey("s", GrainId.Create("t", new string('x', 1000) + "b"));
        Assert.Equal(StateKey.MaxRowKeyChars, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal('~', a[StateKey.MaxRowKeyChars - 33]);
    }

    [Fact]
    public void The_hash_and_the_partition_are_the_same_in_every_process()
    {
        // SHA-256 of the UTF-8 row key, first 8 bytes little-endian (computed independently).
        Assert.Equal(12762016009156582946UL, StateKey.Hash("node|node%2Fipv4-addr--1%2F3"));
        Assert.Equal(2, StateKey.Partition("node|node%2Fipv4-addr--1%2F3", 8));
        Assert.Equal(16316413624585424566UL, StateKey.Hash("typeindex|typeindex%2Findicator"));
        Assert.Equal(6, StateKey.Partition("typeindex|typeindex%2Findicator", 16));
        Assert.Equal("p007", StateKey.PartitionKey(7));
    }
}
