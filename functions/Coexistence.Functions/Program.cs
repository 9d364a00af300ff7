using Coexistence.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// All wiring is in AppServices; the function classes only translate between triggers and the domain.
var builder = FunctionsApplication.CreateBuilder(args);
AppServices.Add(builder.Services, builder.Configuration);
builder.Build().Run();
