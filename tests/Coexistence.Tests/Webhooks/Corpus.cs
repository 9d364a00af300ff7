using System.Runtime.CompilerServices;
using System.Text.Json;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Webhooks;

/// <summary>
/// Names and values used by the fixture corpus (Fixtures/README.md), so tests say what they expect
/// in the fixture's own terms.
/// </summary>
internal static class Corpus
{
    public const string PhoneNumberId = "106540352242922";
    public const string BusinessNumber = "15550783881";
    public const string WabaId = "102290129340398";
    public const string SecondPhoneNumberId = "106540352242999";
    public const string SecondBusinessNumber = "15550783999";

    public const string Alice = "15551234567";
    public const string Oliver = "447700900123";
    public const string Lena = "4915123456789";

    // Chat with Alice (15551234567)
    public const string A1 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQUZCNzM5/RkE+MEI3QzJGOTdGAA==";
    public const string A2 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBRFMUZFN0YzN0ZCOTFDQTI4N0FEQ+/exAA=";
    public const string A3 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQ0Qzk5QUQzMTVFRDZDOEQ4N0U5NaS+/wA=";
    public const string A4 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQwQzhBMEQ1M0I4NDM5QUJERkM1Q/G+MAA=";
    public const string A5 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBRFQkZFQjQwNjVFQjA5Njc2MUY4N+vX/AA=";
    public const string A6 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBRFQkY4NjAwQjIzQzhGM0ZBQzJCN+VN/AA=";
    public const string A7 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBRDQTZFMUZFQjQ3Q0NENzQ4ODI1Q+6w/gA=";
    public const string A8 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBRDNjNGQ0Y0QjRFMzlDNDU4NzE5N/+QjgA=";
    public const string A9 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQ4QjdGOEQ5Q0Y0NjBCNzZBQ0ZFRv/+CgA=";
    public const string A10 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQxNjM0Q0I0OUQ3RUNCM0QzNTBBM5+/T0sA";
    public const string A11 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBRCRUMyQzQ2RDUxRjREMjNBQTFFMe+mt/wA";
    public const string A12 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzODJBOUY3MDI4Q0Y3OTE0RkYzN+7/AA==";
    public const string A13 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQTRFMUJDOUM5MjRGREFCNTM1MS+uW/UA";
    public const string A14 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQ1QkVBOTQ2QkVGRTcyODhBRTEzQo+/VgA=";
    public const string A15 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBRFRkZDMDM4QkQ1RjhCQzYyQTA5Mb+x/gA=";

    // The ordinary messages field: Alice's inbound text, her edit and revoke of it; Oliver's location and his reaction
    // to it; Lena's change of number (a system message); a message the partner's own app sent through the API (only its
    // failed status arrives).
    public const string M1 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQ5RjQ4QjE2QzE3RkI0RTNGQjM1Qz/+aQA=";
    public const string M2 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQ2MDhBRDcxQzVFNzI0RjVDOUU3M+/sbQA=";
    public const string M3 = "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQ3QjQ0RkYyQzNGRDk0QjA0QTg0Mf+/dgA=";
    public const string M4 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUNTdBM0FDMjJFNEI4NDc1OTlFRTh+/0QA";
    public const string M5 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUQjVBRjE5MDQ3RDk2NDQ0N0JGNUK/+nwA";
    public const string M6 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFEQzMEQ2N0RFMjA5RjRFOTJCQTJF/+cA";
    public const string M7 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDdBNkQ0QkQ3RTk5RjQ0QkE5QjE3/+dA";
    public const string M8 = "wamid.HBgUVVMuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgASGBQ5QzNFMTIwN0I4RDY0QzFBOEYzRAA=";
    /// <summary>Lena's new number (M6, M7) and Lena's user id before it; Maria's new user id (M8).</summary>
    public const string LenaNew = "4915199999999";
    public const string LenaOldUserId = "DE.4411223344556677889";
    public const string MariaNewUserId = "US.99887766554433221100";
    public const string Api1 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSQkY0RjE4RTY5NUUzQzk5NzY3AA==";

    // Business-scoped user ids (2026): Maria is known only by her BSUID (no phone); Alice's BSUID comes with her phone.
    public const string MariaUserId = "US.13491208655302741918";
    public const string MariaParentUserId = "US.ENT.11815799212886844830";
    public const string AliceUserId = "BR.8812345678901234567";
    public const string U1 = "wamid.HBgUVVMuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgASGBQzRUIwQjY1QjgyNUU3RkE1QkQ1QgA=";
    public const string U2 = "wamid.HBgUVVMuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgARGBI1RjQ3QzE3MDZFQUQ2QkU4QjkA";
    public const string U3 = "wamid.HBgUVVMuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgASGBQ0QTc5RDlGRkE3NTBDMEJGNjQ4NgA=";
    public const string U4 = "wamid.HBgUVVMuMTM0OTEyMDg2NTUzMDI3NDE5MTgVAgARGBJBMDMxRjE5NTM4Nzg5RTQ2RkMA";

    // Chat with Oliver (447700900123)
    public const string B1 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUODY5NTAwRDNDQjIxMEZEOEUyQzV/23J+AA==";
    public const string B2 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUM0JGMzczQUREQjQyRTBDMjg4RUJofi+/AA==";
    public const string B3 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUNkVBRjZCRTI2MDc0RkIxNjA2QjC+B/cA";
    public const string B4 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURTY2QjI5OENERUQxRjhCMDFEMTiW/n+mAA==";
    public const string B5 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURTU5MzNFRERFMDFDMDU3OEQzMDZ+FJ1/AA==";
    public const string B6 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURENCRTU1RTlCNTIzRUJFMzAzQUS+/OUA";
    public const string B7 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURTZGNkIxQzEzN0RGQ0YzOTQyRTUb/k+2AA==";
    public const string B9 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUQTRCRkZFNEIwMTJFM0QyREUxMEX/+0+8AA==";
    public const string B10 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURkY4MEExNkY1MkYwM0U1ODNGRES+7/S6AA==";
    public const string B11 = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUMkYxNDEyMDZEMERDOEJCODI4MDlV+61/AA==";

    // Chat with Lena (4915123456789)
    public const string C1 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFEM4NzU3NUQ1QkUzN0E2QUQyNUNCI+n/AA==";
    public const string C2 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDc5ODlDOTlENzA0MUEyMTcxN0U1M+kg/QA=";
    public const string C3 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDJGQzA0MzY4NjQyNDU3MTdGN0VDI/+CwAA=";
    public const string C4 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFEMyMTc4NzFGQjg4NzdBNDdEOTI1ur+/AA==";
    public const string C5 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDhDQUUxQTkwNDQ5RjRBQTZCQUY5f/+AAA==";
    public const string C6 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDRCNEMwOTcwODdEMTRDRjlFRTFEao+9/QA=";
    public const string C7 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDg3MUFGOTZCMUQzMTZCNzc1M0Y2/m+SUwA=";
    public const string C8 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDI2M0I1NkVCNEMwQTJGNjI0MTc0//zE+gA=";
    public const string C9 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFEVBRDYxM0FDMjA4MEQzODkzQTY2+V/pAA==";
    public const string C10 = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFEM1NEEyOUJFRTM4RDEzNUFDOTJC/QH+AA==";

    /// <summary>Reads a fixture and returns its one accepted change (fails the test otherwise).</summary>
    public static WebhookChange SingleChange(string fixture)
    {
        var reading = WebhookEnvelopeReader.Read(Fixtures.Bytes(fixture));
        Assert.True(reading.IsAccepted, $"{fixture} was rejected: {reading.Problem}");
        return Assert.Single(reading.Changes);
    }

    /// <summary>The change's value as a JSON element, the way the consumer reads it from the queue.</summary>
    public static JsonElement Value(WebhookChange change) => JsonDocument.Parse(change.Value).RootElement;

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    /// <summary>tests/Coexistence.Tests/Fixtures in the source tree (README.md is not copied to the output).</summary>
    public static string SourceFixturesDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!, "Fixtures");
}
