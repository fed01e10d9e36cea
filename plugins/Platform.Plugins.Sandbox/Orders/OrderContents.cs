using Platform.Abstractions;

namespace Platform.Plugins.Sandbox.Orders;

/// <summary>What an order holds and costs.</summary>
internal sealed record OrderContents(IReadOnlyList<OrderLine> Lines, decimal ShippingFee, decimal Total);
