namespace Coexistence.Model;

/// <summary>Where a message row came from.</summary>
internal enum MessageSource { History, Echo }
