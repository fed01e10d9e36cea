using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Plugins.Testing;

namespace Platform.Plugins.Sandbox.Tests;

/// <summary>The sandbox on the conformance kit: it generates its data, so the kit's source-consistency checks apply.</summary>
public abstract class SandboxConformance : SourceConsistencyTests
{
    protected override IConnectorPlugin CreatePlugin() => new SandboxPlugin();

    protected override JsonObject Settings() => new() { ["people"] = 400, ["ordersPerDay"] = 30, ["pageSize"] = 40 };
}

public sealed class SandboxOrdersConformance : SandboxConformance;

public sealed class SandboxReviewsConformance : SandboxConformance
{
    protected override StreamName Stream => StreamName.Reviews;
}

public sealed class SandboxChatsConformance : SandboxConformance
{
    protected override StreamName Stream => StreamName.Chats;
}
