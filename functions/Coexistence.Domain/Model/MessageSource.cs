namespace Coexistence.Model;

/// <summary>Where a message row came from: the webhook field that described it.</summary>
internal enum MessageSource
{
    /// <summary>A <c>history</c> chunk (the device's copy, the device's time).</summary>
    History,
    /// <summary>An <c>smb_message_echoes</c> echo: the business sent it from the app.</summary>
    Echo,
    /// <summary>The ordinary <c>messages</c> field: the customer sent it (or a system message about the customer).</summary>
    Messages,
}
