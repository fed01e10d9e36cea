using Platform.Host.Infrastructure;
using Platform.Host.Merchants;

namespace Platform.Host.Admin;

/// <summary>Operator routes under <c>/api/v1/admin</c> (admin key only).</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Admin");
        admin.MapGet("/data-protection/keys", (KeyRingRotation rotation) => TypedResults.Ok(new { items = rotation.List() })).AdminOnly();
        admin.MapPost("/data-protection/rotate", Rotate).AdminOnly();
        return api;
    }

    /// <summary>New key active now, every stored secret re-protected with it; <c>?revokeOld=true</c> then revokes the older keys.</summary>
    private static async Task<IResult> Rotate(bool? revokeOld, KeyRingRotation rotation, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await rotation.RotateAsync(revokeOld ?? false, ct));
        }
        catch (RotationException e)
        {
            return Problems.Conflict(e.Message);
        }
    }
}
