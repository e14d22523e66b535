using Microsoft.Extensions.Options;

namespace ThreatGraph.GraphApi.Security;

/// <summary>Start-up checks of <see cref="SecurityOptions"/> beyond the ranges, naming the setting. (Configured API keys
/// are checked by <see cref="ApiKeyStore"/> when it starts: their rules need the community.)</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = options.Jwt.EffectiveAllowedRoles.Where(Roles.IsKeyOnly)
            .Select(r => $"{SecurityOptions.Section}:Jwt:AllowedRoles may not contain '{r}': that role is carried by API keys only")
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
