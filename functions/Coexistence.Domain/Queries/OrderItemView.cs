using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>One product of an order: <c>product_retailer_id</c>, <c>quantity</c>, <c>item_price</c>, <c>currency</c>.</summary>
public sealed record OrderItemView(
    [property: JsonPropertyName("productRetailerId")] string? ProductRetailerId,
    [property: JsonPropertyName("quantity")] long? Quantity,
    [property: JsonPropertyName("itemPrice")] double? ItemPrice,
    [property: JsonPropertyName("currency")] string? Currency);
