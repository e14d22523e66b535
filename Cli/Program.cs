using ThreatGraph.Cli;

return await ThreatGraphCommand.Parse(args).InvokeAsync();
