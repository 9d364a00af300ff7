using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>The <c>content</c> of an <c>order</c> message: <c>order.{catalog_id, text, product_items[]}</c>.</summary>
public sealed record OrderView(
    [property: JsonPropertyName("catalogId")] string? CatalogId,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("items")] IReadOnlyList<OrderItemView> Items)
{
    /// <summary>By value, items included (a record compares a list by reference).</summary>
    public bool Equals(OrderView? other) => other is not null && CatalogId == other.CatalogId && Text == other.Text && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => HashCode.Combine(CatalogId, Text, Items.Count);
}
