using Coexistence.Intake;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coexistence.Tests.Support;

public static class Doors
{
    /// <summary>A door with no webhook secrets configured (only the function key, which the host checks).</summary>
    public static WebhookDoor Open(WebhookIntake intake, IntakeOptions options) => WithAuth(intake, options, new WebhookAuthOptions());

    public static WebhookDoor WithAuth(WebhookIntake intake, IntakeOptions options, WebhookAuthOptions auth) =>
        new(intake, new WebhookAuthenticator(auth), auth, options, NullLogger<WebhookDoor>.Instance);
}
