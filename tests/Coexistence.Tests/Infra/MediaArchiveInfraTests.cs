using Coexistence.Functions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// The media archive's infrastructure (issue 20, docs/media.md), compiled: the private container <c>media</c>, the Storage queue
/// <c>coexistence-media</c> and its poison queue in both builds, the lifecycle rule of the container, and the roles.
/// </summary>
public class MediaArchiveInfraTests
{
    private const string MediaQueue = "coexistence-media";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";

    private static ArmTemplate Main => ArmTemplate.Load();
    private static ArmTemplate.Module Storage => Main.ModuleNamed("storage");
    private static ArmTemplate.Module ServiceBus => Main.ModuleNamed("servicebus");
    private static ArmTemplate.Module Api => Main.ModuleNamed("api");
    private static ArmTemplate.Module Rbac => Main.ModuleNamed("rbac");

    [Fact]
    public void The_media_container_is_private()
    {
        Assert.Equal("media", Storage.StringVariable("mediaContainerName"));
        var containers = Storage.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("[length(createArray(variables('rawArchiveContainerName'), variables('mediaContainerName'), parameters('deploymentContainerName')))]",
            (string?)containers["copy"]!["count"]);
        Assert.Null(containers["condition"]);
        Assert.Equal("None", (string?)containers["properties"]!["publicAccess"]);
        Assert.False((bool)Storage.Single("Microsoft.Storage/storageAccounts")["properties"]!["allowBlobPublicAccess"]!);
    }

    [Fact]
    public void The_media_queue_and_its_poison_queue_are_Storage_queues_in_both_builds()
    {
        Assert.Equal(MediaQueue, Storage.StringVariable("mediaQueueName"));
        Assert.Equal("[format('{0}-poison', variables('mediaQueueName'))]", Storage.StringVariable("mediaPoisonQueueName"));
        Assert.Equal("coexistence-media-poison", StorageNames.PoisonQueueOf(MediaQueue));

        // Declared whatever the build: no condition, its own loop beside the change queues'.
        var queues = Storage.ResourcesOfType("Microsoft.Storage/storageAccounts/queueServices/queues")
            .Single(q => ((string)q["name"]!).Contains("variables('mediaQueueName')", StringComparison.Ordinal));
        Assert.Equal("[length(createArray(variables('mediaQueueName'), variables('mediaPoisonQueueName')))]", (string?)queues["copy"]!["count"]);
        Assert.Contains("createArray(variables('mediaQueueName'), variables('mediaPoisonQueueName'))[copyIndex()]", (string)queues["name"]!);
        Assert.Null(queues["condition"]);

        // Not a change queue: neither in queue-names.json (the Storage-queue build's change queues) nor a Service Bus queue.
        Assert.DoesNotContain(MediaQueue, Storage.StringArrayVariable("queueNames"));
        Assert.DoesNotContain(MediaQueue, ServiceBus.StringArrayVariable("queueNames"));
        Assert.DoesNotContain(MediaQueue, File.ReadAllText(Repository.PathOf("infra/app/queue-names.json")));
        Assert.DoesNotContain("media", ServiceBus.Template.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // The Service Bus build reaches it through the same identity-based Storage connection as everything else.
        var settings = Api.Variables["identitySettings"]!.AsObject();
        Assert.Equal("[parameters('queueEndpoint')]", (string?)settings[$"{StorageConnection.Name}__queueServiceUri"]);
        Assert.Equal("managedidentity", (string?)settings[$"{StorageConnection.Name}__credential"]);
        Assert.True(settings.ContainsKey($"{QueueTransport.ConnectionName}__fullyQualifiedNamespace"));
    }

    [Fact]
    public void Media_move_to_Cool_after_30_days_and_are_deleted_only_when_a_number_of_days_is_given()
    {
        // The account's one policy ('default') carries the media rule beside the raw-webhooks one.
        var policy = Storage.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        Assert.Equal("[format('{0}/{1}', parameters('name'), 'default')]", (string?)policy["name"]);
        var rule = policy["properties"]!["policy"]!["rules"]!.AsArray().Single(r => (string?)r!["name"] == "media-tiering")!;
        Assert.True((bool)rule["enabled"]!);
        Assert.Equal("Lifecycle", (string?)rule["type"]);
        var filters = rule["definition"]!["filters"]!;
        Assert.Equal(["blockBlob"], filters["blobTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("[format('{0}/', 'media')]", Storage.InlineStringVariables((string)filters["prefixMatch"]!.AsArray().Single()!));
        Assert.Equal("[variables('mediaActions')]", (string?)rule["definition"]!["actions"]!["baseBlob"]);

        // Cool after mediaCoolAfterDays; delete only when mediaDeleteAfterDays > 0; Cool left out when the deletion comes first.
        Assert.Equal("[union(if(variables('mediaCool'), "
            + "createObject('tierToCool', createObject('daysAfterCreationGreaterThan', parameters('mediaCoolAfterDays'))), "
            + "createObject()), if(greater(parameters('mediaDeleteAfterDays'), 0), createObject('delete', createObject('daysAfterCreationGreaterThan', "
            + "parameters('mediaDeleteAfterDays'))), createObject()))]", Storage.StringVariable("mediaActions"));
        Assert.Equal("[or(equals(parameters('mediaDeleteAfterDays'), 0), greater(parameters('mediaDeleteAfterDays'), parameters('mediaCoolAfterDays')))]",
            Storage.StringVariable("mediaCool"));

        // The defaults: Cool after 30 days, kept forever; the parameters are main.bicep's.
        Assert.Equal(30, (int)Storage.ResolveParameter("mediaCoolAfterDays")!);
        Assert.Equal(0, (int)Storage.ResolveParameter("mediaDeleteAfterDays")!);
        Assert.Equal((1, 0), ((int)Main.Parameters["mediaCoolAfterDays"]!["minValue"]!, (int)Main.Parameters["mediaDeleteAfterDays"]!["minValue"]!));
        Assert.Equal("[parameters('mediaDeleteAfterDays')]", (string?)Storage.Arguments["mediaDeleteAfterDays"]!["value"]);
    }

    [Fact]
    public void The_app_identity_may_sign_user_delegation_links_and_use_the_media_queue_in_both_builds()
    {
        // Blob Data Owner holds every action of Blob Data Contributor, generateUserDelegationKey included; Queue Data Contributor
        // reads, deletes and sends the media jobs. Unconditional: the Service Bus build has them as much as the Storage-queue one.
        var storageRoles = Rbac.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Single(r => (string?)r["properties"]!["principalId"] == "[parameters('appPrincipalId')]"
                && (string?)r["scope"] == "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]");
        Assert.Null(storageRoles["condition"]);
        Assert.Equal("[length(variables('appStorageRoles'))]", (string?)storageRoles["copy"]!["count"]);
        var roles = Rbac.StringArrayVariable("appStorageRoles");
        Assert.Contains(StorageBlobDataOwner, roles);
        Assert.Contains(StorageQueueDataContributor, roles);
    }
}
