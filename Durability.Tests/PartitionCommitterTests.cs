using Azure;
using Azure.Data.Tables;
using ThreatGraph.Silo.Storage;

namespace ThreatGraph.Durability.Tests;

/// <summary>
/// Group commit of one partition against Azurite's table service, with operations queued together so that the
/// batches are known: a failed precondition refuses its own row and the rest commit in the next transaction; the
/// 100-operation and 4 MiB limits split batches; a row twice keeps its order in two transactions.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PartitionCommitterTests(AzuriteFixture azurite)
{
    const string Partition = "p000";

    [Fact]
    public async Task A_failed_precondition_refuses_its_row_and_the_others_commit_in_the_next_transaction()
    {
        var (table, statistics, committer) = await CreateAsync();
        var first = await committer.CommitAsync(Insert("contested", 10));
        await committer.CommitAsync(Replace("contested", first.ETag!.Value, 20)); // the first ETag is stale now
        var (transactions, rows) = (statistics.Transactions, statistics.TransactionRows);

        var operations = Enumerable.Range(0, 40).Select(i => Insert($"row{i}", 100 + i)).ToList();
        operations[20] = Replace("contested", first.ETag!.Value, 30);
        var outcomes = await Task.WhenAll(committer.CommitAllAsync(operations));

        Assert.Equal(CommitStatus.Conflict, outcomes[20].Status);
        Assert.Equal(412, outcomes[20].HttpStatus);
        Assert.All(outcomes.Where((_, i) => i != 20), o => Assert.Equal(CommitStatus.Committed, o.Status));
        Assert.All(outcomes.Where((_, i) => i != 20), o => Assert.NotNull(o.ETag));
        // One transaction refused at its 21st row, then the 39 others again, together.
        Assert.Equal(transactions + 2, statistics.Transactions);
        Assert.Equal(rows + 40 + 39, statistics.TransactionRows);
        Assert.Equal(20, (await table.GetEntityAsync<TableEntity>(Partition, "contested")).Value.GetInt32("V"));
        for (var i = 0; i < 40; i++)
        {
            if (i != 20) Assert.Equal(100 + i, (await table.GetEntityAsync<TableEntity>(Partition, $"row{i}")).Value.GetInt32("V"));
        }
    }

    [Fact]
    public async Task An_insert_of_an_existing_row_and_a_delete_of_a_missing_one_are_refused_alone()
    {
        var (_, _, committer) = await CreateAsync();
        await committer.CommitAsync(Insert("exists", 1));
        var outcomes = await Task.WhenAll(committer.CommitAllAsync(
            [Insert("a", 1), Insert("exists", 2), Insert("b", 1), Delete("missing", ETag.All), Insert("c", 1)]));
        Assert.Equal([CommitStatus.Committed, CommitStatus.Conflict, CommitStatus.Committed, CommitStatus.NotFound, CommitStatus.Committed],
            outcomes.Select(o => o.Status));
        Assert.Equal(409, outcomes[1].HttpStatus);
        Assert.Equal(404, outcomes[3].HttpStatus);
    }

    [Fact]
    public async Task Batches_stay_within_100_operations_and_the_request_size_limit()
    {
        var (table, statistics, committer) = await CreateAsync();
        var before = statistics.Transactions;
        var outcomes = await Task.WhenAll(committer.CommitAllAsync([.. Enumerable.Range(0, 250).Select(i => Insert($"small{i}", i))]));
        Assert.All(outcomes, o => Assert.Equal(CommitStatus.Committed, o.Status));
        Assert.Equal(before + 3, statistics.Transactions); // 100 + 100 + 50

        // Seven states of 900,000 bytes: 1.2 MB each as base64, so three per transaction under 4 MiB (Azurite refuses more).
        before = statistics.Transactions;
        var large = new byte[StateTable.DefaultInlineLimitBytes];
        outcomes = await Task.WhenAll(committer.CommitAllAsync([.. Enumerable.Range(0, 7).Select(i => new StateOperation(StateOperationKind.Insert,
            StateRow.Inline(Partition, $"large{i}", large), default, StateRow.RequestBytes($"large{i}", large.Length)))]));
        Assert.All(outcomes, o => Assert.Equal(CommitStatus.Committed, o.Status));
        Assert.Equal(before + 3, statistics.Transactions);
        Assert.Equal(large.Length, StateRow.InlineData((await table.GetEntityAsync<TableEntity>(Partition, "large6")).Value).Length);
    }

    [Fact]
    public async Task Two_operations_on_one_row_go_in_two_transactions_in_their_order()
    {
        var (table, statistics, committer) = await CreateAsync();
        var before = statistics.Transactions;
        var outcomes = await Task.WhenAll(committer.CommitAllAsync([Insert("twice", 1), Insert("other", 1), Delete("twice", ETag.All)]));
        Assert.All(outcomes, o => Assert.Equal(CommitStatus.Committed, o.Status));
        Assert.Equal(before + 2, statistics.Transactions);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(Partition, "twice")).HasValue, "inserted, then deleted: in that order");
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>(Partition, "other")).HasValue);
    }

    async Task<(TableClient Table, StorageStatistics Statistics, PartitionCommitter Committer)> CreateAsync()
    {
        var table = azurite.Tables.GetTableClient("committer" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateAsync();
        var statistics = new StorageStatistics();
        return (table, statistics, new PartitionCommitter(table, statistics));
    }

    static StateOperation Insert(string row, int value) =>
        new(StateOperationKind.Insert, new TableEntity(Partition, row) { ["V"] = value }, default, StateRow.RequestBytes(row, 0));

    static StateOperation Replace(string row, ETag ifMatch, int value) =>
        new(StateOperationKind.Replace, new TableEntity(Partition, row) { ["V"] = value }, ifMatch, StateRow.RequestBytes(row, 0));

    static StateOperation Delete(string row, ETag ifMatch) =>
        new(StateOperationKind.Delete, new TableEntity(Partition, row), ifMatch, StateRow.RequestBytes(row, 0));
}
