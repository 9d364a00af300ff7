namespace Coexistence.Model;

/// <summary>Who sent a message, seen from the business.</summary>
internal enum Direction { Inbound, Outbound }
